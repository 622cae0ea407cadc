{#- For each output column, an expression that is the column name when the value was
    repaired: present in the output (so it was present in raw) and different from the raw text. -#}
{% macro repaired_column_expressions() %}
  {%- set expressions = [] -%}
  {%- for column, type in customer_output_columns() -%}
    {%- do expressions.append(
        "case when " ~ column ~ " is not null and cast(" ~ column ~ " as varchar) <> raw_" ~ column ~ " then '" ~ column ~ "' end") -%}
  {%- endfor -%}
  {{ return(expressions) }}
{% endmacro %}
