{#- The customer rule catalog: the one place a rule is defined.

    Scoring (int_customers_checked, int_customers_resolved, dq_rule_results), the dbt tests
    (tests/generic/dq_rule.sql) and the report all read this list.

    Each rule: id (<entity>.<column>.<check>), column, dimension, severity (warn | error),
    action on failure (flag: recorded only | nullify: the value is dropped from the output |
    quarantine: the record is quarantined; every error rule quarantines), threshold (the pass
    rate below which the rule's dbt test fails), stage (row: judged on the record alone |
    dedup: judged among records), description, and sql: a boolean over the columns of
    int_customers_cleaned (row) or int_customers_resolved (dedup); TRUE passes, FALSE
    fails, NULL means "not evaluated" (e.g. a format check on a missing value). -#}
{% macro customer_rules() %}
  {%- set rules = [] -%}
  {%- set required = ['customer_id', 'country'] -%}
  {%- for column in var('raw_customer_columns') -%}
    {%- set is_required = column in required -%}
    {%- do rules.append({
        'id': 'customers.' ~ column ~ '.not_null', 'column': column, 'dimension': 'completeness',
        'severity': 'error' if is_required else 'warn', 'action': 'quarantine' if is_required else 'flag',
        'threshold': 0.99 if is_required else 0.95, 'stage': 'row',
        'description': column | replace('_', ' ') ~ ' is present (not NULL, blank or a placeholder such as N/A)',
        'sql': (column ~ '_text' if column in ['phone', 'date_of_birth', 'gender', 'country', 'signup_date',
                'segment', 'annual_income', 'marketing_opt_in', 'last_purchase_date'] else column) ~ ' is not null'}) -%}
  {%- endfor -%}

  {#- once: outside the runner, run_date() is a query, and every dq_rule test reads this catalog -#}
  {%- set today = run_date() -%}
  {%- set checks = [
    ('customer_id', 'format', 'validity', 'warn', 'flag', 0.99,
     "customer id matches the source's id pattern (var customer_id_pattern)",
     regex_full_match('customer_id', "'" ~ var('customer_id_pattern') ~ "'")),
    ('email', 'format', 'validity', 'warn', 'nullify', 0.95,
     'e-mail is one local part, one @ and a domain with a real TLD, without spaces, within the lengths of '
     ~ 'RFC 5321 (a local part of at most 64 characters, an address of at most 254)',
     regex_full_match('email', "'[a-z0-9._%+''-]{1,64}@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}'")
     ~ " and length(email) <= 254"),
    ('phone', 'valid_for_country', 'validity', 'warn', 'nullify', 0.95,
     "phone converts to E.164 with the country's calling code and a national number of valid length",
     "case when phone_text is null or country is null then null else phone is not null end"),
    ('date_of_birth', 'parsable', 'validity', 'warn', 'nullify', 0.98,
     'date of birth is a date in a known format',
     "case when date_of_birth_text is null then null else date_of_birth is not null end"),
    ('date_of_birth', 'not_in_future', 'validity', 'error', 'quarantine', 0.99,
     'date of birth is not after the run date',
     "date_of_birth <= date '" ~ today ~ "'"),
    ('date_of_birth', 'after_1900', 'validity', 'error', 'quarantine', 0.99,
     'date of birth is on or after ' ~ var('min_birth_date'),
     "date_of_birth >= date '" ~ var('min_birth_date') ~ "'"),
    ('gender', 'accepted_values', 'validity', 'warn', 'nullify', 0.98,
     'gender is female, male or non_binary in any known spelling (seed ref_value_aliases)',
     "case when gender_text is null then null else gender is not null end"),
    ('postal_code', 'fits_country', 'validity', 'warn', 'nullify', 0.95,
     "postal code has the country's format (seed ref_countries)",
     ('postal_code_fits', ['postal_code', 'country'])),
    ('country', 'iso_code', 'validity', 'error', 'quarantine', 0.99,
     'country resolves to an ISO 3166 alpha-2 code from a code, ISO3 code or name (seeds ref_countries, ref_country_aliases)',
     "case when country_text is null then null else country is not null end"),
    ('signup_date', 'parsable', 'validity', 'warn', 'nullify', 0.98,
     'signup date is a date in a known format',
     "case when signup_date_text is null then null else signup_date is not null end"),
    ('segment', 'accepted_values', 'validity', 'warn', 'nullify', 0.98,
     'segment is bronze, silver, gold or platinum in any known spelling',
     "case when segment_text is null then null else segment is not null end"),
    ('annual_income', 'in_range', 'validity', 'warn', 'nullify', 0.98,
     'annual income is a number from 0 to ' ~ var('max_annual_income'),
     "case when annual_income_text is null then null else coalesce(annual_income between 0 and "
       ~ var('max_annual_income') ~ ", false) end"),
    ('marketing_opt_in', 'accepted_values', 'validity', 'warn', 'nullify', 0.98,
     'marketing opt-in is true or false in any known spelling',
     "case when marketing_opt_in_text is null then null else marketing_opt_in is not null end"),
    ('last_purchase_date', 'parsable', 'validity', 'warn', 'nullify', 0.98,
     'last purchase date is a date in a known format',
     "case when last_purchase_date_text is null then null else last_purchase_date is not null end"),
    ('signup_date', 'after_birth', 'consistency', 'error', 'quarantine', 0.99,
     'the customer signed up after being born',
     "signup_date >= date_of_birth"),
    ('last_purchase_date', 'after_signup', 'consistency', 'warn', 'flag', 0.98,
     'the last purchase is not before the signup',
     "last_purchase_date >= signup_date"),
    ('signup_date', 'not_in_future', 'timeliness', 'error', 'quarantine', 0.99,
     'signup date is not after the run date',
     "signup_date <= date '" ~ today ~ "'"),
    ('last_purchase_date', 'not_in_future', 'timeliness', 'warn', 'flag', 0.98,
     'last purchase date is not after the run date',
     "last_purchase_date <= date '" ~ today ~ "'"),
  ] -%}
  {%- for column, limit in [('first_name', 'max_name_length'), ('last_name', 'max_name_length'),
                            ('street_address', 'max_address_length'), ('city', 'max_address_length')] -%}
    {%- do checks.append((column, 'plausible_length', 'validity', 'warn', 'nullify', 0.99,
        column | replace('_', ' ') ~ ' is at most ' ~ var(limit) ~ ' characters (var ' ~ limit
        ~ '): a longer value is a broken export or an injected one, not a ' ~ column | replace('_', ' '),
        'length(' ~ column ~ ') <= ' ~ var(limit))) -%}
  {%- endfor -%}
  {%- for column in ['first_name', 'last_name'] -%}
    {%- do checks.append((column, 'plausible_characters', 'validity', 'warn', 'nullify', 0.99,
        column | replace('_', ' ') ~ ' holds only letters, spaces, apostrophes, hyphens and periods (var '
        ~ 'name_characters): a digit or a symbol (=, @, <) is a broken export or an injected value, not a name',
        regex_full_match(column, "'" ~ var('name_characters') | replace("'", "''") ~ "'"))) -%}
  {%- endfor -%}
  {%- for column, check, dimension, severity, action, threshold, description, sql in checks -%}
    {%- do rules.append({'id': 'customers.' ~ column ~ '.' ~ check, 'column': column, 'dimension': dimension,
        'severity': severity, 'action': action, 'threshold': threshold, 'stage': 'row',
        'description': description, 'sql': sql}) -%}
  {%- endfor -%}

  {%- set among_records = [
    ('record', 'not_duplicate', 'warn', 'flag', 0.98,
     'the record is not a second copy of a customer (same person: name, birth date and e-mail, or the same row again; '
     'or a copy missing some of those under the same customer id)',
     "case when fails_error_rule then null else duplicate_rank = 1 end"),
    ('customer_id', 'unique', 'error', 'quarantine', 0.99,
     'no two different customers share a customer id',
     "case when fails_error_rule or duplicate_rank > 1 then null else customer_id_rank = 1 end"),
    ('email', 'unique', 'warn', 'flag', 0.99,
     'no two different customers share an e-mail address',
     "case when fails_error_rule or duplicate_rank > 1 or email_rank is null then null else email_rank = 1 end"),
  ] -%}
  {%- for column, check, severity, action, threshold, description, sql in among_records -%}
    {%- do rules.append({'id': 'customers.' ~ column ~ '.' ~ check, 'column': column, 'dimension': 'uniqueness',
        'severity': severity, 'action': action, 'threshold': threshold, 'stage': 'dedup',
        'description': description, 'sql': sql}) -%}
  {%- endfor -%}
  {#- Rules that read columns besides their own: a failure may come from any of them. -#}
  {%- set also_reads = {
    'customers.phone.valid_for_country': ['country'],
    'customers.postal_code.fits_country': ['country'],
    'customers.signup_date.after_birth': ['date_of_birth'],
    'customers.last_purchase_date.after_signup': ['signup_date'],
    'customers.record.not_duplicate': ['first_name', 'last_name', 'date_of_birth', 'email'],
  } -%}
  {%- for rule in rules -%}
    {%- do rule.update({'also_reads': also_reads.get(rule.id, [])}) -%}
  {%- endfor -%}
  {{ return(with_rule_bits('customer_rules', rules)) }}
{% endmacro %}
