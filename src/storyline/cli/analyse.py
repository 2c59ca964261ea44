"""Commands that analyse the store: analyse, and run (the main job: ingest, analyse, summary)."""

from __future__ import annotations

from typing import Annotated

import typer

from storyline import pipeline
from storyline.cli.common import DbOption, MaxBytesOption, QuietOption, app, err, fail, opened, out, progress_bar
from storyline.cli.ingest import _ingest, print_summary
from storyline.store import Store


def _analyse(store: Store, quiet: bool) -> list[pipeline.StageRun]:
    try:
        with progress_bar(quiet) as make:
            return pipeline.analyse(store, progress=make,
                                    on_wait=lambda message: err.print(f"waiting: {message}", markup=False))
    except KeyboardInterrupt:
        fail("interrupted: finished work is stored; re-run `storyline analyse` to continue", 130)
        raise


@app.command()
def analyse(db: DbOption = None, quiet: QuietOption = False) -> None:
    """Run the analysis stages on the articles they have not seen yet."""
    with opened(db, must_exist=True, write=True) as (store, _settings):
        runs = _analyse(store, quiet)
    if not quiet:
        for run in runs:
            out.print(f"{run.stage}: {run.articles} new articles, {run.produced} records")


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) and globs.")],
    db: DbOption = None, max_bytes: MaxBytesOption = None, quiet: QuietOption = False,
) -> None:
    """The main job: ingest PATHS, analyse, and print a summary of the corpus."""
    with opened(db, max_bytes=max_bytes) as (store, settings):
        ok = _ingest(paths, store, settings, quiet, False)
        _analyse(store, quiet)
        print_summary(store)
    if not ok:
        raise typer.Exit(1)
