"""Library search: text folds accents and case, meaning finds paraphrases, filters apply, bad queries fail."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storyline.errors import QueryError
from storyline.read.corpus import Corpus
from storyline.read.listing import Catalog, Filters
from storyline.read.search import Searcher, fts_expression, parse_query
from storyline.store import open_store


@pytest.fixture(scope="module")
def searcher(analysed_db: str) -> Iterator[Searcher]:
    store = open_store(analysed_db, read_only=True)
    yield Searcher(Catalog(Corpus(store)))
    store.close()


def _labels(page_items: list) -> list[str]:  # type: ignore[type-arg]
    return [h.article.file[:3] for h in page_items]


def test_ascii_query_finds_accented_name(searcher: Searcher) -> None:
    page = searcher.search("Vucic", mode="text")
    assert "004" in _labels(page.items)
    text = searcher.store.get_article(next(h.article.id for h in page.items if h.article.file.startswith("004"))).text
    assert "Vučić" in text and "Vucic" not in text


def test_case_and_accents_fold_both_ways(searcher: Searcher) -> None:
    assert _labels(searcher.search("VUČIĆ", mode="text").items) == _labels(searcher.search("vucic", mode="text").items)


def test_paraphrase_found_by_meaning_without_shared_words(searcher: Searcher) -> None:
    query = "Belgrade refuses to penalise the Kremlin"
    assert searcher.search(query, mode="text").total == 0
    page = searcher.search(query)
    assert page.total >= 1
    assert all(h.semantic_rank is not None for h in page.items)


def test_quoted_phrase_must_occur_in_order(searcher: Searcher) -> None:
    page = searcher.search('"will never impose sanctions"', mode="text")
    assert page.total >= 1
    for hit in page.items:
        text = searcher.store.get_article(hit.article.id).text.lower()
        assert "will never impose sanctions" in text


def test_every_hit_span_is_its_snippet(searcher: Searcher) -> None:
    for hit in searcher.search("sanctions on Russia").items:
        text = searcher.store.get_article(hit.article.id).text
        assert hit.snippet and text[hit.start : hit.end] == hit.snippet


def test_source_and_date_filters(searcher: Searcher) -> None:
    page = searcher.search("Serbia", Filters(source="sputnikglobe.com"))
    assert [h.article.source for h in page.items] == ["sputnikglobe.com"]
    dated = searcher.search("Serbia", Filters(date_from="2023-01-01", date_to="2023-12-31"))
    assert dated.items and all(h.article.published and h.article.published.startswith("2023") for h in dated.items)


def test_pagination_is_a_window_of_one_ranking(searcher: Searcher) -> None:
    whole = [h.article.id for h in searcher.search("Serbia", limit=10).items]
    second = [h.article.id for h in searcher.search("Serbia", offset=2, limit=2).items]
    assert second == whole[2:4]


def test_operators_are_plain_words() -> None:
    assert fts_expression("NEAR(a b) OR c*") == '"NEAR" AND "a" AND "b" AND "OR" AND "c"'
    assert fts_expression('say "will never"') == '"say" AND "will never"'


def test_fts_syntax_in_a_query_never_reaches_sqlite_unescaped(searcher: Searcher) -> None:
    for query in ["AND", "NOT NATO", "title:Serbia", "^Serbia", "a OR", "(Serbia", "Serbia*", "-Serbia"]:
        searcher.search(query, mode="text")  # must not raise


@pytest.mark.parametrize("query", ['"unbalanced', "", "   ", "*** ---", "x" * 600, " ".join(["w"] * 40)])
def test_malformed_queries_raise_query_error(query: str) -> None:
    with pytest.raises(QueryError):
        parse_query(query)


def test_bad_filters_and_modes_raise_query_error(searcher: Searcher) -> None:
    with pytest.raises(QueryError):
        Filters(date_from="2023-02-30")
    with pytest.raises(QueryError):
        Filters(date_from="2024-01-01", date_to="2023-01-01")
    with pytest.raises(QueryError):
        searcher.search("Serbia", mode="fuzzy")  # type: ignore[arg-type]
