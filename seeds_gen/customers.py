"""The clean customer population on a run date, vectorised with Arrow.

Identity model: the file has a fixed number of customer *slots*. Each slot is held by one
customer at a time; every few years (per-slot period) the holder leaves and a new customer
signs up in its place. Within a customer's life, address, e-mail, phone and segment change
on their own slow clocks. So consecutive run dates share almost every customer, a small
share change an attribute, and a few new customers appear, as a CRM extract would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from seeds_gen.arrow_text import join, padded, text
from seeds_gen.keyed_random import KeyedRandom
from seeds_gen.parallel import map_ordered
from seeds_gen.pools import CountryPools, build_pools, email_part
from seeds_gen.reference import Country, free_mail_domains

EPOCH = date(2000, 1, 1)
_UNIX_OFFSET = (EPOCH - date(1970, 1, 1)).days
GENERATIONS_PER_SLOT = 1000  # customer number = slot * 1000 + generation

RAW_COLUMNS = (
    "customer_id", "first_name", "last_name", "email", "phone", "date_of_birth", "gender",
    "street_address", "city", "state", "postal_code", "country", "signup_date", "segment",
    "annual_income", "marketing_opt_in", "last_purchase_date",
)
COUNTRY_WEIGHTS = {"US": 0.30, "GB": 0.15, "DE": 0.14, "FR": 0.11, "ES": 0.08, "IT": 0.08,
                   "NL": 0.06, "CA": 0.08}
GENDERS = {"female": 0.49, "male": 0.49, "non_binary": 0.02}
SEGMENTS = {"bronze": 0.55, "silver": 0.28, "gold": 0.13, "platinum": 0.04}
OPT_IN_SHARE = 0.6
CORPORATE_EMAIL_SHARE = 0.25
# National significant number plans: (leading digits to choose from, further random digits).
PHONE_PLANS = {
    "US": (tuple("23456789"), 9), "CA": (tuple("23456789"), 9), "GB": (("7",), 9),
    "DE": (("151", "160", "170", "176"), 8), "FR": (("6", "7"), 8), "ES": (("6", "7"), 8),
    "IT": (("3",), 9), "NL": (("6",), 8),
}


@dataclass(frozen=True)
class Pool:
    """Per-country value lists laid end to end; parallel columns share one index."""

    columns: dict[str, pa.Array]
    offset: np.ndarray
    size: np.ndarray

    @classmethod
    def of(cls, per_country: Sequence[dict[str, Sequence[str]]]) -> Pool:
        sizes = np.array([len(next(iter(c.values()))) for c in per_country])
        names = per_country[0].keys()
        return cls(
            columns={n: pa.array([v for c in per_country for v in c[n]], pa.string()) for n in names},
            offset=np.concatenate([[0], np.cumsum(sizes)[:-1]]),
            size=sizes,
        )

    def index(self, kr: KeyedRandom, stream: str, keys: np.ndarray, country: np.ndarray) -> pa.Array:
        return pa.array(self.offset[country] + kr.integers(stream, keys, self.size[country]))

    def take(self, column: str, index: pa.Array) -> pa.Array:
        return self.columns[column].take(index)


@dataclass(frozen=True)
class World:
    """Everything drawn from Faker and the reference tables, built once per run."""

    codes: tuple[str, ...]
    calling_code: pa.Array
    phone_width: np.ndarray
    phone_lead: Pool
    first_female: Pool
    first_male: Pool
    last: Pool
    address: Pool
    corporate: Pool
    free_mail: Pool
    postal_codes: tuple[str, ...]  # every country's, for postal codes that do not fit

    @classmethod
    def build(cls, refs: dict[str, Country], seed: int) -> World:
        codes = tuple(COUNTRY_WEIGHTS)
        pools: list[CountryPools] = list(map_ordered(build_pools, [(refs[c], seed) for c in codes]))

        def names(attr: str) -> Pool:
            return Pool.of([{"name": getattr(p, attr), "email": [email_part(n) for n in getattr(p, attr)]}
                            for p in pools])

        return cls(
            codes=codes,
            calling_code=pa.array([refs[c].calling_code for c in codes]),
            phone_width=np.array([PHONE_PLANS[c][1] for c in codes]),
            phone_lead=Pool.of([{"lead": PHONE_PLANS[c][0]} for c in codes]),
            first_female=names("first_female"),
            first_male=names("first_male"),
            last=names("last"),
            address=Pool.of([{"street_address": p.street, "city": p.city, "state": p.state,
                              "postal_code": p.postal_code} for p in pools]),
            corporate=Pool.of([{"domain": p.corporate_domains} for p in pools]),
            free_mail=Pool.of([{"domain": free_mail_domains(refs[c].faker_locale)} for c in codes]),
            postal_codes=tuple(sorted({pc for p in pools for pc in p.postal_code[:100]})),
        )


def customer_numbers(kr: KeyedRandom, slots: np.ndarray, day: int) -> tuple[np.ndarray, np.ndarray]:
    """(customer number, signup day) of each slot's holder on `day` (days since EPOCH)."""
    period = 300 + kr.integers("slot.period", slots, 2700)
    phase = kr.integers("slot.phase", slots, period)
    generation = (day + phase) // period
    signup_day = generation * period - phase
    return (slots.astype(np.uint64) * np.uint64(GENERATIONS_PER_SLOT)
            + generation.astype(np.uint64)), signup_day


