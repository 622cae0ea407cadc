{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='run_date',
          on_schema_change='append_new_columns', full_refresh=false) }}
{#- dq_rule_results of every run date. Re-running a date replaces that date's rows. -#}
with

final as (
    select * from {{ ref('dq_rule_results') }}
)

select * from final
