"""The reference tables shared with the dbt project (dbt_project/seeds/*.csv).

The generator draws its dirty spellings, typo'd domains and country aliases from the same
tables the SQL uses to repair them, so a new alias is added in exactly one place.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
SEEDS_DIR = PROJECT_DIR / "seeds"


@dataclass(frozen=True)
class Country:
    code: str
    iso3: str
    name: str
    calling_code: str
    trunk_prefix: str
    nsn_min_length: int
    nsn_max_length: int
    postal_code_regex: str
    faker_locale: str

    def postal_code_fits(self, value: str) -> bool:
        return re.fullmatch(self.postal_code_regex.strip("^$"), value) is not None


def _rows(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def countries() -> dict[str, Country]:
    return {
        row["country_code"]: Country(
            code=row["country_code"],
            iso3=row["iso3"],
            name=row["country_name"],
            calling_code=row["calling_code"],
            trunk_prefix=row["trunk_prefix"],
            nsn_min_length=int(row["nsn_min_length"] or 0),  # none: no numbering plan of its own (Antarctica)
            nsn_max_length=int(row["nsn_max_length"] or 0),
            postal_code_regex=row["postal_code_regex"],
            faker_locale=row["faker_locale"],
        )
        for row in _rows("ref_countries.csv")
    }


@cache
def country_names(code: str) -> tuple[str, ...]:
    """Every spelled-out name of a country (not its ISO3 code)."""
    return tuple(
        row["alias"]
        for row in _rows("ref_country_aliases.csv")
        if row["country_code"] == code and row["alias_kind"] == "name"
    )


@cache
def value_aliases(value_domain: str) -> dict[str, tuple[str, ...]]:
    """canonical value -> the non-canonical spellings a source system may send."""
    aliases: dict[str, list[str]] = {}
    for row in _rows("ref_value_aliases.csv"):
        if row["value_domain"] == value_domain and row["alias"] != row["canonical_value"]:
            aliases.setdefault(row["canonical_value"], []).append(row["alias"])
    return {canonical: tuple(spellings) for canonical, spellings in aliases.items()}


@cache
def email_domain_typos() -> dict[str, tuple[str, ...]]:
    """correct domain -> its known typos."""
    typos: dict[str, list[str]] = {}
    for row in _rows("ref_email_domain_typos.csv"):
        typos.setdefault(row["correct_domain"], []).append(row["typo_domain"])
    return {domain: tuple(found) for domain, found in typos.items()}


@cache
def free_mail_domains(locale: str) -> tuple[str, ...]:
    """Free-mail domains used in `locale`: the global ones plus the locale's own."""
    return tuple(
        row["domain"]
        for row in _rows("ref_email_domains.csv")
        if row["is_free_mail"] == "true" and row["faker_locale"] in ("", locale)
    )


def project_vars() -> dict:
    """The `vars` of dbt_project.yml, so Python and SQL share one definition (read on every
    call: the file is small, and no cache can go stale)."""
    with (PROJECT_DIR / "dbt_project.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle).get("vars") or {}


@cache
def currency_minor_units() -> dict[str, int]:
    """ISO 4217 code -> digits after the decimal point (JPY 0, USD 2, KWD 3)."""
    return {row["currency_code"]: int(row["minor_units"]) for row in _rows("ref_currencies.csv")}


@cache
def fx_units_per_usd() -> dict[str, float]:
    """ISO 4217 code -> units of the currency one US dollar buys (seed ref_fx_rates)."""
    return {row["currency_code"]: float(row["units_per_usd"]) for row in _rows("ref_fx_rates.csv")}
