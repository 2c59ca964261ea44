"""Quotation-mark pairing (no spaCy): straight, curly, angle, doubled apostrophes, mixed, unbalanced."""

from __future__ import annotations

import pytest

from storyline.stages.quotes.attribution import QuotedLetters
from storyline.stages.quotes.marks import quote_regions


def _quoted(text: str) -> list[str]:
    return [text[r.start : r.end] for r in quote_regions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "we will win" today.', ['"we will win"']),
        ("He said “we will win” today.", ["“we will win”"]),
        ("He said «we will win» today.", ["«we will win»"]),
        ("He said „wir gewinnen“ heute.", ["„wir gewinnen“"]),
        ("He said ''we will win'' today.", ["''we will win''"]),
        ('“Serbia led by Vučić will never join NATO," he said.', ['“Serbia led by Vučić will never join NATO,"']),
        ('"A," he said, "B."', ['"A,"', '"B."']),
    ],
)
def test_pairs(text: str, expected: list[str]) -> None:
    assert _quoted(text) == expected


def test_missing_closing_mark_ends_at_the_paragraph() -> None:
    text = 'She said: "We will win this.\nNext paragraph is narration.'
    assert _quoted(text) == ['"We will win this.']


def test_quote_over_paragraphs_reopened_at_each_one() -> None:
    text = 'She said: "First part.\n\n"Second part."\n\nNarration.'
    assert _quoted(text) == ['"First part.\n\n"Second part."']


def test_missing_opening_mark_starts_at_the_paragraph() -> None:
    text = 'Intro.\nWe will never give up," she said.'
    assert _quoted(text) == ['We will never give up,"']


def test_apostrophes_and_single_word_scare_quotes_are_not_quotes() -> None:
    assert _quoted("Serbia's 'historic' deal isn't done, the Serbs' leader said.") == []


def test_long_single_mark_quote_counts() -> None:
    assert _quoted("The sign read 'we will never give up' in red.") == ["'we will never give up'"]


def test_nested_single_marks_stay_inside() -> None:
    text = "He said “they called it ‘the deal of the century’ on Monday” and left."
    assert _quoted(text) == ["“they called it ‘the deal of the century’ on Monday”"]


def test_kind_from_quoted_letters() -> None:
    text = 'Vulin said that Serbia will not join the "anti-Russian hysteria" of the West. "We will never join."'
    regions = quote_regions(text)
    letters = QuotedLetters(text, regions)
    mixed = (text.index("that"), text.index(" of the West") + len(" of the West"))
    assert letters.kind((mixed,)) == "mixed"
    assert letters.kind(((text.index('"We'), len(text)),)) == "direct"
    assert letters.kind(((0, text.index('"anti')),)) == "indirect"
    assert letters.kind(((text.index('"anti'), text.index(" of the West")),)) == "mixed"  # 2 words: partial
