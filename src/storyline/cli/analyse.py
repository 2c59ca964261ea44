"""Commands that analyse the store: analyse, and run (the main job: ingest, analyse, summary)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from storyline import pipeline
from storyline.cli.common import (
    DbOption,
    JsonOption,
    MaxBytesOption,
    QuietOption,
    app,
    err,
    fail,
    opened,
    out,
)
from storyline.cli.ingest import _ingest, print_summary
from storyline.engines.runner import StageRun
from storyline.settings import Settings
from storyline.store import Store

WorkersOption = Annotated[int | None, typer.Option(
    "--workers", "-w", min=0, help="Processes for the per-article work [default: every core; setting `workers`].")]
EngineOption = Annotated[str | None, typer.Option(
    "--engine", help="local (worker processes) or spark (PySpark: pip install 'storyline[spark]', Java 17+).")]
MasterOption = Annotated[str | None, typer.Option(
    "--master", help="Spark master URL for --engine spark: local[N], spark://host:7077, yarn [default: local[*]].")]


@contextmanager
def stage_bars(quiet: bool) -> Iterator[Callable[[str, int], Callable[[int], None]]]:
    """One progress bar per stage on stderr, with its articles/s and time left (silent when ``quiet``)."""
    bar = Progress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                   console=err, transient=True, disable=quiet)
    started: dict[str, float] = {}

    def make(label: str, total: int) -> Callable[[int], None]:
        task = bar.add_task(label, total=total, rate="")
        done = [0]

        def advance(n: int) -> None:
            began = started.setdefault(label, time.perf_counter() - 1e-9)
            done[0] += n
            rate = done[0] / max(time.perf_counter() - began, 1e-9)
            bar.update(task, advance=n, rate=f"{rate:.1f} articles/s")

        return advance

    with bar:
        yield make


def _analyse(store: Store, settings: Settings, quiet: bool, workers: int | None = None, engine: str | None = None,
             master: str | None = None) -> list[StageRun]:
    engine = engine or settings.engine
    if engine not in pipeline.ENGINES:
        fail(f"unknown engine {engine!r}; choose one of {', '.join(pipeline.ENGINES)}", 2)
    try:
        with stage_bars(quiet) as make:
            return pipeline.analyse(store, progress=make,
                                    on_wait=lambda message: err.print(f"waiting: {message}", markup=False),
                                    workers=workers if workers is not None else settings.workers or None,
                                    engine=engine, master=master or settings.spark_master)
    except KeyboardInterrupt:
        fail("interrupted: finished work is stored; re-run `storyline analyse` to continue", 130)
        raise


def run_figures(runs: list[StageRun], seconds: float) -> dict[str, object]:
    """The figures of an analysis for scripts: per stage articles, records, seconds and articles/s."""
    articles = max((r.articles for r in runs), default=0)
    return {
        "stages": [{"stage": r.stage, "articles": r.articles, "records": r.produced,
                    "seconds": round(r.seconds, 3),
                    "articles_per_second": round(r.articles / r.seconds, 2) if r.seconds > 0 else None}
                   for r in runs],
        "articles": articles,
        "seconds": round(seconds, 3),
        "articles_per_second": round(articles / seconds, 2) if seconds > 0 and articles else None,
    }


@app.command()
def analyse(db: DbOption = None, quiet: QuietOption = False, as_json: JsonOption = False,
            workers: WorkersOption = None, engine: EngineOption = None, master: MasterOption = None) -> None:
    """Run the analysis stages on the articles they have not seen yet.

    Per stage: articles analysed, records produced, and the seconds of work (core-seconds of its
    per-article work plus its index's time; with several workers these add up to more than the
    wall time).
    """
    with opened(db, must_exist=True, write=True) as (store, settings):
        began = time.perf_counter()
        runs = _analyse(store, settings, quiet or as_json, workers, engine, master)
        seconds = time.perf_counter() - began
    if as_json:
        out.print_json(json.dumps(run_figures(runs, seconds)))
    elif not quiet:
        for run in runs:
            rate = f", {run.articles / run.seconds:.1f} articles/s" if run.articles and run.seconds > 0 else ""
            out.print(f"{run.stage}: {run.articles} new articles, {run.produced} records{rate}")


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) and globs.")],
    db: DbOption = None, max_bytes: MaxBytesOption = None, quiet: QuietOption = False,
    workers: WorkersOption = None, engine: EngineOption = None, master: MasterOption = None,
) -> None:
    """The main job: ingest PATHS, analyse, and print a summary of the corpus.

    PATHS may be Parquet or JSON Lines files of articles: with ``--engine spark`` a data-lake
    corpus goes from its files through Spark in one command.
    """
    with opened(db, max_bytes=max_bytes) as (store, settings):
        ok = _ingest(paths, store, settings, quiet, False)
        _analyse(store, settings, quiet, workers, engine, master)
        print_summary(store)
    if not ok:
        raise typer.Exit(1)
