"""Quotes report speech and belief only; sources that name nobody stay unnamed; confidences."""

from __future__ import annotations

import pytest

from storyline.records import Article
from storyline.stages.entities import ArticlePeople, EntityRegistry, analyse_people
from storyline.stages.quotes.cue_classes import CUE_CLASSES
from storyline.stages.quotes.cues import cue_class


def _analyse(text: str) -> ArticlePeople:
    return analyse_people(Article(id="t", path="t.txt", text=text, published="2024-09-04"))


@pytest.mark.parametrize(
    ("lemma", "kind", "expected"),
    [
        ("say", "ccomp", "speech"),
        ("tell", "ccomp", "speech"),
        ("according to", "according", "speech"),
        ("pledge", "xcomp", "speech"),
        ("believe", "ccomp", "belief"),
        ("hope", "ccomp", "belief"),
        ("refuse", "xcomp", None),
        ("condemn", "dobj", None),
        ("underscore", "dobj", None),
        ("fear", "ccomp", None),
        ("agree", "ccomp", "speech"),
        ("agree", "xcomp", None),
        ("a lemma nobody uses", "ccomp", None),
    ],
)
def test_cue_class_of_reviewed_lemmas(lemma: str, kind: str, expected: str | None) -> None:
    assert cue_class(lemma, kind) == expected


def test_cue_class_table_carries_train_counts() -> None:
    cls, seen, gold = CUE_CLASSES["say"]
    assert cls == "speech" and seen >= gold > 0


@pytest.mark.parametrize(
    "text",
    [
        "Serbia has refused to impose sanctions on Russia despite pressure from Brussels.",
        "The European Union condemned the attack on the convoy near the border.",
        "The refusal of Serbia underscores the deep-rooted partnership between Belgrade and Moscow.",
        "Vulin's meeting with Putin reaffirmed that the two countries remain close partners.",
    ],
)
def test_actions_and_stances_are_not_quotes(text: str) -> None:
    assert _analyse(text).quotes == ()


@pytest.mark.parametrize(
    ("text", "words", "speaker", "cls"),
    [
        ("Aleksandar Vulin said that Serbia will never impose sanctions on Russia.", "never impose",
         "Aleksandar Vulin", "speech"),
        ("According to Aleksandar Vulin, Serbia will never impose sanctions on Russia.", "never impose",
         "Aleksandar Vulin", "speech"),
        ("Angela Merkel believes that the agreement with Serbia will hold for years.", "agreement",
         "Angela Merkel", "belief"),
    ],
)
def test_speech_and_belief_are_quotes_with_their_class(text: str, words: str, speaker: str, cls: str) -> None:
    found = _analyse(text)
    [quote] = [q for q in found.quotes if words in q.text]
    assert quote.cue_class == cls
    assert quote.speaker is not None and found.entities[quote.speaker].name == speaker
    assert quote.speaker_name == speaker
    assert quote.speaker_text is not None and speaker in quote.speaker_text


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("The statement said that the talks with Brussels would resume next month.", "The statement"),
        ("You said that the talks with Brussels would resume next month.", "You"),
        ("Experts said that the talks with Brussels would resume next month.", "Experts"),
    ],
)
def test_a_source_naming_nobody_is_an_unnamed_speaker(text: str, source: str) -> None:
    found = _analyse(text)
    [quote] = found.quotes
    assert quote.speaker is None and quote.speaker_name is None and quote.speaker_confidence is None
    assert quote.speaker_text == source
    assert text[quote.speaker_start : quote.speaker_end] == source


TEXT = (
    "BELGRADE — Serbia will not impose sanctions on Russia, Aleksandar Vulin said on Tuesday.\n"
    "\u201cWe will never join the sanctions against our friends in Moscow,\u201d he told reporters. "
    "\u201cNever.\u201d\n"
    "The statement said that the talks with Brussels would resume. "
    "Russian President Vladimir Putin hopes that Serbia will stay neutral."
)


def test_confidences_and_spans_hold_their_invariants() -> None:
    article = Article(id="a", path="a.txt", text=TEXT, published="2024-09-04")
    found = analyse_people(article)
    assert found.quotes
    for q in found.quotes:
        assert TEXT[q.start : q.end] == q.text
        assert 0.0 <= q.confidence <= 1.0
        assert q.cue_class in ("speech", "belief")
        assert (q.speaker_confidence is None) == (q.speaker is None)
        if q.speaker_confidence is not None:
            assert 0.0 <= q.speaker_confidence <= 1.0
        if q.speaker_start is not None and q.speaker_end is not None:
            assert TEXT[q.speaker_start : q.speaker_end] == q.speaker_text
    registry = EntityRegistry()
    registry.add(article, found)
    again = EntityRegistry.from_state(registry.to_state())
    assert again.quotes() == registry.quotes()
    by_text = {q.text: q for q in registry.quotes()}
    never = next(q for t, q in by_text.items() if "never join" in t)
    assert never.speaker_name == "Aleksandar Vulin" and never.speaker_text == "he"


def test_a_quotation_continuing_a_turn_inherits_the_turns_class() -> None:
    found = _analyse("Jane Smith hopes that the deal with Brussels will hold for years.\n\n"
                     "“We will work for it every single day, whatever the cost.”")
    by_words = {("deal" if "deal" in q.text else "work"): q for q in found.quotes}
    assert by_words["deal"].cue_class == "belief"
    assert by_words["work"].cue is None and by_words["work"].cue_class == "belief"
    assert by_words["work"].speaker_name == "Jane Smith"


def test_a_quotation_signed_without_a_verb_is_speech() -> None:
    found = _analyse("“We will never give up the fight for our country.” ― Karen Bobadilla\n")
    [quote] = found.quotes
    assert quote.cue_class == "speech" and quote.speaker_name == "Karen Bobadilla"


def test_british_spellings_are_read_as_their_us_forms():
    from storyline.stages.quotes.cues import cue_class, cue_score, us_spelling

    assert us_spelling("emphasise") == "emphasize"
    assert cue_class("emphasise", "ccomp") == cue_class("emphasize", "ccomp") == "speech"
    assert cue_score("emphasise", "ccomp") == cue_score("emphasize", "ccomp") > 0
    assert us_spelling("rise") == "rise"  # not a cue in US spelling either: left alone
    assert cue_class("criticise", "dobj") is None  # an action in either spelling


def test_a_quotation_continuing_a_source_that_reports_no_speech_is_dropped_with_it():
    from storyline.records import Article
    from storyline.stages.entities import analyse_people

    text = ('The meeting in Vladivostok said: "Serbia is a strategic partner of Russia."\n\n'
            '"It will never impose sanctions on Moscow, whatever the pressure from the West."\n\n'
            "Officials in Belgrade later confirmed the plan.")
    article = Article(id="t", path="t.txt", text=text, source=None, url=None, title=None, published=None,
                      language="en")
    quoted = [q.text for q in analyse_people(article).quotes]
    assert not any("strategic partner" in t or "never impose" in t for t in quoted)
