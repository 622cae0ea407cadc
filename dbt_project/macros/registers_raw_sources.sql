{#- Whether this dbt command registers the raw sources on-run-start (register_raw_customers,
    register_raw_transactions, comment_on_sources): those that read or build models, not parse,
    docs or debug. One list: comment_on_sources must follow every re-creation of the views. -#}
{% macro registers_raw_sources() %}
  {{ return(execute and flags.WHICH in ('build', 'run', 'test', 'compile', 'show')) }}
{% endmacro %}
