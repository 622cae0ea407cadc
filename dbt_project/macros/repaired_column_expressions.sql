{#- For each output column, an expression that is the column name when the value was
    repaired (present in raw, present in the output, and different from the raw text). -#}
{% macro repaired_column_expressions() %}
  {%- set expressions = [] -%}
  {%- for column, type in customer_output_columns() -%}
    {%- do expressions.append(
        "case when " ~ clean_text('raw_' ~ column) ~ " is not null and " ~ column ~ " is not null"
        ~ " and cast(" ~ column ~ " as varchar) <> raw_" ~ column ~ " then '" ~ column ~ "' end") -%}
  {%- endfor -%}
  {{ return(expressions) }}
{% endmacro %}
