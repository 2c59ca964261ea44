"""The two entry points of the write side: ingest (read -> normalise -> store) and analyse.

Ingest writes in transactions of ``settings.batch_size`` articles, so an interruption loses
at most the batch in flight. Analysis runs the declared stages (``storyline.engines.catalog``)
over the articles each has not processed yet (``store.pending``), so adding articles never
redoes the corpus; the engine (local worker processes, or Spark) only does the per-article work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyline.errors import InputError, StorylineError
from storyline.ingest.files import discover, file_key, is_one_of, read_file, store_files
from storyline.ingest.normalise import normalise, require_length
from storyline.records import Article, IngestError
from storyline.settings import DEFAULT_MAX_BYTES, Settings
from storyline.store.base import Store

if TYPE_CHECKING:
    from storyline.engines.runner import StageRun

Progress = Callable[[int], None]
"""Called with the number of units just finished (files for ingest, articles for stages)."""


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An input item whose text is already stored (or came earlier in the same batch)."""

    path: str
    article: str


@dataclass(slots=True)
class IngestReport:
    """What an ingest run did: new article ids, duplicates, and failures with reasons."""

    files: int = 0
    ingested: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    failed: list[IngestError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failed


def plan_ingest(paths: Sequence[str], store: str | None = None) -> tuple[list[str], list[IngestError]]:
    """The files an ingest of ``paths`` would read, and the paths that name nothing.

    With ``store`` (the store's path), the store's own files (``-wal``, ``-shm``, ...) are left
    out when they lie among the inputs: ``cd folder && storyline ingest .`` does not read itself.
    """
    return discover(paths, skip=store_files(store) if store else ())


def read_articles(
    path: str, max_bytes: int = DEFAULT_MAX_BYTES, today: dt.date | None = None
) -> Iterator[Article | IngestError]:
    """Every item of one input file read and normalised (no store): Articles or IngestErrors.

    An item too short to be an article (``MIN_ARTICLE_LETTERS``) is an IngestError.
    """
    for item in read_file(path, max_bytes):
        if isinstance(item, IngestError):
            yield item
            continue
        try:
            yield require_length(normalise(item, today=today))
        except InputError as exc:
            yield IngestError(item.path, str(exc))


def ingest_files(
    files: Sequence[str],
    store: Store,
    settings: Settings,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> IngestReport:
    """Read, normalise and store every item of ``files``; one bad item never stops the batch.

    The store's own files are skipped if ``files`` names them (they are not news input).
    """
    own = {file_key(path) for path in store_files(store.location.removeprefix("sqlite:///"))}
    files = [path for path in files if not is_one_of(path, own)]
    report = IngestReport(files=len(files))
    batch: list[tuple[str, Article]] = []
    for path in files:
        for result in read_articles(path, settings.max_bytes, today):
            if isinstance(result, IngestError):
                report.failed.append(result)
                continue
            batch.append((result.path, result))
            if len(batch) >= settings.batch_size:
                _flush(batch, store, report)
        if progress:
            progress(1)
    _flush(batch, store, report)
    return report


def _flush(batch: list[tuple[str, Article]], store: Store, report: IngestReport) -> None:
    if not batch:
        return
    added = store.add_articles([article for _, article in batch])
    for (path, article), new in zip(batch, added, strict=True):
        if new:
            report.ingested.append(article.id)
        else:
            report.duplicates.append(Duplicate(path, article.id))
    batch.clear()


ENGINES = ("local", "spark")


def analyse(
    store: Store,
    stages: Sequence[str] | None = None,
    progress: Callable[[str, int], Progress | None] | None = None,
    on_wait: Callable[[str], None] | None = None,
    workers: int | None = None,
    engine: str = "local",
    master: str | None = None,
    articles: Sequence[str] | None = None,
) -> list[StageRun]:
    """Run the stages (all, or ``stages`` and what they read) on the articles each has not processed.

    ``workers``: processes for the per-article work of the local engine (default: every core);
    ``engine="spark"`` runs it on Apache Spark instead (``master``: its master URL, default
    ``local[*]``). The corpus indexes are fed in article order in this process, so the results are
    the same whatever the engine and the number of workers. ``articles`` limits the run to those
    ids (the others stay pending).
    ``progress(stage, total)`` may return a callback that is told of each article processed.
    One analysis runs on a store at a time: while another process holds the store's lock,
    ``on_wait`` is told so and this one waits, then finds only what is still pending.
    """
    from storyline.engines import runner

    _refuse_in_worker_start()
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")
    with store.exclusive(on_wait):
        order = runner.plan(store, stages)
        if engine == "spark":
            from storyline.engines.spark import spark_mapper

            with spark_mapper(master) as mapper:
                return runner.run(store, order, mapper, progress, only=articles)
        from storyline.engines.local import default_workers, local_mapper

        pending = set().union(*(store.pending(s.name) for s in order))
        if articles is not None:
            pending.intersection_update(articles)
        with local_mapper(workers or default_workers(), len(pending)) as mapper:
            return runner.run(store, order, mapper, progress, only=articles)


def _refuse_in_worker_start() -> None:
    """Stop a script that runs ``analyse()`` at import time from starting again in each worker.

    Worker processes are spawned: each imports the caller's main script as ``__mp_main__``. A
    script without an ``if __name__ == "__main__":`` guard would analyse again there, and wait
    for ever on the store's analysis lock that its parent holds.
    """
    import sys

    if getattr(sys.modules.get("__main__"), "__name__", "") == "__mp_main__":
        raise StorylineError("analyse() was called while a worker process was starting: put the script's "
                             "work under `if __name__ == \"__main__\":` (worker processes import the script)")


def stage_names() -> list[str]:
    """The analysis stages, in run order."""
    from storyline.engines.catalog import STAGES

    return list(STAGES)
