"""Vectorised text building with Arrow, shared by the generators."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def text(numbers: np.ndarray) -> pa.Array:
    """Decimal text of each number."""
    return pc.cast(pa.array(numbers), pa.string())


def padded(numbers: np.ndarray, width: int | np.ndarray) -> pa.Array:
    """Zero-padded decimal text of a fixed or per-row width: 10**width + n, first digit dropped."""
    return pc.utf8_slice_codeunits(text(np.int64(10) ** width + numbers.astype(np.int64)), 1)


def join(*parts: pa.Array | str) -> pa.Array:
    """Concatenate arrays and literal strings row by row."""
    return pc.binary_join_element_wise(*parts, "")