def _version_key(kr: KeyedRandom, stream: str, cust: np.ndarray, day: int,
                 min_days: int, max_days: int) -> tuple[np.ndarray, np.ndarray]:
    """A key that changes when the attribute changes: every `min..max` days per customer."""
    period = min_days + kr.integers(stream + ".period", cust, max_days - min_days)
    version = (day + kr.integers(stream + ".phase", cust, period)) // period
    return kr.bits(stream + ".key", cust) + version.astype(np.uint64), version


def iso_dates(days: np.ndarray) -> pa.Array:
    return pc.cast(pa.array((days + _UNIX_OFFSET).astype(np.int32), type=pa.date32()), pa.string())


def _pick(labels: dict[str, float], kr: KeyedRandom, stream: str, keys: np.ndarray) -> pa.Array:
    return pa.array(list(labels)).take(pa.array(kr.weighted(stream, keys, list(labels.values()))))


def build_clean(kr: KeyedRandom, world: World, slots: np.ndarray, day: int) -> tuple[pa.Table, np.ndarray]:
    """The clean raw table for `slots` on `day`, and each row's customer number."""
    cust, signup_day = customer_numbers(kr, slots, day)
    ci = kr.weighted("country", cust, list(COUNTRY_WEIGHTS.values()))
    gender_index = kr.weighted("gender", cust, list(GENDERS.values()))
    female = (gender_index == 0) | ((gender_index == 2) & (kr.uniform("nb.first", cust) < 0.5))

    address_key, _ = _version_key(kr, "address", cust, day, 700, 4000)
    email_key, email_version = _version_key(kr, "email", cust, day, 900, 5000)
    phone_key, _ = _version_key(kr, "phone", cust, day, 1000, 6000)
    segment_key, _ = _version_key(kr, "segment", cust, day, 400, 2500)

    fi = world.first_female.index(kr, "first_f", cust, ci)
    mi = world.first_male.index(kr, "first_m", cust, ci)
    li = world.last.index(kr, "last", cust, ci)
    female_mask = pa.array(female)
    first = pc.if_else(female_mask, world.first_female.take("name", fi), world.first_male.take("name", mi))
    first_e = pc.if_else(female_mask, world.first_female.take("email", fi), world.first_male.take("email", mi))
    last, last_e = world.last.take("name", li), world.last.take("email", li)

    # Local part styles: first.last, firstlast, flast, first_last. The slot and e-mail
    # version make every address in one file unique.
    style = pa.array(kr.integers("email.style", cust, 4).astype(np.int8))
    local = pc.choose(style, join(first_e, ".", last_e), join(first_e, last_e),
                      join(pc.utf8_slice_codeunits(first_e, 0, 1), last_e), join(first_e, "_", last_e))
    domain = pc.if_else(
        pa.array(kr.uniform("email.corporate", email_key) < CORPORATE_EMAIL_SHARE),
        world.corporate.take("domain", world.corporate.index(kr, "email.corp", email_key, ci)),
        world.free_mail.take("domain", world.free_mail.index(kr, "email.free", email_key, ci)),
    )
    email = join(local, text(slots * 4 + email_version % 4), "@", domain)

    width = world.phone_width[ci]
    phone = join("+", world.calling_code.take(pa.array(ci)),
                  world.phone_lead.take("lead", world.phone_lead.index(kr, "phone.lead", phone_key, ci)),
                  padded(kr.integers("phone.digits", phone_key, 10**width), width))

    # Age at signup: 18-86, bell-shaped around the mid-40s; tenure is at most ~8 years.
    bell = (kr.uniform("age.1", cust) + kr.uniform("age.2", cust) + kr.uniform("age.3", cust)) / 3
    age_days = ((18 + 68 * bell**1.3) * 365.25).astype(np.int64)
    cadence = 7 + kr.integers("purchase.cadence", cust, 173)
    last_purchase = day - (day + kr.integers("purchase.phase", cust, cadence)) % cadence

    # Log-normal income, median ~47k, whole cents.
    income = np.clip(np.exp(10.75 + 0.6 * kr.normal("income", cust)), 8_000, 2_000_000)
    cents = np.round(income * 100).astype(np.int64)

    ai = world.address.index(kr, "address.pick", address_key, ci)
    columns = {
        "customer_id": join("C", padded(cust.astype(np.int64), np.full(len(cust), 11))),
        "first_name": first,
        "last_name": last,
        "email": email,
        "phone": phone,
        "date_of_birth": iso_dates(signup_day - age_days),
        "gender": pa.array(list(GENDERS)).take(pa.array(gender_index)),
        **{c: world.address.take(c, ai) for c in ("street_address", "city", "state", "postal_code")},
        "country": pa.array(world.codes).take(pa.array(ci)),
        "signup_date": iso_dates(signup_day),
        "segment": _pick(SEGMENTS, kr, "segment", segment_key),
        "annual_income": join(text(cents // 100), ".", padded(cents % 100, np.full(len(cents), 2))),
        "marketing_opt_in": pa.array(np.where(kr.uniform("opt_in", cust) < OPT_IN_SHARE, "true", "false")),
        "last_purchase_date": iso_dates(np.maximum(last_purchase, signup_day)),
    }
    return pa.table({c: columns[c].cast(pa.string()) for c in RAW_COLUMNS}), cust
