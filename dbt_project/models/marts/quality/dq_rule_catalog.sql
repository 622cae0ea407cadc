{#- The rule catalog (macros/customer_rules.sql) as a table, for the report and ad hoc SQL. -#}
with

catalog as (
    select * from {{ rule_catalog_values() }}
)

select * from catalog
