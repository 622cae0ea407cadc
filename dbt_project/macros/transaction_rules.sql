{#- The transaction rule catalog (seed 001's checks), in the same shape as customer_rules: id,
    column, dimension, severity, action, threshold, stage, description, sql.

    The population checked is the load window's transactions with a loaded status (var
    loaded_transaction_statuses) or an unknown one (not in var transaction_statuses, or none: they
    fail transactions.status.known); the others are not loaded and not judged.
    stage 'row': judged on the record and its joins (int_transactions_joined);
    stage 'anomaly': judged only among records that pass every error rule, against the
    statistics of the loaded transactions of the record's day and the days before it
    (int_transactions_currency_stats); NULL for the others.
    Referential integrity is scored under consistency. Every error rule quarantines. -#}
{% macro transaction_rules() %}
  {%- set rules = [] -%}
  {%- for column in ['transaction_id', 'customer_id', 'amount', 'timestamp'] -%}
    {%- do rules.append({
        'id': 'transactions.' ~ column ~ '.not_null', 'column': column, 'dimension': 'completeness',
        'severity': 'error', 'action': 'quarantine', 'threshold': 0.99, 'stage': 'row',
        'description': column | replace('_', ' ') ~ ' is present',
        'sql': (column ~ '_text' if column in ['amount', 'timestamp'] else column) ~ ' is not null'}) -%}
  {%- endfor -%}
  {%- set checks = [
    ('amount', 'numeric', 'validity', 'error', 'quarantine', 0.99,
     'amount is a decimal number',
     "case when amount_text is null then null else amount is not null end"),
    ('amount', 'positive', 'validity', 'error', 'quarantine', 0.99,
     'amount is greater than 0',
     "amount > 0"),
    ('timestamp', 'parsable', 'validity', 'error', 'quarantine', 0.99,
     'timestamp is a valid ISO 8601 date and time',
     "case when timestamp_text is null then null else transacted_at is not null end"),
    ('timestamp', 'in_window', 'timeliness', 'error', 'quarantine', 0.99,
     "the sale's date, as its source wrote it (a store's local date), falls in the load window (var transaction_window_days up to the run date)",
     in_load_window('transaction_date')),
    ('currency', 'iso_4217', 'validity', 'error', 'quarantine', 0.99,
     'currency is an ISO 4217 code (seed ref_currencies)',
     "minor_units is not null"),
    ('currency', 'fx_rate_known', 'validity', 'error', 'quarantine', 0.99,
     'a USD exchange rate is known for the currency (seed ref_fx_rates)',
     "case when minor_units is null then null else units_per_usd is not null end"),
    ('amount', 'currency_precision', 'consistency', 'warn', 'flag', 0.99,
     "amount has no more decimals than the currency's minor units (JPY 0, USD 2, KWD 3)",
     "case when amount is null or minor_units is null then null else amount_decimals <= minor_units end"),
    ('timestamp', 'after_signup', 'consistency', 'error', 'quarantine', 0.99,
     "the transaction is not before its customer's signup date",
     "transaction_date >= customer_signup_date"),
    ('customer_id', 'exists', 'consistency', 'error', 'quarantine', 0.99,
     'the customer exists (model dim_customers)',
     "case when customer_id is null then null else customer_exists end"),
    ('product_id', 'exists', 'consistency', 'error', 'quarantine', 0.99,
     "the product exists in its day's catalogue",
     "product_exists"),
    ('store_id', 'exists', 'consistency', 'error', 'quarantine', 0.99,
     'the store exists',
     "store_exists"),
    ('transaction_id', 'unique', 'uniqueness', 'error', 'quarantine', 0.99,
     'the transaction id occurs once in the window and was not loaded before; later copies are quarantined as duplicates',
     "case when transaction_id is null then null else duplicate_of_row_number is null end"),
    ('status', 'known', 'validity', 'error', 'quarantine', 0.99,
     "status is one of var transaction_statuses (another, or none, is quarantined, not passed over as not loaded)",
     "coalesce(status in ('" ~ var('transaction_statuses') | join("', '") ~ "'), false)"),
    ('quantity', 'positive_integer', 'validity', 'warn', 'flag', 0.99,
     'quantity is a whole number greater than 0',
     "coalesce(quantity > 0, false)"),
    ('payment_method', 'accepted_values', 'validity', 'warn', 'flag', 0.99,
     'payment method is one of var payment_methods',
     "payment_method in ('" ~ var('payment_methods') | join("', '") ~ "')"),
    ('amount', 'within_sigma', 'validity', 'warn', 'flag', 0.99,
     "amount is within var anomaly_max_sigma standard deviations of the mean of its currency's loaded amounts over its day and the days before it (var trailing_statistics_days), on a log scale (anomaly)",
     "abs(amount_sigmas) <= " ~ var('anomaly_max_sigma')),
    ('amount', 'matches_list_price', 'consistency', 'warn', 'flag', 0.99,
     "amount in USD is within var list_price_tolerance of the product's list price times the quantity (anomaly)",
     "case when not fails_error_rule then amount / units_per_usd / nullif(list_price_usd * quantity, 0) between "
       ~ var('list_price_tolerance')[0] ~ " and " ~ var('list_price_tolerance')[1] ~ " end"),
    ('customer_id', 'not_bot_like', 'validity', 'warn', 'flag', 0.99,
     "the customer places at most var bot_max_daily_transactions transactions (any status) on the transaction's day (more looks like a bot)",
     "customer_day_transactions <= " ~ var('bot_max_daily_transactions')),
  ] -%}
  {%- for column, check, dimension, severity, action, threshold, description, sql in checks -%}
    {%- do rules.append({
        'id': 'transactions.' ~ column ~ '.' ~ check, 'column': column, 'dimension': dimension,
        'severity': severity, 'action': action, 'threshold': threshold,
        'stage': 'anomaly' if check in ['within_sigma', 'matches_list_price', 'not_bot_like'] else 'row',
        'description': description, 'sql': sql}) -%}
  {%- endfor -%}
  {{ return(with_rule_bits('transaction_rules', rules)) }}
{% endmacro %}
