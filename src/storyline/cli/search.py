"""``storyline search``: full-text and semantic search in one ranking."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from storyline.cli.common import DbOption, JsonOption, app, opened, out
from storyline.read.corpus import Corpus
from storyline.read.listing import Catalog, Filters
from storyline.read.search import MODES, Searcher


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words (accents and case ignored), or "a quoted phrase".')],
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(help="Only articles of this source (domain, else file name).")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Published on or after YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Published on or before YYYY-MM-DD.")] = None,
    story: Annotated[str | None, typer.Option(help="Only articles of this story (id, prefix or rank).")] = None,
    entity: Annotated[str | None, typer.Option(help="Only articles mentioning this entity.")] = None,
    mode: Annotated[str, typer.Option(help=f"One of {', '.join(MODES)}.")] = "hybrid",
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many hits.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Search articles by words and by meaning; each hit shows its best-matching sentence."""
    with opened(db, must_exist=True) as (store, _settings):
        filters = Filters(source, date_from, date_to, story, entity)
        results = Searcher(Catalog(Corpus(store))).results(query, filters, mode, 0, limit)  # type: ignore[arg-type]
    if as_json:
        out.print_json(json.dumps(results.to_dict()))
        return
    page = results.page
    if not page.items:
        out.print("no matches")
        return
    table = Table()
    table.add_column("#", justify="right")
    table.add_column("article", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("source")
    table.add_column("best sentence", ratio=1)
    for rank, hit in enumerate(page.items, 1):
        table.add_row(str(rank), hit.article.label, hit.article.published or "-", hit.article.source, hit.snippet)
    out.print(table)
    if page.total > len(page.items):
        out.print(f"{page.total - len(page.items)} more (use --limit)")
