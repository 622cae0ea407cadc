"""Value pools built with Faker, one set per country.

Faker makes a few thousand values per second, far too slow to call per row at millions of
rows; it builds realistic pools once, and the vectorised generator indexes into them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from faker import Faker

from seeds_gen.reference import Country, project_vars

FIRST_NAMES = 300
LAST_NAMES = 400
ADDRESSES = 400
CORPORATE_DOMAINS = 40

# A properly cased name part: capitalised words joined by space, hyphen or apostrophe, with
# the lower-case particles of Dutch, German, French, Spanish and Italian names.
_PARTICLES = {"van", "von", "der", "den", "de", "da", "di", "du", "del", "della", "la", "le",
              "ten", "ter", "zu", "y", "dos", "das"}
_WORD = re.compile(r"^(Mc)?[A-ZÀ-Ý][a-zß-ÿ]*(['-][A-ZÀ-Ý][a-zß-ÿ]*)*$")


def is_cleanly_cased(name: str) -> bool:
    """True for names whose casing is recoverable from an all-upper or all-lower copy.

    Faker's pools hold a few oddities ('Koch II', 'Mcgrath' instead of 'McGrath', 'auch
    Schlauchin'); the clean data holds only names a careful source system would store.
    """
    words = name.split(" ")
    if re.search(r"(^|[ '-])Mc[a-z]", name):  # Faker's 'Mcgrath' is 'McGrath'
        return False
    return all(
        (word in _PARTICLES and len(words) > 1) or _WORD.match(word) is not None
        for word in words
    ) and not all(word in _PARTICLES for word in words)


def ascii_fold(text: str) -> str:
    """'Müller-Lüdenscheidt' -> 'muller-ludenscheidt' for e-mail local parts."""
    folded = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return folded.encode("ascii", "ignore").decode().lower()


def email_part(name: str) -> str:
    """'Müller-Lüdenscheidt' -> 'mullerludenscheidt'."""
    return re.sub(r"[^a-z0-9]", "", ascii_fold(name))


@dataclass(frozen=True)
class CountryPools:
    first_female: np.ndarray
    first_male: np.ndarray
    last: np.ndarray
    street: np.ndarray
    city: np.ndarray
    state: np.ndarray
    postal_code: np.ndarray
    corporate_domains: np.ndarray


def _unique(make, count: int, keep=lambda value: True) -> np.ndarray:
    values: dict[str, None] = {}
    for _ in range(count * 3):
        value = make()
        if keep(value):
            values[value] = None
        if len(values) == count:
            break
    return np.array(sorted(values), dtype=object)


def _state(fake: Faker) -> str:
    for provider in ("administrative_unit", "state", "county"):
        method = getattr(fake, provider, None)
        if method is not None:
            return method()
    raise LookupError(f"Faker locale {fake.locales} has no state-like provider")


def _city_drawer(fake: Faker):
    """fake.city, made independent of Python's hash seed.

    Some Faker locales (it_IT) build their city list from a set, so its order, and with it
    fake.city(), changes from one process to the next. Drawing from the sorted list is stable.
    """
    listed = [p.cities for p in fake.providers if isinstance(getattr(p, "cities", None), list)]
    if not listed:
        return fake.city
    cities = sorted(listed[0])
    return lambda: fake.random_element(cities)


def build_pools(country: Country, seed: int) -> CountryPools:
    fake = Faker(country.faker_locale)
    fake.seed_instance(seed * 1009 + sum(map(ord, country.code)))
    clean_name = lambda name: is_cleanly_cased(name) and name.upper().lower() == name.lower()  # noqa: E731
    # A clean value that is also a placeholder ('None', a town in Piedmont) cannot be told
    # from a missing one: such values stay out of the clean data.
    markers = set(project_vars()["null_markers"])

    draw_city = _city_drawer(fake)
    streets, cities, states, postcodes = [], [], [], []
    for _ in range(ADDRESSES):
        postcode = fake.postcode()
        city = draw_city()
        if not country.postal_code_fits(postcode) or city.lower() in markers:
            continue
        # Some locales put a newline or a trailing space in the street line.
        streets.append(" ".join(fake.street_address().split()))
        cities.append(city)
        states.append(_state(fake))
        postcodes.append(postcode)

    return CountryPools(
        first_female=_unique(fake.first_name_female, FIRST_NAMES, clean_name),
        first_male=_unique(fake.first_name_male, FIRST_NAMES, clean_name),
        last=_unique(fake.last_name, LAST_NAMES, clean_name),
        street=np.array(streets, dtype=object),
        city=np.array(cities, dtype=object),
        state=np.array(states, dtype=object),
        postal_code=np.array(postcodes, dtype=object),
        corporate_domains=_unique(
            fake.domain_name, CORPORATE_DOMAINS, lambda d: re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", d)
        ),
    )
