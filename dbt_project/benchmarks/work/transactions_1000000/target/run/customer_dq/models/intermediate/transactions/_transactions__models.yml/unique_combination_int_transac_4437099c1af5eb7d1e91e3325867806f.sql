
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select source_date, source_row_number, count(*) as occurrences
from "warehouse"."main"."int_transactions_failing"
group by source_date, source_row_number
having count(*) > 1

  
  
      
    ) dbt_internal_test