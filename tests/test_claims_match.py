"""Claim matching on small hand-made claim lists, with the real MiniLM encoder."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.stages.claims.lexical import LexicalIndex, clean_query, fold, identity_key, terms
from storyline.stages.claims.match import ClaimMatcher, KnownClaim

CLAIMS = [
    KnownClaim("bleach", "Drinking bleach cures the coronavirus.", "Can Drinking Bleach Cure COVID-19?"),
    KnownClaim("no-bleach", "Drinking bleach does not cure the coronavirus.", ""),
    KnownClaim("minecraft", "The popular video game Minecraft is shutting down in 2020.",
               "Is Minecraft Shutting Down?"),
    KnownClaim("draft", "The U.S. Army is sending text messages informing people they've been selected for the "
                        "military draft.", "Is US Army Sending Texts About a Military Draft?"),
    KnownClaim("bounty", "Iran has offered an $80M bounty for the head of U.S. President Donald Trump.",
               "Did Iran Offer an $80M Bounty for Trump's Head?"),
    KnownClaim("rings", "A photograph documents a cache of wedding rings removed from Holocaust victims.", ""),
]
UNRELATED = "The city council approved a new budget for road repairs on Tuesday evening."


class CountingEncoder:
    """MiniLM, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        from storyline.nlp import encode

        self.texts.extend(texts)
        return encode(texts)


@pytest.fixture(scope="module")
def matcher() -> ClaimMatcher:
    return ClaimMatcher.build(CLAIMS)


def test_reworded_claim_ranks_first(matcher: ClaimMatcher) -> None:
    ranked = matcher.rank("Minecraft will be discontinued next year, Mojang announces", k=3)
    assert ranked[0][0] == "minecraft"
    assert ranked[0][1] > 10 * ranked[1][1]


def test_a_close_rewording_scores_above_one_half(matcher: ClaimMatcher) -> None:
    ranked = matcher.rank("The popular game Minecraft is being shut down in 2020, says a hoax article", k=2)
    assert ranked[0][0] == "minecraft"
    assert ranked[0][1] > 0.5 > ranked[1][1]


def test_tweet_noise_does_not_hide_the_claim(matcher: ClaimMatcher) -> None:
    tweet = ("OMG! Iran's regime just announced an $80 million bounty for anyone who brings the head of "
             "@realDonaldTrump #FreeIran2020pic.twitter.com/uB3zOabc — Someone (@someone) January 5, 2020")
    assert matcher.rank(tweet, k=1)[0][0] == "bounty"


def test_negation_ranks_below_the_claim_it_denies(matcher: ClaimMatcher) -> None:
    ranked = dict(matcher.rank("Viral post says drinking bleach cures the coronavirus", k=len(CLAIMS)))
    assert ranked["bleach"] > ranked["no-bleach"]


def test_unrelated_text_scores_low(matcher: ClaimMatcher) -> None:
    ranked = matcher.rank(UNRELATED, k=len(CLAIMS))
    assert len(ranked) == len(CLAIMS)
    assert max(score for _, score in ranked) < 0.2


def test_related_claims_score_above_unrelated_ones(matcher: ClaimMatcher) -> None:
    ranked = matcher.rank("Soldiers are texting people that they were picked for the military draft", k=len(CLAIMS))
    scores = dict(ranked)
    assert ranked[0][0] == "draft"
    assert all(scores["draft"] > s for c, s in ranked if c != "draft")


@pytest.mark.parametrize("query", ["", "   ", "https://t.co/abc pic.twitter.com/xyz", "😀😀 🔥"])
def test_empty_queries_match_nothing(matcher: ClaimMatcher, query: str) -> None:
    assert matcher.rank(query) == []
    assert matcher.rank_many([query, "Minecraft is shutting down"], k=1)[0] == []


def test_empty_matcher_and_zero_k() -> None:
    empty = ClaimMatcher()
    assert len(empty) == 0
    assert empty.rank("Minecraft is shutting down") == []
    assert ClaimMatcher.build(CLAIMS[:2]).rank("bleach", k=0) == []


def test_add_then_rank_finds_the_new_claim_and_embeds_only_new_texts() -> None:
    encoder = CountingEncoder()
    grown = ClaimMatcher.build(CLAIMS, encoder=encoder)
    query = "Greta Thunberg was called mentally ill by a guest on Fox News"
    assert "fox" not in dict(grown.rank(query, k=len(CLAIMS)))
    before = len(encoder.texts)
    added = grown.add([("fox", "A Fox News guest disparaged teenage climate activist Greta Thunberg by calling her "
                                "'mentally ill'.")])
    assert added == 1
    assert len(grown) == len(CLAIMS) + 1
    ranked = grown.rank(query, k=3)
    assert ranked[0][0] == "fox"
    # the add embedded the one new claim text; the rest is the query and its pieces
    assert encoder.texts[before] == fold("A Fox News guest disparaged teenage climate activist Greta Thunberg by "
                                         "calling her 'mentally ill'.")
    assert sum(t.startswith("Drinking bleach") for t in encoder.texts) == 2


