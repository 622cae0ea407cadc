{{ config(tags=['transactions']) }}
{#- Tagged transactions too: the transaction models and tests read it (dbt build --select tag:transactions). -#}
{#- The rule catalog (macros/customer_rules.sql, macros/transaction_rules.sql) as a table, for the report and ad hoc SQL. -#}
with

final as (
    select * from {{ rule_catalog_values() }}
)

select * from final
