"""The per-article work of one batch, as any engine's worker runs it: no store, picklable in and out.

A task is a batch of articles, each with the stages still to compute for it and the stored
features of the stages it needs but does not compute. The stages run in order over the batch,
each one's features handed to the next in memory: one spaCy parse of an article serves the
people and claims stages, one sentence embedding serves reuse and events.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from storyline.records import Article
from storyline.stages.contract import Work


@dataclass(frozen=True, slots=True)
class Task:
    """One article of a batch: the stages to compute for it (in run order) and preloaded inputs."""

    article: Article
    stages: tuple[str, ...]
    preloaded: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Computed:
    """What a batch gave: per task, stage name -> features (as stored: passed through the codec);
    and the seconds each stage took over the batch."""

    results: list[dict[str, Any]]
    seconds: dict[str, float]


def compute(batch: Sequence[Task]) -> Computed:
    """The features of every task's stages.

    Each value is passed through its stage's codec before anything reads it, so a stage reads
    the same features whether they were computed in this batch or loaded from the store (the
    sentence vectors are stored as float16, for example).
    """
    import time

    from storyline.engines.catalog import STAGES

    results: list[dict[str, Any]] = [dict() for _ in batch]
    seconds: dict[str, float] = {}
    order = [name for name in STAGES if any(name in task.stages for task in batch)]
    for name in order:
        began = time.perf_counter()
        stage = STAGES[name]
        at = [i for i, task in enumerate(batch) if name in task.stages]
        works = [Work(batch[i].article, _inputs(batch[i], results[i], stage.requires)) for i in at]
        for i, features in zip(at, stage.compute(works), strict=True):
            article = batch[i].article.id
            results[i][name] = stage.features_of(stage.decode(article, stage.encode(features, None)))
        seconds[name] = time.perf_counter() - began
    return Computed(results, seconds)


def _inputs(task: Task, computed: dict[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """The required features at hand: computed in this batch, else loaded. One that is neither (a
    stage marked done without features, as the latency benchmark does) is left out: the stage
    decides (events reads ``inputs.get("people")``)."""
    found = {n: computed[n] for n in names if n in computed}
    found.update({n: task.preloaded[n] for n in names if n not in found and n in task.preloaded})
    return found


# The native thread pools a worker limits to one thread: OpenMP, OpenBLAS/MKL (numpy, thinc), the
# tokenizers. Spark sets OMP_NUM_THREADS=1 for its Python workers; the local workers do the same,
# or two workers on two cores each run two BLAS threads and fight over the cores.
_ONE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                   "TOKENIZERS_PARALLELISM": "false"}


@contextmanager
def one_thread() -> Iterator[None]:
    """Run the models and matrix products on one thread while the block runs: a worker is one
    core, and results must not depend on how many threads a product was split over (the engines
    compare equal whatever the worker count)."""
    import torch
    from threadpoolctl import threadpool_limits

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(limits=1):
            yield
    finally:
        torch.set_num_threads(before)


def worker_init() -> None:
    """Set up a worker process: one thread for the models and the BLAS (the models load lazily,
    once per process)."""
    import os

    for name, value in _ONE_THREAD_ENV.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    threadpool_limits(limits=1)  # kept for the life of the process


def compute_in_worker(batch: Sequence[Task]) -> Computed:
    """:func:`compute` for a worker process (threads already set by :func:`worker_init`)."""
    return compute(batch)
