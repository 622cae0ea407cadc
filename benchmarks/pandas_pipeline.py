"""The customer models (dbt_project/models) written in plain pandas, as an Airflow + pandas
pipeline would: the same staging, repairs, 42 rules, deduplication, quarantine, scores and
features, from the same raw customers.parquet to the same Parquet outputs.

Vectorised column operations throughout; Python runs per value only where pandas has no
vectorised form (re-casing the few names that need it). Reference data comes from the dbt
seeds' CSV files and the knobs from dbt_project.yml's vars, as the dbt models read them.

Run: python -m benchmarks.pandas_pipeline RAW_PARQUET OUT_DIR --run-date YYYY-MM-DD
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from benchmarks.customer_catalog import (
    BLANK_RUN,
    BLANKS,
    DATE_COLUMNS,
    ENTITY,
    NAME_COLUMNS,
    OUTPUT_COLUMNS,
    SINGLE_SPACED_COLUMNS,
    Rule,
    Settings,
    customer_rules,
    port_cli,
    seed_file,
    settings,
)

# The raw columns whose not_null rule reads the trimmed text rather than the parsed or coded value.
_CHECKED_AS_TEXT = ("phone", "date_of_birth", "gender", "country", "signup_date", "segment", "annual_income",
                    "marketing_opt_in", "last_purchase_date")
_EMAIL_FORMAT = r"[a-z0-9._%+'-]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}"
_EMAIL_MAX_LENGTH = 254  # RFC 5321, as the catalog's customers.email.format
_DECIMAL_18_2 = pd.ArrowDtype(pa.decimal128(18, 2))
_TEXT_LIST = pa.list_(pa.string())


@dataclass(frozen=True)
class Reference:
    countries: pd.DataFrame  # indexed by country_code
    country_by_alias: pd.Series  # lower-cased alias -> country_code
    domain_typos: pd.Series  # typo_domain -> correct_domain
    free_mail_domains: set[str]
    value_aliases: dict[str, pd.Series]  # value domain -> (lower-cased alias -> canonical value)


def _read_seed(name: str) -> pd.DataFrame:
    # Text as text: 'NO' (Norway) and 'NA' are codes here, not missing values; blank cells are.
    return pd.read_csv(seed_file(name), dtype=str, keep_default_na=False, na_values=[""])


def load_reference() -> Reference:
    countries = _read_seed("ref_countries").set_index("country_code")
    # nullable: a territory without a numbering plan of its own has no lengths
    countries[["nsn_min_length", "nsn_max_length"]] = countries[["nsn_min_length", "nsn_max_length"]].astype("Int64")
    aliases = _read_seed("ref_country_aliases")
    typos = _read_seed("ref_email_domain_typos")
    domains = _read_seed("ref_email_domains")
    values = _read_seed("ref_value_aliases")
    values["alias"] = values["alias"].str.lower()
    return Reference(
        countries=countries,
        country_by_alias=aliases.assign(alias=aliases["alias"].str.lower()).set_index("alias")["country_code"],
        domain_typos=typos.set_index("typo_domain")["correct_domain"],
        free_mail_domains=set(domains.loc[domains["is_free_mail"] == "true", "domain"]),
        value_aliases={domain: group.set_index("alias")["canonical_value"]
                       for domain, group in values.groupby("value_domain")},
    )


# --- staging -------------------------------------------------------------------------------

def clean_text(raw: pd.Series, null_markers: tuple[str, ...], kept: tuple[str, ...] = ()) -> pd.Series:
    """Trimmed text, with blanks and placeholders ('N/A', 'null', ...) as missing, but for those
    spelled as one of `kept` (a name "Nan")."""
    trimmed = raw.str.strip(BLANKS)
    return trimmed.mask(trimmed.str.lower().isin(null_markers) & ~trimmed.isin(kept))


def parse_amount(text: pd.Series) -> pd.Series:
    """macros/parse_amount.sql: commas only as thousands separators; DECIMAL(18,2), so no
    infinities or NaN spelled out as text."""
    grouped = text.str.contains(",", regex=False, na=False)
    readable = ~grouped | text.str.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", na=False)
    amount = pd.to_numeric(text.where(readable).str.replace(",", ""), errors="coerce")
    return amount.where(np.isfinite(amount)).round(2)


def without_phone_extension(phone: pd.Series) -> pd.Series:
    """macros/without_phone_extension.sql."""
    return phone.str.replace(r"(?i)\s*(ext(ension)?\.?|x|#)\s*[0-9]{1,6}$", "", regex=True)


def parse_dates(text: pd.Series, config: Settings) -> pd.Series:
    """The first of the date formats that parses each value (as DuckDB's try_strptime with a list);
    else the date as written of an ISO 8601 date-time (macros/parse_date.sql)."""
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    for date_format in config.date_formats:
        todo = parsed.isna() & text.notna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=date_format, errors="coerce")
    unparsed = text[parsed.isna() & text.notna()]
    date_times = unparsed[unparsed.str.fullmatch(config.iso_date_time_pattern, na=False)]
    parsed[date_times.index] = pd.to_datetime(date_times.str[:10], format="%Y-%m-%d", errors="coerce")
    return parsed.dt.normalize()  # a timestamp's date, as the SQL casts it


def standardise(raw: pd.DataFrame, config: Settings) -> pd.DataFrame:
    text = {column: clean_text(raw[column], config.null_markers,
                               config.names_among_null_markers if column in ("first_name", "last_name") else ())
            for column in config.raw_columns}
    for column in SINGLE_SPACED_COLUMNS:
        text[column] = text[column].str.replace(BLANK_RUN, " ", regex=True)
    staged = pd.DataFrame({
        "source_row_number": np.arange(len(raw), dtype=np.int64),
        "customer_id": text["customer_id"].str.upper(),
        "first_name": text["first_name"],
        "last_name": text["last_name"],
        "email": text["email"].str.lower(),
        "phone_text": without_phone_extension(text["phone"]),
        "date_of_birth_text": text["date_of_birth"],
        "gender_text": text["gender"].str.lower(),
        "street_address": text["street_address"],
        "city": text["city"],
        "state": text["state"],
        "postal_code": text["postal_code"].str.upper(),
        "country_text": text["country"],
        "signup_date_text": text["signup_date"],
        "segment_text": text["segment"].str.lower(),
        "annual_income_text": text["annual_income"],
        "marketing_opt_in_text": text["marketing_opt_in"].str.lower(),
        "last_purchase_date_text": text["last_purchase_date"],
    })
    for column in DATE_COLUMNS:
        staged[column] = parse_dates(staged[f"{column}_text"], config)
    staged["annual_income"] = parse_amount(staged["annual_income_text"])
    for column in config.raw_columns:
        staged[f"raw_{column}"] = raw[column]
    return staged


# --- repairs -------------------------------------------------------------------------------

def resolve_country(country_text: pd.Series, reference: Reference) -> pd.Series:
    """ISO alpha-2 from a code in any case, an ISO3 code or a name (seeds)."""
    by_code = country_text.str.upper().where(lambda code: code.isin(reference.countries.index))
    return by_code.fillna(country_text.str.lower().map(reference.country_by_alias))


def _recase_name(name: str, country: str | None, particles: frozenset[str], particle_countries: frozenset[str]) -> str:
    """macros/proper_name.sql for one name: keep it when it looks deliberately cased, else
    re-case it word by word (O'Neil, Jean-Luc, McDonald, van der Berg)."""
    words = re.findall(r"[^ '’ʼ-]+", name)
    # The SQL also pre-checks \p{Ll} at a word start, which Python's re cannot spell; a word whose
    # first letter changes when upper-cased starts with a lower-case letter, so it is implied.
    wrongly_cased = name in (name.upper(), name.lower()) or any(
        word[0] != word[0].upper() and word.lower() not in particles for word in words)
    if not wrongly_cased:
        return name
    tokens = re.findall(r"[^ '’ʼ-]+|[ '’ʼ-]", name.lower())
    recased = []
    for position, token in enumerate(tokens):
        if token in particles and (position > 0 or country in particle_countries):
            recased.append(token)
        elif token.startswith("mc") and len(token) > 2:
            recased.append("Mc" + token[2].upper() + token[3:])
        else:
            recased.append(token[:1].upper() + token[1:])
    return "".join(recased)


def proper_name(names: pd.Series, countries: pd.Series, config: Settings) -> pd.Series:
    # Only a name that title-casing would change can be wrongly cased: that cheap vectorised
    # test leaves a few percent of the names for the per-name Python.
    candidates = names.notna() & names.ne(names.str.title())
    recased = [_recase_name(name, country if isinstance(country, str) else None, config.name_particles,
                            config.lowercase_particle_countries)
               for name, country in zip(names[candidates], countries[candidates], strict=True)]
    result = names.copy()
    result[candidates] = recased
    return result


def repair_email(email: pd.Series, reference: Reference) -> pd.Series:
    parts = email.str.partition("@")
    corrected = parts[2].where(email.str.count("@").eq(1)).map(reference.domain_typos)
    return (parts[0] + "@" + corrected).fillna(email)


def phone_e164(phone_text: pd.Series, country: pd.Series, reference: Reference) -> pd.Series:
    """macros/phone_e164.sql: +<calling code><national number>, or missing when it cannot be one."""
    digits = phone_text.str.replace("(0)", "", regex=False).str.replace(r"[^0-9]", "", regex=True)
    result = pd.Series(np.nan, index=phone_text.index, dtype="str")
    usable = phone_text.notna() & ~phone_text.str.contains(r"[A-Za-z]", regex=True, na=False)
    # The numbering plan is per country: each country's numbers at once (a country without a plan
    # converts none).
    plans = reference.countries[reference.countries["calling_code"].notna()]
    for code in country[usable].dropna().unique():
        if code not in plans.index:
            continue
        rows, plan = usable & country.eq(code), plans.loc[code]
        national = _national_number(phone_text[rows], digits[rows], plan)
        valid = national.str.len().between(plan["nsn_min_length"], plan["nsn_max_length"])
        result[rows] = ("+" + plan["calling_code"] + national).where(valid)
    return result


def _national_number(phone_text: pd.Series, digits: pd.Series, plan: pd.Series) -> pd.Series:
    calling_code, trunk = plan["calling_code"], plan["trunk_prefix"]
    international = phone_text.str.startswith("+")
    dialled_abroad = ~international & digits.str.startswith("00")
    national = digits.copy()
    national[international] = digits[international].str.slice(len(calling_code)).where(
        digits[international].str.startswith(calling_code))
    national[dialled_abroad] = digits[dialled_abroad].str.slice(len(calling_code) + 2).where(
        digits[dialled_abroad].str.startswith("00" + calling_code))
    if isinstance(trunk, str):
        with_trunk = (~international & ~dialled_abroad & digits.str.startswith(trunk)
                      & (digits.str.len() - len(trunk)).between(plan["nsn_min_length"], plan["nsn_max_length"]))
        national[with_trunk] = digits[with_trunk].str.slice(len(trunk))
    return national


def repair(staged: pd.DataFrame, reference: Reference, config: Settings) -> pd.DataFrame:
    customers = staged
    customers["country"] = resolve_country(customers["country_text"], reference)
    customers["first_name"] = proper_name(customers["first_name"], customers["country"], config)
    customers["last_name"] = proper_name(customers["last_name"], customers["country"], config)
    customers["email"] = repair_email(customers["email"], reference)
    customers["phone"] = phone_e164(customers["phone_text"], customers["country"], reference)
    customers["gender"] = customers["gender_text"].map(reference.value_aliases["gender"])
    customers["segment"] = customers["segment_text"].map(reference.value_aliases["segment"])
    customers["marketing_opt_in"] = customers["marketing_opt_in_text"].map(
        reference.value_aliases["opt_in"].map({"true": True, "false": False})).astype("boolean")
    return customers


# --- rules ---------------------------------------------------------------------------------

def _rule(passed: pd.Series, evaluated: pd.Series | None = None) -> pd.Series:
    """A rule's result per record: True pass, False fail, <NA> not evaluated."""
    result = passed.astype("boolean")
    return result if evaluated is None else result.mask(~evaluated)


def failed(results: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """True where a rule failed; a rule not evaluated did not fail."""
    return results.eq(False).fillna(False).astype(bool)


def _present_then(text: pd.Series, value: pd.Series) -> pd.Series:
    """Judged only when the raw text was present: then the value must have been understood."""
    return _rule(value.notna(), text.notna())


def _before(earlier: pd.Series, later: pd.Series | pd.Timestamp) -> pd.Series:
    evaluated = earlier.notna() & (later.notna() if isinstance(later, pd.Series) else True)
    return _rule(earlier <= later, evaluated)


def postal_code_fits(postal_code: pd.Series, country: pd.Series, reference: Reference) -> pd.Series:
    fits = pd.Series(pd.NA, index=postal_code.index, dtype="boolean")
    for code, pattern in reference.countries["postal_code_regex"].dropna().items():
        rows = country.eq(code) & postal_code.notna()
        fits[rows] = postal_code[rows].str.fullmatch(pattern)
    return fits


def row_rule_results(c: pd.DataFrame, reference: Reference, config: Settings) -> dict[str, pd.Series]:
    run_date = pd.Timestamp(config.run_date)
    income_text, income = c["annual_income_text"], c["annual_income"]
    results = {
        f"{ENTITY}.{column}.not_null": _rule(c[f"{column}_text" if column in _CHECKED_AS_TEXT else column].notna())
        for column in config.raw_columns
    }
    results |= {
        f"{ENTITY}.customer_id.format": _rule(c["customer_id"].str.fullmatch(config.customer_id_pattern.strip("^$")),
                                              c["customer_id"].notna()),
        f"{ENTITY}.email.format": _rule(c["email"].str.fullmatch(_EMAIL_FORMAT)
                                        & c["email"].str.len().le(_EMAIL_MAX_LENGTH), c["email"].notna()),
        f"{ENTITY}.phone.valid_for_country": _rule(c["phone"].notna(), c["phone_text"].notna() & c["country"].notna()),
        f"{ENTITY}.date_of_birth.parsable": _present_then(c["date_of_birth_text"], c["date_of_birth"]),
        f"{ENTITY}.date_of_birth.not_in_future": _before(c["date_of_birth"], run_date),
        f"{ENTITY}.date_of_birth.after_1900": _rule(c["date_of_birth"] >= pd.Timestamp(config.min_birth_date),
                                                    c["date_of_birth"].notna()),
        f"{ENTITY}.gender.accepted_values": _present_then(c["gender_text"], c["gender"]),
        f"{ENTITY}.postal_code.fits_country": postal_code_fits(c["postal_code"], c["country"], reference),
        f"{ENTITY}.country.iso_code": _present_then(c["country_text"], c["country"]),
        f"{ENTITY}.signup_date.parsable": _present_then(c["signup_date_text"], c["signup_date"]),
        f"{ENTITY}.segment.accepted_values": _present_then(c["segment_text"], c["segment"]),
        f"{ENTITY}.annual_income.in_range": _rule(income.between(0, config.max_annual_income), income_text.notna()),
        f"{ENTITY}.marketing_opt_in.accepted_values": _present_then(c["marketing_opt_in_text"],
                                                                    c["marketing_opt_in"]),
        f"{ENTITY}.last_purchase_date.parsable": _present_then(c["last_purchase_date_text"], c["last_purchase_date"]),
        f"{ENTITY}.signup_date.after_birth": _before(c["date_of_birth"], c["signup_date"]),
        f"{ENTITY}.last_purchase_date.after_signup": _before(c["signup_date"], c["last_purchase_date"]),
        f"{ENTITY}.signup_date.not_in_future": _before(c["signup_date"], run_date),
        f"{ENTITY}.last_purchase_date.not_in_future": _before(c["last_purchase_date"], run_date),
    }
    results |= {f"{ENTITY}.{column}.plausible_length": _rule(c[column].str.len() <= limit, c[column].notna())
                for column, limit in config.max_length.items()}
    results |= {f"{ENTITY}.{column}.plausible_characters": _rule(c[column].str.fullmatch(config.name_characters),
                                                                  c[column].notna())
                for column in NAME_COLUMNS}
    return results


# --- deduplication -------------------------------------------------------------------------

def person_key(c: pd.DataFrame) -> pd.Series:
    """Same name, birth date and e-mail after cleaning; else, for a record missing some of them,
    the one such identity its customer id has, if the parts it has agree; else the same id; else
    the row alone."""
    parts = pd.DataFrame({"first_name": c["first_name"].str.lower(), "last_name": c["last_name"].str.lower(),
                          "date_of_birth": c["date_of_birth"].dt.strftime("%Y-%m-%d"), "email": c["email"]})
    identified = parts.notna().all(axis=1)
    identity = (parts["first_name"] + "|" + parts["last_name"] + "|" + parts["date_of_birth"] + "|"
                + parts["email"]).where(identified)
    return identity.fillna(_identity_of_id(c["customer_id"], parts, identity)).fillna(
        "id|" + c["customer_id"]).fillna("row|" + c["source_row_number"].astype(str))


def _identity_of_id(customer_id: pd.Series, parts: pd.DataFrame, identity: pd.Series) -> pd.Series:
    """For each record missing part of its identity: the identity of its customer id, when the id's
    complete records have exactly one and the record's own parts agree with it."""
    shared = customer_id.notna() & customer_id.duplicated(keep=False)  # the few ids several records have
    complete = parts[shared].assign(customer_id=customer_id[shared], identity=identity[shared]).dropna()
    identities = complete.groupby("customer_id")["identity"].nunique()
    one = complete[complete["customer_id"].isin(identities.index[identities == 1])].drop_duplicates("customer_id")
    copies = identity.isna() & customer_id.isin(one["customer_id"])
    candidate = one.set_index("customer_id").reindex(customer_id[copies]).set_axis(customer_id.index[copies])
    own = parts[copies]
    agrees = pd.concat([own[part].isna() | own[part].eq(candidate[part]) for part in parts.columns], axis=1)
    return candidate["identity"].where(agrees.fillna(False).astype(bool).all(axis=1))


def rank_duplicates(c: pd.DataFrame) -> pd.DataFrame:
    """The survivor rule: not failing an error rule, most complete, most recent, lowest row."""
    c["person_key"] = person_key(c)
    c["completeness"] = c[list(OUTPUT_COLUMNS)].notna().sum(axis=1)
    survivor_order = ["person_key", "fails_error_rule", "completeness", "last_purchase_date", "signup_date",
                      "source_row_number"]
    # Only the sort keys are sorted: sorting the wide frame would move its ~80 columns.
    ordered = c[survivor_order].sort_values(survivor_order, ascending=[True, True, False, False, False, True],
                                            na_position="last")
    groups = ordered.groupby("person_key", sort=False)
    c["duplicate_rank"] = groups.cumcount() + 1
    c["group_first_row_number"] = groups["source_row_number"].transform("first")
    return c


def dedup_rule_results(c: pd.DataFrame, email_format: pd.Series) -> dict[str, pd.Series]:
    survivor = ~c["fails_error_rule"] & c["duplicate_rank"].eq(1)
    # Rows are in source order, so cumcount ranks by source row number.
    ids = c.loc[survivor, "customer_id"]
    customer_id_rank = (ids.groupby(ids).cumcount() + 1).reindex(c.index)
    emails = c.loc[survivor & email_format.fillna(False), "email"]
    email_rank = (emails.groupby(emails).cumcount() + 1).reindex(c.index)
    return {
        f"{ENTITY}.record.not_duplicate": _rule(c["duplicate_rank"].eq(1), ~c["fails_error_rule"]),
        f"{ENTITY}.customer_id.unique": _rule(customer_id_rank.eq(1), survivor),
        f"{ENTITY}.email.unique": _rule(email_rank.eq(1), survivor & email_rank.notna()),
    }


def merged_customer_ids(c: pd.DataFrame) -> pd.Series:
    """For each kept record, the other customer ids merged into it (sorted)."""
    merged = c.loc[c["duplicate_rank"].gt(1) & ~c["fails_error_rule"], ["person_key", "customer_id"]]
    ids_by_key = merged.groupby("person_key")["customer_id"].agg(lambda ids: sorted(set(ids)))
    kept = c.loc[c["outcome"].eq("kept"), ["person_key", "customer_id"]]
    found = kept["person_key"].map(ids_by_key)
    has_merged = found.notna()
    ids = pd.Series([[]] * len(kept), index=kept.index, dtype=object)  # most customers have none
    ids[has_merged] = pd.Series([[other for other in group if other != own] for group, own in
                                 zip(found[has_merged], kept.loc[has_merged, "customer_id"], strict=True)],
                                index=found.index[has_merged], dtype=object)
    return ids


# --- verdicts ------------------------------------------------------------------------------

def _lists_by_row(flags: pd.DataFrame) -> pa.ListArray:
    """Per row, the names of the columns of `flags` that are True, in column order.

    Built from the (row, column) positions at once: millions of small Python lists would
    dominate the run time for the 1-10% of rows that have any."""
    matrix = flags.to_numpy(dtype=bool)
    _, columns = np.nonzero(matrix)
    offsets = np.concatenate([[0], np.cumsum(matrix.sum(axis=1))]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(np.asarray(flags.columns)[columns], pa.string()))


def as_text(values: pd.Series) -> pd.Series:
    """A value as SQL casts it to text: ISO dates, two decimals, true/false."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d")
    if values.dtype == "boolean":
        return values.map({True: "true", False: "false"}).astype("str")
    if pd.api.types.is_float_dtype(values):
        return values.map("{:.2f}".format, na_action="ignore").astype("str")
    return values


def resolve(c: pd.DataFrame, rules: list[Rule], results: pd.DataFrame) -> pd.DataFrame:
    """Each record's verdict: output values (failed nullify rules drop theirs), failed rules,
    quarantine reasons, repaired columns and its score."""
    for column in OUTPUT_COLUMNS:
        nullified_by = [rule.id for rule in rules if rule.column == column and rule.action == "nullify"]
        if nullified_by:
            dropped = failed(results[nullified_by]).any(axis=1)
            c[column] = c[column].mask(dropped)
    failures = failed(results)
    c["failed_rules"] = pd.arrays.ArrowExtensionArray(_lists_by_row(failures))
    errors = [rule.id for rule in rules if rule.is_error]
    c["quarantine_reasons"] = pd.arrays.ArrowExtensionArray(_lists_by_row(failures[errors]))
    repaired = pd.DataFrame({column: c[column].notna() & as_text(c[column]).ne(c[f"raw_{column}"])
                             for column in OUTPUT_COLUMNS})
    c["repaired_columns"] = pd.arrays.ArrowExtensionArray(_lists_by_row(repaired))
    evaluated = results.notna().sum(axis=1)
    passed = results.eq(True).sum(axis=1)
    c["dq_score"] = (passed / evaluated).where(evaluated > 0, 1.0)
    return c


def judge(customers: pd.DataFrame, rules: list[Rule], reference: Reference, config: Settings) -> tuple[
        pd.DataFrame, pd.DataFrame]:
    """Every rule on every record, duplicates ranked, outcomes decided: (records, rule results)."""
    results = pd.DataFrame(row_rule_results(customers, reference, config))
    errors = [rule.id for rule in rules if rule.is_error and rule.stage == "row"]
    customers["fails_error_rule"] = failed(results[errors]).any(axis=1)
    customers = rank_duplicates(customers)
    for rule_id, result in dedup_rule_results(customers, results[f"{ENTITY}.email.format"]).items():
        results[rule_id] = result
    results = results[[rule.id for rule in rules]]  # catalog order: the order of failed-rule lists
    customers["outcome"] = np.select(
        [customers["fails_error_rule"] | failed(results[f"{ENTITY}.customer_id.unique"]),
         customers["duplicate_rank"].gt(1)],
        ["quarantined", "merged"], default="kept")
    customers["survivor_row_number"] = customers["group_first_row_number"].where(customers["outcome"].eq("merged"))
    customers["merged_customer_ids"] = merged_customer_ids(customers)
    return customers, results


# --- marts ---------------------------------------------------------------------------------

def final_features(cleaned: pd.DataFrame, quality: pd.DataFrame, reference: Reference,
                   config: Settings) -> pd.DataFrame:
    """The clean customers with engineered features and their record-level quality."""
    run_date = pd.Timestamp(config.run_date)
    final = cleaned.copy()
    dob = final["date_of_birth"]
    had_birthday = (dob.dt.month < run_date.month) | ((dob.dt.month == run_date.month) & (dob.dt.day <= run_date.day))
    final["age"] = (run_date.year - dob.dt.year - (~had_birthday).astype(int)).astype("Int32")
    final["tenure_days"] = (run_date - final["signup_date"]).dt.days.astype("Int64")
    final["email_domain"] = final["email"].str.partition("@")[2].where(final["email"].notna())
    final["days_since_last_purchase"] = (run_date - final["last_purchase_date"]).dt.days.astype("Int64")
    final["country_name"] = final["country"].map(reference.countries["country_name"])
    final["region"] = final["country"].map(reference.countries["region"])
    calling_code = final["country"].map(reference.countries["calling_code"])
    final["phone_country_code"] = ("+" + calling_code).where(final["phone"].notna())
    final["is_free_mail"] = final["email_domain"].isin(reference.free_mail_domains)
    final["dq_score"] = quality["dq_score"]
    final["dq_failed_rules"] = quality["failed_rules"]
    final["dq_issue_count"] = quality["failed_rules"].list.len().astype("int64")
    # The published values: a value a nullify rule dropped does not count.
    final["profile_completeness"] = (final[list(OUTPUT_COLUMNS)].notna().sum(axis=1) / len(OUTPUT_COLUMNS)).round(4)
    final["age_band"] = _band(final["age"], [18, 25, 35, 45, 55, 65],
                              ["under_18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"])
    final["tenure_band"] = _band(final["tenure_days"], [90, 365, 3 * 365, 5 * 365],
                                 ["under_3_months", "3_to_12_months", "1_to_3_years", "3_to_5_years", "5_years_plus"])
    final["income_band"] = _band(final["annual_income"], [30_000, 60_000, 120_000],
                                 ["low", "lower_middle", "upper_middle", "high"])
    final["recency_bucket"] = _band(final["days_since_last_purchase"], [31, 91, 181],
                                    ["active", "warm", "cooling", "lapsed"])
    final["is_opted_in"] = final["marketing_opt_in"].fillna(False).astype(bool)
    return final


def _band(values: pd.Series, upper_bounds: list[int], labels: list[str]) -> pd.Series:
    """Labels for [-inf, b0), [b0, b1), ..., [bn, inf); 'unknown' for missing values."""
    bands = pd.cut(values.astype("float64"), [-np.inf, *upper_bounds, np.inf], labels=labels, right=False)
    return bands.astype("str").where(values.notna(), "unknown")


def rule_results(results: pd.DataFrame, rules: list[Rule], run_date: date) -> pd.DataFrame:
    catalog = pd.DataFrame([vars(rule) for rule in rules])
    evaluated = results.notna().sum().to_numpy()
    passed = results.eq(True).sum().to_numpy()
    table = pd.DataFrame({
        "run_date": pd.Timestamp(run_date),
        "rule_id": catalog["id"],
        "entity": ENTITY,
        "column_name": catalog["column"],
        "dimension": catalog["dimension"],
        "severity": catalog["severity"],
        "action": catalog["action"],
        "threshold": catalog["threshold"],
        "evaluated": evaluated,
        "passed": passed,
        "failed": evaluated - passed,
    })
    table["pass_rate"] = (table["passed"] / table["evaluated"]).where(table["evaluated"] > 0)
    table["status"] = np.select(
        [table["evaluated"].eq(0) | table["pass_rate"].ge(table["threshold"]), table["severity"].eq("error")],
        ["pass", "fail"], default="warn")
    return table


def scores(rule_table: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Row-weighted scores per rule, column, dimension and table; overall = weighted dimensions."""
    levels = [
        rule_table.assign(scope="rule", name=rule_table["rule_id"]),
        rule_table.assign(scope="column", name=ENTITY + "." + rule_table["column_name"]),
        rule_table.assign(scope="dimension", name=rule_table["dimension"]),
        rule_table.assign(scope="table", name=rule_table["entity"]),
    ]
    summed = pd.concat([level.groupby(["scope", "name"], sort=False)[["evaluated", "passed"]].sum().reset_index()
                        for level in levels], ignore_index=True)
    summed["score"] = (summed["passed"] / summed["evaluated"]).where(summed["evaluated"] > 0)
    dimensions = summed[summed["scope"].eq("dimension") & summed["evaluated"].gt(0)
                        & summed["name"].isin(list(weights))]
    weight = dimensions["name"].map(weights)
    overall = pd.DataFrame({
        "scope": ["overall"], "name": ["overall"],
        "evaluated": [dimensions["evaluated"].sum()], "passed": [dimensions["passed"].sum()],
        "score": [(weight * dimensions["score"]).sum() / weight.sum()],
    })
    table = pd.concat([summed, overall], ignore_index=True)
    table.insert(0, "run_date", rule_table["run_date"].iloc[0])
    return table.astype({"evaluated": "int64", "passed": "int64", "score": "float64"})


def rule_failures(records: pd.DataFrame, results: pd.DataFrame, rules: list[Rule]) -> pd.DataFrame:
    """One row per (raw record, failed rule), with the raw value of the rule's column."""
    # The (row, rule) positions of the failures, row by row in catalog order; stack() would
    # build a 380M-entry index at 10M rows first.
    rows, rule_positions = np.nonzero(failed(results).to_numpy())
    catalog = pd.DataFrame([vars(rule) for rule in rules]).set_index("id")
    failing = records.iloc[rows]
    failures = pd.DataFrame({
        "run_date": failing["run_date"].to_numpy(),
        "source_row_number": failing["source_row_number"].to_numpy(),
        "customer_id": failing["raw_customer_id"].to_numpy(),
        "rule_id": results.columns[rule_positions],
    })
    failures = failures.join(catalog[["column", "severity", "action"]], on="rule_id").rename(
        columns={"column": "column_name"})
    raw_value = pd.Series(np.nan, index=failures.index, dtype="str")
    for column in failures["column_name"].unique():
        if f"raw_{column}" in records:  # 'record' rules have no single raw value
            of_column = failures["column_name"].eq(column).to_numpy()
            raw_value[of_column] = failing[f"raw_{column}"].to_numpy()[of_column]
    failures["raw_value"] = raw_value
    return failures


# --- output --------------------------------------------------------------------------------

def write(frame: pd.DataFrame, path: Path) -> None:
    """Parquet with the marts' SQL types: DATE, DECIMAL(18,2), lists of text."""
    typed = frame.reset_index(drop=True)
    for column in typed.columns:
        if pd.api.types.is_datetime64_any_dtype(typed[column]):
            typed[column] = typed[column].astype("date32[pyarrow]")
    if "annual_income" in typed and pd.api.types.is_float_dtype(typed["annual_income"]):
        typed["annual_income"] = typed["annual_income"].astype(_DECIMAL_18_2)
    if "threshold" in typed:
        typed["threshold"] = typed["threshold"].round(2).astype(pd.ArrowDtype(pa.decimal128(3, 2)))
    for column in ("merged_customer_ids",):
        if column in typed:
            typed[column] = pd.arrays.ArrowExtensionArray(pa.array(typed[column].tolist(), _TEXT_LIST))
    typed.to_parquet(path, index=False, compression="zstd")


def run(raw_file: Path, out_dir: Path, run_date: date) -> None:
    config = settings(run_date)
    rules = customer_rules()
    reference = load_reference()
    raw = pd.read_parquet(raw_file, columns=list(config.raw_columns))
    customers = repair(standardise(raw, config), reference, config)
    del raw
    customers["run_date"] = pd.Timestamp(run_date)
    customers, results = judge(customers, rules, reference, config)
    # What the marts read; the working columns (texts, keys, ranks) are let go.
    records = resolve(customers, rules, results)[[
        *OUTPUT_COLUMNS, *(f"raw_{column}" for column in config.raw_columns), "source_row_number", "run_date",
        "outcome", "survivor_row_number", "merged_customer_ids", "failed_rules", "quarantine_reasons",
        "repaired_columns", "dq_score", "completeness"]]
    del customers

    out_dir.mkdir(parents=True, exist_ok=True)
    kept = records["outcome"].eq("kept")
    cleaned = records.loc[kept, [*OUTPUT_COLUMNS, "merged_customer_ids", "source_row_number", "run_date"]]
    write(cleaned, out_dir / "cleaned_customers.parquet")
    quality = records.loc[kept, ["dq_score", "failed_rules"]]
    write(final_features(cleaned, quality, reference, config), out_dir / "final_customers.parquet")
    del cleaned, quality
    quarantined = records[records["outcome"].eq("quarantined")]
    write(pd.DataFrame({
        "source_row_number": quarantined["source_row_number"],
        **{column: quarantined[f"raw_{column}"] for column in config.raw_columns},
        "dq_failed_rules": quarantined["failed_rules"],
        "quarantine_reasons": quarantined["quarantine_reasons"],
        "run_date": quarantined["run_date"],
    }), out_dir / "quarantined_customers.parquet")
    write(pd.DataFrame({
        "source_row_number": records["source_row_number"],
        "customer_id": records["raw_customer_id"],
        "outcome": records["outcome"],
        "survivor_row_number": records["survivor_row_number"].astype("Int64"),
        "failed_rules": records["failed_rules"],
        "repaired_columns": records["repaired_columns"],
        "dq_score": records["dq_score"],
        "run_date": records["run_date"],
    }), out_dir / "row_audit.parquet")
    rule_table = rule_results(results, rules, run_date)
    write(rule_table, out_dir / "dq_rule_results.parquet")
    write(scores(rule_table, config.dimension_weights), out_dir / "dq_scores.parquet")
    write(rule_failures(records, results, rules), out_dir / "dq_rule_failures.parquet")


if __name__ == "__main__":
    raise SystemExit(port_cli(run, "pandas"))
