"""The JSON API and pages over the analysed example corpus: pagination, filters, errors, spans, twins agree."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.web import create_app
from tests.conftest import get_json


def _text(client: TestClient, article: str) -> str:
    return str(get_json(client, f"/api/articles/{article}")["article"]["text"])


def test_app_factory_does_no_work_at_import() -> None:
    import importlib

    module = importlib.import_module("storyline.web.app")
    assert not hasattr(module, "app")


@pytest.mark.parametrize("path", ["/api/articles", "/api/events", "/api/stories", "/api/entities", "/api/quotes",
                                  "/api/reuse", "/api/claims", "/api/claims?min=1"])
def test_lists_paginate(client: TestClient, path: str) -> None:
    join = "&" if "?" in path else "?"
    whole = get_json(client, f"{path}{join}limit=500")
    assert whole["total"] == len(whole["items"]) and whole["total"] >= 1
    second = get_json(client, f"{path}{join}offset=1&limit=2")
    assert second["total"] == whole["total"]
    assert second["items"] == whole["items"][1:3]


def test_article_filters(client: TestClient) -> None:
    assert [a["source"] for a in get_json(client, "/api/articles?source=sputnikglobe.com")["items"]] == [
        "sputnikglobe.com"]
    dated = get_json(client, "/api/articles?from=2023-01-01&to=2023-12-31")["items"]
    assert dated and all(a["published"].startswith("2023") for a in dated)
    vulin = {a["file"][:3] for a in get_json(client, "/api/articles?speaker=Vulin")["items"]}
    assert "004" in vulin
    assert get_json(client, "/api/articles?story=1")["total"] >= 4
    assert get_json(client, "/api/articles?entity=Vucic")["total"] >= 4


def test_quote_filters(client: TestClient) -> None:
    quotes = get_json(client, "/api/quotes?speaker=Vulin&limit=500")["items"]
    assert quotes and {q["speaker_entity"] for q in quotes} == {"Aleksandar Vulin"}
    about = get_json(client, "/api/quotes?about=NATO&limit=500")["items"]
    assert about and all("nato" in q["text"].lower() for q in about)


@pytest.mark.parametrize("path", ["/api/articles/ffffffffffffffff", "/api/stories/st-nothing", "/api/entities/Nobody",
                                  "/api/reuse/ffff/0000", "/articles/ffffffffffffffff", "/entities/Nobody",
                                  "/api/claims/999", "/api/claims/c-ffffffff", "/api/claims/zzzz qqqq",
                                  "/claims/c-ffffffff", "/api/claims?speaker=Nobody"])
def test_unknown_ids_are_404_with_a_message(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "no " in response.text.lower()


@pytest.mark.parametrize("path", [
    "/api/articles?limit=0", "/api/articles?limit=100000", "/api/articles?offset=-1", "/api/articles?from=2023-1-1",
    "/api/articles?from=2023-02-30", "/api/articles?from=2024-01-01&to=2023-01-01", "/api/search?q=Serbia&mode=magic",
    "/api/search", "/api/search?q=" + "x" * 600, "/api/reuse?kind=stolen", "/api/articles/..%2F..%2Fetc",
    "/api/articles/a'b", "/articles?limit=abc", "/api/claims?min=0", "/api/claims?min=abc", "/api/claims?min=-2",
    "/api/claims?limit=501", "/api/claims?from=2023-13-01", "/api/claims/%20", "/api/claims/" + "x" * 300,
    "/claims?min=0",
])
def test_bad_parameters_are_422_with_a_message(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (404, 422), (path, response.text)
    if path.startswith("/api"):
        detail = response.json()["detail"]
        assert isinstance(detail, str) and detail
    else:
        assert response.status_code == 422


@pytest.mark.parametrize("query", ['"unbalanced', "***", "NEAR(", "AND OR NOT", "title:x", '"a" "'])
def test_malformed_search_is_never_a_server_error(client: TestClient, query: str) -> None:
    response = client.get("/api/search", params={"q": query})
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert response.json()["detail"]
    page = client.get("/search", params={"q": query})
    assert page.status_code in (200, 422)


def test_search_spans_and_filters(client: TestClient) -> None:
    found = get_json(client, "/api/search?q=Vucic&mode=text")
    assert {h["article"]["file"][:3] for h in found["items"]} >= {"004"}
    for hit in get_json(client, "/api/search?q=sanctions")["items"]:
        assert _text(client, hit["article"]["id"])[hit["start"] : hit["end"]] == hit["snippet"]
    only = get_json(client, "/api/search?q=Serbia&source=sputnikglobe.com")["items"]
    assert [h["article"]["source"] for h in only] == ["sputnikglobe.com"]


def test_every_span_quotes_its_characters(client: TestClient) -> None:
    for article in get_json(client, "/api/articles?limit=500")["items"]:
        record = get_json(client, f"/api/articles/{article['id']}")
        text = record["article"]["text"]
        for quote in record["quotes"]:
            assert text[quote["start"] : quote["end"]] == quote["text"]
        for mention in record["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
    pair = get_json(client, "/api/reuse/004/001")
    source, derived = _text(client, pair["source"]["id"]), _text(client, pair["derived"]["id"])
    assert len(pair["pairs"]) >= 10
    for p in pair["pairs"]:
        assert source[p["source_start"] : p["source_end"]] == p["source_text"]
        assert derived[p["derived_start"] : p["derived_end"]] == p["derived_text"]
    vulin = get_json(client, "/api/entities/Vulin")
    for quote in vulin["quotes"]:
        assert _text(client, quote["article"])[quote["start"] : quote["end"]] == quote["text"]
    for role in vulin["roles_over_time"]:
        for span in role["spans"]:
            assert role["title"].lower() in _text(client, span["article"])[span["start"] : span["end"]].lower()
    for terms in get_json(client, "/api/stories/1")["framing"].values():
        for term in terms:
            for s in term["sentences"]:
                assert 0 <= s["start"] < s["end"] <= len(_text(client, s["article"]))


SANCTIONS = "Serbia will never impose sanctions on Russia"


def test_claims_list_and_filters(client: TestClient) -> None:
    listed = get_json(client, "/api/claims")
    first = listed["items"][0]
    assert first["rank"] == 1 and first["text"] == SANCTIONS and first["statements"] >= 8
    assert all(c["statements"] >= 2 for c in listed["items"])
    assert [c["statements"] for c in listed["items"]] == sorted((c["statements"] for c in listed["items"]),
                                                                reverse=True)
    assert {"Aleksandar Vulin", "Aleksandar Vučić", "Milos Vucevic"} <= {s["name"] for s in first["speakers"]}
    assert first["first_date"] == "2022-03-22" and first["last_date"] == "2023-12-09" and first["undated"] >= 1
    assert first["stances"]["conditional"] >= 1 and sum(first["stances"].values()) == first["statements"]
    everything = get_json(client, "/api/claims?min=1&limit=500")
    assert everything["total"] > listed["total"]
    vulin = get_json(client, "/api/claims?speaker=Vulin&limit=500")["items"]
    assert vulin and all("Aleksandar Vulin" in {s["name"] for s in c["speakers"]} for c in vulin)
    assert all(1 <= c["matched"] <= c["statements"] for c in vulin)
    late = get_json(client, "/api/claims?from=2023-01-01&min=1&limit=500")["items"]
    assert late and all(c["last_date"] >= "2023-01-01" for c in late)
    assert SANCTIONS in {c["text"] for c in late}
    sputnik = get_json(client, "/api/claims?source=sputnikglobe.com")["items"]
    assert SANCTIONS in {c["text"] for c in sputnik}
    assert get_json(client, "/api/claims?story=1")["total"] >= 1
    assert get_json(client, "/api/claims?from=2030-01-01")["total"] == 0


def test_claim_refs_and_timeline(client: TestClient) -> None:
    claim = get_json(client, "/api/claims/1")
    cid = claim["claim"]["id"]
    assert claim["claim"]["text"] == SANCTIONS
    for ref in [cid, cid[:8], *claim["claim"]["aliases"][:2], "will not impose sanctions on Russia"]:
        assert get_json(client, f"/api/claims/{ref}")["claim"]["id"] == cid, ref
    rows = claim["timeline"]
    assert len(rows) == claim["summary"]["statements"]
    dated = [r["date"] for r in rows if r["date"]]
    assert dated == sorted(dated) and all(r["date"] for r in rows[: len(dated)])  # undated last
    vulin = [r for r in rows if r["speaker_entity"] == "Aleksandar Vulin"]
    assert any(r["role"] == "Interior Minister" and r["date"] == "2022-03-22" and r["date_basis"] == "text"
               for r in vulin)
    assert any(r["stance"] == "conditional" and r["speaker_entity"] == "Milos Vucevic" for r in rows)
    assert any(r["speaker_entity"] == "Aleksandar Vučić" for r in rows)
    assert all(r["quote"] is None or r["quote"].startswith("q-") for r in rows)


def test_every_claim_statement_quotes_its_characters(client: TestClient) -> None:
    texts: dict[str, str] = {}

    def text_of(article: str) -> str:
        if article not in texts:
            texts[article] = _text(client, article)
        return texts[article]

    for item in get_json(client, "/api/claims?min=1&limit=500")["items"]:
        claim = get_json(client, f"/api/claims/{item['id']}")
        assert claim["claim"]["id"] == item["id"] and len(claim["timeline"]) == item["statements"]
        for row in claim["timeline"]:
            assert text_of(row["article"])[row["start"] : row["end"]] == row["text"]
    for article in get_json(client, "/api/articles?limit=500")["items"]:
        for claim in get_json(client, f"/api/articles/{article['id']}")["claims"]:
            for row in claim["here"]:
                assert text_of(article["id"])[row["start"] : row["end"]] == row["text"]


def test_entity_and_article_link_their_claims(client: TestClient) -> None:
    vulin = get_json(client, "/api/entities/Vulin")
    assert vulin["claims"] and vulin["claims_total"] >= len(vulin["claims"])
    sanctions = next(c for c in vulin["claims"] if c["text"] == SANCTIONS)
    assert sanctions["rank"] == 1 and 1 <= sanctions["by_entity"] < sanctions["statements"]
    article = get_json(client, "/api/articles/004")
    assert SANCTIONS in {c["text"] for c in article["claims"]}
    html = client.get("/entities/Vulin").text
    assert f'href="/claims/{sanctions["id"]}"' in html


def _page_text(client: TestClient, path: str) -> tuple[str, str]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.text[:300])
    twin = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)"', response.text)
    assert twin, path
    return unescape(re.sub(r"<[^>]+>", "", response.text)), unescape(twin.group(1))


def test_pages_show_what_their_json_twins_return(client: TestClient) -> None:
    text, twin = _page_text(client, "/")
    overview = get_json(client, twin)
    assert f"{overview['counts']['articles']} articles" in " ".join(text.split())
    text, twin = _page_text(client, "/stories/1")
    story = get_json(client, twin)
    assert story["story"]["title"] in text and all(e["title"] in text for e in story["events"])
    text, twin = _page_text(client, "/articles/004")
    article = get_json(client, twin)
    assert article["copied_by"] and article["copied_by"][0]["label"] in text
    assert all(q["text"][:40] in text for q in article["quotes"])
    text, twin = _page_text(client, "/entities/Vulin")
    entity = get_json(client, twin)
    assert entity["entity"]["name"] in text and all(r["title"] in text for r in entity["roles_over_time"])
    text, twin = _page_text(client, "/reuse/004/001")
    pair = get_json(client, twin)
    flat = " ".join(text.split())
    assert all(" ".join(p["derived_text"].split()) in flat for p in pair["pairs"])
    text, twin = _page_text(client, "/search?q=Vucic")
    hits = get_json(client, twin)
    assert all(" ".join(h["snippet"].split()) in " ".join(text.split()) for h in hits["items"])
    text, twin = _page_text(client, "/articles?source=sputnikglobe.com")
    listed = get_json(client, twin)
    assert listed["total"] == 1 and listed["items"][0]["title"] in text
    text, twin = _page_text(client, "/claims?speaker=Vulin")
    claims = get_json(client, twin)
    assert claims["total"] >= 1 and all(c["text"] in text for c in claims["items"])
    text, twin = _page_text(client, "/claims/1")
    claim = get_json(client, twin)
    flat = " ".join(text.split())
    assert twin == f"/api/claims/{claim['claim']['id']}" and claim["claim"]["text"] in text
    for row in claim["timeline"]:
        assert " ".join(row["text"].split()) in flat and row["stance"] in text
        assert (row["speaker_entity"] or row["speaker_name"]) in text and (row["role"] or "") in text
    assert f"Undated: {sum(1 for r in claim['timeline'] if not r['date'])} statements" in flat


def test_claim_page_chart_and_links(client: TestClient) -> None:
    claim = get_json(client, "/api/claims/1")
    html = client.get("/claims/1").text
    start = html.index('<svg id="claim-chart"')
    chart = html[start : html.index("</svg>", start)]
    table = html[html.index('id="claim-timeline"') :]
    for row in claim["timeline"]:
        link = f'/articles/{row["article"]}?start={row["start"]}&amp;end={row["end"]}#hl'
        assert link in chart and link in table, row  # every statement links to its characters, twice
    assert chart.count('class="mark-link"') == len(claim["timeline"])
    assert all(f"st-{s}" in chart for s in ("affirms", "denies", "conditional", "reports"))  # the legend
    assert "undated (" in chart
    assert 'href="/entities/aleksandar-vulin"' in table and "#q-" in table


def test_article_page_highlights_a_linked_span(client: TestClient) -> None:
    record = get_json(client, "/api/articles/004")
    quote = record["quotes"][0]
    html = client.get(f"/articles/004?start={quote['start']}&end={quote['end']}").text
    assert 'id="hl"' in html and re.search(r'class="[^"]*\bhl\b', html)
    assert client.get("/articles/004?start=10").status_code == 422


def test_security_headers_and_openapi(client: TestClient) -> None:
    response = client.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    schema = get_json(client, "/openapi.json")
    assert {"/api/articles", "/api/search", "/api/stories/{ref}", "/api/reuse/{first}/{second}"} <= set(
        schema["paths"])
    assert client.get("/api").status_code == 200
    assert "<script>" not in re.sub(r'<script src="/static/app.js" defer></script>', "", response.text)


def test_start_up_warms_the_desk_in_the_background_and_answers_meanwhile(analysed_db: str) -> None:
    app = create_app(analysed_db)
    desk = app.state.desk
    with TestClient(app, base_url="http://localhost") as fresh:
        assert fresh.get("/api/stories").status_code == 200  # answered whether or not the warm-up is done
        assert desk.warmed.wait(60)
        assert desk.warm_seconds is not None and desk.warm_seconds >= 0
        # The stage states and the article vectors are loaded: the next requests reuse them.
        assert {key.split("@")[0] for key in desk.corpus._cache} >= {"people", "events", "claims"}
        assert desk.searcher._vectors is not None
    cold = create_app(analysed_db, warm=False)
    with TestClient(cold, base_url="http://localhost"):
        assert not cold.state.desk.warmed.is_set() and not cold.state.desk.corpus._cache


def test_a_store_that_cannot_be_read_still_finishes_its_warm_up(tmp_path: Any) -> None:
    from storyline.store import open_store

    db = str(tmp_path / "empty.db")
    open_store(db).close()  # a store with no articles and no analysis
    app = create_app(db)
    with TestClient(app, base_url="http://localhost") as empty:
        assert app.state.desk.warmed.wait(60)
        assert empty.get("/api/stories").status_code == 200


def test_claim_members_carry_confidence_and_uncertain_ones_can_be_hidden(client: TestClient) -> None:
    full = get_json(client, "/api/claims/1")
    assert all(0 <= e["confidence"] <= 1 for e in full["timeline"])
    sure = get_json(client, "/api/claims/1?min_confidence=1")
    assert sure["claim"]["id"] == full["claim"]["id"] and sure["min_confidence"] == 1
    assert [e for e in full["timeline"] if e["confidence"] >= 1] == sure["timeline"]
    page = client.get("/claims/1?min_confidence=0.8")
    assert page.status_code == 200 and "show all, uncertain ones marked" in page.text
