"""Claims of the example corpus (issue 7, requirement 8), end to end through the real ingest,
the people-and-quotes stage, the entity registry, the statements and the claim index."""

from __future__ import annotations

import json
import random
from functools import lru_cache
from pathlib import Path

from storyline.pipeline import read_articles
from storyline.records import Article
from storyline.stages.claims import ArticleStatements, Claim, ClaimIndex, article_statements, claim_to_export
from storyline.stages.entities import ArticlePeople, EntityRegistry, analyse_people
from storyline.stages.entities.names import fold

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "serbia-sanctions"
KEYS = ("000", "001", "002", "003", "004")


@lru_cache(maxsize=1)
def corpus() -> tuple[dict[str, Article], dict[str, ArticlePeople], dict[str, ArticleStatements]]:
    articles: dict[str, Article] = {}
    for path in sorted(EXAMPLE.glob("*.txt")):
        (item,) = list(read_articles(str(path)))
        assert isinstance(item, Article)
        articles[path.name[:3]] = item
    people = {k: analyse_people(a) for k, a in articles.items()}
    statements = {k: article_statements(articles[k], people[k]) for k in articles}
    return articles, people, statements


def build(order: tuple[str, ...] = KEYS) -> tuple[ClaimIndex, EntityRegistry]:
    articles, people, statements = corpus()
    registry = EntityRegistry()
    index = ClaimIndex()
    for key in order:
        ids = registry.add(articles[key], people[key])
        speakers = {}
        for local, ident in ids.items():
            entity = registry.entity(ident)
            assert entity is not None
            speakers[local] = (ident, entity.name)
        index.add(articles[key], statements[key], speakers)
    return index, registry


def key_of(article_id: str) -> str:
    articles, _, _ = corpus()
    return next(k for k, a in articles.items() if a.id == article_id)


def claim_with(index: ClaimIndex, key: str, words: str) -> Claim:
    articles, _, _ = corpus()
    at = articles[key].text.index(words)
    found = [c for c in index.claims() for s in c.statements
             if s.article == articles[key].id and s.start <= at < s.end and words.split()[-1] in s.wording]
    assert found, f"no claim holds {words!r}"
    return found[0]


def surname(name: str | None) -> str:
    return fold(name or "").lower().split()[-1]


def test_every_statement_quotes_its_article_text() -> None:
    articles, _, statements = corpus()
    total = 0
    for key, found in statements.items():
        text = articles[key].text
        assert found.article == articles[key].id
        for st in found.statements:
            assert text[st.start : st.end] == st.text, (key, st)
            assert st.text.strip() == st.text and st.text
            if st.quote_start is not None and st.quote_end is not None:
                assert st.quote_start < st.quote_end
            assert st.vector is not None and abs(float(st.vector @ st.vector) - 1.0) < 0.01
            total += 1
    assert total > 50


def test_statements_serialise() -> None:
    _, _, statements = corpus()
    for found in statements.values():
        back = ArticleStatements.from_dict(json.loads(json.dumps(found.to_dict())))
        assert back == found
        assert all(b.vector is not None and a.vector is not None and float(a.vector @ b.vector) > 0.999
                   for a, b in zip(found.statements, back.statements, strict=True))


