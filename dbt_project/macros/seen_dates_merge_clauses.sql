{#- The MERGE clauses of a dimension kept by the customer file it was last seen in (in_place's
    merge_clauses): a file as new as the row's, or newer, replaces `attributes` (last_seen_date
    among them); an older one (a backfill) only moves first_seen_date back; a row only the run
    date's earlier file had, which its re-run no longer has, is removed. -#}
{% macro seen_dates_merge_clauses(attributes) -%}
    when matched and source.last_seen_date >= target.last_seen_date then update set
        {%- for column in attributes %}
        {{ column }} = source.{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    when matched and source.first_seen_date < target.first_seen_date then update set
        first_seen_date = source.first_seen_date
    when not matched by source
        and target.first_seen_date = date '{{ run_date() }}' and target.last_seen_date = date '{{ run_date() }}'
        then delete
{%- endmacro %}
