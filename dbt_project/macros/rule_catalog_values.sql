{#- The rule catalog (every entity's rules) as a SQL relation (rule_id, entity, column_name, dimension, severity,
    action, threshold, stage, also_reads, description), for models that join rule metadata. -#}
{% macro rule_catalog_values() -%}
(values
  {%- for rule in all_rules() %}
  ('{{ rule.id }}', '{{ rule.id.split('.')[0] }}', '{{ rule.column }}', '{{ rule.dimension }}', '{{ rule.severity }}',
   '{{ rule.action }}', {{ rule.threshold }}, '{{ rule.stage }}',
   {{ "['" ~ rule.also_reads | join("', '") ~ "']" if rule.also_reads else "[]::varchar[]" }}, '{{ rule.description | replace("'", "''") }}'){{ "," if not loop.last }}
  {%- endfor %}
) as catalog(rule_id, entity, column_name, dimension, severity, action, threshold, stage, also_reads, description)
{%- endmacro %}
