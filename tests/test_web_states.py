"""Error and empty states are written for a web reader: no shell commands, no regular expressions,
one "nothing found", and a page past the end of a list says so and links back."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("path", [
    "/articles?from=notadate", "/articles/bad%20ref!", "/stories/~x", "/search?q=Serbia&mode=magic",
    "/entities?type=bogus", "/reuse?kind=bogus", "/articles?limit=0", "/entities/nobody-by-this-name",
    "/stories/ffffffffff", "/claims/no-such-claim-words-at-all", "/articles/ffffffffffff",
])
def test_bad_parameters_are_explained_in_words(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (404, 422), path
    found = re.search(r'<p class="error"[^>]*>(.*?)</p>', response.text, re.S)
    assert found, (path, response.text)
    text = _text(found.group(1))
    assert not re.search(r"\^|\$'|\\[wdsS]|\[\\|\{1,", text), (path, text)  # no regular expression
    assert "storyline " not in text and "`" not in text, (path, text)  # no shell command


def test_a_date_that_is_not_one_says_how_to_write_it(client: Any) -> None:
    response = client.get("/api/articles?from=notadate")
    assert response.status_code == 422
    assert response.json()["detail"] == "invalid parameter: from: not a date: write YYYY-MM-DD, e.g. 2024-02-21"


def test_a_page_past_the_end_says_so_and_links_back(client: Any) -> None:
    total = client.get("/api/quotes").json()["total"]
    html = client.get("/quotes?offset=5000&limit=10").text
    text = _text(html)
    assert f"Nothing on this page: the list has {total} items." in text
    assert f"5001–{total}" not in text and "5001" not in text
    assert 'href="/quotes?offset=0&amp;limit=10"' in html  # first page
    last = (total - 1) // 10 * 10
    assert f'href="/quotes?offset={last}&amp;limit=10"' in html  # the last page, as "previous"


def test_an_empty_result_says_nothing_found_once(client: Any) -> None:
    for path in ("/search?q=zzyzxqwv&mode=text", "/articles?source=no-such-outlet"):
        text = _text(client.get(path).text)
        assert text.lower().count("nothing found") == 1, (path, text)


def test_pages_speak_in_words_not_codes(client: Any) -> None:
    entities = client.get("/api/entities").json()["items"]
    assert {e["type_label"] for e in entities} <= {"person", "organisation", "country or city", "place",
                                                   "nationality or group", "building or facility", "product"}
    page = _text(client.get("/entities").text)
    assert "GPE" not in page and "NORP" not in page and "PERSON" not in page
    story = client.get("/api/stories").json()["items"][0]["id"]
    story_page = _text(client.get(f"/stories/{story}").text)
    assert not re.search(r"\bz -?\d", story_page) and "×" not in story_page  # framing explained, not z-values
    assert not re.search(r"\b1 (stories|events|articles)\b", story_page + _text(client.get("/").text))
    overview = client.get("/api/overview").json()
    assert overview["counts"]["sources"] == 1  # sputnikglobe.com; "unknown outlet" is not an outlet
    assert "unknown outlet" in {s["source"] for s in overview["sources"]}
