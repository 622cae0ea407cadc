
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
        select *
        from "warehouse"."test_failures"."dq_rule__transactions__currency__fx_rate_known"
    
      
    ) dbt_internal_test