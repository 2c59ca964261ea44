"""Commands over events and stories: ``stories``, ``story``, ``framing``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from storyline.cli.common import DbOption, JsonOption, MinConfidenceOption, app, opened, out
from storyline.confidence import uncertain_note
from storyline.read.corpus import Corpus
from storyline.read.stories import StoryItem, story_detail, story_framing

StoryArgument = Annotated[
    str, typer.Argument(help="A story id (or unique prefix), or its rank in `storyline stories`.")
]


@app.command()
def stories(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Stories (events about one subject), the largest first, with their date ranges."""
    with opened(db, must_exist=True) as (store, _settings):
        found = Corpus(store).stories()
    if as_json:
        out.print_json(json.dumps([StoryItem(s).to_dict() for s in found]))
        return
    if not found:
        out.print("no stories yet (run `storyline analyse` after ingesting)")
        return
    table = Table()
    table.add_column("#", justify="right")
    table.add_column("id", no_wrap=True)
    table.add_column("from", no_wrap=True)
    table.add_column("to", no_wrap=True)
    table.add_column("events", justify="right")
    table.add_column("articles", justify="right")
    table.add_column("title", ratio=1)
    for rank, s in enumerate(found, 1):
        table.add_row(str(rank), s.id, s.start_date or "-", s.end_date or "-", str(len(s.events)),
                      str(len(s.articles)), s.title)
    out.print(table)


@app.command()
def story(ref: StoryArgument, db: DbOption = None, min_confidence: MinConfidenceOption = None,
          as_json: JsonOption = False) -> None:
    """One story: its events in date order, each with its articles, sources and dates; coverage per source.

    An article whose membership of its event is under 0.8 confidence is marked "uncertain";
    --min-confidence leaves such articles out."""
    with opened(db, must_exist=True, min_confidence=min_confidence) as (store, settings):
        detail = story_detail(Corpus(store), ref, settings.min_confidence, with_framing=as_json)
    view = detail.view
    if as_json:
        out.print_json(json.dumps(detail.to_dict()))
        return
    s = view.story
    span = f"{s.start_date or 'undated'} to {s.end_date or 'undated'}"
    out.print(f"[bold]{s.title}[/bold]  ({s.id}; {len(s.events)} events, {len(s.articles)} articles, {span})")
    for n, ev in enumerate(view.events, 1):
        e = ev.event
        when = e.start_date if e.start_date == e.end_date else f"{e.start_date or 'undated'} to {e.end_date}"
        out.print(f"\n[bold]{n}. {e.title}[/bold]  ({when or 'undated'}; {e.id})", highlight=False)
        for a, confidence in detail.articles_of(ev):
            note = uncertain_note(confidence)
            out.print(f"   {a.published or 'undated':<10}  {a.source:<20}  {a.id[:16]}  {a.title or ''}"
                      + (f"  ({note})" if note else ""), markup=False)
    out.print("\n[bold]Coverage per source[/bold]")
    for source, count in view.coverage:
        out.print(f"  {source:<24} {count}", markup=False)


@app.command()
def framing(
    ref: StoryArgument,
    db: DbOption = None,
    terms: Annotated[int, typer.Option("--terms", "-n", help="Terms shown per source.")] = 8,
    as_json: JsonOption = False,
) -> None:
    """How each source frames a story: the words that set it apart (log-odds with an informative prior)."""
    with opened(db, must_exist=True) as (store, _settings):
        corpus = Corpus(store)
        found = story_framing(corpus, ref)
        texts = {a.id: a.text for a in store.articles(list(corpus.find_story(ref).articles))}
    result = found.terms
    if as_json:
        out.print_json(json.dumps(found.to_dict()))
        return
    if len(result) < 2:
        out.print("only one source covers this story: nothing sets one apart")
        return
    for group, items in result.items():
        out.print(f"\n[bold]{group}[/bold]")
        if not items:
            out.print("  (nothing sets it apart)", style="dim")
        for t in items[:terms]:
            example = t.sentences[0] if t.sentences else None
            quoted = " ".join(texts[example.article][example.start : example.end].split()) if example else ""
            out.print(f"  {t.term:<28} z={t.z:4.1f}  x{t.count}  [dim]{quoted[:110]}[/dim]", highlight=False)
