"""The side-by-side view pairs each sentence at most once and says how much of each article is aligned."""

from __future__ import annotations

import itertools
from typing import Any

from storyline.read.reuse import one_to_one
from storyline.records import Alignment
from tests.conftest import get_json


def test_a_source_sentence_serving_two_derived_sentences_is_one_row() -> None:
    pairs = (Alignment(0, 10, 0, 5, 0.7), Alignment(0, 10, 6, 12, 0.8), Alignment(11, 20, 13, 20, 0.9))
    assert one_to_one(pairs) == (Alignment(0, 10, 0, 12, 0.8), Alignment(11, 20, 13, 20, 0.9))
    assert one_to_one(()) == ()


def test_the_example_rewrite_side_by_side(client: Any) -> None:
    links = get_json(client, "/api/reuse")["items"]
    assert links
    for link in links:
        view = get_json(client, f"/api/reuse/{link['source']}/{link['derived']}")
        pairs, counts = view["pairs"], view["counts"]
        sources = [(p["source_start"], p["source_end"]) for p in pairs]
        derived = [(p["derived_start"], p["derived_end"]) for p in pairs]
        assert len(set(sources)) == len(sources) and len(set(derived)) == len(derived), link
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(derived)), "derived rows overlap"
        assert 0 < counts["derived_aligned"] <= counts["derived_sentences"]
        assert 0 < counts["source_aligned"] <= counts["source_sentences"]
        assert counts["derived_share"] == round(counts["derived_aligned"] / counts["derived_sentences"], 4)
        assert view["kind"] in ("duplicate", "near-duplicate", "partial copy", "rewrite")
        source_text = get_json(client, f"/api/articles/{link['source']}")["article"]["text"]
        derived_text = get_json(client, f"/api/articles/{link['derived']}")["article"]["text"]
        for p in pairs:
            assert source_text[p["source_start"] : p["source_end"]] == p["source_text"]
            assert derived_text[p["derived_start"] : p["derived_end"]] == p["derived_text"]
        page = client.get(f"/reuse/{link['source']}/{link['derived']}").text
        assert f"{counts['derived_aligned']} of its {counts['derived_sentences']} sentences" in page


def test_the_kind_follows_from_the_share_of_the_derived_article() -> None:
    from storyline.read.reuse import kind_words

    assert kind_words("partial", 1.0) == "excerpt"  # two sentences, both copied: the item is lifted whole
    assert kind_words("partial", 0.35) == "partial copy"
    assert kind_words("near_duplicate", 0.9) == "near-duplicate"
    assert kind_words("rewrite", 0.65) == "rewrite"
