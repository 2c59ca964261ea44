"""The export command: the whole analysis as one document (JSON, JSON Lines, CSV)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from storyline.cli.common import DbOption, app, fail, opened
from storyline.export import FORMATS, build_export, check_output, export_to_file, write_export


@app.command()
def export(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}.")] = "json",
    output: Annotated[str | None, typer.Option("--output", "-o", help="File to write [default: stdout].")] = None,
    section: Annotated[str, typer.Option(help="The section written as CSV.")] = "articles",
) -> None:
    """Write the export document (articles and every analysis section)."""
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", 2)
    with opened(db, must_exist=True) as (store, _settings):
        if output is not None:
            check_output(output, [store.location])  # before the work: a bad path costs nothing
        doc = build_export(store)
        if fmt == "csv" and section not in doc:
            sections = ", ".join(k for k in doc if k != "storyline_export")
            fail(f"no section {section!r} in the export; sections: {sections}", 2)
        if output is not None:
            export_to_file(doc, fmt, output, section, stores=[store.location])
        else:
            write_export(doc, fmt, sys.stdout, section)
