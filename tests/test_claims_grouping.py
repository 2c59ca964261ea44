"""Claims from small made-up articles: negation and stance, claims that share words, conditions,
dates given by the text, and roles."""

from __future__ import annotations

import pytest

from storyline.records import Article
from storyline.stages.claims import ClaimIndex, Statement, article_statements, pick_role, resolve_date
from storyline.stages.entities import EntityRegistry, EntityRole, analyse_people


def index_of(*articles: Article) -> ClaimIndex:
    registry = EntityRegistry()
    index = ClaimIndex()
    for article in articles:
        people = analyse_people(article)
        ids = registry.add(article, people)
        speakers = {i: (e, registry.entity(e).name) for i, e in ids.items()}  # type: ignore[union-attr]
        index.add(article, article_statements(article, people), speakers)
    return index


def statements_of(article: Article) -> list[Statement]:
    found = article_statements(article, analyse_people(article))
    for st in found.statements:
        assert article.text[st.start : st.end] == st.text
    return list(found.statements)


def holding(index: ClaimIndex, article: Article, words: str) -> tuple[str, str]:
    at = article.text.index(words)
    for claim in index.claims():
        for st in claim.statements:
            if st.article == article.id and st.start <= at < st.end and words.split()[-1] in st.wording:
                return claim.id, st.stance
    raise AssertionError(f"no statement holds {words!r}")


NEVER = Article(id="a-never", path="never.txt", published="2024-03-08", text=(
    "Serbian President Aleksandar Vucic said on Monday that Serbia will never impose sanctions on Russia.\n\n"
    "Vucic also said that Serbia will not join NATO."))
WILL = Article(id="a-will", path="will.txt", published="2024-05-02", text=(
    "Opposition leader Marko Petrovic said that Serbia will impose sanctions on Russia after the election."))
SWAP = Article(id="a-swap", path="swap.txt", published="2024-05-03", text=(
    "Russian Foreign Minister Sergei Lavrov said that Russia will never impose sanctions on Serbia."))
HUNGARY = Article(id="a-hun", path="hun.txt", published="2024-05-04", text=(
    "Hungarian Prime Minister Viktor Orban said that Hungary will never impose sanctions on Russia."))


def test_negation_is_the_same_claim_with_the_opposite_stance() -> None:
    index = index_of(NEVER, WILL)
    never_claim, never_stance = holding(index, NEVER, "Serbia will never impose sanctions on Russia")
    will_claim, will_stance = holding(index, WILL, "Serbia will impose sanctions on Russia")
    assert never_claim == will_claim
    assert {never_stance, will_stance} == {"affirms", "denies"}
    claim = index.claim(never_claim)
    assert claim is not None and len(claim.statements) == 2


def test_statements_that_share_words_stay_apart() -> None:
    index = index_of(NEVER, SWAP, HUNGARY)
    sanctions, _ = holding(index, NEVER, "Serbia will never impose sanctions on Russia")
    nato, _ = holding(index, NEVER, "Serbia will not join NATO")
    swapped, _ = holding(index, SWAP, "Russia will never impose sanctions on Serbia")
    hungary, _ = holding(index, HUNGARY, "Hungary will never impose sanctions on Russia")
    assert len({sanctions, nato, swapped, hungary}) == 4


def test_polarity_modality_and_condition_are_read() -> None:
    article = Article(id="a-cond", path="cond.txt", published="2023-12-09", text=(
        "If the ruling party wins, the country plans to maintain its stance of not imposing sanctions on Russia, "
        "Defense Minister Milos Vucevic has pledged. Belgrade is reluctant to join any military bloc."))
    found = statements_of(article)
    cond = next(s for s in found if "sanctions" in s.wording)
    assert cond.conditional and cond.polarity == -1 and "plan" in cond.modality
    assert cond.text.startswith("If the ruling party wins")
    assert cond.cue_class == "speech"
    # a position the article reports ("is reluctant to"), not anything Belgrade said
    assert not any("bloc" in s.wording for s in found)


def test_actions_and_stances_are_not_statements() -> None:
    article = Article(id="a-acts", path="acts.txt", published="2023-12-09", text=(
        "Serbia has refused to slap sanctions on Russia. Belgrade is reluctant to join any military bloc. "
        "The refusal of Serbia underscores that the partnership with Moscow is deep. "
        "Serbian President Aleksandar Vucic said that Serbia will never join NATO."))
    found = statements_of(article)
    assert not any("sanctions" in s.wording or "bloc" in s.wording or "partnership" in s.wording for s in found)
    nato = [s for s in found if "NATO" in s.wording]
    assert nato and all(s.cue_class == "speech" for s in nato)


def test_we_is_the_country_the_speaker_names_and_an_unknown_subject_joins_nothing() -> None:
    said = Article(id="a-we", path="we.txt", published="2024-03-08", text=(
        "\"Serbia will never impose sanctions on Russia,\" Serbian President Aleksandar Vucic said on Monday. "
        "\"We will never impose sanctions on Russia,\" he added."))
    found = statements_of(said)
    we = next(s for s in found if s.text.startswith("We will"))
    assert we.subject == "Serbia" and we.subject_named and we.subject_basis == "context"
    index = index_of(said, Article(id="a-they", path="they.txt", published="2024-03-09", text=(
        "A spokesman said on Tuesday that they will never impose sanctions on Russia.")))
    claim, _ = holding(index, said, "Serbia will never impose sanctions on Russia")
    assert holding(index, said, "We will never impose sanctions on Russia")[0] == claim
    they = next(c for c in index.claims() if any(s.article == "a-they" for s in c.statements))
    assert they.id != claim and len(they.statements) == 1


