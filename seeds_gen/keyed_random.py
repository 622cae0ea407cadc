"""Counter-based randomness: every draw is a pure function of (seed, stream, key).

A customer's attributes are keyed by its identity, not by its position in a file, so the same
customer looks the same on every run date, in every chunk size, and on every machine.
"""

from __future__ import annotations

import zlib

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TWO_POW_53 = float(2**53)


def splitmix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: a fast, well-mixed bijection on uint64."""
    with np.errstate(over="ignore"):
        x = x + _GOLDEN
        x = (x ^ (x >> np.uint64(30))) * _M1
        x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


class KeyedRandom:
    def __init__(self, seed: int) -> None:
        self.seed = seed

    def bits(self, stream: str, keys: np.ndarray | int) -> np.ndarray:
        tag = np.uint64((zlib.crc32(stream.encode()) << 32) ^ (self.seed & 0xFFFFFFFF))
        k = np.asarray(keys, dtype=np.uint64)
        return splitmix64(splitmix64(k ^ tag) ^ np.uint64(self.seed >> 32))

    def uniform(self, stream: str, keys: np.ndarray | int) -> np.ndarray:
        """Floats in [0, 1)."""
        return (self.bits(stream, keys) >> np.uint64(11)).astype(np.float64) / _TWO_POW_53

    def integers(self, stream: str, keys: np.ndarray | int, high: np.ndarray | int) -> np.ndarray:
        """Integers in [0, high); `high` may vary per key."""
        return (self.uniform(stream, keys) * high).astype(np.int64)

    def weighted(self, stream: str, keys: np.ndarray | int, weights: list[float]) -> np.ndarray:
        """Index into `weights`, drawn with those relative weights."""
        cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
        cumulative /= cumulative[-1]
        return np.searchsorted(cumulative, self.uniform(stream, keys), side="right")

    def normal(self, stream: str, keys: np.ndarray | int) -> np.ndarray:
        """Standard normal draws (Box-Muller)."""
        u1 = 1.0 - self.uniform(stream + ".u1", keys)
        u2 = self.uniform(stream + ".u2", keys)
        return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
