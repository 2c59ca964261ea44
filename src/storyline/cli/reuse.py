"""Commands over reuse links: ``copies`` and ``compare``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from storyline.cli.common import DbOption, JsonOption, app, opened, out
from storyline.read.common import label
from storyline.read.reuse import compare as reuse_compare
from storyline.read.reuse import list_copies


@app.command()
def copies(
    db: DbOption = None,
    article: Annotated[str | None, typer.Option("--article", "-a", help="Only links involving this article.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List reuse links: which article was copied or rewritten from which."""
    with opened(db, must_exist=True) as (store, _settings):
        found = list_copies(store, store.resolve_article(article) if article else None)
    if as_json:
        out.print_json(json.dumps([c.to_dict() for c in found]))
        return
    if not found:
        out.print("no reuse links (run `storyline analyse` after ingesting)")
    for copy in found:
        out.print(copy.describe(), markup=False)
        out.print(f"    direction: {copy.link.direction_basis}", markup=False, style="dim")


@app.command()
def compare(
    first: Annotated[str, typer.Argument(help="An article (id, id prefix or file-name prefix).")],
    second: Annotated[str, typer.Argument(help="The other article.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show two articles' aligned sentences side by side."""
    with opened(db, must_exist=True) as (store, _settings):
        result = reuse_compare(store, first, second)
    if as_json:
        out.print_json(json.dumps(result.to_dict()))
        return
    if result.link:
        out.print(f"{label(result.derived)} <- {label(result.source)}: {result.link.kind} "
                  f"{result.link.score:.2f} ({result.link.direction_basis})", markup=False)
    else:
        out.print(f"no reuse link between {label(result.derived)} and {label(result.source)}; "
                  "the best order-preserving alignment is shown", markup=False)
    table = Table(show_lines=True)
    table.add_column(f"source: {label(result.source)}", ratio=1)
    table.add_column("sim", justify="right", no_wrap=True)
    table.add_column(f"derived: {label(result.derived)}", ratio=1)
    for source_text, derived_text, similarity in result.pairs():
        table.add_row(source_text, f"{similarity:.2f}", derived_text)
    out.print(table)
