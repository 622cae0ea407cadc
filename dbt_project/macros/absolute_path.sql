{#- `path` made absolute against the directory dbt runs in. The views over raw and published
    files keep the paths they were created with: a relative one breaks as soon as the warehouse
    is opened from another directory. (Jinja cannot see the working directory; the plugin's
    resolve_path() can.) -#}
{% macro absolute_path(path) %}
  {%- if not execute or path.startswith('/') -%}
    {{ return(path) }}
  {%- endif -%}
  {%- set resolved = run_query("select resolve_path('" ~ path | replace("'", "''") ~ "')") -%}
  {{ return(resolved.columns[0].values()[0]) }}
{% endmacro %}
