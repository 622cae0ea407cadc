"""Maintenance script, not part of the pipeline: extends the country seeds to every ISO 3166-1
country, from well-kept open data, keeping every row already there as it is (their phone plans and
postal formats were checked by hand, and the generator draws its countries and misspellings from
them).

    python -m venv /tmp/countries && /tmp/countries/bin/pip install \\
        pycountry==26.2.16 phonenumbers==9.0.43 country_converter==1.3.2
    /tmp/countries/bin/python seeds_gen/build_reference_countries.py

- ref_countries.csv: codes and English names from pycountry (ISO 3166-1, Debian iso-codes); the
  telephone plan (calling code, trunk prefix, national number lengths) from phonenumbers
  (Google's libphonenumber metadata); the region from country_converter's continents. Postal code
  formats only where a row was written by hand: elsewhere none, and the postal rule does not judge.
- ref_country_aliases.csv: ISO3 codes (alias_kind `iso3`), English short, common and official
  names (`iso_name`), and the iso-codes translations of the country names into the languages of
  the countries customers come from most (`translation`). The hand-written `name` aliases are the
  generator's misspellings; these kinds are not. An alias two countries share, or one of fewer
  than four letters (French "Man" for the Isle of Man), is left out.
"""

from __future__ import annotations

import csv
import gettext
from collections import defaultdict
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"
LANGUAGES = ("de", "fr", "es", "it", "pt", "nl", "pl", "sv", "da", "nb", "fi")
# continent (country_converter) -> the seed's regions; Western Asia is the Middle East
REGIONS = {"America": "Americas", "Europe": "Europe", "Africa": "Africa", "Oceania": "Asia-Pacific",
           "Asia": "Asia-Pacific", "Antarctica": "Antarctica"}


def _continents() -> dict[str, tuple[str, str, str]]:
    """alpha-3 -> (continent, UN region, short name), read from country_converter's own table (its
    converter class does not load under pandas 3; its ISO2 column holds patterns)."""
    import country_converter

    table = Path(country_converter.__file__).parent / "country_data.tsv"
    with table.open(encoding="utf-8") as handle:
        return {row["ISO3"]: (row["continent"], row["UNregion"], row["name_short"])
                for row in csv.DictReader(handle, delimiter="\t")}


def _region(continent: str, un_region: str) -> str:
    return "Middle East" if un_region == "Western Asia" else REGIONS[continent]


def _phone_plan(code: str) -> tuple[str, str, str, str]:
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region(code)
    if metadata is None:  # e.g. Antarctica, Bouvet Island: no numbering plan of their own
        return "", "", "", ""
    lengths = [n for n in metadata.general_desc.possible_length if n > 0]
    return (str(metadata.country_code), metadata.national_prefix or "", str(min(lengths)), str(max(lengths)))


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (SEEDS / name).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(name: str, fields: list[str], rows: list[dict[str, str]]) -> None:
    ending = "\r\n" if b"\r\n" in (SEEDS / name).read_bytes() else "\n"  # as the file was
    with (SEEDS / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator=ending)
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    import pycountry

    continents = _continents()
    fields, kept = _read("ref_countries.csv")
    known = {row["country_code"] for row in kept}
    added = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        if country.alpha_2 in known:
            continue
        continent, un_region, _ = continents[country.alpha_3]
        calling, trunk, shortest, longest = _phone_plan(country.alpha_2)
        added.append({"country_code": country.alpha_2, "iso3": country.alpha_3,
                      "country_name": getattr(country, "common_name", country.name),
                      "region": _region(continent, un_region), "calling_code": calling, "trunk_prefix": trunk,
                      "nsn_min_length": shortest, "nsn_max_length": longest, "postal_code_regex": "",
                      "faker_locale": ""})
    _write("ref_countries.csv", fields, kept + added)

    alias_fields, aliases = _read("ref_country_aliases.csv")
    taken = {row["alias"].lower(): row["country_code"] for row in aliases}
    candidates: dict[str, set[str]] = defaultdict(set)
    kinds: dict[tuple[str, str], str] = {}
    spelled: dict[str, str] = {}
    translations = {language: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
                    for language in LANGUAGES}
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        english = (country.name, getattr(country, "common_name", None), getattr(country, "official_name", None),
                   continents[country.alpha_3][2])
        names = [(country.alpha_3, "iso3")] + [(name, "iso_name") for name in english if name]
        names += [(translation.gettext(country.name), "translation") for translation in translations.values()]
        for alias, kind in names:
            key = alias.lower()
            if key in taken or (kind != "iso3" and len(key) < 4):  # a name that reads as a code
                continue
            candidates[key].add(code)
            kinds.setdefault((key, code), kind)
            spelled.setdefault(key, alias)
    for key, owners in candidates.items():
        if len(owners) == 1:  # an alias two countries share says nothing
            (code,) = owners
            aliases.append({"alias": spelled[key], "country_code": code, "alias_kind": kinds[(key, code)]})
    _write("ref_country_aliases.csv", alias_fields, aliases)


if __name__ == "__main__":
    main()
