"""Quotes of the example corpus: the 13 direct quotations, each with its speaker.

Counted by hand in the five texts (scare quotes such as "hysteria", 'historic' and “malign”
are not speech):

- 000: "Serbia will never be part of ..." (Vulin); "I explained to our groups ..." (Zelenskyy)
- 002: “contradicting even what they call their constitution” (Vučević, "a move he said was")
- 003: “Serbia wants to join ...” (Vučić, "the Serbian leader said"); “everyone must remember ...”
  (Vučić, inside "Vucic said that ..."); “Don’t force Serbia ...” (Vučić, "he said")
- 004: “It’s a great honor ...” and “Please believe me ...” (Vulin, one turn); “Serbia is not only
  ...” and “This is why ...” (Vulin, one turn); “take a close look ...” (Putin, inside "Putin
  expressed hope that ..."); “Serbia led by Aleksandar Vučić ...," (Vulin, "he said", opened with
  a curly mark and closed with a straight one); “Serbia has not become ...” (Vulin)
"""

from __future__ import annotations

import pytest

from storyline.stages.entities.names import fold
from storyline.stages.quotes import Quote, quote_to_export
from tests.test_entities_example import example_corpus

# (article, start of the quoted words, speaker's surname, kind of the quote record holding them)
THIRTEEN = [
    ("000", "Serbia will never be part of the anti-Russian hysteria", "Vulin", "direct"),
    ("000", "I explained to our groups participating in talks", "Zelenskyy", "direct"),
    ("002", "contradicting even what they call their constitution", "Vucevic", "mixed"),
    ("003", "Serbia wants to join the European Union", "Vucic", "direct"),
    ("003", "everyone must remember that although life is precious", "Vucic", "mixed"),
    ("003", "Don’t force Serbia to give up its honor", "Vucic", "direct"),
    ("004", "It’s a great honor for me to have the privilege", "Vulin", "direct"),
    ("004", "Please believe me when I say it is a great encouragement", "Vulin", "direct"),
    ("004", "Serbia is not only a strategic partner of Russia", "Vulin", "direct"),
    ("004", "This is why pressure on us by the West is huge", "Vulin", "direct"),
    ("004", "take a close look and evaluate the possibilities", "Putin", "mixed"),
    ("004", "Serbia led by Aleksandar Vučić is a Serbia that will never become", "Vulin", "direct"),
    ("004", "Serbia has not become and will not become part of anti-Russian hysteria", "Vulin", "direct"),
]


def _quote_holding(key: str, words: str) -> Quote:
    articles, _, registry = example_corpus()
    article = articles[key]
    at = article.text.index(words)
    holding = [q for q in registry.quotes() if q.article == article.id and q.start <= at < q.end]
    assert len(holding) == 1, f"{words!r}: {len(holding)} quotes hold it"
    return holding[0]


@pytest.mark.parametrize(("key", "words", "surname", "kind"), THIRTEEN)
def test_each_direct_quotation_is_found_with_its_speaker(key: str, words: str, surname: str, kind: str) -> None:
    _, _, registry = example_corpus()
    quote = _quote_holding(key, words)
    assert quote.speaker is not None
    speaker = registry.entity(quote.speaker)
    assert speaker is not None and fold(speaker.name).split()[-1] == fold(surname)
    assert quote.speaker_name == speaker.name
    assert quote.kind == kind
    assert quote.cue


def test_no_other_direct_quotes_and_thirteen_quotations_in_eleven_turns() -> None:
    _, _, registry = example_corpus()
    held = {_quote_holding(key, words).id for key, words, _, _ in THIRTEEN}
    assert len(held) == 11  # two turns of 004 hold two quotations each, around their cue clause
    others = [q for q in registry.quotes() if q.id not in held and q.kind != "indirect"]
    assert all(q.kind == "mixed" for q in others)  # reported speech with a scare-quoted word only


def test_a_turn_interrupted_by_its_cue_is_one_quote_with_two_parts() -> None:
    articles, _, _ = example_corpus()
    quote = _quote_holding("004", "It’s a great honor")
    assert quote == _quote_holding("004", "Please believe me")
    assert len(quote.parts) == 2
    text = articles["004"].text
    assert [text[s:e][:6] for s, e in quote.parts] == ["“It’s ", "“Pleas"]
    assert "Vulin told Putin" not in "".join(text[s:e] for s, e in quote.parts)


def test_mixed_marks_quote_is_whole() -> None:
    quote = _quote_holding("004", "Serbia led by Aleksandar")
    assert quote.text.startswith("“Serbia led by") and quote.text.endswith('actions,"')


def test_every_quote_quotes_its_article_text() -> None:
    articles, people, registry = example_corpus()
    by_id = {a.id: a for a in articles.values()}
    for q in registry.quotes():
        text = by_id[q.article].text
        assert text[q.start : q.end] == q.text
        assert all(q.start <= s < e <= q.end for s, e in q.parts)
    for found in people.values():
        text = by_id[found.article].text
        for q in found.quotes:
            assert text[q.start : q.end] == q.text
            if q.cue is not None:
                assert q.cue_start is not None and q.cue_end is not None
                assert text[q.cue_start : q.cue_end] == q.cue
            if q.speaker_start is not None and q.speaker_end is not None:
                assert text[q.speaker_start : q.speaker_end].strip()


def test_indirect_quotes_have_cue_and_speaker() -> None:
    said = _quote_holding("000", "Belgrade will not impose sanctions or join Western")
    assert said.kind == "mixed"  # a scare-quoted word: "hysteria"
    assert said.cue == "said" and said.text.startswith("that Belgrade")
    first = _quote_holding("004", "Serbia is a Russian ally and will never impose")
    assert first.kind == "indirect" and first.cue == "said"
    assert first.speaker is not None and "vulin" in first.speaker  # "the Balkan nation's deputy prime minister"
    rally = _quote_holding("003", "Serbia will never impose sanctions on Russia and will stay out")
    assert rally.cue == "told" and rally.speaker is not None and "vucic" in rally.speaker


def test_pronoun_speakers_resolve_to_the_last_person_speaking() -> None:
    quote = _quote_holding("003", "Don’t force Serbia")
    assert quote.speaker is not None and "vucic" in quote.speaker
    led_by = _quote_holding("004", "Serbia led by Aleksandar")  # names Vučić inside, said by Vulin
    assert led_by.speaker is not None and "vulin" in led_by.speaker


def test_quote_ids_are_stable_hashes_and_export_has_the_contract_fields() -> None:
    _, _, registry = example_corpus()
    quotes = registry.quotes()
    assert len({q.id for q in quotes}) == len(quotes)
    record = quote_to_export(quotes[0])
    assert set(record) == {"id", "article", "start", "end", "text", "kind", "speaker", "speaker_name", "cue",
                           "cue_class", "confidence", "speaker_text", "speaker_confidence"}
    assert record["kind"] in ("direct", "indirect", "mixed")
    assert record["cue_class"] in ("speech", "belief")
