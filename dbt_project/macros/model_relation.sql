{#- The warehouse relation of model `name` when it exists, else none; without ref(), for a model
    that reads what a later model of the same build loaded before (ref() would make a cycle). -#}
{% macro model_relation(name) %}
  {%- if not execute -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set node = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
                                      | selectattr('name', 'equalto', name) | first -%}
  {{ return(adapter.get_relation(node.database, node.schema, node.alias)) }}
{% endmacro %}
