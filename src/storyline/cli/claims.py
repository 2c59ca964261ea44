"""Commands over claims: ``claims``, ``timeline``, ``match``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from storyline.cli.common import DbOption, JsonOption, MinConfidenceOption, app, opened, out
from storyline.confidence import uncertain_note
from storyline.read.claims import claim_detail, claim_items, claim_matches
from storyline.read.corpus import Corpus
from storyline.read.listing import Catalog, Filters


@app.command()
def claims(
    db: DbOption = None,
    min_statements: Annotated[int, typer.Option("--min", help="Only claims made at least this often.")] = 2,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most this many (0: all).")] = 30,
    min_confidence: MinConfidenceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Recurring claims, the most repeated first: wording, statements, speakers, dates, stances.

    Statements whose membership of a claim is uncertain are counted apart ("5 + 1 uncertain");
    ``--min-confidence`` hides those below it."""
    with opened(db, must_exist=True, min_confidence=min_confidence) as (store, settings):
        # ranks are numbered over every claim, as `storyline timeline N` reads them, before any is hidden
        found = claim_items(Catalog(Corpus(store)), Filters(min_confidence=settings.min_confidence), min_statements)
    found = found[:limit] if limit else found
    if as_json:
        out.print_json(json.dumps([item.to_dict() for item in found]))
        return
    if not found:
        out.print("no recurring claims (run `storyline analyse`, or try --min 1)")
        return
    table = Table(show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("id", no_wrap=True)
    table.add_column("claim", ratio=2)
    table.add_column("times", justify="right")
    table.add_column("speakers", ratio=1)
    table.add_column("dates", no_wrap=True)
    table.add_column("stances", no_wrap=True)
    for item in found:
        record = item.to_dict()
        first, last = record["first_date"], record["last_date"]
        span = (first if first == last else f"{first}..{last}") if first else "undated"
        stances = ", ".join(f"{s} {n}" for s, n in sorted(record["stances"].items(), key=lambda kv: (-kv[1], kv[0]))
                            if n)
        uncertain = record["uncertain"]
        times = f"{item.matched - uncertain} + {uncertain} uncertain" if uncertain else str(item.matched)
        table.add_row(str(item.rank), item.claim.id, item.claim.text, times,
                      ", ".join(sp.name for sp in item.speakers) or "-", span, stances)
    out.print(table)


@app.command()
def timeline(
    claim: Annotated[str, typer.Argument(help="A claim id, its rank in `storyline claims`, or words of the claim.")],
    db: DbOption = None,
    min_confidence: MinConfidenceOption = None,
    as_json: JsonOption = False,
) -> None:
    """A claim as a dated timeline: date, speaker with the role held then, wording, source, stance;
    a statement whose membership is uncertain is marked so (``--min-confidence`` hides it)."""
    with opened(db, must_exist=True, min_confidence=min_confidence) as (store, settings):
        view = claim_detail(Corpus(store), claim, settings.min_confidence)
    if as_json:
        out.print_json(json.dumps(view.to_dict()))
        return
    out.print(f"[bold]{view.claim.text}[/bold]  ({view.claim.id}, {len(view.entries)} statements)")
    table = Table(show_lines=True)
    table.add_column("date", no_wrap=True)
    table.add_column("speaker", ratio=1)
    table.add_column("stance", no_wrap=True)
    table.add_column("said", ratio=3)
    table.add_column("source", no_wrap=True, max_width=26, overflow="ellipsis")
    for e in view.entries:
        date = e.date or "undated"
        if e.date_basis == "text":
            date += " (text)"
        elif e.date_basis == "before_published":
            date = f"by {e.date}"
        who = e.speaker_name or "-"
        if e.role:
            who += f", {e.role}"
        note = uncertain_note(e.confidence)
        table.add_row(date, who, f"{e.stance} ({note})" if note else e.stance, e.text, e.source)
    out.print(table)


@app.command()
def match(
    text: Annotated[str, typer.Argument(help="A sentence, paragraph or post to check against the known claims.")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many claims to show.")] = 5,
    as_json: JsonOption = False,
) -> None:
    """The known claims a text repeats, ranked, with scores (the estimated probability of a match)."""
    with opened(db, must_exist=True) as (store, _settings):
        found = claim_matches(Corpus(store), text, limit)
    if as_json:
        out.print_json(json.dumps([m.to_dict() for m in found]))
        return
    if not found:
        out.print("no known claims to match (run `storyline analyse`), or nothing to match in the text")
        return
    table = Table()
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("claim", ratio=1)
    table.add_column("times", justify="right")
    for m in found:
        table.add_row(f"{m.score:.2f}", m.claim.id, m.claim.text, str(len(m.claim.statements)))
    out.print(table)