def test_objects_agree_by_their_head_and_the_parties_they_name() -> None:
    moscow = Article(id="a-mos", path="mos.txt", published="2024-05-05", text=(
        "Serbian President Aleksandar Vucic said that Serbia will never impose sanctions against Moscow."))
    kosovo = Article(id="a-kos", path="kos.txt", published="2024-05-06", text=(
        "Serbian President Aleksandar Vucic said that Serbia will impose sanctions on Kosovo."))
    fire = Article(id="a-fire", path="fire.txt", published="2024-05-07", text=(
        "Serbian President Aleksandar Vucic said that Serbia will never open fire on Russia."))
    index = index_of(NEVER, moscow, kosovo, fire)
    sanctions, _ = holding(index, NEVER, "Serbia will never impose sanctions on Russia")
    assert holding(index, moscow, "Serbia will never impose sanctions against Moscow")[0] == sanctions
    assert holding(index, kosovo, "Serbia will impose sanctions on Kosovo")[0] != sanctions
    assert holding(index, fire, "Serbia will never open fire on Russia")[0] != sanctions


def test_membership_has_a_confidence_and_the_claim_is_worded_as_written() -> None:
    index = index_of(NEVER, WILL, HUNGARY)
    texts = {a.id: a.text for a in (NEVER, WILL, HUNGARY)}
    for claim in index.claims():
        assert texts[claim.canonical_article][claim.canonical_start : claim.canonical_end] == claim.text
        for st in claim.statements:
            assert 0.0 <= st.confidence <= 1.0
        assert sum(st.score is None for st in claim.statements) == 1  # the canonical statement


def test_coordinated_propositions_are_separate_statements() -> None:
    article = Article(id="a-coord", path="coord.txt", published="2024-09-04", text=(
        "Serbia is a Russian ally and will never impose sanctions against Moscow or join NATO, "
        "the deputy prime minister Aleksandar Vulin said."))
    found = statements_of(article)
    wordings = {s.wording for s in found}
    assert "Serbia will never impose sanctions against Moscow" in wordings
    assert "Serbia will never join NATO" in wordings
    assert all(s.polarity == -1 for s in found if "NATO" in s.wording or "sanctions" in s.wording)


def test_a_date_the_text_gives_is_resolved_against_publication() -> None:
    found = statements_of(NEVER)  # published Friday 2024-03-08
    monday = next(s for s in found if "sanctions" in s.wording)
    assert monday.date == "2024-03-04" and monday.date_basis == "text" and monday.date_text == "Monday"
    other = next(s for s in found if "NATO" in s.wording)
    assert other.date == "2024-03-08" and other.date_basis == "published"


def test_an_undated_statement_stays_undated() -> None:
    undated = Article(id="a-undated", path="u.txt", published=None, text=NEVER.text)
    found = statements_of(undated)
    assert found and all(s.date is None and s.date_basis is None for s in found)
    assert any(s.date_text == "Monday" for s in found)


def test_resolve_date() -> None:
    assert resolve_date("on Monday", "2024-03-08") == "2024-03-04"
    assert resolve_date("Friday", "2024-03-08") == "2024-03-08"
    assert resolve_date("last Friday", "2024-03-08") == "2024-03-01"
    assert resolve_date("Monday", None) is None
    assert resolve_date("last July", "2024-09-10") == "2024-07"
    assert resolve_date("last July", "2024-07-10") == "2023-07"
    assert resolve_date("in 2021", None) == "2021"
    assert resolve_date("March 3, 2022", None) == "2022-03-03"
    assert resolve_date("yesterday", "2024-03-08") == "2024-03-07"
    assert resolve_date("December 17", "2023-12-09") == "2022-12-17"  # never after publication
    assert resolve_date("the 1990s", "2024-03-08") is None


def test_pick_role_prefers_the_same_article_then_the_latest_before() -> None:
    roles = [EntityRole("Interior Minister", "a1", "2022-03-22"),
             EntityRole("former intelligence chief", "a3", "2024-09-04"),
             EntityRole("deputy prime minister", "a3", "2024-09-04")]
    assert pick_role(roles, "a3", None) == "deputy prime minister"
    assert pick_role(roles, "a9", "2023-01-01") == "Interior Minister"
    assert pick_role(roles, "a9", "2024-12") == "deputy prime minister"
    assert pick_role(roles, "a9", "2021-01-01") is None
    assert pick_role(roles, "a9", None) is None


def test_uncertain_members_can_be_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.stages.claims import index as module

    # a calibration under which any member short of an exact paraphrase is uncertain
    monkeypatch.setattr(module, "MEMBERSHIP_KNOTS", ((0.99, 0.5), (1.0, 1.0)))
    moscow = Article(id="a-mos2", path="mos2.txt", published="2024-05-05", text=(
        "Serbian President Aleksandar Vucic said that Serbia will never impose sanctions against Moscow."))
    index = index_of(NEVER, moscow)
    claim = index.claim(holding(index, NEVER, "Serbia will never impose sanctions on Russia")[0])
    assert claim is not None and len(claim.statements) == 2
    uncertain = [s for s in claim.statements if s.confidence < 0.8]
    assert len(uncertain) == 1 and uncertain[0].score is not None
    kept = claim.keep(0.8)
    assert len(kept.statements) == 1 and kept.statements[0].score is None and kept.text == claim.text
    assert claim.keep(0.0) == claim


def test_named_parties_agree_by_derived_form_capital_or_acronym_never_by_any_prefix():
    from storyline.stages.claims.index import _same_arg

    assert _same_arg("russia", "russian federation") and _same_arg("serbia", "serbians")
    assert _same_arg("moscow", "russia")
    assert _same_arg("opec", "organization of the petroleum exporting countries")
    assert not _same_arg("india", "indiana")
    assert not _same_arg("niger", "nigeria")
    assert not _same_arg("un", "united states")
