
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select source_date, source_row_number, rule_id, count(*) as occurrences
from "warehouse"."main"."dq_transaction_failures"
group by source_date, source_row_number, rule_id
having count(*) > 1

  
  
      
    ) dbt_internal_test