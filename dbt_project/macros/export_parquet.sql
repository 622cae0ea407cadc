{#- Post-hook of a published mart: write it to <output_dir>/<name>.parquet.
    DuckDB-specific (file export), so it lives here at the edge, not inside the models. -#}
{% macro export_parquet(name=none) %}
  {%- set directory = output_dir() -%}
  {%- set file = directory ~ '/' ~ (name or this.identifier) ~ '.parquet' -%}
  select ensure_directory('{{ directory }}');
  copy (select * from {{ this }}) to '{{ file }}' (format parquet, compression zstd)
{% endmacro %}
