"""Quote patterns, one tiny article each: where the speaker is, which marks, which kind."""

from __future__ import annotations

import pytest

from storyline.records import Article
from storyline.stages.entities import ArticlePeople, analyse_people
from storyline.stages.quotes import LocalQuote


def _analyse(text: str) -> ArticlePeople:
    return analyse_people(Article(id="t", path="t.txt", text=text, published="2024-09-04"))


def _only_quote(found: ArticlePeople, words: str) -> LocalQuote:
    holding = [q for q in found.quotes if words in q.text]
    assert len(holding) == 1, [q.text for q in found.quotes]
    return holding[0]


def _speaker(found: ArticlePeople, quote: LocalQuote) -> str | None:
    return found.entities[quote.speaker].name if quote.speaker is not None else None


CASES = [
    # (name, text, words inside the quote, speaker, kind, cue)
    ("speaker after", '"We will win this election in the end," Jane Smith said on Tuesday.',
     "We will win", "Jane Smith", "direct", "said"),
    ("speaker before, colon", 'Jane Smith said: "We will win this election in the end."',
     "We will win", "Jane Smith", "direct", "said"),
    ("speaker after, inverted", '"We will win this election in the end," said Jane Smith.',
     "We will win", "Jane Smith", "direct", "said"),
    ("after a dash", "“We will never give up the fight for our country.” ― Karen Bobadilla\n",
     "We will never give up", "Karen Bobadilla", "direct", "―"),
    ("angle marks", "«We will not give in to pressure from anyone,» Emmanuel Macron said.",
     "We will not give in", "Emmanuel Macron", "direct", "said"),
    ("mixed marks", "“Serbia will never become a member of NATO and never will,\" Aleksandar Vulin said.",
     "Serbia will never", "Aleksandar Vulin", "direct", "said"),
    ("indirect with that", "Aleksandar Vulin said that Belgrade will not impose sanctions on Moscow.",
     "Belgrade will not", "Aleksandar Vulin", "indirect", "said"),
    ("according to", "According to Aleksandar Vulin, Belgrade will not impose sanctions on Moscow.",
     "Belgrade will not", "Aleksandar Vulin", "indirect", "According to"),
    ("partial quote", 'Aleksandar Vulin said Serbia would never join the "anti-Russian hysteria" in Europe.',
     "anti-Russian hysteria", "Aleksandar Vulin", "mixed", "said"),
    ("pledged", "Milos Vucevic has pledged that the country will keep its stance on sanctions.",
     "the country will keep", "Milos Vucevic", "indirect", "has pledged"),
    ("told", "Aleksandar Vulin told Vladimir Putin that Serbia will remain a close ally of Russia.",
     "Serbia will remain", "Aleksandar Vulin", "indirect", "told"),
]


@pytest.mark.parametrize(("name", "text", "words", "speaker", "kind", "cue"), CASES, ids=[c[0] for c in CASES])
def test_pattern(name: str, text: str, words: str, speaker: str, kind: str, cue: str) -> None:
    found = _analyse(text)
    quote = _only_quote(found, words)
    assert _speaker(found, quote) == speaker
    assert quote.kind == kind
    assert quote.cue == cue
    assert text[quote.start : quote.end] == quote.text


def test_speaker_inside_the_quote_makes_one_turn() -> None:
    text = '"We will win this election," Jane Smith said, "and nobody can stop us now."'
    found = _analyse(text)
    quote = _only_quote(found, "We will win")
    assert "nobody can stop us" in quote.text and len(quote.parts) == 2
    assert _speaker(found, quote) == "Jane Smith" and quote.kind == "direct"


def test_pronoun_speaker_is_the_last_person_speaking() -> None:
    text = ("Aleksandar Vulin met Vladimir Putin in Vladivostok on Wednesday.\n\n"
            "“Serbia is not only a strategic partner of Russia, it is also an ally,” he said.")
    found = _analyse(text)
    quote = _only_quote(found, "strategic partner")
    assert _speaker(found, quote) == "Aleksandar Vulin"
    assert found.mentions[[m.text for m in found.mentions].index("he")].kind == "pronoun"


def test_description_speaker_is_the_person_holding_that_title() -> None:
    text = ("Serbian President Aleksandar Vucic spoke at a rally in Belgrade.\n\n"
            "“We will never impose sanctions on Russia,” the Serbian leader said.")
    found = _analyse(text)
    assert _speaker(found, _only_quote(found, "never impose")) == "Aleksandar Vucic"


def test_quote_over_several_paragraphs_is_one_quote() -> None:
    text = ('Jane Smith said: "The first paragraph of the statement is about the budget.\n\n'
            '"The second paragraph of the statement is about the schools."\n\nThe vote is next week.')
    found = _analyse(text)
    quote = _only_quote(found, "first paragraph")
    assert "second paragraph" in quote.text and quote.kind == "direct"
    assert _speaker(found, quote) == "Jane Smith"


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = 'Jane Smith said: "We will win this election and nobody will stop us.\n\nThe vote is next week.'
    found = _analyse(text)
    quote = _only_quote(found, "We will win")
    assert quote.text.endswith("stop us.") and quote.kind == "direct"