def test_add_rejects_a_known_id(matcher: ClaimMatcher) -> None:
    with pytest.raises(ValueError, match="already indexed"):
        ClaimMatcher.build(CLAIMS).add([("bleach", "Something else entirely.")])


def test_copies_are_indexed_once_and_listed_in_the_order_added() -> None:
    encoder = CountingEncoder()
    copies = ClaimMatcher.build(
        [("b", "A 'law to separate families' was enacted before April 2018."),
         ("a", "A “law to separate families” was enacted before April 2018."),
         *CLAIMS[2:4]],
        encoder=encoder,
    )
    assert len([t for t in encoder.texts if "separate families" in t]) == 1
    ranked = copies.rank("There is a law that separates families, enacted before April 2018", k=2)
    assert [c for c, _ in ranked] == ["b", "a"]
    assert ranked[0][1] == ranked[1][1]


def test_ranking_is_deterministic_and_batching_does_not_change_it() -> None:
    queries = ["Minecraft is closing down", UNRELATED, "Holocaust victims' rings in a photo", ""]
    first = ClaimMatcher.build(CLAIMS).rank_many(queries, k=4, batch_size=2)
    second = ClaimMatcher.build(CLAIMS).rank_many(queries, k=4, batch_size=64)
    single = [ClaimMatcher.build(CLAIMS).rank(q, k=4) for q in queries]
    for a, b, c in zip(first, second, single, strict=True):
        assert [x for x, _ in a] == [x for x, _ in b] == [x for x, _ in c]
        assert np.allclose([s for _, s in a], [s for _, s in b], atol=1e-5)
        assert np.allclose([s for _, s in a], [s for _, s in c], atol=1e-5)


def test_claims_accept_tuples_with_or_without_title() -> None:
    tuples = ClaimMatcher.build([("x", "Minecraft is shutting down.", "Is Minecraft Shutting Down?"),
                                 ("y", "Wedding rings were taken from Holocaust victims.")])
    assert tuples.claim_ids == ["x", "y"]
    assert tuples.rank("minecraft shutting down", k=1)[0][0] == "x"


def test_clean_query_removes_tweet_furniture() -> None:
    tweet = ("Wars are never easy!#shameful act..#WW3pic.twitter.com/9CgOACecb0 @IlhanMN said &amp; more 🔥 "
             "https://t.co/TPX0dF5Dil — Morgan Eastwood (@MorganEastwood) November 9, 2016")
    cleaned = clean_query(tweet)
    assert "http" not in cleaned and "pic.twitter" not in cleaned and "🔥" not in cleaned
    assert "#" not in cleaned and "@" not in cleaned and "&amp;" not in cleaned
    assert "WW 3" in cleaned and "Ilhan MN said & more" in cleaned
    assert cleaned.endswith("Morgan Eastwood")


def test_identity_key_and_terms() -> None:
    assert identity_key(fold("A ‘law’ passed.")) == identity_key('A "law" passed')
    assert terms("The drones are not flying") == ["drone", "not", "fli"]


def test_lexical_index_grows_and_covers() -> None:
    index = LexicalIndex()
    index.add(["Minecraft is shutting down", "Bleach cures the coronavirus"])
    first = index.bm25(terms("minecraft shutting"))
    assert first[0] > 0 and first[1] == 0
    index.add(["Minecraft servers are moving"])
    assert len(index.bm25(terms("minecraft"))) == 3
    coverage = index.coverage(terms("Minecraft is shutting down for good"))
    assert coverage[0] == pytest.approx(1.0)
    assert 0 < coverage[2] < 1 and coverage[1] == 0


def test_matched_weight_is_the_query_wording_a_row_has() -> None:
    index = LexicalIndex()
    index.add(["Minecraft is shutting down", "Bleach cures the coronavirus", "Minecraft servers are moving"])
    matched = index.matched_weight(terms("Minecraft is shutting down, say the servers"))
    assert matched[1] == 0
    assert matched[0] > matched[2] > 0  # "minecraft shutting down" outweighs "minecraft servers"
    assert index.matched_weight([]).tolist() == [0.0, 0.0, 0.0]