def test_one_claim_gathers_the_sanctions_statements() -> None:
    index, _ = build()
    claim = claim_with(index, "003", "Serbia will never impose sanctions on Russia")
    assert "sanctions" in claim.text and "NATO" not in claim.text
    keys = {key_of(s.article) for s in claim.statements}
    assert keys == set(KEYS)
    speakers = {surname(s.speaker_name) for s in claim.statements if s.speaker}
    assert {"vulin", "vucic", "vucevic"} <= speakers
    by_key = {k: [s for s in claim.statements if key_of(s.article) == k] for k in KEYS}
    vulin_000 = [s for s in by_key["000"] if surname(s.speaker_name) == "vulin"]
    assert vulin_000 and all(s.date == "2022-03-22" and s.stance == "affirms" for s in vulin_000)
    assert by_key["002"] and all(s.date == "2023-12-09" for s in by_key["002"])
    assert {s.stance for s in by_key["002"]} <= {"conditional", "affirms"}
    assert "conditional" in {s.stance for s in by_key["002"]}
    assert all(surname(s.speaker_name) == "vucevic" for s in by_key["002"])
    vucic_003 = [s for s in by_key["003"] if surname(s.speaker_name) == "vucic"]
    assert len(vucic_003) >= 2 and all(s.stance == "affirms" for s in vucic_003)
    # 003 and 004 carry no publication date: their statements are undated, not guessed
    assert all(s.date is None for s in by_key["003"] + by_key["004"] + by_key["001"])
    assert {surname(s.speaker_name) for s in by_key["004"] if s.stance == "affirms"} == {"vulin"}
    assert all("NATO" not in s.wording for s in claim.statements)
    # a dated timeline: dated statements first, in date order
    dates = [s.date for s in claim.statements]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates[: len(dated)] == dated


def test_a_separate_claim_gathers_nato_and_military_bloc_statements() -> None:
    index, _ = build()
    nato = claim_with(index, "004", "will never become a member of NATO")
    sanctions = claim_with(index, "003", "Serbia will never impose sanctions on Russia")
    assert nato.id != sanctions.id
    assert {"000", "003", "004"} <= {key_of(s.article) for s in nato.statements}
    assert claim_with(index, "003", "will stay out of any military bloc").id == nato.id
    assert claim_with(index, "000", "the Balkan country will not join NATO").id == nato.id
    assert all("sanction" not in s.wording for s in nato.statements)
    assert all(s.stance in ("affirms", "reports") for s in nato.statements)
    monday = [s for s in nato.statements if "Balkan country" in s.text]
    assert monday and monday[0].date == "2022-03-21"  # "on Monday" in an article of Tuesday 2022-03-22
    # recurring claims come first
    assert {c.id for c in index.claims()[:2]} == {nato.id, sanctions.id}


def test_every_claim_is_worded_by_one_statement_as_written() -> None:
    articles, _, _ = corpus()
    text = {a.id: a.text for a in articles.values()}
    index, _ = build()
    for claim in index.claims():
        assert text[claim.canonical_article][claim.canonical_start : claim.canonical_end] == claim.text
        assert claim.text in {s.text for s in claim.statements} | {s.wording for s in claim.statements}


def test_claims_that_share_words_stay_apart() -> None:
    index, _ = build()
    sanctions = claim_with(index, "003", "Serbia will never impose sanctions on Russia")
    # "because Russia has never imposed sanctions on us": the same words, the roles swapped
    russia = claim_with(index, "003", "Russia has never imposed sanctions on us")
    assert russia.id != sanctions.id
    eu = claim_with(index, "003", "Serbia wants to join the European Union")
    assert eu.id not in {sanctions.id, claim_with(index, "004", "will never become a member of NATO").id}


def test_export_records_have_roles_of_the_time() -> None:
    index, registry = build()
    claim = claim_with(index, "003", "Serbia will never impose sanctions on Russia")
    roles = {e.id: e.roles for e in registry.entities()}
    record = claim_to_export(claim, roles=roles)
    assert set(record) == {"id", "text", "source", "statements"}
    assert record["id"] == claim.id and record["text"] == claim.text
    articles, _, _ = corpus()
    text = next(a.text for a in articles.values() if a.id == record["source"]["article"])
    assert text[record["source"]["start"] : record["source"]["end"]] == claim.text
    for st in record["statements"]:
        assert set(st) == {"article", "start", "end", "text", "speaker", "speaker_name", "role", "date", "stance",
                           "quote", "cue_class", "confidence"}
        assert st["stance"] in ("affirms", "denies", "conditional", "reports")
        assert st["cue_class"] in ("speech", "belief") and 0 <= st["confidence"] <= 1
    vulin = {key_of(s["article"]): s["role"] for s in record["statements"] if surname(s["speaker_name"]) == "vulin"}
    assert vulin["000"] == "Interior Minister"
    assert vulin["004"].lower() == "deputy prime minister"
    quoted = [s for s in record["statements"] if s["quote"]]
    quotes = {q.id for q in registry.quotes()}
    assert quoted and all(s["quote"] in quotes for s in quoted)
    # a callable works as well as a mapping
    assert claim_to_export(claim, roles=lambda ident: roles.get(ident)) == record


