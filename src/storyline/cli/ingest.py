"""Commands that fill the store and show its articles: ingest, summary, articles, show."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer
from rich.table import Table

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
    progress_bar,
)
from storyline.read.articles import article_detail, article_rows
from storyline.read.common import label
from storyline.read.corpus import Corpus
from storyline.read.reuse import list_copies
from storyline.read.summary import summarise
from storyline.records import Article
from storyline.settings import Settings
from storyline.store import Store


def _ingest(paths: list[str], store: Store, settings: Settings, quiet: bool, as_json: bool) -> bool:
    files, missing = pipeline.plan_ingest(paths, store=store.location)
    try:
        with progress_bar(quiet or as_json) as make:
            report = pipeline.ingest_files(files, store, settings, progress=make("ingest", len(files)))
    except KeyboardInterrupt:
        fail(f"interrupted: {store.count_articles()} articles are stored and intact; re-run to continue", 130)
    report.failed[:0] = missing
    if as_json:
        out.print_json(json.dumps({"files": report.files, "ingested": report.ingested,
                                   "duplicates": [asdict(d) for d in report.duplicates],
                                   "failed": [asdict(f) for f in report.failed]}))
    else:
        for failure in report.failed:
            err.print(f"error: {failure}", markup=False)
        if not quiet:
            for dup in report.duplicates:
                err.print(f"duplicate: {dup.path} is already stored as {dup.article}", markup=False)
            out.print(f"ingested {len(report.ingested)}, duplicate {len(report.duplicates)}, "
                      f"failed {len(report.failed)} ({report.files} files) into {store.location}")
    return report.ok


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) and globs.")],
    db: DbOption = None, max_bytes: MaxBytesOption = None, quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Read text, HTML, RSS/Atom, JSON Lines, WARC and Parquet files (or .gz of each) into the store."""
    with opened(db, max_bytes=max_bytes) as (store, settings):
        ok = _ingest(paths, store, settings, quiet, as_json)
    if not ok:
        raise typer.Exit(1)


@app.command()
def summary(db: DbOption = None, as_json: JsonOption = False) -> None:
    """A readable overview of the corpus: sources, dates, languages, reuse."""
    with opened(db, must_exist=True) as (store, _settings):
        if as_json:
            out.print_json(json.dumps(asdict(summarise(store))))
        else:
            print_summary(store)


def print_summary(store: Store) -> None:
    """Print the corpus summary: counts, coverage by source, the articles, and reuse links."""
    s = summarise(store)
    span = f"{s.first_date} to {s.last_date}" if s.first_date else "no dates"
    out.print(f"\n[bold]{s.articles} articles[/bold] in {store.location}: {span}, {s.undated} undated; "
              f"languages: {', '.join(f'{k} {v}' for k, v in s.languages.items())}")
    table = Table("source", "articles", title="Coverage by source", title_justify="left")
    for source, count in s.sources.items():
        table.add_row(source, str(count))
    out.print(table)
    articles_table(list(store.articles()), title="Articles")
    found = list_copies(store)
    if found:
        out.print("[bold]Copies and rewrites[/bold] (derived <- source)")
        for copy in found:
            out.print("  " + copy.describe(), markup=False)
    if s.quotes or s.entities:
        kinds = ", ".join(f"{count} {kind}" for kind, count in s.entities.items())
        out.print(f"[bold]People and quotes[/bold]: {s.quotes} quotes; entities: {kinds}")
        for name, count in s.most_quoted:
            out.print(f"  {name}: {count} quotes", markup=False)
    if s.stories:
        out.print(f"[bold]Stories[/bold] (the largest first; {s.events} events in all)")
        for title, events, count in s.stories:
            out.print(f"  {title}: {events} events, {count} articles", markup=False)
    if s.claims:
        out.print("[bold]Recurring claims[/bold] (`storyline timeline N` shows one)")
        for n, (text, times, speakers) in enumerate(s.claims, 1):
            by = "1 speaker" if speakers == 1 else f"{speakers} speakers"
            out.print(f"  {n}. {text}: said {times} times by {by}", markup=False)


def articles_table(rows: list[Article], title: str | None = None) -> None:
    """Print articles as a table: id, date, source, file, length and title."""
    table = Table(title=title, title_justify="left")
    table.add_column("id", no_wrap=True, min_width=16)
    table.add_column("published", no_wrap=True, min_width=10)
    table.add_column("source", overflow="ellipsis", no_wrap=True, min_width=8, max_width=20)
    table.add_column("file", overflow="ellipsis", no_wrap=True, max_width=24)
    table.add_column("words", no_wrap=True, justify="right")
    table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=60)
    for a in rows:
        table.add_row(a.id, a.published or "-", a.source or "-", label(a), str(len(a.text.split())), a.title or "-")
    out.print(table)


@app.command()
def articles(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the stored articles as a table."""
    with opened(db, must_exist=True) as (store, _settings):
        if as_json:
            out.print_json(json.dumps([row.to_dict() for row in article_rows(store)]))
            return
        rows = list(store.articles())
    articles_table(rows)


@app.command()
def show(ref: Annotated[str, typer.Argument(help="An article id, id prefix or file-name prefix.")],
         db: DbOption = None, as_json: JsonOption = False) -> None:
    """Show one article: its metadata and text."""
    with opened(db, must_exist=True) as (store, _settings):
        if as_json:
            out.print_json(json.dumps(article_detail(Corpus(store), ref).to_dict()))
            return
        article = store.get_article(store.resolve_article(ref))
    out.print(f"[bold]{article.title or '(no title)'}[/bold]")
    for key in ("id", "path", "url", "source", "published", "date_basis", "language", "author"):
        out.print(f"{key:>10}: {getattr(article, key) or '-'}", markup=False)
    out.print()
    out.print(article.text, markup=False)
