"""The example corpus with the real sentence stage (MiniLM): 001 is a rewrite of 004, nothing else."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from storyline.pipeline import read_articles
from storyline.records import Article, ReuseLink
from storyline.stages.reuse import ReuseIndex, find_reuse, reuse_features
from storyline.stages.sentences import embed_articles

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "serbia-sanctions"

# For each sentence of 001 (by its opening words): phrases of the 004 sentences it paraphrases.
GOLD = {
    "Serbia's Deputy Prime Minister reiterated": ["will never impose sanctions against Moscow or join NATO"],
    "Despite Serbia's aspirations": ["despite Serbia's proclaimed bid to join the European Union"],
    "The refusal of Serbia": ["refused to join Western sanctions against Russia"],
    "President Aleksandar Vucic has emphasized": ["wasn't in Serbia's national interest"],
    "During the meeting in Vladivostok": ["a great honor for me", "great encouragement for all Serbs",
                                          "The two met in Vladivostok"],
    "Vulin emphasized that Serbia views": ["not only a strategic partner of Russia"],
    "Recent diplomatic engagements": ["French President Emmanuel Macron", "German Chancellor Olaf Scholz"],
    "While Serbia signed agreements": ["signed an agreement to buy French Rafale", "tentative EU deal",
                                       "close ties with Russia will continue"],
    "The U.S. sanctions imposed on Vulin": ["The U.S. imposed sanctions on Vulin last July"],
    "Despite these challenges": ["part of anti-Russian hysteria", "any anti-Russian actions"],
    "As the Balkans region continues": ["will never become a member of NATO",
                                        "sanctions against individuals and companies in the Balkans"],
    "The West's efforts": ["The West has stepped up efforts to lure the troubled region"],
    "Amid ongoing tensions": ["The Balkans went through multiple wars"],
}


def read_example(path: Path) -> Article:
    """An example-corpus file read by the real ingest, its id shortened to the file's number (001)."""
    (article,) = read_articles(str(path))
    assert isinstance(article, Article), article
    return replace(article, id=path.name[:3])


@pytest.fixture(scope="module")
def corpus() -> dict[str, Article]:
    return {a.id: a for a in (read_example(p) for p in sorted(EXAMPLE.glob("*.txt")))}


@pytest.fixture(scope="module")
def links(corpus: dict[str, Article]) -> list[ReuseLink]:
    articles = list(corpus.values())
    batch = list(zip(articles, embed_articles(articles), [reuse_features(a) for a in articles], strict=True))
    return find_reuse(ReuseIndex(), batch)


def test_reader_keeps_dates_and_strips_furniture(corpus: dict[str, Article]) -> None:
    assert [corpus[k].published for k in sorted(corpus)] == ["2022-03-22", None, "2023-12-09", None, None]
    assert corpus["004"].text.startswith("Serbia is a Russian ally")
    assert corpus["004"].text.endswith("tensions still persist.")


def test_001_is_a_textually_directed_rewrite_of_004_and_nothing_else_is_linked(links: list[ReuseLink]) -> None:
    assert [(x.source, x.derived, x.kind) for x in links] == [("004", "001", "rewrite")]
    assert links[0].direction_basis.startswith("textual:")
    assert 0.0 < links[0].score <= 1.0


def test_most_sentences_of_001_align_to_the_004_sentence_they_paraphrase(
    links: list[ReuseLink], corpus: dict[str, Article]
) -> None:
    (link,) = links
    source, derived = corpus["004"].text, corpus["001"].text
    right = set()
    for a in link.alignments:
        opening = next(k for k in GOLD if derived[a.derived_start : a.derived_end].startswith(k))
        if any(phrase in source[a.source_start : a.source_end] for phrase in GOLD[opening]):
            right.add(opening)
    assert len(GOLD) == 13
    assert len(right) >= 10, sorted(set(GOLD) - right)


def test_alignment_spans_are_sentences_of_both_texts(links: list[ReuseLink], corpus: dict[str, Article]) -> None:
    (link,) = links
    source, derived = corpus["004"].text, corpus["001"].text
    for a in link.alignments:
        piece = derived[a.derived_start : a.derived_end]
        assert piece == piece.strip() and piece[-1] in ".”\"" and piece[0].isupper()
        assert source[a.source_start : a.source_end].strip() == source[a.source_start : a.source_end]
        assert 0.5 < a.similarity <= 1.0


def test_direction_does_not_depend_on_ingestion_order(corpus: dict[str, Article]) -> None:
    articles = [corpus["001"], corpus["004"]]
    batch = list(zip(articles, embed_articles(articles), [reuse_features(a) for a in articles], strict=True))
    for order in (batch, batch[::-1]):
        (link,) = find_reuse(ReuseIndex(), order)
        assert (link.source, link.derived, link.kind) == ("004", "001", "rewrite")
