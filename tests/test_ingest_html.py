"""Reading HTML pages: article text, metadata, explicit-metadata dates, decoding, bad pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from storyline.errors import InputError
from storyline.ingest.html import decode_html, read_html
from storyline.records import RawItem

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def read_fixture(name: str, url: str | None = None) -> RawItem:
    path = FIXTURES / name
    return read_html(path.read_bytes(), str(path), url=url)


def article_page(published: str, body_words: str = "The bridge reopened") -> str:
    """A small article page whose only date is ``published`` in article:published_time."""
    paragraphs = "".join(
        f"<p>{body_words} on a quiet morning, paragraph {i}, with enough words in it to count as"
        " the main text of a news article rather than navigation or boilerplate.</p>"
        for i in range(4)
    )
    return (
        "<!DOCTYPE html><html><head><title>Bridge reopens</title>"
        f'<meta property="article:published_time" content="{published}"></head>'
        f"<body><article><h1>Bridge reopens</h1>{paragraphs}</article></body></html>"
    )


# --- a normal article page ---------------------------------------------------------------------


def test_article_text_is_the_body_in_blank_line_separated_paragraphs() -> None:
    item = read_fixture("article.html")
    paragraphs = item.text.split("\n\n")
    assert paragraphs[0] == "Harbour bridge reopens after six months of repairs"
    assert paragraphs[1].startswith("The harbour bridge reopened to traffic on Tuesday morning")
    assert paragraphs[-1].endswith("the council has promised a small grant to those who can show losses.")
    assert len(paragraphs) == 5
    assert all(p.strip() == p and p for p in paragraphs)


def test_reader_comments_navigation_and_footer_are_not_in_the_text() -> None:
    item = read_fixture("article.html")
    assert "Reader remark" not in item.text
    assert "zebra crossing" not in item.text
    assert "All rights reserved" not in item.text
    assert "Sport" not in item.text


def test_article_metadata() -> None:
    item = read_fixture("article.html")
    assert item.path.endswith("article.html")
    assert item.title == "Harbour bridge reopens after six months of repairs"  # " | Riverside Courier" cut
    assert item.author == "Maria Okafor"
    assert item.site_name == "Riverside Courier"
    assert item.url == "https://courier.example.org/news/2024/harbour-bridge-reopens"  # the canonical link


def test_published_is_the_date_as_written_not_converted_to_utc() -> None:
    # 2024-03-05T23:30:00-05:00 is already 2024-03-06 in UTC; the publisher's own date is kept.
    assert read_fixture("article.html").published == "2024-03-05"


def titled_page(og_title: str, h1: str, site_name: str | None = None) -> str:
    """An article page with the given og:title, <h1> and optional og:site_name."""
    site = f'<meta property="og:site_name" content="{site_name}">' if site_name else ""
    body = "".join(
        f"<p>The council approved the budget after a long debate, paragraph {i}, with enough words"
        " in it to count as the main text of a news article.</p>"
        for i in range(4)
    )
    return (
        f'<!DOCTYPE html><html><head><meta property="og:title" content="{og_title}">{site}</head>'
        f"<body><article><h1>{h1}</h1>{body}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("og_title", "h1", "site_name", "expected"),
    [
        # the site name is cut even when the <h1> words it differently
        (
            "Council approves budget - Riverside Courier",
            "Council passes the budget",
            "Riverside Courier",
            "Council approves budget",
        ),
        (
            "Riverside Courier: Council approves budget",
            "Council passes the budget",
            "Riverside Courier",
            "Council approves budget",
        ),
        # a section name is cut when the rest is the page's headline
        ("Council approves budget | Local politics", "Council approves budget", None, "Council approves budget"),
        ("Opinion | Council approves budget", "Council approves budget", None, "Council approves budget"),
        # nothing to cut: a colon inside the headline, or an unknown suffix with a different <h1>
        (
            "Fact check: is the budget balanced?",
            "Budget facts",
            "Riverside Courier",
            "Fact check: is the budget balanced?",
        ),
        (
            "Council approves budget | Local politics",
            "Budget passes",
            None,
            "Council approves budget | Local politics",
        ),
    ],
)
def test_title_loses_site_or_section_part(og_title: str, h1: str, site_name: str | None, expected: str) -> None:
    assert read_html(titled_page(og_title, h1, site_name), "t.html").title == expected


def test_url_argument_wins_over_the_canonical_link() -> None:
    item = read_fixture("article.html", url="https://mirror.example.com/bridge")
    assert item.url == "https://mirror.example.com/bridge"


def test_html_field_is_the_decoded_page() -> None:
    path = FIXTURES / "article.html"
    item = read_html(path.read_bytes(), str(path))
    assert item.html == path.read_text(encoding="utf-8")


def test_str_input_gives_the_same_item_as_bytes() -> None:
    path = FIXTURES / "article.html"
    assert read_html(path.read_text(encoding="utf-8"), str(path)) == read_html(path.read_bytes(), str(path))


# --- a page without metadata -------------------------------------------------------------------


def test_page_without_metadata_has_text_and_no_invented_fields() -> None:
    item = read_fixture("no_metadata.html")
    assert item.text.startswith("The village council met on Thursday evening")
    assert item.text.count("\n\n") == 2
    assert item.title is None
    assert item.author is None
    assert item.site_name is None
    assert item.url is None
    assert item.published is None


def test_site_name_derived_only_from_the_url_is_not_reported() -> None:
    item = read_fixture("no_metadata.html", url="https://www.village.example.com/mill")
    assert item.url == "https://www.village.example.com/mill"
    assert item.site_name is None


# --- dates -------------------------------------------------------------------------------------


def test_future_dates_are_dropped() -> None:
    # both the meta tag (2999-01-01) and the JSON-LD datePublished (2999-02-01) are in the future
    item = read_fixture("json_ld_future.html")
    assert item.published is None
    assert item.author == "Tom Berger"


def test_a_date_a_month_ahead_is_dropped_and_today_is_kept() -> None:
    today = dt.datetime.now(dt.UTC).date()
    ahead = today + dt.timedelta(days=30)
    assert read_html(article_page(ahead.isoformat()), "ahead.html").published is None
    assert read_html(article_page(today.isoformat()), "today.html").published == today.isoformat()


def test_json_ld_date_is_used_and_placeholder_dates_are_skipped() -> None:
    # the meta tag holds 0001-01-01 (a CMS placeholder); the body mentions 12 May 2021 (not metadata)
    item = read_fixture("json_ld_date.html")
    assert item.published == "2023-10-14"


def test_dates_in_the_url_or_the_text_are_not_used() -> None:
    page = article_page("", body_words="Published on 3 January 2022, the bridge reopened")
    item = read_html(page, "p.html", url="https://news.example.com/2022/01/03/bridge-reopens")
    assert "3 January 2022" in item.text
    assert item.published is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-11-19T07:03:25+00:00", "2019-11-19"),
        ("2019/11/19", "2019-11-19"),
        ("20191119T080000Z", "2019-11-19"),
        ("Tue, 19 Nov 2019 08:00:00 GMT", "2019-11-19"),
        ("November 19, 2019, 08:19 PM", "2019-11-19"),
        ("2019-02-30", None),
        ("yesterday", None),
        ("1970-01-01T00:00:00Z", None),
    ],
)
def test_meta_date_formats(value: str, expected: str | None) -> None:
    assert read_html(article_page(value), "d.html").published == expected


def test_modified_time_is_not_a_publication_date() -> None:
    page = article_page("").replace(
        'property="article:published_time" content=""',
        'property="article:modified_time" content="2020-06-01T10:00:00Z"',
    )
    assert read_html(page, "m.html").published is None


# --- decoding ----------------------------------------------------------------------------------


def test_windows_1252_page_with_declared_charset_decodes() -> None:
    data = (FIXTURES / "windows1252.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    item = read_html(data, "windows1252.html")
    assert item.title == "Le café du port rouvre ses portes"
    assert "« C’est une renaissance », a déclaré la gérante, Hélène Marchand" in item.text
    assert "120 000 € à la commune" in item.text
    assert "pendant l’été — et pas seulement" in item.text
    assert item.html is not None and "crêpes" in item.html


def test_latin1_label_means_windows_1252() -> None:
    # 0x93/0x94 are curly quotes in windows-1252 but control characters in ISO-8859-1
    data = b'<html><head><meta charset="iso-8859-1"></head><body><p>\x93Caf\xe9\x94</p></body></html>'
    assert "“Café”" in decode_html(data)


def test_utf8_wins_over_a_stale_legacy_declaration() -> None:
    data = '<html><head><meta charset="iso-8859-1"></head><body><p>Zürich – Genève</p></body></html>'
    assert "Zürich – Genève" in decode_html(data.encode("utf-8"))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_mark_decides_the_encoding(encoding: str) -> None:
    page = "<html><body><p>Ærøskøbing “harbour”</p></body></html>"
    assert decode_html(page.encode(encoding)) == page


def test_undeclared_legacy_bytes_still_decode_without_error() -> None:
    data = "<html><body><p>Das Café an der Straße öffnet wieder für Gäste.</p></body></html>"
    assert "Straße" in decode_html(data.encode("cp1252"))


# --- bad pages ---------------------------------------------------------------------------------


def test_truncated_html_keeps_the_text_before_the_cut() -> None:
    item = read_fixture("truncated.html")
    assert item.title == "Storm damages coastal road"
    assert "A winter storm washed away part of the coastal road" in item.text
    assert "Road crews began clearing debris at dawn" in item.text


def test_page_without_article_text_raises_input_error() -> None:
    with pytest.raises(InputError, match="no article text found in the HTML page"):
        read_fixture("no_article.html")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        "   \n ",
        "<html><head><title>Empty</title></head><body></body></html>",
        b"\x00\x01\x02\xff\xfe\x00garbage",
        "<<<>>><<</>",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",  # a gzip header with nothing behind it
        "just some plain text, not a web page at all",
    ],
)
def test_bad_pages_raise_input_error_only(data: str | bytes) -> None:
    with pytest.raises(InputError) as info:
        read_html(data, "bad.html")
    message = str(info.value)
    assert message and "\n" not in message and "bad.html" not in message


def test_a_page_whose_extraction_comes_out_empty_falls_back_to_its_body(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.ingest import html as html_module

    real = html_module._extract

    def precise_finds_nothing(tree: Any, url: Any, options: Any) -> Any:
        if options.favor_precision:
            raise InputError("no article text found in the HTML page")
        return real(tree, url, options)

    monkeypatch.setattr(html_module, "_extract", precise_finds_nothing)
    body = "".join(f"<p>Paragraph {n} of the report says the minister met the envoy on Tuesday.</p>" for n in range(8))
    page = f"<html><head><title>Report</title></head><body><article>{body}</article></body></html>"
    item = html_module.read_html(page, "report.html")
    assert "Paragraph 7 of the report" in item.text
    with pytest.raises(InputError):
        html_module.read_html(page, "report.html", options=html_module.ExtractionOptions(favor_precision=True))
