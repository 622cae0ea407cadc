{#- A published mart: the model's query written once, to <output_dir>/<name>.parquet, and the
    warehouse relation a view over that file.

    Written as a table and then exported, each published row was compressed twice: into DuckDB's
    table storage (at 10M customers ~11 s of final_customers' ~24 s) and into Parquet (~8 s). The
    file is the product; the view keeps it queryable in the warehouse and to the models and
    tests after it. (An intermediate table gains nothing from this: int_customers_checked as a
    Parquet file wrote ~5 s faster, and its four readers lost more than that.) The daily runner
    builds into a staging directory and, once it publishes the files, points these views at
    their published place (orchestration/warehouse.py).

    Contracts are enforced as for a view: column names and types are checked before anything is
    written. An empty result is written as an empty file (no placeholder row). -#}
{% materialization published, adapter='duckdb' %}
  {%- set target_relation = this.incorporate(type='view') -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set directory = output_dir() -%}
  {%- set file = directory ~ '/' ~ this.identifier ~ '.parquet' -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {%- if config.get('contract').enforced -%}
    {{ get_assert_columns_equivalent(sql) }}
  {%- endif -%}

  {#- DuckDB writes over an existing file through a temporary file renamed over it (COPY's
      use_tmp_file): a plain `dbt build` may write where readers (the warehouse's views,
      analysts) have the file of an earlier build open. -#}
  {% call statement('main') -%}
    select ensure_directory('{{ directory }}');
    copy ({{ sql }}) to '{{ file }}' (format parquet, compression zstd, use_tmp_file true)
  {%- endcall %}

  {%- if existing_relation is not none and existing_relation.type != 'view' -%}
    {{ drop_relation_if_exists(existing_relation) }}
  {%- endif %}
  {% call statement('create_view') -%}
    create or replace view {{ target_relation }} as select * from read_parquet('{{ file }}')
  {%- endcall %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do persist_docs(target_relation, model) %}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