def signature(index: ClaimIndex) -> set[tuple[str, frozenset[tuple[str, int, int, str]]]]:
    return {(c.text, frozenset((s.article, s.start, s.end, s.stance) for s in c.statements)) for c in index.claims()}


def test_order_of_arrival_does_not_change_the_claims() -> None:
    forward, _ = build()
    backward, _ = build(tuple(reversed(KEYS)))
    shuffled = list(KEYS)
    random.Random(7).shuffle(shuffled)
    mixed, _ = build(tuple(shuffled))
    assert signature(forward) == signature(backward) == signature(mixed)


def test_state_round_trip_gives_the_same_claims_and_keeps_growing() -> None:
    articles, people, statements = corpus()
    index, _ = build()
    restored = ClaimIndex.from_state(json.loads(json.dumps(index.to_state())))
    assert [(c.id, c.text, c.statements) for c in restored.claims()] == [
        (c.id, c.text, c.statements) for c in index.claims()]
    # incremental: four articles, saved, restored, then the fifth gives the same as all five at once
    partial, _ = build(KEYS[:4])
    again = ClaimIndex.from_state(json.loads(json.dumps(partial.to_state())))
    registry = EntityRegistry()
    for key in KEYS:
        ids = registry.add(articles[key], people[key])
    speakers = {i: (e, registry.entity(e).name) for i, e in ids.items()}  # type: ignore[union-attr]
    again.add(articles["004"], statements["004"], speakers)
    assert signature(again) == signature(index)
    # ids are stable: claims founded before the fifth article keep theirs
    assert {c.id for c in partial.claims()} <= {c.id for c in again.claims()} | {
        a for c in again.claims() for a in c.aliases}
    # adding an article twice changes nothing
    again.add(articles["004"], statements["004"], speakers)
    assert signature(again) == signature(index)


def test_find_ranks_the_claim_by_words_or_id() -> None:
    index, _ = build()
    sanctions = claim_with(index, "003", "Serbia will never impose sanctions on Russia")
    nato = claim_with(index, "004", "will never become a member of NATO")
    assert index.find("sanctions on Russia")[0].id == sanctions.id
    assert index.find("Serbia joining NATO")[0].id == nato.id
    assert index.find(sanctions.id) == [sanctions]
    assert index.timeline(nato.id) == list(nato.statements)
    assert index.claim("c-0000") is None and index.timeline("c-0000") == []


def test_statements_of_many_articles_are_those_of_each_article_with_one_encoder_call() -> None:
    import numpy as np

    from storyline.stages.claims import articles_statements

    articles, people, statements = corpus()
    calls: list[int] = []

    def encode(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        return np.stack([np.random.default_rng(abs(hash(t)) % 2**32).normal(size=384) for t in texts]).astype(
            np.float32)

    batched = articles_statements([(articles[k], people[k]) for k in KEYS], encode=encode)
    assert len(calls) == 1
    single = [article_statements(articles[k], people[k], encode=encode) for k in KEYS]
    assert len(calls) == 1 + sum(1 for s in single if s.statements)
    for one, many, real in zip(single, batched, (statements[k] for k in KEYS), strict=True):
        assert one.article == many.article == real.article
        assert [(s.start, s.end, s.embed_text) for s in one.statements] == \
            [(s.start, s.end, s.embed_text) for s in many.statements] == \
            [(s.start, s.end, s.embed_text) for s in real.statements]
        for a, b in zip(one.statements, many.statements, strict=True):
            assert a.vector is not None and b.vector is not None and np.array_equal(a.vector, b.vector)
