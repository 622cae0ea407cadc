{#- A person's name, re-cased when the source got the case wrong.

    A name that looks deliberately cased ('DeShawn', 'van Ochten', 'McDonald') is kept; one in
    all capitals, all lower case, or with a word starting in lower case that is not a particle
    ('aNNA') is re-cased word by word (words end at a space, a hyphen or an apostrophe, typographic
    ones too): 'O'Neil', 'O’Neil', 'Jean-Luc', 'McDonald', and particles such as
    'van der' kept lower case (first word too in `lowercase_particle_countries`). -#}
{% macro proper_name(column, country) %}
  {{ return(adapter.dispatch('proper_name')(column, country)) }}
{% endmacro %}

{% macro duckdb__proper_name(column, country) -%}
{%- set particles = "('" ~ var('name_particles') | join("', '") ~ "')" -%}
{%- set particle_countries = "('" ~ var('lowercase_particle_countries') | join("', '") ~ "')" -%}
case
  when {{ column }} is null then null
  when {{ column }} = upper({{ column }}) or {{ column }} = lower({{ column }})
    or (regexp_matches({{ column }}, '(^|[ ''’ʼ-])\p{Ll}') and list_bool_or(list_transform(
         regexp_extract_all({{ column }}, '[^ ''’ʼ-]+'),
         lambda word: word[1] <> upper(word[1]) and lower(word) not in {{ particles }})))
  then array_to_string(list_transform(
         regexp_extract_all(lower({{ column }}), '[^ ''’ʼ-]+|[ ''’ʼ-]'),
         lambda token, position: case
           when token in {{ particles }} and (position > 1 or {{ country }} in {{ particle_countries }}) then token
           when token like 'mc_%' then 'Mc' || upper(token[3]) || token[4:]
           else upper(token[1]) || token[2:]
         end), '')
  else {{ column }}
end
{%- endmacro %}
