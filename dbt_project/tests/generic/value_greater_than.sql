{#- Every non-NULL value is strictly greater than `value`. -#}
{% test value_greater_than(model, column_name, value) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} <= {{ value }}
{% endtest %}
