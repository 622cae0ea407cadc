"""The defect catalog: what goes wrong in customer data, and what a cleaner must do about it.

Every injected defect is recorded in the ground truth with the value before and after
corruption and the expected handling:
  repair       the value can be fixed (trimmed, re-cased, re-formatted, looked up)
  nullify      the value is unusable and must not reach the output; the rule that catches it fails
  quarantine   the whole record is unusable (impossible dates, unknown country)
  deduplicate  the row repeats another customer and must be merged into it
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from seeds_gen.reference import (
    Country,
    country_names,
    email_domain_typos,
    value_aliases,
)

Value = str | None


class NotApplicable(Exception):
    """This defect cannot be applied to this value (e.g. a typo for a corporate domain)."""


@dataclass(frozen=True)
class Context:
    clean: dict[str, Value]  # the record before any corruption
    country: Country
    run_date: date
    rng: random.Random
    foreign_postcodes: tuple[str, ...]


@dataclass(frozen=True)
class DefectType:
    name: str
    columns: tuple[str, ...]
    handling: str
    weight: float
    corrupt: Callable[[Value, Context], Value]
    # Columns that must stay clean in the same record for this defect to be judged
    # (a phone cannot be validated against an invalid country).
    requires_clean: tuple[str, ...] = field(default=())


MISSABLE = ("first_name", "last_name", "email", "phone", "date_of_birth", "gender",
            "street_address", "city", "state", "postal_code", "segment", "annual_income",
            "marketing_opt_in", "last_purchase_date")
TRIMMABLE = ("first_name", "last_name", "email", "street_address", "city", "state",
             "postal_code", "gender", "segment", "country")
DATES = ("date_of_birth", "signup_date", "last_purchase_date")
INVALID_COUNTRIES = ("XX", "ZZ", "QQ", "EU", "Atlantis", "Narnia", "Wakanda")
BAD_TLDS = ("c", "c0m", "co1", "")


def _require(condition: bool) -> None:
    if not condition:
        raise NotApplicable


def _present(value: Value) -> str:
    _require(value is not None and value != "")
    return value  # type: ignore[return-value]


def _constant(*choices: str | None) -> Callable[[Value, Context], Value]:
    def corrupt(value: Value, ctx: Context) -> Value:
        _present(value)
        return ctx.rng.choice(choices)

    return corrupt


def _stray_whitespace(value: Value, ctx: Context) -> Value:
    text = _present(value)
    pad = ctx.rng.choice([" ", "  ", "\t", "   "])
    return ctx.rng.choice([pad + text, text + pad, pad + text + " "])


def _wrong_case(value: Value, ctx: Context) -> Value:
    text = _present(value)
    _require(text.upper().lower() == text.lower())  # 'Weiß' -> 'WEISS' is not recoverable
    dirty = ctx.rng.choice([text.upper(), text.lower(), text.swapcase()])
    _require(dirty != text)
    return dirty


def _split_email(value: Value) -> tuple[str, str]:
    local, _, domain = _present(value).partition("@")
    return local, domain


def _email_no_at(value: Value, ctx: Context) -> Value:
    local, domain = _split_email(value)
    return local + ctx.rng.choice(["", ".", " at "]).strip() + domain


def _email_two_at(value: Value, ctx: Context) -> Value:
    local, domain = _split_email(value)
    cut = ctx.rng.randint(1, max(1, len(local) - 1))
    return f"{local[:cut]}@{local[cut:]}@{domain}"


def _email_space(value: Value, ctx: Context) -> Value:
    local, domain = _split_email(value)
    cut = ctx.rng.randint(1, max(1, len(local) - 1))
    return f"{local[:cut]} {local[cut:]}@{domain}"


def _email_bad_tld(value: Value, ctx: Context) -> Value:
    local, domain = _split_email(value)
    return f"{local}@{domain.rsplit('.', 1)[0]}.{ctx.rng.choice(BAD_TLDS)}"


def _email_domain_typo(value: Value, ctx: Context) -> Value:
    local, domain = _split_email(value)
    typos = email_domain_typos().get(domain)
    _require(typos is not None)
    return f"{local}@{ctx.rng.choice(typos)}"


def _nsn(value: Value, ctx: Context) -> str:
    return _present(value)[1 + len(ctx.country.calling_code):]


def _grouped(digits: str, rng: random.Random) -> str:
    groups, i = [], 0
    while i < len(digits):
        size = rng.choice([2, 3, 4])
        groups.append(digits[i:i + size])
        i += size
    return rng.choice([" ", "-", " "]).join(groups)


def _phone_national(value: Value, ctx: Context) -> str:
    nsn = _nsn(value, ctx)
    if ctx.country.calling_code == "1":  # the North American plan has its own habits
        a, b, c = nsn[:3], nsn[3:6], nsn[6:]
        return ctx.rng.choice([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"1-{a}-{b}-{c}"])
    return _grouped(ctx.country.trunk_prefix + nsn, ctx.rng)


def _phone_format(value: Value, ctx: Context) -> Value:
    nsn, cc = _nsn(value, ctx), ctx.country.calling_code
    return ctx.rng.choice([
        _phone_national(value, ctx),
        f"00{cc} {_grouped(nsn, ctx.rng)}",
        f"+{cc} {_grouped(nsn, ctx.rng)}",
        f"+{cc}-{nsn}",
    ])


def _phone_too_short(value: Value, ctx: Context) -> Value:
    nsn = _nsn(value, ctx)
    keep = ctx.rng.randint(2, max(2, ctx.country.nsn_min_length - 2))
    return ctx.rng.choice([f"+{ctx.country.calling_code} {nsn[:keep]}", nsn[:keep]])


def _phone_letters(value: Value, ctx: Context) -> Value:
    national = _phone_national(value, ctx)
    letters = "".join(ctx.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(4))
    return national[:-4] + letters


def _as_date(value: Value) -> date:
    return date.fromisoformat(_present(value))


def _date_reformat(*formats: str) -> Callable[[Value, Context], Value]:
    def corrupt(value: Value, ctx: Context) -> Value:
        return _as_date(value).strftime(ctx.rng.choice(formats))

    return corrupt


def _dob_in_future(value: Value, ctx: Context) -> Value:
    _present(value)
    return (ctx.run_date + timedelta(days=ctx.rng.randint(1, 3650))).isoformat()


def _dob_before_1900(value: Value, ctx: Context) -> Value:
    dob = _as_date(value)
    return dob.replace(year=ctx.rng.randint(1800, 1899), day=min(dob.day, 28)).isoformat()


def _signup_before_birth(value: Value, ctx: Context) -> Value:
    _present(value)
    dob = _as_date(ctx.clean["date_of_birth"])
    return (dob - timedelta(days=ctx.rng.randint(1, 3650))).isoformat()


def _signup_in_future(value: Value, ctx: Context) -> Value:
    _present(value)
    return (ctx.run_date + timedelta(days=ctx.rng.randint(1, 730))).isoformat()


def _income_negative(value: Value, ctx: Context) -> Value:
    return "-" + _present(value)


def _income_absurd(value: Value, ctx: Context) -> Value:
    _present(value)
    return f"{ctx.rng.uniform(5e7, 5e9):.2f}"


def _recased(text: str, rng: random.Random) -> str:
    return rng.choice([text, text.upper(), text.lower(), text.title()])


def _country_name(value: Value, ctx: Context) -> Value:
    _present(value)
    return _recased(ctx.rng.choice(country_names(ctx.country.code)), ctx.rng)


def _country_iso3(value: Value, ctx: Context) -> Value:
    _present(value)
    return ctx.rng.choice([ctx.country.iso3, ctx.country.iso3.lower()])


def _postal_code_mismatch(value: Value, ctx: Context) -> Value:
    _present(value)
    for _ in range(20):
        candidate = ctx.rng.choice(ctx.foreign_postcodes)
        if not ctx.country.postal_code_fits(candidate):
            return candidate
    raise NotApplicable


def _spelling(value_domain: str) -> Callable[[Value, Context], Value]:
    def corrupt(value: Value, ctx: Context) -> Value:
        spellings = value_aliases(value_domain).get(_present(value))
        _require(bool(spellings))
        return _recased(ctx.rng.choice(spellings), ctx.rng)  # type: ignore[arg-type]

    return corrupt


_COUNTRY = ("country",)
CATALOG: tuple[DefectType, ...] = (
    DefectType("missing_null", MISSABLE, "nullify", 6, _constant(None)),
    DefectType("missing_empty", MISSABLE, "nullify", 3, _constant("")),
    DefectType("missing_blank", MISSABLE, "nullify", 3, _constant(" ", "   ", "\t")),
    DefectType("missing_na_marker", MISSABLE, "nullify", 3, _constant("N/A", "n/a", "NA")),
    DefectType("missing_null_marker", MISSABLE, "nullify", 3, _constant("null", "NULL", "None")),
    DefectType("stray_whitespace", TRIMMABLE, "repair", 8, _stray_whitespace),
    DefectType("wrong_case", ("first_name", "last_name", "email", "country"), "repair", 8, _wrong_case),
    DefectType("email_no_at", ("email",), "nullify", 2, _email_no_at),
    DefectType("email_two_at", ("email",), "nullify", 2, _email_two_at),
    DefectType("email_space", ("email",), "nullify", 2, _email_space),
    DefectType("email_bad_tld", ("email",), "nullify", 2, _email_bad_tld),
    DefectType("email_domain_typo", ("email",), "repair", 5, _email_domain_typo),
    DefectType("phone_format", ("phone",), "repair", 8, _phone_format, _COUNTRY),
    DefectType("phone_too_short", ("phone",), "nullify", 2, _phone_too_short, _COUNTRY),
    DefectType("phone_letters", ("phone",), "nullify", 2, _phone_letters, _COUNTRY),
    DefectType("date_format_us", DATES, "repair", 3, _date_reformat("%m/%d/%Y")),
    DefectType("date_format_eu", DATES, "repair", 3, _date_reformat("%d.%m.%Y", "%d-%m-%Y")),
    DefectType("date_format_text", DATES, "repair", 3,
               _date_reformat("%B %d, %Y", "%d %B %Y", "%d %b %Y")),
    DefectType("dob_in_future", ("date_of_birth",), "quarantine", 1, _dob_in_future),
    DefectType("dob_before_1900", ("date_of_birth",), "quarantine", 1, _dob_before_1900),
    DefectType("signup_before_birth", ("signup_date",), "quarantine", 1, _signup_before_birth,
               ("date_of_birth",)),
    DefectType("signup_in_future", ("signup_date",), "quarantine", 1, _signup_in_future),
    DefectType("income_negative", ("annual_income",), "nullify", 2, _income_negative),
    DefectType("income_absurd", ("annual_income",), "nullify", 2, _income_absurd),
    DefectType("country_name", ("country",), "repair", 3, _country_name),
    DefectType("country_iso3", ("country",), "repair", 3, _country_iso3),
    DefectType("country_invalid", ("country",), "quarantine", 1, _constant(*INVALID_COUNTRIES)),
    DefectType("postal_code_mismatch", ("postal_code",), "nullify", 3, _postal_code_mismatch,
               _COUNTRY),
    DefectType("gender_spelling", ("gender",), "repair", 3, _spelling("gender")),
    DefectType("segment_spelling", ("segment",), "repair", 3, _spelling("segment")),
    DefectType("opt_in_spelling", ("marketing_opt_in",), "repair", 3, _spelling("opt_in")),
)
DEDUPLICATION_TYPES = ("exact_duplicate", "reentered_customer")
ALL_DEFECT_TYPES = tuple(t.name for t in CATALOG) + DEDUPLICATION_TYPES
_CUMULATIVE_WEIGHTS = list(itertools.accumulate(t.weight for t in CATALOG))


@dataclass(frozen=True)
class Injected:
    column_name: str | None
    defect_type: str
    clean_value: Value
    dirty_value: Value
    expected_handling: str


def corrupt_record(record: dict[str, Value], ctx: Context, defect_count: int) -> list[Injected]:
    """Apply `defect_count` defects, each on its own column, to `record` in place."""
    applied: list[tuple[DefectType, str]] = []
    injected: list[Injected] = []
    for _ in range(defect_count * 25):
        if len(applied) == defect_count:
            break
        kind = ctx.rng.choices(CATALOG, cum_weights=_CUMULATIVE_WEIGHTS)[0]
        column = ctx.rng.choice(kind.columns)
        used = {c for _, c in applied}
        locked = {c for t, _ in applied for c in t.requires_clean}
        if column in used or column in locked or used & set(kind.requires_clean):
            continue
        try:
            dirty = kind.corrupt(record[column], ctx)
        except NotApplicable:
            continue
        injected.append(Injected(column, kind.name, record[column], dirty, kind.handling))
        record[column] = dirty
        applied.append((kind, column))
    return injected


def reenter(record: dict[str, Value], new_id: str, rng: random.Random) -> list[Injected]:
    """The same person registered again: a new id and careless typing of name and e-mail."""
    injected = [Injected("customer_id", "reentered_customer", record["customer_id"], new_id,
                         "deduplicate")]
    record["customer_id"] = new_id
    for column in ("first_name", "last_name", "email"):
        text = record[column]
        if text is None or rng.random() < 0.4:
            continue
        choices = [" " + text, text + " "]
        if text.upper().lower() == text.lower():  # re-casing must stay recoverable
            choices += [text.upper(), text.lower()]
        dirty = rng.choice(choices)
        if dirty == text:
            continue
        kind = "stray_whitespace" if dirty.strip() == text else "wrong_case"
        injected.append(Injected(column, kind, text, dirty, "repair"))
        record[column] = dirty
    return injected
