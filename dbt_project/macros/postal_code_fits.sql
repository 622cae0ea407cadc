{#- Whether a postal code fits its country's format (seed ref_countries), NULL when either is
    unknown. The formats are read from the seed when the model runs and written into the SQL as
    constants: a regular expression taken from a column is compiled again for every row. -#}
{% macro postal_code_fits(postal_code, country, pattern_column='postal_code_regex') %}
  {%- set countries = ref('ref_countries') -%}
  {%- if not execute -%}
    {{ return('null') }}
  {%- endif -%}
  {%- if '__dbt__cte__' in countries | string
        or adapter.get_relation(countries.database, countries.schema, countries.identifier) is none -%}
    {#- In a dbt unit test the seed is a fixture CTE, not a table to read, and a command that only
        compiles (dbt docs generate) may come before the seed was ever loaded: match per row. -#}
    {{ return(regex_full_match(postal_code, pattern_column)) }}
  {%- endif -%}
  {%- set formats = run_query("select country_code, postal_code_regex from " ~ countries
                               ~ " where postal_code_regex is not null order by country_code") -%}
  {%- set sql -%}
case {{ country }}
  {%- for code, pattern in formats.rows %}
  when '{{ code }}' then {{ regex_full_match(postal_code, "'" ~ pattern | replace("'", "''") ~ "'") }}
  {%- endfor %}
end
  {%- endset -%}
  {{ return(sql) }}
{% endmacro %}
