{#- The 64-bit hashes of the values of `expression` in `relation` that occur more than once (NULL
    and, if given, rows failing `where` left out). A semi join on these finds the rows whose value
    repeats far cheaper than grouping every value, when the values are long texts (10M customers'
    person keys: ~2x; 100M transaction ids: ~3x, the texts' hash table spilling to disk). A hash
    collision only adds a value that occurs once: the reader's own count or ranking leaves it out. -#}
{% macro repeated_hashes(relation, expression, where=none) -%}
    select hash({{ expression }}) as value_hash
    from {{ relation }}
    where {{ expression }} is not null{{ ' and ' ~ where if where }}
    group by value_hash
    having count(*) > 1
{%- endmacro %}