def test_quote_continuing_the_speaker_of_the_previous_paragraph() -> None:
    text = ('“The budget will be balanced by the end of the year,” Jane Smith told reporters.\n\n'
            '“Nobody in this city will pay more taxes because of it.”')
    found = _analyse(text)
    quote = _only_quote(found, "Nobody in this city")
    assert _speaker(found, quote) == "Jane Smith" and quote.kind == "direct"
    assert len(quote.parts) == 2 and "The budget" in text[slice(*quote.parts[0])]  # one turn, run on


def test_quote_after_a_new_sentence_is_a_new_quote_by_the_same_speaker() -> None:
    text = ('“The budget will be balanced by the end of the year,” Jane Smith told reporters. She left early.\n\n'
            '“Nobody in this city will pay more taxes because of it.”')
    found = _analyse(text)
    quote = _only_quote(found, "Nobody in this city")
    assert _speaker(found, quote) == "Jane Smith" and quote.cue is None and quote.kind == "direct"


def test_scare_quotes_alone_are_not_quotes() -> None:
    found = _analyse("The Balkan nation refuses to join the 'historic' deal and the “malign” influence spreads.")
    assert not [q for q in found.quotes if q.kind == "direct"]


def test_quote_after_a_sentence_naming_its_speaker() -> None:
    text = "Jane Smith was defiant on Tuesday. “We will never accept this deal, not now and not ever.”"
    found = _analyse(text)
    quote = _only_quote(found, "never accept")
    assert _speaker(found, quote) == "Jane Smith" and quote.cue is None


def test_quotation_inside_the_writers_sentence_is_a_partial_quote() -> None:
    text = "Jane Smith promised on Sunday at a rally in Denver to end “the wasteful parking regime in the city.”"
    found = _analyse(text)
    quote = _only_quote(found, "wasteful parking regime")
    assert quote.kind == "mixed" and text[quote.start : quote.end] == quote.text


def test_quotation_after_a_comma_or_a_verb_stays_direct() -> None:
    found = _analyse("As for the budget, Jane Smith said, “The vetting of these plans has not even begun.”")
    assert _only_quote(found, "The vetting").kind == "direct"
    found = _analyse("Jane Smith posted on Facebook, writing “Feels great to support someone I believe in.”")
    assert _only_quote(found, "Feels great").kind == "direct"


@pytest.mark.parametrize("text", [
    '"We lost," Jane Smith said on Tuesday night.',
    'Asked about the vote, Jane Smith said: "I hope so."',
])
def test_short_quotation_that_is_a_clause_is_direct(text: str) -> None:
    found = _analyse(text)
    quote = next(q for q in found.quotes if q.start == text.index('"'))
    assert quote.kind == "direct" and text[quote.start : quote.end] == quote.text


def test_short_quotation_that_is_a_name_is_not_direct() -> None:
    found = _analyse('Jane Smith went on to promote "Celebrity Apprentice," her new show, on Tuesday.')
    assert not [q for q in found.quotes if q.kind == "direct"]


def test_quotation_opening_in_lower_case_beside_its_speaker_clause_is_a_partial_quote() -> None:
    text = "That, the commission said on Tuesday, “would be helpful in avoiding any uncertainty in the future.”"
    quote = _only_quote(_analyse(text), "would be helpful")
    assert quote.kind == "mixed" and text[quote.start : quote.end] == quote.text
    text = "“We will build the new bridge by the end of next year,” Jane Smith said on Tuesday."
    assert _only_quote(_analyse(text), "We will build").kind == "direct"


def test_quotation_with_its_own_cue_clause_is_not_joined_to_the_turn_before() -> None:
    text = ("“We will win this election in November,” Jane Smith said. Asked which county was his favourite, "
            "Tom Brown demurred: “We will cut taxes for every family in the city.”")
    found = _analyse(text)
    first, second = _only_quote(found, "We will win"), _only_quote(found, "We will cut")
    assert first is not second and "We will cut" not in first.text
    assert _speaker(found, second) == "Tom Brown" and second.kind == "direct"


def test_speaker_clause_ending_in_a_colon_introduces_the_next_quotation() -> None:
    text = ("“We will win this election in November,” Jane Smith said. “Nobody can stop us now.” Tom Brown "
            "said: “We will see about that in the autumn.”")
    found = _analyse(text)
    assert _speaker(found, _only_quote(found, "Nobody can stop us")) == "Jane Smith"
    assert _speaker(found, _only_quote(found, "We will see")) == "Tom Brown"


def test_relative_clause_after_a_quotation_is_not_its_speaker_clause() -> None:
    text = ('"Our members are frustrated with the new rules," said Jack Brown, a spokesman for the union. '
            '"He has been very aggressive with the overtime rule," which Brown thinks will lead firms to cut hours.')
    found = _analyse(text)
    quote = _only_quote(found, "very aggressive")
    assert quote.cue == "said" and len(quote.parts) == 2 and "Our members" in quote.text


def test_scare_quoted_word_in_the_cue_clause_does_not_end_the_turn() -> None:
    text = ("“Revenues are up a little bit this year,” said Tom Brown, who noted that prices had “cratered” during "
            "the recession. “Things are moving in the right direction now.”")
    found = _analyse(text)
    quote = _only_quote(found, "Things are moving")
    assert quote.cue == "said" and "Revenues are up" in quote.text and _speaker(found, quote) == "Tom Brown"
