"""Search finds what was asked first: word matches before meaning-only hits (unless clearly closer),
meaning-only hits above a floor and marked, and the query's words highlighted in every snippet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storyline.read.corpus import Corpus
from storyline.read.listing import Catalog
from storyline.read.search import MEANING_ONLY_FLOOR, Searcher, highlights
from storyline.stages.entities.names import fold
from storyline.store import open_store
from tests.conftest import EXAMPLE, ecbplus_articles, ingest_paths


def test_highlights_are_whole_words_folded() -> None:
    text = "President Vučić said Vucicevic was not Vučić's ally."
    found = highlights(text, [fold("Vucic")], 100)
    assert [text[s - 100 : e - 100] for s, e in found] == ["Vučić", "Vučić"]
    assert highlights("nothing here", [fold("Vucic")], 0) == ()


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The example corpus among 120 ECB+ development documents (other news), analysed (sentences, events)."""
    from storyline.pipeline import analyse

    store = open_store(str(tmp_path_factory.mktemp("mixed") / "mixed.db"))
    ingest_paths(store, *sorted(Path(EXAMPLE).glob("*.txt")))
    with store.transaction():
        store.add_articles(ecbplus_articles(120))
    analyse(store, ["sentences", "events"], workers=1)
    yield store
    store.close()


@pytest.mark.slow
@pytest.mark.parametrize("query", ["Vucic", "sanctions", "Serbia NATO"])
def test_word_matches_come_before_meaning_only_hits(mixed: Any, query: str) -> None:
    searcher = Searcher(Catalog(Corpus(mixed)))
    hits = searcher.search(query, limit=50).items
    assert hits
    kinds = [h.match for h in hits]
    first_meaning = kinds.index("meaning") if "meaning" in kinds else len(kinds)
    words = [k for k in kinds[first_meaning:] if k != "meaning"]
    for hit in hits[:first_meaning]:
        assert all(fold(w) in fold(mixed.get_article(hit.article.id).text) for w in query.split()), hit
    for hit in hits:
        if hit.match == "meaning":
            assert hit.similarity is not None and hit.similarity >= MEANING_ONLY_FLOOR, hit
    # a meaning-only hit passes a word match only when it is clearly closer (none here)
    assert not words, kinds
    for hit in hits:
        if hit.match != "meaning":
            assert hit.highlights, hit  # the snippet shows where the words are
        for start, end in hit.highlights:
            assert hit.start <= start < end <= hit.end


@pytest.mark.slow
def test_vucic_puts_the_articles_naming_vucic_first(mixed: Any) -> None:
    searcher = Searcher(Catalog(Corpus(mixed)))
    naming = {a.id for a in mixed.articles() if "vucic" in fold(a.text)}
    assert naming
    hits = searcher.search("Vucic", limit=len(naming) + 5).items
    assert {h.article.id for h in hits[: len(naming)]} == naming


def test_the_search_page_marks_words_and_meaning_only_hits(client: Any) -> None:
    html = client.get("/search?q=Vucic").text
    assert '<span class="match">Vucic</span>' in html or '<span class="match">Vučić</span>' in html
    record = client.get("/api/search?q=Vucic").json()
    assert all(h["match"] in ("words", "both", "meaning") for h in record["items"])
    assert all(h["highlights"] for h in record["items"] if h["match"] != "meaning")
