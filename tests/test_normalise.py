"""Normalisation: dates, sources, unicode repair, language and the stable id."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.ingest.normalise import article_id, date_from_url, normalise, resolve_date, source_of, wire_credit
from storyline.records import RawItem

TODAY = dt.date(2026, 11, 24)
TEXT = "Serbia will never impose sanctions on Russia, the minister told reporters in Belgrade."


def _item(**kwargs: str | None) -> RawItem:
    fields: dict[str, str | None] = {"path": "x.txt", "text": TEXT}
    fields.update(kwargs)
    return RawItem(**fields)  # type: ignore[arg-type]


def test_metadata_date_comes_first() -> None:
    item = _item(published="2023-12-09T08:00:00+01:00", url="https://a.com/2020/01/01/x")
    assert resolve_date(item, TODAY) == ("2023-12-09", "metadata")


def test_rfc2822_metadata_date() -> None:
    assert resolve_date(_item(published="Sat, 09 Dec 2023 10:00:00 GMT"), TODAY) == ("2023-12-09", "metadata")


def test_url_dates_slashed_and_compact() -> None:
    assert date_from_url("https://x.com/news/2023/12/09/story") == dt.date(2023, 12, 9)
    assert date_from_url("https://sputnikglobe.com/20231209/serbia-wont-1115501260.html") == dt.date(2023, 12, 9)
    assert date_from_url("https://x.com/story-20231340") is None  # month 13 is not a date
    assert date_from_url("https://x.com/id/1115501260") is None
    assert resolve_date(_item(url="https://x.com/2023/12/09/s"), TODAY) == ("2023-12-09", "url")


def test_page_date_from_htmldate_when_nothing_else() -> None:
    html = ("<html><head></head><body><p>Posted on <time datetime='2021-05-04'>May 4, 2021</time></p>"
            "<p>text</p></body></html>")
    assert resolve_date(_item(html=html), TODAY) == ("2021-05-04", "page")


def test_future_dates_are_never_accepted() -> None:
    item = _item(published="2031-01-01", url="https://x.com/2030/02/02/s")
    assert resolve_date(item, TODAY) == (None, None)


def test_relative_dates_in_text_are_not_guessed() -> None:
    article = normalise(_item(text="On Tuesday the minister said Serbia will not join NATO, last July too."),
                        today=TODAY)
    assert article.published is None and article.date_basis is None


def test_source_is_the_registered_domain_then_the_site_name() -> None:
    assert source_of("https://www.bbc.co.uk/news/world-123", "BBC") == "bbc.co.uk"
    assert source_of("https://news.sputnikglobe.com/a", None) == "sputnikglobe.com"
    assert source_of(None, "  Sputnik  ") == "Sputnik"
    assert source_of("not a url", None) is None
    assert source_of(None, None) is None


def test_mojibake_is_repaired() -> None:
    article = normalise(_item(text="Vu\u00c4\u008di\u00c4\u0087 said Serbia\u00e2\u0080\u0099s policy stays.",
                              title="Vu\u00c4\u008di\u00c4\u0087"), today=TODAY)
    assert article.text == "Vučić said Serbia’s policy stays."
    assert article.title == "Vučić"


def test_language_is_detected_and_short_texts_get_none() -> None:
    assert normalise(_item(), today=TODAY).language == "en"
    french = "La Serbie n'imposera jamais de sanctions à la Russie, a déclaré le ministre à Belgrade."
    assert normalise(_item(text=french), today=TODAY).language == "fr"
    assert normalise(_item(text="Short."), today=TODAY).language is None


def test_id_is_stable_and_ignores_whitespace_layout() -> None:
    assert article_id("One  two\n\nthree") == article_id("One two three")
    assert article_id("One two three") != article_id("One two three.")
    assert len(article_id("x")) == 16


def test_title_repeated_as_first_paragraph_is_dropped() -> None:
    article = normalise(_item(text="Big Headline\n\n" + TEXT, title="Big  Headline"), today=TODAY)
    assert article.text == TEXT


@pytest.mark.parametrize(("text", "credit"), [
    ("BELGRADE, Serbia (AP) — Serbia will never impose sanctions on Russia.", "AP"),
    ("MOSCOW (Reuters) - Russia said on Tuesday...", "Reuters"),
    ("BELGRADE, March 2. /TASS/. Serbia will not join NATO.", "TASS"),
    ("Vucic told Reuters in an interview that Serbia will not join NATO.", None),
    ("The AP reported it first (AP is a wire service).", None),
])
def test_a_dateline_wire_credit_is_the_outlet(text: str, credit: str | None) -> None:
    assert wire_credit(text) == credit
    assert normalise(RawItem(path="story.txt", text=text + " " + "More text follows here. " * 20)).source == credit
