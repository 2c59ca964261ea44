"""The runners: ingest (read -> normalise -> store) and the registry of analysis stages.

Ingest writes in transactions of ``settings.batch_size`` articles, so an interruption loses
at most the batch in flight. Analysis stages run in registry order over the articles each has
not processed yet (``store.pending``), so adding articles never redoes the corpus.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from storyline.errors import InputError
from storyline.ingest.files import discover, file_key, is_one_of, read_file, store_files
from storyline.ingest.normalise import normalise, require_length
from storyline.records import Article, IngestError
from storyline.settings import DEFAULT_MAX_BYTES, Settings
from storyline.store.base import Store

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


@dataclass(frozen=True, slots=True)
class Stage:
    """An analysis stage: ``run(store, pending_ids, progress)`` processes the pending articles.

    ``requires`` names stages whose output this one reads; the runner runs them first.
    ``state`` is the key of a corpus-level stage's state, versioned (``events@3``): when the
    stored state has another version, the stage and every stage that reads it start again.
    """

    name: str
    run: Callable[[Store, list[str], Progress | None], int]
    requires: tuple[str, ...] = ()
    help: str = ""
    state: str | None = None


STAGES: dict[str, Stage] = {}


def stage(name: str, requires: tuple[str, ...] = (), help: str = "", state: str | None = None) -> Callable[
    [Callable[[Store, list[str], Progress | None], int]], Callable[[Store, list[str], Progress | None], int]
]:
    """Register a stage function under ``name`` (decorator)."""

    def register(
        func: Callable[[Store, list[str], Progress | None], int],
    ) -> Callable[[Store, list[str], Progress | None], int]:
        missing = [r for r in requires if r not in STAGES]
        if missing:
            raise ValueError(f"stage {name!r} requires unregistered stage(s) {missing}: register those first")
        STAGES[name] = Stage(name, func, requires, help, state)
        return func

    return register


@dataclass(frozen=True, slots=True)
class StageRun:
    """How many articles one stage processed and what it produced."""

    stage: str
    articles: int
    produced: int


def analyse(
    store: Store,
    stages: Sequence[str] | None = None,
    progress: Callable[[str, int], Progress] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> list[StageRun]:
    """Run the registered stages (all, or ``stages`` and what they require) on pending articles.

    ``progress(stage, total)`` may return a callback that is told of each article processed.
    One analysis runs on a store at a time: while another process holds the store's lock,
    ``on_wait`` is told so and this one waits, then finds only what is still pending.
    """
    order = _resolve(stages)
    runs: list[StageRun] = []
    with store.exclusive(on_wait):
        for name in order:
            if outdated(store, name):
                for reset in [name, *dependents(name)]:
                    store.reset_stage(reset)
            pending = store.pending(name)
            callback = progress(name, len(pending)) if progress and pending else None
            produced = STAGES[name].run(store, pending, callback) if pending else 0
            runs.append(StageRun(name, len(pending), produced))
    return runs


def outdated(store: Store, name: str) -> bool:
    """Whether stage ``name`` processed articles into a state of another version (an older storyline)."""
    key = STAGES[name].state
    return key is not None and store.state_revision(key) is None and bool(store.processed(name))


def dependents(name: str) -> list[str]:
    """The stages that read ``name``'s output, directly or through others."""
    found: list[str] = []
    for other in STAGES.values():
        if name in other.requires and other.name not in found:
            found.extend(d for d in [other.name, *dependents(other.name)] if d not in found)
    return found


def _resolve(stages: Sequence[str] | None) -> list[str]:
    import storyline.stages  # noqa: F401  - registers the stages

    wanted = list(STAGES) if stages is None else list(stages)
    unknown = [s for s in wanted if s not in STAGES]
    if unknown:
        raise ValueError(f"unknown stage(s) {unknown}; known: {', '.join(STAGES)}")
    order: list[str] = []

    def visit(name: str) -> None:
        for required in STAGES[name].requires:
            visit(required)
        if name not in order:
            order.append(name)

    for name in wanted:
        visit(name)
    return order
