"""What every command shares: the Typer app, the consoles, common options, opening the store, progress bars."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from storyline.errors import StorylineError
from storyline.settings import HELP, Settings, load_settings
from storyline.store import Store, open_store

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Track how a news narrative travels: who said what, when, and who copied whom.")
# Piped output is not cut to 80 columns: tables keep whole ids and dates for scripts and grep.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[str | None, typer.Option("--db", help=HELP["db"] + " [default: storyline.db]")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead.")]
MinConfidenceOption = Annotated[float | None, typer.Option(
    "--min-confidence", min=0.0, max=1.0, help=HELP["min_confidence"] + " [default: 0, all shown]")]
MaxBytesOption = Annotated[int | None, typer.Option("--max-bytes", help=HELP["max_bytes"])]


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error and exit."""
    err.print(f"error: {message}", markup=False)
    raise typer.Exit(code)


@contextmanager
def opened(db: str | None, must_exist: bool = False, write: bool = False,
           **overrides: Any) -> Iterator[tuple[Store, Settings]]:
    """The settings and the open store for one command; library errors become one-line exits.

    ``must_exist`` marks a command that works on an existing store: it opens read-only (``write``
    for one that adds analysis) and refuses what is not a storyline store. Without it (``ingest``,
    ``run``) a new path or a 0-byte file becomes a store.
    """
    try:
        settings = load_settings({"db": db, **overrides})
        if must_exist and not os.path.exists(settings.db):
            fail(f"{settings.db}: no store there (run `storyline ingest PATH` first, or pass --db)")
        store = open_store(settings.db, read_only=must_exist and not write, create=not must_exist)
    except StorylineError as exc:
        fail(str(exc))
        raise  # unreachable: fail() exits
    try:
        yield store, settings
    except StorylineError as exc:
        fail(str(exc))
    finally:
        store.close()


@contextmanager
def progress_bar(quiet: bool) -> Iterator[Callable[[str, int], Callable[[int], None]]]:
    """A factory of progress callbacks drawing rich bars on stderr (silent when ``quiet``)."""
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=err, transient=True, disable=quiet)

    def make(label: str, total: int) -> Callable[[int], None]:
        task = bar.add_task(label, total=total)
        return lambda n: bar.advance(task, n)

    with bar:
        yield make
