{#- The output columns as (name, bit value) flags of the repaired-columns mask
    (int_customers_checked.repaired_column_bits): bit = the column's position in
    customer_output_columns(). -#}
{% macro repaired_column_flags() %}
  {%- set flags = [] -%}
  {%- for column, type in customer_output_columns() -%}
    {%- do flags.append((column, 2 ** loop.index0)) -%}
  {%- endfor -%}
  {{ return(flags) }}
{% endmacro %}
