"""Text helpers of the reuse stage: folding, specifics, quotes, prose filter, features."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.records import Article
from storyline.stages.reuse import ReuseFeatures, reuse_features
from storyline.stages.reuse.minhash import estimated_jaccard
from storyline.stages.reuse.text import (
    direct_quotes,
    fold,
    is_prose,
    quoted_share,
    quoted_spans,
    shingles,
    specifics,
    text_digest,
)

TEXT = (
    "Serbia is a Russian ally and will never impose sanctions against Moscow or join NATO, the Balkan "
    "nation's deputy prime minister said Wednesday as he met with Russian President Vladimir Putin. "
    "The remarks by Aleksandar Vulin reflect close relations between Belgrade and Moscow."
)


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Vučić SAID") == fold("vucic said") == "vucic said"


def test_specifics_are_numbers_and_non_initial_names() -> None:
    found = specifics("The Deputy met President Vladimir Putin on 12 July 2023. Mr. Smith and “Please wait.")
    assert {"vladi", "putin", "12", "july", "2023", "smith"} <= found
    assert not {"the", "deput", "presi", "pleas", "mr"} & found  # initial words and titles are not names


def test_quoted_spans_cover_curly_straight_tokenised_and_single_quotes() -> None:
    text = "He said: “We will never impose sanctions.” Then \"a short one\" and `` that is all '' ok."
    assert [text[a:b] for a, b in quoted_spans(text)] == [
        "“We will never impose sanctions.”", '"a short one"', "`` that is all ''"
    ]
    single = "Reid told People: 'I 've done it .\nTrust me , ' she said."
    assert [single[a:b] for a, b in quoted_spans(single)] == ["'I 've done it .\nTrust me , '"]
    assert direct_quotes(text) == 1  # the other two have fewer than four words
    span = (text.index("“"), text.index("”") + 1)
    assert quoted_share(span, quoted_spans(text)) == 1.0


def test_prose_filter_drops_links_and_fragments() -> None:
    assert is_prose("The council approved the budget on Tuesday.")
    assert not is_prose("http : / / www . cnn . com / 2013")
    assert not is_prose("Read more.")


def test_digest_is_equal_for_case_and_spacing_changes_only() -> None:
    assert text_digest(TEXT) == text_digest(TEXT.upper().replace(" ", "  "))
    assert text_digest(TEXT) != text_digest(TEXT.replace("never", "not"))


def test_features_are_a_pure_function_and_round_trip() -> None:
    article = Article(id="a1", path="a.txt", text=TEXT)
    first, second = reuse_features(article), reuse_features(article)
    assert first.to_bytes() == second.to_bytes()
    restored = ReuseFeatures.from_bytes("a1", first.to_bytes())
    assert restored.digest == first.digest and np.array_equal(restored.signature, first.signature)
    with pytest.raises(ValueError, match="layout version"):
        ReuseFeatures.from_bytes("a1", b"\x63" + first.to_bytes()[1:])


def test_minhash_estimates_the_shingle_jaccard() -> None:
    edited = TEXT.replace("deputy prime minister", "deputy premier")
    a, b = shingles(TEXT), shingles(edited)
    exact = len(a & b) / len(a | b)
    estimate = estimated_jaccard(
        reuse_features(Article(id="a", path="a", text=TEXT)), reuse_features(Article(id="b", path="b", text=edited))
    )
    assert abs(estimate - exact) < 0.15
    short = reuse_features(Article(id="s", path="s", text="Too short."))
    assert estimated_jaccard(short, short) == 0.0
