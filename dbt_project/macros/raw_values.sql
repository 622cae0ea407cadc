{#- The raw values (raw_<column>) of an entity's staging model, with the columns that locate each
    record (and any `extra` staging columns): read again by row where a model needs them, instead
    of carrying every raw value through the record tables. -#}
{% macro raw_values(staging, lineage, columns, extra=[]) %}
    select
        {%- for column in lineage + extra %}
        {{ column }},
        {%- endfor %}
        {%- for column in columns %}
        raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ staging }}
{% endmacro %}
