{#- The cleaned customer columns, in output order, with their SQL types: the one list the
    resolved model, the published marts and their contracts follow. -#}
{% macro customer_output_columns() %}
  {{ return([
    ('customer_id', 'varchar'), ('first_name', 'varchar'), ('last_name', 'varchar'),
    ('email', 'varchar'), ('phone', 'varchar'), ('date_of_birth', 'date'), ('gender', 'varchar'),
    ('street_address', 'varchar'), ('city', 'varchar'), ('state', 'varchar'),
    ('postal_code', 'varchar'), ('country', 'varchar'), ('signup_date', 'date'),
    ('segment', 'varchar'), ('annual_income', 'decimal(18,2)'), ('marketing_opt_in', 'boolean'),
    ('last_purchase_date', 'date'),
  ]) }}
{% endmacro %}
