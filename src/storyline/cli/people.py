"""Commands over people and quotes: ``quotes``, ``entities``, ``entity``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from storyline.cli.common import DbOption, JsonOption, MinConfidenceOption, app, opened, out
from storyline.confidence import uncertain_note
from storyline.read.corpus import Corpus
from storyline.read.entities import entity_detail, entity_items
from storyline.read.quotes import QuoteItem, quote_items

LimitOption = Annotated[int, typer.Option("--limit", "-n", help="Show at most this many (0: all).")]


@app.command()
def quotes(
    db: DbOption = None,
    speaker: Annotated[str | None, typer.Option("--speaker", "-s", help="Only this speaker (any name form).")] = None,
    about: Annotated[str | None, typer.Option("--about", help="Only quotes containing all these words.")] = None,
    article: Annotated[str | None, typer.Option("--article", "-a", help="Only quotes of this article.")] = None,
    limit: LimitOption = 0,
    min_confidence: MinConfidenceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Quotes and reported speech with their speakers, cues and kinds (direct, indirect, mixed).

    A quote or speaker under 0.8 confidence is marked "uncertain"; --min-confidence hides them."""
    with opened(db, must_exist=True, min_confidence=min_confidence) as (store, settings):
        corpus = Corpus(store)
        quotes = corpus.quotes(speaker, about, store.resolve_article(article) if article else None,
                               min_confidence=settings.min_confidence)
        found = quote_items(corpus, quotes[:limit] if limit else quotes)
    if as_json:
        out.print_json(json.dumps([item.to_dict() for item in found]))
        return
    if not found:
        out.print("no quotes match (run `storyline analyse` after ingesting)")
        return
    table = Table(show_lines=True)
    table.add_column("speaker", max_width=22)
    table.add_column("cue", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("article", no_wrap=True, max_width=24, overflow="ellipsis")
    table.add_column("date", no_wrap=True)
    table.add_column("quote", ratio=1)
    for item in found:
        q = item.quote
        note = uncertain_note(q.confidence)
        # Text cells: article words are never read as rich markup
        table.add_row(Text(_speaker_cell(item)), Text(f"{q.cue or '-'} ({q.cue_class})"), q.kind,
                      Text(item.article_label), item.date or "-", Text(q.text + (f"  ({note})" if note else "")))
    out.print(table)
    out.print(f"{len(found)} quotes", style="dim")


def _speaker_cell(item: QuoteItem) -> str:
    """The speaker as a table shows it: the name (marked when uncertain), else the source's own words."""
    q = item.quote
    if q.speaker_name:
        note = uncertain_note(q.speaker_confidence)
        return q.speaker_name + (f" ({note})" if note else "")
    return f"unnamed: {q.speaker_text}" if q.speaker_text else "unattributed"


@app.command()
def entities(
    db: DbOption = None,
    kind: Annotated[str | None, typer.Option("--type", "-t", help="PERSON, ORG, GPE, LOC, NORP, ...")] = None,
    limit: LimitOption = 30,
    min_confidence: MinConfidenceOption = None,
    as_json: JsonOption = False,
) -> None:
    """People, organisations and places, the most mentioned first (a type under 0.8 confidence is marked
    "uncertain"; with --type, --min-confidence leaves out entities whose type is below it)."""
    with opened(db, must_exist=True, min_confidence=min_confidence) as (store, settings):
        found = entity_items(Corpus(store), kind, settings.min_confidence)
    found = found[:limit] if limit else found
    if as_json:
        out.print_json(json.dumps([item.to_dict() for item in found]))
        return
    table = Table()
    for column in ("id", "name", "type", "mentions", "articles", "quotes"):
        table.add_column(column, no_wrap=column != "name", justify="right" if column in ("mentions", "articles",
                                                                                          "quotes") else "left")
    table.add_column("also written", overflow="fold", max_width=50)
    for s in found:
        e = s.entity
        note = uncertain_note(e.type_confidence)
        table.add_row(e.id, Text(e.name), e.type + (f" ({note})" if note else ""), str(len(e.mentions)),
                      str(s.articles), str(s.quotes),
                      ", ".join(e.aliases) or "-")
    out.print(table)


@app.command()
def entity(
    name: Annotated[str, typer.Argument(help="A name in any form (Vucic, Vučić), a surname, an id or a title.")],
    db: DbOption = None,
    min_confidence: MinConfidenceOption = None,
    as_json: JsonOption = False,
) -> None:
    """One entity: aliases, roles over time, quotes and the articles that mention it.

    Roles, quotes and types under 0.8 confidence are marked "uncertain"; --min-confidence hides them."""
    with opened(db, must_exist=True, min_confidence=min_confidence) as (store, settings):
        view = entity_detail(Corpus(store), name, settings.min_confidence)
    if as_json:
        out.print_json(json.dumps(view.to_dict()))
        return
    e = view.entity
    type_note = uncertain_note(e.type_confidence)
    out.print(Text.assemble((e.name, "bold"), f" ({e.type}{', type ' + type_note if type_note else ''}, id {e.id})"))
    out.print(f"also written: {', '.join(e.aliases) or '-'}", markup=False)
    if view.roles:
        out.print("\n[bold]Roles over time[/bold]")
        for role in view.roles:
            note = uncertain_note(role.confidence)
            out.print(f"  {role.date or 'undated':<10}  {role.title}  ({', '.join(role.articles)})"
                      + (f"  ({note})" if note else ""), markup=False)
    if view.quotes:
        out.print(f"\n[bold]Quotes[/bold] ({len(view.quotes)})")
        for item in view.quotes:
            q = item.quote
            note = uncertain_note(q.confidence) or uncertain_note(q.speaker_confidence)
            out.print(f"  {item.date or 'undated':<10}  {item.article_label}  {q.kind}, {q.cue or '-'}: {q.text}"
                      + (f"  ({note})" if note else ""), markup=False)
    out.print(f"\n[bold]Articles[/bold] ({len(view.articles)})")
    for row in view.articles:
        out.print(f"  {row.published or 'undated':<10}  {row.label}  {row.mentions} mentions  {row.title or ''}",
                  markup=False)
