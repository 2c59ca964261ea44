"""The local engine: the per-article work in worker processes on this machine, models loaded once
per worker; the runner feeds the indexes in article order in this process."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from storyline.engines.runner import Mapper
from storyline.engines.work import Computed, Task, compute, compute_in_worker, one_thread, worker_init

# Fewer pending articles than this run in this process: starting a worker (spawn, then spaCy and
# MiniLM loaded again) costs several seconds, more than two batches of work.
MIN_ARTICLES_FOR_WORKERS = 48


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def local_mapper(workers: int, articles: int) -> Iterator[Mapper]:
    """A mapper over ``workers`` processes (this process alone for one worker or a small run)."""
    if workers <= 1 or articles < MIN_ARTICLES_FOR_WORKERS:
        with one_thread():
            yield _in_process
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=worker_init) as pool:
        yield _pooled(pool)


def _in_process(batches: Sequence[Sequence[Task]]) -> Iterator[Computed]:
    for batch in batches:
        yield compute(batch)


def _pooled(pool: ProcessPoolExecutor) -> Callable[[Sequence[Sequence[Task]]], Iterator[Computed]]:
    def mapper(batches: Sequence[Sequence[Task]]) -> Iterator[Computed]:
        yield from pool.map(compute_in_worker, batches)

    return mapper
