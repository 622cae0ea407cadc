{#- Every rule of the catalog, all entities: customers (macros/customer_rules.sql) and
    transactions (macros/transaction_rules.sql). A rule's entity is the first part of its id. -#}
{% macro all_rules() %}
  {{ return(customer_rules() + transaction_rules()) }}
{% endmacro %}
