"""One run date's raw products, stores and transactions, with ground truth and a manifest.

Same design as the customer generator: every value is a pure function of (seed, identity)
through `KeyedRandom`; the clean data is built with Arrow/numpy, a chunk of rows at a time on
every core (so memory stays bounded and the chunks never show in the file), and only the few
defective rows go through Python.

Identities:
  product    its 1-based number (`P000001`): the catalogue is the same on every run date
  store      its 1-based number (`S0001`); stores 1-5 are JP (online, JPY), US, GB, CA, DE
  transaction (run date, row number): `T<yyyymmdd><8 digits>`

Customers are the holders of that date's customer slots (`customer_numbers`), restricted to
slots whose customer record is clean in `customers.parquet` generated with the same seed,
`customer_rows` and `customer_defect_rate`, so a clean transaction always points at a clean,
existing customer and its `signup_date` can be checked.

Product prices are list prices in USD; an amount is price x quantity converted at fixed
rates (`FX_PER_USD`, seed ref_fx_rates) and rounded to the currency's minor unit (`CURRENCY_DECIMALS`).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from seeds_gen import __version__, reference
from seeds_gen.arrow_text import join, padded, text
from seeds_gen.customers import COUNTRY_WEIGHTS, EPOCH, customer_numbers, iso_dates
from seeds_gen.files import sha256_of, staged
from seeds_gen.generator import CLEAN as CLEAN_CUSTOMER
from seeds_gen.generator import GeneratorError, plan_slots, prepare_output, progress_bar
from seeds_gen.keyed_random import KeyedRandom
from seeds_gen.parallel import map_ordered

PRODUCTS_FILE = "products.parquet"
STORES_FILE = "stores.parquet"
TRANSACTIONS_FILE = "transactions.parquet"
DEFECTS_FILE = "_transaction_defects.parquet"
MANIFEST_FILE = "_transactions_manifest.json"

PRODUCT_COLUMNS = ("product_id", "name", "category", "price")
STORE_COLUMNS = ("store_id", "name", "kind", "country")
TRANSACTION_COLUMNS = ("transaction_id", "customer_id", "product_id", "store_id", "amount", "currency",
                       "timestamp", "status", "quantity", "payment_method")
DEFECTS_SCHEMA = pa.schema([
    ("source_row_number", pa.int64()), ("transaction_id", pa.string()), ("column_name", pa.string()),
    ("defect_type", pa.string()), ("clean_value", pa.string()), ("dirty_value", pa.string()),
    ("expected_handling", pa.string()),
])

CURRENCY_OF_COUNTRY = {"US": "USD", "GB": "GBP", "CA": "CAD", "DE": "EUR", "FR": "EUR", "ES": "EUR",
                       "IT": "EUR", "NL": "EUR", "JP": "JPY"}
# The currencies in use, with their minor units and rates from the dbt seeds the models check
# and convert with (ref_currencies, ref_fx_rates): one definition for generator and SQL.
CURRENCIES_IN_USE = ("USD", "EUR", "GBP", "CAD", "JPY")
CURRENCY_DECIMALS = {c: reference.currency_minor_units()[c] for c in CURRENCIES_IN_USE}
FX_PER_USD = {c: reference.fx_units_per_usd()[c] for c in CURRENCIES_IN_USE}
STATUSES = {"completed": 0.90, "pending": 0.04, "refunded": 0.04, "failed": 0.02}
PAYMENT_METHODS = {"credit_card": 0.45, "debit_card": 0.25, "paypal": 0.12, "cash": 0.10,
                   "apple_pay": 0.05, "gift_card": 0.03}
QUANTITIES = {1: 0.70, 2: 0.18, 3: 0.07, 4: 0.03, 5: 0.02}
ONLINE_SHARE = 0.3
# category -> (median list price in USD, nouns)
CATEGORIES = {
    "electronics": (120.0, ("Headphones", "Speaker", "Charger", "Monitor", "Keyboard", "Camera")),
    "home": (45.0, ("Blender", "Lamp", "Kettle", "Pillow", "Toaster", "Rug")),
    "grocery": (6.0, ("Coffee", "Olive Oil", "Pasta", "Tea", "Chocolate", "Honey")),
    "apparel": (35.0, ("T-Shirt", "Jacket", "Sneakers", "Scarf", "Jeans", "Hoodie")),
    "beauty": (18.0, ("Shampoo", "Lotion", "Perfume", "Lip Balm", "Serum", "Soap")),
    "sports": (40.0, ("Yoga Mat", "Dumbbell", "Water Bottle", "Tennis Balls", "Helmet", "Backpack")),
    "toys": (22.0, ("Puzzle", "Building Set", "Plush Bear", "Board Game", "Kite", "Robot")),
    "books": (15.0, ("Cookbook", "Novel", "Atlas", "Notebook", "Biography", "Guide")),
}
ADJECTIVES = ("Classic", "Premium", "Compact", "Eco", "Deluxe", "Essential", "Smart", "Organic")
BRANDS = ("Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Adventure Works")
STORE_COUNTRY_WEIGHTS = COUNTRY_WEIGHTS
FIRST_STORE_COUNTRIES = ("JP", "US", "GB", "CA", "DE")  # one store per currency; store 1 is online

# Defect catalog: name -> (column, expected handling, relative weight).
DEFECT_CATALOG = {
    "missing_customer_id": ("customer_id", "quarantine", 2),
    "missing_amount": ("amount", "quarantine", 2),
    "missing_timestamp": ("timestamp", "quarantine", 2),
    "amount_non_positive": ("amount", "quarantine", 2),
    "currency_invalid": ("currency", "quarantine", 2),
    "amount_precision": ("amount", "flag", 2),
    "before_signup": ("timestamp", "quarantine", 2),
    "unknown_customer": ("customer_id", "quarantine", 2),
    "unknown_product": ("product_id", "quarantine", 1),
    "unknown_store": ("store_id", "quarantine", 1),
    "duplicate_transaction": ("transaction_id", "deduplicate", 2),
    "amount_extreme": ("amount", "flag", 2),
}
BOT_DEFECT = "bot_customer"
ALL_DEFECT_TYPES = (*DEFECT_CATALOG, BOT_DEFECT)
INVALID_CURRENCIES = ("XXX", "US$", "EURO", "€", "DOLLAR", "999")
BOT_MIN_TRANSACTIONS, BOT_MAX_TRANSACTIONS = 51, 120  # "more than 50 in a day"
BOT_MAX_ROW_SHARE = 0.10  # bots are dropped on days too small to hold them
UNKNOWN_CUSTOMER_FIRST_SLOT = 90_000_000  # customer files never have this many slots

CLEAN, DEFECTIVE, DUPLICATE, BOT = 0, 1, 2, 3


@dataclass(frozen=True)
class TransactionsRequest:
    out_dir: Path
    run_date: date
    rows: int = 20_000
    products: int = 1_000
    stores: int = 20
    customer_rows: int = 3_500
    seed: int = 42
    defect_rate: float = 0.03
    customer_defect_rate: float = 0.08  # must match the customers file's, to know its clean slots
    overwrite: bool = False
    progress: bool = False

    @property
    def raw_dir(self) -> Path:
        return self.out_dir / "raw" / self.run_date.isoformat()


# --- small Arrow helpers -------------------------------------------------------------------


def _pick(labels: dict, kr: KeyedRandom, stream: str, keys: np.ndarray) -> np.ndarray:
    return kr.weighted(stream, keys, list(labels.values()))


def _money(minor: np.ndarray, decimals: np.ndarray) -> pa.Array:
    """Minor units as text with each row's number of decimals (0 or 2)."""
    two = join(text(minor // 100), ".", padded(minor % 100, 2))
    return pc.if_else(pa.array(decimals == 0), text(minor), two)


def _format_money(minor: int, decimals: int) -> str:
    return str(minor) if decimals == 0 else f"{minor // 100}.{minor % 100:02d}"


def _timestamps(days: np.ndarray, seconds: np.ndarray) -> pa.Array:
    return join(iso_dates(days), "T", padded(seconds // 3600, 2), ":", padded(seconds // 60 % 60, 2),
                 ":", padded(seconds % 60, 2), "Z")


# --- reference data ------------------------------------------------------------------------

def build_products(kr: KeyedRandom, count: int) -> tuple[pa.Table, np.ndarray]:
    """The product catalogue and each product's list price in US cents."""
    number = np.arange(1, count + 1)
    names = list(CATEGORIES)
    category = kr.integers("product.category", number, len(names))
    noun_lists = [CATEGORIES[c][1] for c in names]
    nouns = pa.array([n for ns in noun_lists for n in ns])
    noun = category * len(noun_lists[0]) + kr.integers("product.noun", number, len(noun_lists[0]))
    median = np.array([CATEGORIES[c][0] for c in names])[category]
    price = np.clip(median * np.exp(0.5 * kr.normal("product.price", number)), 0.99, 5_000)
    cents = np.round(price * 100).astype(np.int64)
    table = pa.table({
        "product_id": join("P", padded(number, 6)),
        "name": join(pa.array(ADJECTIVES).take(pa.array(kr.integers("product.adjective", number,
                                                                     len(ADJECTIVES)))),
                      " ", nouns.take(pa.array(noun)), " ", text(100 + kr.integers("product.model", number, 900))),
        "category": pa.array(names).take(pa.array(category)),
        "price": _money(cents, np.full(count, 2)),
    })
    return table, cents


def build_stores(kr: KeyedRandom, count: int) -> tuple[pa.Table, list[str]]:
    """The stores and each store's currency.

    Stores 1-5 are in JP (online), US, GB, CA and DE, so every currency occurs; the rest are
    drawn by country weight."""
    number = np.arange(1, count + 1)
    codes = list(STORE_COUNTRY_WEIGHTS)
    country = np.array(codes)[kr.weighted("store.country", number, list(STORE_COUNTRY_WEIGHTS.values()))]
    online = kr.uniform("store.online", number) < ONLINE_SHARE
    fixed = FIRST_STORE_COUNTRIES[:count]
    country[:len(fixed)] = fixed
    online[0] = True
    brand = np.array(BRANDS)[kr.integers("store.brand", number, len(BRANDS))]
    kind = np.where(online, "online", "retail")
    table = pa.table({
        "store_id": join("S", padded(number, 4)),
        "name": pa.array([f"{b} {c} {'Online' if o else f'#{n}'}"
                          for b, c, o, n in zip(brand, country, online, number, strict=True)]),
        "kind": pa.array(kind),
        "country": pa.array(country),
    })
    return table, [CURRENCY_OF_COUNTRY[c] for c in country]


def customer_population(kr: KeyedRandom, request: TransactionsRequest, day: int) -> tuple[np.ndarray, np.ndarray]:
    """(customer number, signup day) of every customer whose record is clean in that date's file."""
    kinds = plan_slots(kr, request.customer_rows, day, request.customer_defect_rate)
    slots = np.flatnonzero(kinds == CLEAN_CUSTOMER)
    return customer_numbers(kr, slots, day)


def choose_bots(kr: KeyedRandom, day: int, population: int, rows: int) -> list[tuple[int, int]]:
    """2-3 (population index, transactions today) for the day's bot-like customers."""
    count = 2 + int(kr.uniform("bot.count", day) < 0.5)
    bots: list[tuple[int, int]] = []
    for b in range(count * 8):  # a few retries when two bots land on the same customer
        if len(bots) == count or population <= count:
            break
        key = day * 64 + b
        index = int(kr.integers("bot.customer", key, population))
        if index not in {i for i, _ in bots}:
            spread = BOT_MAX_TRANSACTIONS - BOT_MIN_TRANSACTIONS + 1
            txns = BOT_MIN_TRANSACTIONS + int(kr.integers("bot.txns", key, spread))
            bots.append((index, txns))
    while bots and sum(n for _, n in bots) > BOT_MAX_ROW_SHARE * rows:
        bots.pop()
    return bots


# --- transactions --------------------------------------------------------------------------

# A day is built and written in chunks of rows, so memory stays bounded however many
# transactions it holds (built whole, a day took ~550 MB per million rows). A multiple of
# ROW_GROUP_ROWS, so the file is the same, byte for byte, whatever the chunk size.
CHUNK_ROWS = 1_000_000


@dataclass(frozen=True)
class Day:
    """What every chunk of a run date shares: who can buy, the bots and the rows they bought,
    and the prices and currencies amounts are made from."""
    request: TransactionsRequest
    day: int
    customers: np.ndarray  # customer number of each clean customer of that date's file
    signups: np.ndarray  # their signup days
    normal: np.ndarray  # population indices of the customers who are not bots
    bots: list[tuple[int, int]]  # (population index, transactions today)
    bot_rows: np.ndarray  # the rows the bots bought, ascending
    bot_owners: np.ndarray  # the population index of the bot of each of bot_rows
    price_cents: np.ndarray
    store_currency: np.ndarray  # index into CURRENCY_DECIMALS of each store's currency
    online: np.ndarray  # whether each store is online


def _keys(day: int, rows: np.ndarray) -> np.ndarray:
    return (np.uint64(day) << np.uint64(32)) | rows.astype(np.uint64)


def _drawn_kinds(kr: KeyedRandom, request: TransactionsRequest, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's fate before the bots are placed (CLEAN, DEFECTIVE or DUPLICATE) and its defect."""
    names = list(DEFECT_CATALOG)
    kinds = np.where(kr.uniform("txn.kind", key) < request.defect_rate, DEFECTIVE, CLEAN)
    defect = kr.weighted("txn.defect", key, [w for _, _, w in DEFECT_CATALOG.values()])
    kinds[(kinds == DEFECTIVE) & (defect == names.index("duplicate_transaction"))] = DUPLICATE
    return kinds, defect


def _pick_bot_rows(kr: KeyedRandom, request: TransactionsRequest, day: int, count: int) -> np.ndarray:
    """The `count` clean rows first in a keyed shuffle of the day's clean rows (ties by row),
    ascending: found chunk by chunk, keeping the first `count` seen so far."""
    rows, draws = np.empty(0, np.int64), np.empty(0, np.float64)
    for start in range(0, request.rows, CHUNK_ROWS):
        chunk = np.arange(start, min(start + CHUNK_ROWS, request.rows))
        key = _keys(day, chunk)
        clean = _drawn_kinds(kr, request, key)[0] == CLEAN
        rows = np.concatenate([rows, chunk[clean]])
        draws = np.concatenate([draws, kr.uniform("txn.bot_pick", key[clean])])
        first = np.lexsort((rows, draws))[:count]
        rows, draws = rows[first], draws[first]
    return np.sort(rows)


def plan_day(kr: KeyedRandom, request: TransactionsRequest, price_cents: np.ndarray, currencies: list[str]) -> Day:
    day = (request.run_date - EPOCH).days
    cust, signup = customer_population(kr, request, day)
    if len(cust) == 0:
        raise GeneratorError("no clean customers to buy anything; raise --customer-rows")
    bots = choose_bots(kr, day, len(cust), request.rows)
    bot_mask = np.zeros(len(cust), dtype=bool)
    bot_mask[[i for i, _ in bots]] = True
    normal = np.flatnonzero(~bot_mask)
    if len(normal) == 0:
        raise GeneratorError("no customers left besides the bots; raise --customer-rows")
    bot_owners = np.repeat([i for i, _ in bots], [t for _, t in bots]).astype(np.int64)
    return Day(request, day, cust, signup, normal, bots, _pick_bot_rows(kr, request, day, len(bot_owners)),
               bot_owners, price_cents, np.array([list(CURRENCY_DECIMALS).index(c) for c in currencies]),
               _online_stores(kr, request.stores))


@dataclass
class Rows:
    """Some rows of the day, clean, with the draws their defects are made from."""
    rows: np.ndarray
    kinds: np.ndarray
    defect: np.ndarray
    who: np.ndarray  # population index of the buyer
    minor: np.ndarray
    decimals: np.ndarray
    seconds: np.ndarray
    table: pa.Table


def _bot_positions(plan: Day, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of `rows` a bot bought, and the position of each of those in plan.bot_rows."""
    position = np.searchsorted(plan.bot_rows, rows)
    is_bot = position < len(plan.bot_rows)
    is_bot[is_bot] = plan.bot_rows[position[is_bot]] == rows[is_bot]
    return is_bot, position[is_bot]


def _kinds_and_defects(kr: KeyedRandom, plan: Day, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each of `rows`' fate (CLEAN, DEFECTIVE, DUPLICATE or BOT) and its defect."""
    kinds, defect = _drawn_kinds(kr, plan.request, _keys(plan.day, rows))
    kinds[_bot_positions(plan, rows)[0]] = BOT
    return kinds, defect


def build_rows(kr: KeyedRandom, plan: Day, rows: np.ndarray) -> Rows:
    """The clean values of `rows` (any rows of the day: each is a pure function of its key)."""
    request, n = plan.request, len(rows)
    key = _keys(plan.day, rows)
    kinds, defect = _kinds_and_defects(kr, plan, rows)
    # Customers: uniform over the normal population, except the bots' rows.
    who = plan.normal[kr.integers("txn.customer", key, len(plan.normal))]
    is_bot, position = _bot_positions(plan, rows)
    who[is_bot] = plan.bot_owners[position]

    # Popular products sell more: index = products * u^2.
    product = (request.products * kr.uniform("txn.product", key) ** 2).astype(np.int64)
    store = kr.integers("txn.store", key, request.stores)
    quantity = np.array(list(QUANTITIES))[_pick(QUANTITIES, kr, "txn.quantity", key)]
    currency_index = plan.store_currency[store]
    currency_names = np.array(list(CURRENCY_DECIMALS))
    decimals = np.array(list(CURRENCY_DECIMALS.values()))[currency_index]
    fx = np.array(list(FX_PER_USD[c] for c in CURRENCY_DECIMALS))[currency_index]
    minor = np.round(plan.price_cents[product] * quantity * fx * 10.0**decimals / 100).astype(np.int64)
    minor = np.maximum(minor, 1)
    seconds = kr.integers("txn.second", key, 86_400)
    payment = np.array(list(PAYMENT_METHODS))[_pick(PAYMENT_METHODS, kr, "txn.payment", key)]
    payment = np.where(plan.online[store] & (payment == "cash"), "credit_card", payment)

    table = pa.table({
        "transaction_id": join("T" + request.run_date.strftime("%Y%m%d"), padded(rows + 1, 8)),
        "customer_id": join("C", padded(plan.customers[who].astype(np.int64), 11)),
        "product_id": join("P", padded(product + 1, 6)),
        "store_id": join("S", padded(store + 1, 4)),
        "amount": _money(minor, decimals),
        "currency": pa.array(currency_names[currency_index]),
        "timestamp": _timestamps(np.full(n, plan.day), seconds),
        "status": pa.array(np.array(list(STATUSES))[_pick(STATUSES, kr, "txn.status", key)]),
        "quantity": text(quantity),
        "payment_method": pa.array(payment),
    })
    table = pa.table({c: table[c].cast(pa.string()) for c in TRANSACTION_COLUMNS})
    return Rows(rows, kinds, defect, who, minor, decimals, seconds, table)


def _duplicated_row(kr: KeyedRandom, plan: Day, chunk: Rows, row: int, rng: random.Random) -> dict | None:
    """The clean record a duplicate repeats: the first clean row at or before a random one of the
    40 before it (in an earlier chunk, possibly); None when there is none."""
    first = int(chunk.rows[0])
    source = row - 1 - rng.randint(0, 39)
    while source >= 0:
        if source >= first:
            if chunk.kinds[source - first] == CLEAN:
                return chunk.table.slice(source - first, 1).to_pylist()[0]
        elif _kinds_and_defects(kr, plan, np.array([source]))[0][0] == CLEAN:
            return build_rows(kr, plan, np.array([source])).table.to_pylist()[0]
        source -= 1
    return None


# The day the worker processes build chunks of (a Day holds arrays of every customer: handed to
# each worker once, not pickled with every chunk).
_shared_day: tuple[KeyedRandom, Day] | None = None


def _share_day(kr: KeyedRandom, plan: Day) -> None:
    global _shared_day
    _shared_day = (kr, plan)


def _build_shared_day_chunk(start: int, stop: int) -> tuple[pa.Table, pa.Table]:
    assert _shared_day is not None, "_share_day() first"
    return build_chunk(*_shared_day, start, stop)


def build_chunk(kr: KeyedRandom, plan: Day, start: int, stop: int) -> tuple[pa.Table, pa.Table]:
    """Rows [start, stop) of the day with their defects, and their ground truth."""
    request = plan.request
    chunk = build_rows(kr, plan, np.arange(start, stop))
    truth: list[tuple[int, str, str, str, str | None, str | None, str]] = []
    for i in chunk.rows[chunk.kinds == BOT].tolist():
        cid = f"C{int(plan.customers[chunk.who[i - start]]):011d}"
        truth.append((i, f"T{request.run_date:%Y%m%d}{i + 1:08d}", "customer_id", BOT_DEFECT, cid, cid, "flag"))

    # The few defective rows, one at a time.
    names = list(DEFECT_CATALOG)
    changed = np.flatnonzero((chunk.kinds == DEFECTIVE) | (chunk.kinds == DUPLICATE)).tolist()
    rng_seeds = kr.bits("txn.rng", _keys(plan.day, chunk.rows[changed])).tolist()
    records = chunk.table.take(pa.array(changed, pa.int64())).to_pylist()
    for k, (j, record) in enumerate(zip(changed, records, strict=True)):
        i, rng = start + j, random.Random(rng_seeds[k])
        if chunk.kinds[j] == DUPLICATE:
            copy = _duplicated_row(kr, plan, chunk, i, rng)
            if copy is not None:  # else nothing clean before it: the row stays as it is
                records[k] = copy
                truth.append((i, copy["transaction_id"], "transaction_id", "duplicate_transaction", None,
                              copy["transaction_id"], "deduplicate"))
            continue
        name = names[chunk.defect[j]]
        column, handling, _ = DEFECT_CATALOG[name]
        clean = record[column]
        dirty = _corrupt(name, record, rng, request, int(chunk.minor[j]), int(chunk.decimals[j]),
                         int(plan.signups[chunk.who[j]]), int(chunk.seconds[j]))
        record[column] = dirty
        truth.append((i, record["transaction_id"], column, name, clean, dirty, handling))
    table = chunk.table
    if changed:
        mask = np.zeros(len(chunk.rows), dtype=bool)
        mask[changed] = True
        table = pa.table({c: pc.replace_with_mask(table[c].combine_chunks(), pa.array(mask),
                                                  pa.array([r[c] for r in records], pa.string()))
                          for c in TRANSACTION_COLUMNS})
    truth.sort(key=lambda t: (t[0], t[2]))
    return table, _truth_table(truth)

def _online_stores(kr: KeyedRandom, count: int) -> np.ndarray:
    online = kr.uniform("store.online", np.arange(1, count + 1)) < ONLINE_SHARE
    online[0] = True
    return online


def _corrupt(name: str, record: dict, rng: random.Random, request: TransactionsRequest, minor: int,
             decimals: int, signup_day: int, second: int) -> str | None:
    if name.startswith("missing_"):
        return None
    if name == "amount_non_positive":
        return rng.choice(["0", _format_money(0, decimals), "-" + _format_money(minor, decimals)])
    if name == "currency_invalid":
        return rng.choice(INVALID_CURRENCIES)
    if name == "amount_precision":  # one decimal more than the currency allows
        return _format_money(minor, decimals) + ("." if decimals == 0 else "") + str(rng.randint(1, 9))
    if name == "amount_extreme":
        return _format_money(minor * rng.randint(20, 200), decimals)
    if name == "before_signup":
        before = EPOCH + timedelta(days=signup_day - rng.randint(1, 365))
        return f"{before.isoformat()}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}Z"
    if name == "unknown_customer":
        slot = UNKNOWN_CUSTOMER_FIRST_SLOT + rng.randrange(9_000_000)
        return f"C{slot * 1000 + rng.randrange(1000):011d}"
    if name == "unknown_product":
        return f"P{request.products + 1 + rng.randrange(1000):06d}"
    if name == "unknown_store":
        return f"S{request.stores + 1 + rng.randrange(100):04d}"
    raise ValueError(name)


def _truth_table(rows: list[tuple]) -> pa.Table:
    return pa.table({name: [r[k] for r in rows] for k, name in enumerate(DEFECTS_SCHEMA.names)},
                    schema=DEFECTS_SCHEMA)


# --- files ---------------------------------------------------------------------------------

OUTPUT_FILES = (PRODUCTS_FILE, STORES_FILE, TRANSACTIONS_FILE, DEFECTS_FILE)


# DuckDB reads a Parquet file in parallel by row group: a day of 1M transactions in one row
# group (pyarrow's default size) is read by one thread. The customer file's row groups are its
# chunks of 100,000 rows; the same here.
ROW_GROUP_ROWS = 100_000


def _validate(request: TransactionsRequest) -> None:
    for field in ("rows", "products", "stores", "customer_rows"):
        if getattr(request, field) <= 0:
            raise GeneratorError(f"{field} must be greater than 0, got {getattr(request, field)}")
    for field in ("defect_rate", "customer_defect_rate"):
        if not 0 <= getattr(request, field) <= 0.5:
            raise GeneratorError(f"{field} must be between 0 and 0.5, got {getattr(request, field)}")
    if request.run_date < EPOCH:
        raise GeneratorError(f"run date must be on or after {EPOCH}, got {request.run_date}")


def _write(table: pa.Table, path: Path) -> None:
    with staged(path) as tmp:
        pq.write_table(table, tmp, row_group_size=ROW_GROUP_ROWS)


def generate_transactions(request: TransactionsRequest) -> dict:
    """Write the run date's products, stores, transactions and ground truth; return the manifest."""
    _validate(request)
    prepare_output(request.raw_dir, OUTPUT_FILES, request.overwrite)
    kr = KeyedRandom(request.seed)
    products, price_cents = build_products(kr, request.products)
    stores, currencies = build_stores(kr, request.stores)
    plan = plan_day(kr, request, price_cents, currencies)

    paths = [request.raw_dir / name for name in OUTPUT_FILES]
    for table, path in ((products, paths[0]), (stores, paths[1])):
        _write(table, path)
    truth_tables: list[pa.Table] = []
    progress, task = progress_bar(f"transactions {request.run_date}", request.rows, request.progress)
    schema = pa.schema([(c, pa.string()) for c in TRANSACTION_COLUMNS])
    chunks = [(start, min(start + CHUNK_ROWS, request.rows)) for start in range(0, request.rows, CHUNK_ROWS)]
    with progress, staged(paths[2]) as tmp, pq.ParquetWriter(tmp, schema) as writer:
        for table, truth in map_ordered(_build_shared_day_chunk, chunks, _share_day, (kr, plan)):
            writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
            truth_tables.append(truth)
            progress.advance(task, table.num_rows)
    truth = pa.concat_tables(truth_tables).combine_chunks()
    _write(truth, paths[3])

    defect_types = truth["defect_type"].to_pylist()
    rows_with_defects = {r for r, t in zip(truth["source_row_number"].to_pylist(), defect_types,
                                           strict=True) if t != BOT_DEFECT}
    manifest = {
        "generator": "seeds_gen",
        "generator_version": __version__,
        "entity": "transactions",
        "seed": request.seed,
        "run_date": request.run_date.isoformat(),
        "rows": request.rows,
        "products": request.products,
        "stores": request.stores,
        "customer_rows": request.customer_rows,
        "customer_defect_rate": request.customer_defect_rate,
        "defect_rate": request.defect_rate,
        "records_with_defects": len(rows_with_defects),  # bot transactions not included
        "bot_customers": [f"C{int(plan.customers[i]):011d}" for i, _ in plan.bots],
        "columns": {"products": list(PRODUCT_COLUMNS), "stores": list(STORE_COLUMNS),
                    "transactions": list(TRANSACTION_COLUMNS)},
        "files": {p.name: {"bytes": p.stat().st_size, "sha256": sha256_of(p)} for p in paths},
        "defect_counts": dict(sorted(Counter(defect_types).items())),
        "defect_types": list(ALL_DEFECT_TYPES),
    }
    with staged(request.raw_dir / MANIFEST_FILE) as tmp:
        tmp.write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
