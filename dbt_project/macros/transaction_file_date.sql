{#- The date of a raw transaction file from its path (<data dir>/raw/<YYYY-MM-DD>/transactions.parquet),
    NULL for any other path. -#}
{% macro transaction_file_date(path) -%}
try_cast(regexp_extract({{ path }}, '(\d{4}-\d{2}-\d{2})/transactions\.parquet$', 1) as date)
{%- endmacro %}
