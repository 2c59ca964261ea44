"""The example corpus alone and inside a corpus of other real news (the ECB+ development split).

ECB+ texts cannot be committed: the corpus is read from ``../shared/eval`` (next to the checkout,
as in CI) and the tests skip when it is absent. Sentence vectors are kept in pytest's cache folder
between runs (the first run embeds the 413 documents, a few minutes on two cores).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from benchmarks.events_data import sentences_for
from storyline.ingest.files import read_file
from storyline.ingest.normalise import normalise
from storyline.records import Article, RawItem
from storyline.stages.events import EventFeatures, EventIndex, event_features

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "serbia-sanctions"
ECBPLUS = ROOT.parent / "shared" / "eval" / "clustering-ecbplus-dev.jsonl"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not ECBPLUS.exists(), reason=f"the ECB+ development split is not at {ECBPLUS}"),
]

Corpus = list[tuple[Article, EventFeatures]]


def _features(articles: list[Article], cache: Path | None = None) -> Corpus:
    found = sentences_for(articles, cache)
    return [(a, event_features(a, found[a.id])) for a in articles]


@pytest.fixture(scope="module")
def example() -> Corpus:
    """The five example articles through the real ingest and sentence stage."""
    return _features([normalise(next(iter(read_file(str(p), 20_000_000)))) for p in sorted(EXAMPLE.glob("*.txt"))])


@pytest.fixture(scope="module")
def ecbplus(request: pytest.FixtureRequest) -> Corpus:
    """The 413 ECB+ development documents as undated articles (one paragraph per line)."""
    articles = []
    for line in ECBPLUS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            text = "\n\n".join(s for s in row["text"].split("\n") if s.strip())
            articles.append(normalise(RawItem(path=row["doc"], text=text)))
    return _features(articles, Path(request.config.cache.mkdir("ecbplus-sentences")))


def _events(index: EventIndex, example: Corpus) -> set[frozenset[str]]:
    names = {a.id: Path(a.path).name[:3] for a, _f in example}
    found = {frozenset(names[a] for a in e.articles if a in names) for e in index.events()}
    return found - {frozenset()}


def _alone(example: Corpus) -> set[frozenset[str]]:
    index = EventIndex()
    index.add_all(example)
    return _events(index, example)


def test_the_2022_statement_and_the_2024_meeting_never_share_an_event_inside_ecbplus(
    example: Corpus, ecbplus: Corpus
) -> None:
    for batches in ([example + ecbplus], [ecbplus, example], [example, ecbplus]):
        index = EventIndex()
        for batch in batches:
            index.add_all(batch)
        events = _events(index, example)
        assert not any({"000", "004"} <= e for e in events), events
        dated = {frozenset(names): e for e in index.events()
                 if (names := {Path(a.path).name[:3] for a, _f in example if a.id in e.articles})}
        meeting = next(e for names, e in dated.items() if "004" in names)
        assert meeting.start_date is None or meeting.start_date > "2022-12-31", meeting


def test_no_event_inside_ecbplus_spans_more_than_the_time_gap(example: Corpus, ecbplus: Corpus) -> None:
    index = EventIndex()
    index.add_all(ecbplus + example)
    for event in index.events():
        if event.start_date is not None:
            assert event.end_date is not None
            span = dt.date.fromisoformat(event.end_date) - dt.date.fromisoformat(event.start_date)
            assert span.days <= index.config.max_gap_days, event


@pytest.mark.xfail(strict=True, reason=(
    "inside ECB+ the example's shared subject (Serbia, Russia, sanctions, NATO) is rare in the corpus and "
    "weighs more, so every pair of example articles scores higher than alone: placed after ECB+ or with it, "
    "the undated 003 (Vucic at a rally) joins the 2023 interview 002 (see BENCHMARKS.md, events-ecbplus)"))
def test_the_example_has_the_same_events_alone_and_inside_ecbplus(example: Corpus, ecbplus: Corpus) -> None:
    alone = _alone(example)
    for batches in ([example + ecbplus], [ecbplus, example], [example, ecbplus]):
        index = EventIndex()
        for batch in batches:
            index.add_all(batch)
        assert _events(index, example) == alone
