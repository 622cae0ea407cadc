"""The customer models (dbt_project/models) written in Polars, as a Polars user would: one lazy
query from the raw file to the judged records, expressions for every repair and rule, joins
for the reference data; the judged records collected once, then the marts written from them.

The same staging, repairs, 42 rules, deduplication, quarantine, scores and features as the dbt
models, from the same raw customers.parquet to the same Parquet outputs. Reference data comes
from the dbt seeds' CSV files and the knobs from dbt_project.yml's vars.

Run: python -m benchmarks.polars_pipeline RAW_PARQUET OUT_DIR --run-date YYYY-MM-DD
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

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
_EMAIL_FORMAT = r"^[a-z0-9._%+'-]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$"
_EMAIL_MAX_LENGTH = 254  # RFC 5321, as the catalog's customers.email.format
_OUTPUT_TYPES = {
    "date_of_birth": pl.Date, "signup_date": pl.Date, "last_purchase_date": pl.Date,
    "annual_income": pl.Decimal(18, 2), "marketing_opt_in": pl.Boolean,
}
_TEXT_LIST = pl.List(pl.String)


@dataclass(frozen=True)
class Reference:
    countries: pl.DataFrame
    country_by_alias: dict[str, str]  # lower-cased alias -> country code
    domain_typos: dict[str, str]
    free_mail_domains: list[str]
    value_aliases: dict[str, dict[str, str]]  # value domain -> lower-cased alias -> canonical value


def _read_seed(name: str) -> pl.DataFrame:
    # Text as text ('NO' is Norway); blank cells are missing, as dbt loads the seeds.
    return pl.read_csv(seed_file(name), infer_schema=False)


def load_reference() -> Reference:
    countries = _read_seed("ref_countries").with_columns(pl.col("nsn_min_length", "nsn_max_length").cast(pl.Int32))
    aliases = _read_seed("ref_country_aliases")
    values = _read_seed("ref_value_aliases")
    domains = _read_seed("ref_email_domains")
    return Reference(
        countries=countries,
        country_by_alias=dict(zip(aliases["alias"].str.to_lowercase(), aliases["country_code"], strict=True)),
        domain_typos=dict(_read_seed("ref_email_domain_typos").iter_rows()),
        free_mail_domains=domains.filter(pl.col("is_free_mail") == "true")["domain"].to_list(),
        value_aliases={domain: dict(zip(group["alias"].str.to_lowercase(), group["canonical_value"], strict=True))
                       for (domain,), group in values.group_by("value_domain")},
    )


# --- staging -------------------------------------------------------------------------------

def clean_text(column: str, null_markers: tuple[str, ...], kept: tuple[str, ...] = ()) -> pl.Expr:
    """Trimmed text, with blanks and placeholders ('N/A', 'null', ...) as null, but for those
    spelled as one of `kept` (a name "Nan")."""
    trimmed = pl.col(column).str.strip_chars(BLANKS)
    placeholder = trimmed.str.to_lowercase().is_in(null_markers) & ~trimmed.is_in(kept)
    return pl.when(placeholder).then(None).otherwise(trimmed)


def parse_amount(text: pl.Expr) -> pl.Expr:
    """macros/parse_amount.sql: commas only as thousands separators; DECIMAL(18,2)."""
    readable = ~text.str.contains(",", literal=True) | text.str.contains(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
    return pl.when(readable).then(text.str.replace_all(",", "", literal=True)).cast(pl.Decimal(18, 2), strict=False)


def without_phone_extension(phone: pl.Expr) -> pl.Expr:
    """macros/without_phone_extension.sql."""
    return phone.str.replace(r"(?i)\s*(ext(ension)?\.?|x|#)\s*[0-9]{1,6}$", "")


def parse_date(text: pl.Expr, config: Settings) -> pl.Expr:
    """The first of the date formats that parses the value (as DuckDB's try_strptime with a list);
    else the date as written of an ISO 8601 date-time (macros/parse_date.sql)."""
    as_written = (pl.when(text.str.contains(f"^(?:{config.iso_date_time_pattern})$"))
                  .then(text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)))
    return pl.coalesce([*(text.str.to_date(date_format, strict=False) for date_format in config.date_formats),
                        as_written])


def standardise(raw: pl.LazyFrame, config: Settings) -> pl.LazyFrame:
    text = {column: clean_text(column, config.null_markers,
                               config.names_among_null_markers if column in ("first_name", "last_name") else ())
            for column in config.raw_columns}
    for column in SINGLE_SPACED_COLUMNS:
        text[column] = text[column].str.replace_all(BLANK_RUN, " ")
    return raw.select(
        pl.col("source_row_number").cast(pl.Int64),
        text["customer_id"].str.to_uppercase().alias("customer_id"),
        text["first_name"].alias("first_name"),
        text["last_name"].alias("last_name"),
        text["email"].str.to_lowercase().alias("email"),
        without_phone_extension(text["phone"]).alias("phone_text"),
        text["date_of_birth"].alias("date_of_birth_text"),
        text["gender"].str.to_lowercase().alias("gender_text"),
        text["street_address"].alias("street_address"),
        text["city"].alias("city"),
        text["state"].alias("state"),
        text["postal_code"].str.to_uppercase().alias("postal_code"),
        text["country"].alias("country_text"),
        text["signup_date"].alias("signup_date_text"),
        text["segment"].str.to_lowercase().alias("segment_text"),
        text["annual_income"].alias("annual_income_text"),
        parse_amount(text["annual_income"]).alias("annual_income"),
        text["marketing_opt_in"].str.to_lowercase().alias("marketing_opt_in_text"),
        text["last_purchase_date"].alias("last_purchase_date_text"),
        *(pl.col(column).alias(f"raw_{column}") for column in config.raw_columns),
    ).with_columns(
        parse_date(pl.col(f"{column}_text"), config).alias(column) for column in DATE_COLUMNS
    )


# --- repairs -------------------------------------------------------------------------------

def resolve_country(country_text: pl.Expr, reference: Reference) -> pl.Expr:
    """ISO alpha-2 from a code in any case, an ISO3 code or a name (seeds)."""
    code = country_text.str.to_uppercase()
    return pl.coalesce(
        pl.when(code.is_in(reference.countries["country_code"].implode())).then(code),
        country_text.str.to_lowercase().replace_strict(reference.country_by_alias, default=None),
    )


def proper_name(name: str, config: Settings) -> pl.Expr:
    """macros/proper_name.sql: a name that looks deliberately cased is kept; one in all
    capitals, all lower case, or with a word starting in lower case that is not a particle is
    re-cased word by word (O'Neil, Jean-Luc, McDonald, van der Berg)."""
    column = pl.col(name)
    particles = sorted(config.name_particles)
    word = pl.element()
    starts_lower = column.str.contains(r"(^|[ '’ʼ-])\p{Ll}") & column.str.extract_all(r"[^ '’ʼ-]+").list.eval(
        (word.str.slice(0, 1) != word.str.slice(0, 1).str.to_uppercase()) & ~word.str.to_lowercase().is_in(particles)
    ).list.any()
    wrongly_cased = (column == column.str.to_uppercase()) | (column == column.str.to_lowercase()) | starts_lower
    first_particle_lower = pl.col("country").is_in(sorted(config.lowercase_particle_countries)).fill_null(False)
    return (pl.when(wrongly_cased & first_particle_lower).then(_recased(column, particles, first_word_too=True))
            .when(wrongly_cased).then(_recased(column, particles, first_word_too=False))
            .otherwise(column))


def _recased(column: pl.Expr, particles: list[str], first_word_too: bool) -> pl.Expr:
    token = pl.element()
    position = pl.int_range(pl.len())  # separators are tokens too: the first word is position 0
    return column.str.to_lowercase().str.extract_all(r"[^ '’ʼ-]+|[ '’ʼ-]").list.eval(
        pl.when(token.is_in(particles) & ((position > 0) | first_word_too)).then(token)
        .when(token.str.starts_with("mc") & (token.str.len_chars() > 2))
        .then(pl.lit("Mc") + token.str.slice(2, 1).str.to_uppercase() + token.str.slice(3))
        .otherwise(token.str.slice(0, 1).str.to_uppercase() + token.str.slice(1))
    ).list.join("")


def repaired_email(reference: Reference) -> pl.Expr:
    email = pl.col("email")
    parts = email.str.split("@")
    domain = pl.when(email.str.count_matches("@", literal=True) == 1).then(parts.list.get(1, null_on_oob=True))
    correct = domain.replace_strict(reference.domain_typos, default=None)
    return pl.when(correct.is_not_null()).then(parts.list.first() + "@" + correct).otherwise(email)


def phone_e164() -> pl.Expr:
    """macros/phone_e164.sql, over the columns of the country's numbering plan (joined)."""
    phone, digits = pl.col("phone_text"), pl.col("phone_digits")
    calling_code, trunk = pl.col("calling_code"), pl.col("trunk_prefix")
    shortest, longest = pl.col("nsn_min_length"), pl.col("nsn_max_length")
    national = (
        pl.when(phone.str.starts_with("+"))
        .then(pl.when(digits.str.starts_with(calling_code)).then(digits.str.slice(calling_code.str.len_chars())))
        .when(digits.str.starts_with("00"))
        .then(pl.when(digits.str.starts_with("00" + calling_code))
              .then(digits.str.slice(calling_code.str.len_chars() + 2)))
        .when(trunk.is_not_null() & digits.str.starts_with(trunk)
              & (digits.str.len_chars() - trunk.str.len_chars()).is_between(shortest, longest))
        .then(digits.str.slice(trunk.str.len_chars()))
        .otherwise(digits)
    )
    return (pl.when(phone.is_null() | calling_code.is_null() | phone.str.contains("[A-Za-z]")).then(None)
            .when(national.str.len_chars().is_between(shortest, longest)).then("+" + calling_code + national))


def repair(staged: pl.LazyFrame, reference: Reference, config: Settings) -> pl.LazyFrame:
    plans = reference.countries.lazy().select(
        pl.col("country_code").alias("country"), "calling_code", "trunk_prefix", "nsn_min_length",
        "nsn_max_length", "postal_code_regex")
    aliases = reference.value_aliases
    return (
        staged
        .with_columns(country=resolve_country(pl.col("country_text"), reference),
                      phone_digits=pl.col("phone_text").str.replace_all("(0)", "", literal=True)
                      .str.replace_all("[^0-9]", ""))
        .join(plans, on="country", how="left", maintain_order="left")
        .with_columns(
            first_name=proper_name("first_name", config),
            last_name=proper_name("last_name", config),
            email=repaired_email(reference),
            phone=phone_e164(),
            gender=pl.col("gender_text").replace_strict(aliases["gender"], default=None),
            segment=pl.col("segment_text").replace_strict(aliases["segment"], default=None),
            marketing_opt_in=pl.col("marketing_opt_in_text").replace_strict(aliases["opt_in"], default=None) == "true",
        )
        .drop("phone_digits", "calling_code", "trunk_prefix", "nsn_min_length", "nsn_max_length")
    )


# --- rules ---------------------------------------------------------------------------------

def _judged_if(evaluated: pl.Expr, passed: pl.Expr) -> pl.Expr:
    """A rule's result: True pass, False fail, null not evaluated."""
    return pl.when(evaluated).then(passed)


def _present_then(text: str, value: str) -> pl.Expr:
    """Judged only when the raw text was present: then the value must have been understood."""
    return _judged_if(pl.col(text).is_not_null(), pl.col(value).is_not_null())


def row_rules(config: Settings) -> dict[str, pl.Expr]:
    """Every record-level rule of the catalog as an expression (comparisons with null are null:
    not evaluated, as in SQL)."""
    run_date, c = pl.lit(config.run_date), pl.col
    rules = {
        f"{ENTITY}.{column}.not_null": c(f"{column}_text" if column in _CHECKED_AS_TEXT else column).is_not_null()
        for column in config.raw_columns
    }
    return rules | {
        f"{ENTITY}.customer_id.format": c("customer_id").str.contains(f"^(?:{config.customer_id_pattern})$"),
        f"{ENTITY}.email.format": c("email").str.contains(_EMAIL_FORMAT)
                                  & (c("email").str.len_chars() <= _EMAIL_MAX_LENGTH),
        f"{ENTITY}.phone.valid_for_country": _judged_if(c("phone_text").is_not_null() & c("country").is_not_null(),
                                                        c("phone").is_not_null()),
        f"{ENTITY}.date_of_birth.parsable": _present_then("date_of_birth_text", "date_of_birth"),
        f"{ENTITY}.date_of_birth.not_in_future": c("date_of_birth") <= run_date,
        f"{ENTITY}.date_of_birth.after_1900": c("date_of_birth") >= pl.lit(config.min_birth_date),
        f"{ENTITY}.gender.accepted_values": _present_then("gender_text", "gender"),
        # The pattern is the country's (joined from the seed); Polars caches compiled patterns.
        f"{ENTITY}.postal_code.fits_country": c("postal_code").str.contains(c("postal_code_regex")),
        f"{ENTITY}.country.iso_code": _present_then("country_text", "country"),
        f"{ENTITY}.signup_date.parsable": _present_then("signup_date_text", "signup_date"),
        f"{ENTITY}.segment.accepted_values": _present_then("segment_text", "segment"),
        f"{ENTITY}.annual_income.in_range": _judged_if(
            c("annual_income_text").is_not_null(),
            c("annual_income").is_between(0, config.max_annual_income).fill_null(False)),
        f"{ENTITY}.marketing_opt_in.accepted_values": _present_then("marketing_opt_in_text", "marketing_opt_in"),
        f"{ENTITY}.last_purchase_date.parsable": _present_then("last_purchase_date_text", "last_purchase_date"),
        f"{ENTITY}.signup_date.after_birth": c("signup_date") >= c("date_of_birth"),
        f"{ENTITY}.last_purchase_date.after_signup": c("last_purchase_date") >= c("signup_date"),
        f"{ENTITY}.signup_date.not_in_future": c("signup_date") <= run_date,
        f"{ENTITY}.last_purchase_date.not_in_future": c("last_purchase_date") <= run_date,
    } | {f"{ENTITY}.{column}.plausible_length": c(column).str.len_chars() <= limit
         for column, limit in config.max_length.items()
    } | {f"{ENTITY}.{column}.plausible_characters": c(column).str.contains(f"^(?:{config.name_characters})$")
         for column in NAME_COLUMNS}


def failed(rule_id: str) -> pl.Expr:
    """True where the rule failed; a rule not evaluated did not fail."""
    return pl.col(rule_id).not_().fill_null(False)


def check_rows(repaired: pl.LazyFrame, rules: list[Rule], config: Settings) -> pl.LazyFrame:
    errors = [rule.id for rule in rules if rule.is_error and rule.stage == "row"]
    return (repaired
            .with_columns(**row_rules(config))
            .with_columns(fails_error_rule=pl.any_horizontal(failed(rule_id) for rule_id in errors)))


# --- deduplication -------------------------------------------------------------------------

def person_key() -> pl.Expr:
    """Same name, birth date and e-mail after cleaning; else, for a record missing some of them,
    the one such identity its customer id has, if the parts it has agree; else the same id; else
    the row alone."""
    c = pl.col
    parts = [c("first_name").str.to_lowercase(), c("last_name").str.to_lowercase(),
             c("date_of_birth").cast(pl.String), c("email")]
    identity = pl.concat_str(parts, separator="|")  # NULL when any part is (concat_str's default)
    complete = identity.is_not_null()
    one_identity = identity.drop_nulls().n_unique().over("customer_id") == 1
    agrees = pl.all_horizontal(part.is_null() | (part == part.filter(complete).first().over("customer_id"))
                               for part in parts)
    identity_of_id = (pl.when(c("customer_id").is_not_null() & one_identity & agrees)
                      .then(identity.drop_nulls().first().over("customer_id")))
    return pl.coalesce(identity, identity_of_id, "id|" + c("customer_id"),
                       "row|" + c("source_row_number").cast(pl.String))


def deduplicate(checked: pl.LazyFrame) -> pl.LazyFrame:
    """The survivor rule: not failing an error rule, most complete, most recent, lowest row;
    then the among-records rules on the survivors."""
    c = pl.col
    survivor = ~c("fails_error_rule") & (c("duplicate_rank") == 1)
    email_survivor = survivor & c(f"{ENTITY}.email.format").fill_null(False)
    rank_in_group = pl.int_range(1, pl.len() + 1)
    # Ranked inside each group by a window order rather than by sorting the frame: a sort moves
    # every one of the ~80 wide columns. Descending keys are negated (over() takes one direction);
    # missing dates sort last.
    survivor_order = [c("fails_error_rule"), -c("completeness"), -c("last_purchase_date").cast(pl.Int32),
                      -c("signup_date").cast(pl.Int32), c("source_row_number")]
    return (
        checked
        .with_columns(person_key=person_key(),
                      completeness=pl.sum_horizontal(c(column).is_not_null() for column in OUTPUT_COLUMNS)
                      .cast(pl.Int32))
        .with_columns(
            duplicate_rank=rank_in_group.over("person_key", order_by=survivor_order, nulls_last=True),
            group_first_row_number=c("source_row_number").first().over("person_key", order_by=survivor_order,
                                                                      nulls_last=True))
        .with_columns(
            customer_id_rank=pl.when(survivor).then(
                rank_in_group.over("customer_id", survivor, order_by="source_row_number")),
            email_rank=pl.when(email_survivor).then(
                rank_in_group.over("email", email_survivor, order_by="source_row_number")),
        )
        .with_columns(**{
            f"{ENTITY}.record.not_duplicate": _judged_if(~c("fails_error_rule"), c("duplicate_rank") == 1),
            f"{ENTITY}.customer_id.unique": _judged_if(survivor, c("customer_id_rank") == 1),
            f"{ENTITY}.email.unique": _judged_if(survivor & c("email_rank").is_not_null(), c("email_rank") == 1),
        })
        .with_columns(outcome=pl.when(c("fails_error_rule") | failed(f"{ENTITY}.customer_id.unique"))
                      .then(pl.lit("quarantined"))
                      .when(c("duplicate_rank") > 1).then(pl.lit("merged"))
                      .otherwise(pl.lit("kept")))
        .with_columns(survivor_row_number=pl.when(c("outcome") == "merged").then(c("group_first_row_number")))
    )


def with_merged_ids(ranked: pl.LazyFrame) -> pl.LazyFrame:
    """For each kept record, the other customer ids merged into it (sorted); null otherwise."""
    c = pl.col
    merged = (ranked.filter((c("duplicate_rank") > 1) & ~c("fails_error_rule"))
              .group_by("person_key").agg(c("customer_id").unique().sort().alias("group_merged_ids")))
    others = c("group_merged_ids").list.set_difference(pl.concat_list("customer_id")).list.sort()
    return (ranked.join(merged, on="person_key", how="left", maintain_order="left")
            .with_columns(merged_customer_ids=pl.when(c("outcome") == "kept")
                          .then(others.fill_null(pl.lit([], dtype=_TEXT_LIST))))
            .drop("group_merged_ids"))


# --- verdicts ------------------------------------------------------------------------------

def _names_where(flags: dict[str, pl.Expr]) -> pl.Expr:
    """The list of names whose flag is True, in the given order.

    Joined into one text and split: most rows have none, and a list of 42 mostly-null values
    per row would cost gigabytes at 10M rows (and 10x the time)."""
    joined = pl.concat_str([pl.when(flag).then(pl.lit(name)) for name, flag in flags.items()],
                           separator=",", ignore_nulls=True)
    return pl.when(joined == "").then(pl.lit([], dtype=_TEXT_LIST)).otherwise(joined.str.split(","))


def _as_text(column: str) -> pl.Expr:
    """A value as SQL casts it to text: ISO dates, two decimals, true/false."""
    return pl.col(column).cast(pl.String)


def resolve(deduplicated: pl.LazyFrame, rules: list[Rule]) -> pl.LazyFrame:
    """Each record's verdict: output values (failed nullify rules drop theirs), failed rules,
    quarantine reasons, repaired columns and its score."""
    c = pl.col
    nullified = {}
    for column in OUTPUT_COLUMNS:
        nullified_by = [rule.id for rule in rules if rule.column == column and rule.action == "nullify"]
        value = c(column).cast(_OUTPUT_TYPES.get(column, pl.String))
        nullified[column] = (pl.when(pl.any_horizontal(failed(rule_id) for rule_id in nullified_by)).then(None)
                             .otherwise(value) if nullified_by else value)
    rule_ids = [rule.id for rule in rules]
    return (
        deduplicated
        .with_columns(**nullified)
        .with_columns(
            failed_rules=_names_where({rule_id: failed(rule_id) for rule_id in rule_ids}),
            quarantine_reasons=_names_where({rule.id: failed(rule.id) for rule in rules if rule.is_error}),
            repaired_columns=_names_where({column: c(column).is_not_null() & (_as_text(column) != c(f"raw_{column}"))
                                           for column in OUTPUT_COLUMNS}),
            rules_evaluated=pl.sum_horizontal(c(rule_id).is_not_null() for rule_id in rule_ids),
            rules_passed=pl.sum_horizontal(c(rule_id).fill_null(False) for rule_id in rule_ids),
        )
        .with_columns(dq_score=pl.when(c("rules_evaluated") == 0).then(1.0)
                      .otherwise(c("rules_passed") / c("rules_evaluated")))
    )


# --- marts ---------------------------------------------------------------------------------

def cleaned_customers(records: pl.LazyFrame) -> pl.LazyFrame:
    return (records.filter(pl.col("outcome") == "kept")
            .select(*OUTPUT_COLUMNS, "merged_customer_ids", "source_row_number", "run_date"))


def _band(value: pl.Expr, bands: list[tuple[pl.Expr, str]], last: str) -> pl.Expr:
    """The label of the first band whose condition holds; 'unknown' for a missing value."""
    labelled = pl.when(value.is_null()).then(pl.lit("unknown"))
    for condition, label in bands:
        labelled = labelled.when(condition).then(pl.lit(label))
    return labelled.otherwise(pl.lit(last))


def final_customers(records: pl.LazyFrame, reference: Reference, config: Settings) -> pl.LazyFrame:
    c = pl.col
    run_date = pl.lit(config.run_date)
    countries = reference.countries.lazy().select(pl.col("country_code").alias("country"), "country_name", "region",
                                                  pl.col("calling_code").alias("country_calling_code"))
    quality = records.filter(c("outcome") == "kept").select("source_row_number", "dq_score",
                                                           c("failed_rules").alias("dq_failed_rules"))
    dob = c("date_of_birth")
    had_birthday = ((dob.dt.month() < config.run_date.month)
                    | ((dob.dt.month() == config.run_date.month) & (dob.dt.day() <= config.run_date.day)))
    age, tenure, recency = c("age"), c("tenure_days"), c("days_since_last_purchase")
    income = c("annual_income")
    return (
        cleaned_customers(records)
        .join(quality, on="source_row_number", how="inner", maintain_order="left")
        .join(countries, on="country", how="left", maintain_order="left")
        .with_columns(
            age=(config.run_date.year - dob.dt.year() - (~had_birthday).cast(pl.Int32)).cast(pl.Int32),
            tenure_days=(run_date - c("signup_date")).dt.total_days(),
            email_domain=c("email").str.split("@").list.get(1, null_on_oob=True),
            days_since_last_purchase=(run_date - c("last_purchase_date")).dt.total_days(),
        )
        .with_columns(
            phone_country_code=pl.when(c("phone").is_not_null()).then("+" + c("country_calling_code")),
            is_free_mail=c("email_domain").is_in(reference.free_mail_domains).fill_null(False),
            dq_issue_count=c("dq_failed_rules").list.len().cast(pl.Int64),
            # The published values: a value a nullify rule dropped does not count.
            profile_completeness=(pl.sum_horizontal(c(column).is_not_null() for column in OUTPUT_COLUMNS)
                                  / len(OUTPUT_COLUMNS)).round(4),
        )
        .with_columns(
            age_band=_band(age, [(age < 18, "under_18"), (age < 25, "18-24"), (age < 35, "25-34"), (age < 45, "35-44"),
                                 (age < 55, "45-54"), (age < 65, "55-64")], "65+"),
            tenure_band=_band(tenure, [(tenure < 90, "under_3_months"), (tenure < 365, "3_to_12_months"),
                                       (tenure < 3 * 365, "1_to_3_years"), (tenure < 5 * 365, "3_to_5_years")],
                              "5_years_plus"),
            income_band=_band(income, [(income < 30_000, "low"), (income < 60_000, "lower_middle"),
                                       (income < 120_000, "upper_middle")], "high"),
            recency_bucket=_band(recency, [(recency <= 30, "active"), (recency <= 90, "warm"),
                                           (recency <= 180, "cooling")], "lapsed"),
            is_opted_in=c("marketing_opt_in").fill_null(False),
        )
        .select(*OUTPUT_COLUMNS, "merged_customer_ids", "source_row_number", "run_date", "age", "tenure_days",
                "email_domain", "days_since_last_purchase", "country_name", "region", "phone_country_code",
                "is_free_mail", "dq_score", "dq_failed_rules", "dq_issue_count", "profile_completeness", "age_band",
                "tenure_band", "income_band", "recency_bucket", "is_opted_in")
    )


def quarantined_customers(records: pl.LazyFrame, config: Settings) -> pl.LazyFrame:
    return (records.filter(pl.col("outcome") == "quarantined")
            .select("source_row_number", *(pl.col(f"raw_{column}").alias(column) for column in config.raw_columns),
                    pl.col("failed_rules").alias("dq_failed_rules"), "quarantine_reasons", "run_date"))


def row_audit(records: pl.LazyFrame) -> pl.LazyFrame:
    return records.select("source_row_number", pl.col("raw_customer_id").alias("customer_id"), "outcome",
                          "survivor_row_number", "failed_rules", "repaired_columns", "dq_score", "run_date")


def rule_results(records: pl.LazyFrame, rules: list[Rule], run_date: date) -> pl.LazyFrame:
    """Per rule: records evaluated and passed, the pass rate and the status against the threshold."""
    counts = records.select(
        *(pl.col(rule.id).count().alias(f"evaluated|{rule.id}") for rule in rules),
        *(pl.col(rule.id).sum().alias(f"passed|{rule.id}") for rule in rules),
    ).unpivot().with_columns(pl.col("variable").str.split_exact("|", 1).struct.rename_fields(["measure", "rule_id"])
                             ).unnest("variable").collect().pivot("measure", index="rule_id", values="value")
    catalog = pl.DataFrame([vars(rule) for rule in rules]).rename({"id": "rule_id", "column": "column_name"})
    pass_rate = pl.col("passed") / pl.col("evaluated")
    return (
        catalog.join(counts, on="rule_id", maintain_order="left").lazy()
        .with_columns(pl.lit(run_date).alias("run_date"), pl.lit(ENTITY).alias("entity"),
                      pl.col("evaluated", "passed").cast(pl.Int64))
        .with_columns(failed=pl.col("evaluated") - pl.col("passed"),
                      pass_rate=pl.when(pl.col("evaluated") > 0).then(pass_rate),
                      status=pl.when((pl.col("evaluated") == 0) | (pass_rate >= pl.col("threshold")))
                      .then(pl.lit("pass"))
                      .when(pl.col("severity") == "error").then(pl.lit("fail")).otherwise(pl.lit("warn")))
        .select("run_date", "rule_id", "entity", "column_name", "dimension", "severity", "action",
                pl.col("threshold").cast(pl.Decimal(3, 2)), "evaluated", "passed", "failed", "pass_rate", "status")
    )


def scores(rule_table: pl.LazyFrame, weights: dict[str, float]) -> pl.LazyFrame:
    """Row-weighted scores per rule, column, dimension and table; overall = weighted dimensions."""
    c = pl.col
    levels = {"rule": c("rule_id"), "column": ENTITY + "." + c("column_name"), "dimension": c("dimension"),
              "table": c("entity")}
    summed = pl.concat([
        rule_table.group_by(pl.lit(scope).alias("scope"), name.alias("name"), maintain_order=True)
        .agg(c("evaluated", "passed").sum())
        for scope, name in levels.items()
    ]).with_columns(score=pl.when(c("evaluated") > 0).then(c("passed") / c("evaluated")))
    weight = c("name").replace_strict(weights, default=None)
    overall = (summed.filter((c("scope") == "dimension") & (c("evaluated") > 0) & weight.is_not_null())
               .select(pl.lit("overall").alias("scope"), pl.lit("overall").alias("name"), c("evaluated").sum(),
                       c("passed").sum(), ((weight * c("score")).sum() / weight.sum()).alias("score")))
    run_date = rule_table.select("run_date").first()
    return (pl.concat([summed, overall]).join(run_date, how="cross")
            .select("run_date", "scope", "name", c("evaluated").cast(pl.Int64), c("passed").cast(pl.Int64),
                    c("score").cast(pl.Float64)))


def rule_failures(records: pl.LazyFrame, rules: list[Rule], config: Settings) -> pl.LazyFrame:
    """One row per (raw record, failed rule), with the raw value of the rule's column."""
    catalog = pl.LazyFrame([{"rule_id": r.id, "column_name": r.column, "severity": r.severity, "action": r.action}
                            for r in rules])
    raw_value = pl.lit(None, pl.String)
    for column in config.raw_columns:
        raw_value = pl.when(pl.col("column_name") == column).then(pl.col(f"raw_{column}")).otherwise(raw_value)
    return (records.select("run_date", "source_row_number", pl.col("raw_customer_id").alias("customer_id"),
                           pl.col("failed_rules").alias("rule_id"), *(f"raw_{c}" for c in config.raw_columns))
            .explode("rule_id", empty_as_null=False)
            .join(catalog, on="rule_id", how="inner", maintain_order="left")
            .select("run_date", "source_row_number", "customer_id", "rule_id", "column_name", "severity", "action",
                    raw_value.alias("raw_value")))


def run(raw_file: Path, out_dir: Path, run_date: date) -> None:
    config = settings(run_date)
    rules = customer_rules()
    reference = load_reference()
    raw = pl.scan_parquet(raw_file).select(config.raw_columns).with_row_index("source_row_number")
    checked = check_rows(repair(standardise(raw, config), reference, config), rules, config)
    judged = (resolve(with_merged_ids(deduplicate(checked)), rules)
              .with_columns(run_date=pl.lit(run_date))
              # What the marts read: the working columns (texts, keys, ranks) need not be kept.
              .select(*OUTPUT_COLUMNS, *(f"raw_{column}" for column in config.raw_columns), "source_row_number",
                      "run_date", "outcome", "survivor_row_number", "merged_customer_ids", "failed_rules",
                      "quarantine_reasons", "repaired_columns", "dq_score", "completeness",
                      *(rule.id for rule in rules)))
    # Every mart reads the judged records: computed once, kept in memory.
    records = judged.collect().lazy()

    out_dir.mkdir(parents=True, exist_ok=True)
    marts = {
        "cleaned_customers": cleaned_customers(records),
        "final_customers": final_customers(records, reference, config),
        "quarantined_customers": quarantined_customers(records, config),
        "row_audit": row_audit(records),
        "dq_rule_failures": rule_failures(records, rules, config),
    }
    rule_table = rule_results(records, rules, run_date).collect()
    marts["dq_rule_results"] = rule_table.lazy()
    marts["dq_scores"] = scores(rule_table.lazy(), config.dimension_weights)
    for name, mart in marts.items():
        mart.sink_parquet(out_dir / f"{name}.parquet", compression="zstd")


if __name__ == "__main__":
    raise SystemExit(port_cli(run, "Polars"))
