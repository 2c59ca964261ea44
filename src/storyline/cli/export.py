"""The export command: the whole analysis as one document (JSON, JSON Lines, CSV) or Parquet tables."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from storyline.cli.common import DbOption, app, fail, opened
from storyline.export import (
    FORMATS,
    build_export,
    check_output,
    check_output_folder,
    export_parquet_folder,
    export_to_file,
    write_export,
)


@app.command()
def export(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}.")] = "json",
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="File to write [default: stdout]; for parquet, a folder (one file per section).",
    )] = None,
    section: Annotated[str | None, typer.Option(
        help="The section written as CSV [default: articles], or as one Parquet file instead of a folder.",
    )] = None,
) -> None:
    """Write the export document (articles and every analysis section)."""
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", 2)
    if fmt == "parquet" and output is None:
        fail("Parquet is binary: give -o FOLDER (one file per section) or -o FILE --section NAME", 2)
    folder = fmt == "parquet" and section is None
    with opened(db, must_exist=True) as (store, _settings):
        if output is not None:  # checked before the work: a bad path costs nothing
            (check_output_folder if folder else check_output)(output, [store.location])
        doc = build_export(store)
        if (fmt == "csv" or (fmt == "parquet" and not folder)) and (section or "articles") not in doc:
            sections = ", ".join(k for k in doc if k != "storyline_export")
            fail(f"no section {section!r} in the export; sections: {sections}", 2)
        if folder and output is not None:
            export_parquet_folder(doc, output, stores=[store.location])
        elif output is not None:
            export_to_file(doc, fmt, output, section or "articles", stores=[store.location])
        else:
            write_export(doc, fmt, sys.stdout, section or "articles")
