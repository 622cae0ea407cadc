"""Order-preserving parallel map over processes, with bounded memory."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def map_ordered(function: Callable[..., T], calls: list[tuple], initializer: Callable[..., object] | None = None,
                initargs: tuple = ()) -> Iterator[T]:
    """Run `function(*args)` for each of `calls` on every core; yield results in call order.

    At most one result per worker waits to be consumed, so memory stays bounded however
    many calls there are. Everything a call returns is deterministic, so the order of
    execution never shows in the output. `initializer(*initargs)` runs once in each worker
    first: state every call shares is handed over once (workers are forked, so not even
    copied), not pickled with each call.
    """
    workers = min(os.cpu_count() or 1, len(calls))
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        yield from (function(*args) for args in calls)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=initializer, initargs=initargs) as pool:
        pending: deque[Future[T]] = deque()
        for args in calls:
            pending.append(pool.submit(function, *args))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
