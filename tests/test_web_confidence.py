"""Confidence on the desk: uncertain facts are marked, and ``min_confidence`` hides them, in the API,
the pages and the CLI alike (over the analysed example corpus)."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli import app
from storyline.confidence import CONFIDENT
from tests.conftest import get_json


def _confidences(quotes: list[dict[str, Any]]) -> list[float]:
    return [q["confidence"] for q in quotes]


def test_every_quote_and_speaker_link_has_a_confidence(client: TestClient) -> None:
    quotes = get_json(client, "/api/quotes?limit=500")["items"]
    assert quotes
    for q in quotes:
        assert 0.0 <= q["confidence"] <= 1.0
        assert q["cue_class"] in ("speech", "belief")
        if q["speaker"] is not None:
            assert 0.0 <= q["speaker_confidence"] <= 1.0


def test_min_confidence_hides_quotes_and_speaker_links_below_it(client: TestClient) -> None:
    every = get_json(client, "/api/quotes?limit=500")["items"]
    floor = sorted(_confidences(every))[len(every) // 2]  # the median: some quotes fall below it
    kept = get_json(client, f"/api/quotes?limit=500&min_confidence={floor}")["items"]
    assert 0 < len(kept) < len(every)
    assert all(c >= floor for c in _confidences(kept))
    for q in kept:
        assert q["speaker"] is None or q["speaker_confidence"] >= floor


def test_min_confidence_out_of_range_is_refused(client: TestClient) -> None:
    for value in ("-0.1", "1.5", "x"):
        assert client.get(f"/api/quotes?min_confidence={value}").status_code == 422


def test_uncertain_quotes_are_marked_on_the_page_and_gone_when_hidden(client: TestClient) -> None:
    every = get_json(client, "/api/quotes?limit=500")["items"]
    uncertain = sum(1 for q in every if q["confidence"] < CONFIDENT
                    or (q["speaker"] is not None and q["speaker_confidence"] < CONFIDENT))
    page = client.get("/quotes?limit=500").text
    assert page.count('class="uncertain"') >= min(uncertain, 1)
    hidden = client.get(f"/quotes?limit=500&min_confidence={CONFIDENT}").text
    assert 'class="uncertain"' not in hidden
    assert 'name="min_confidence" value="0.8" checked' in hidden


def test_entity_roles_carry_confidence_and_can_be_hidden(client: TestClient) -> None:
    view = get_json(client, "/api/entities/Vulin")
    assert 0.0 <= view["entity"]["type_confidence"] <= 1.0
    roles = view["roles_over_time"]
    assert roles and all(0.0 <= r["confidence"] <= 1.0 for r in roles)
    top = max(r["confidence"] for r in roles)
    strict = get_json(client, f"/api/entities/Vulin?min_confidence={top}")
    assert all(r["confidence"] >= top for r in strict["roles_over_time"])
    assert len(strict["roles_over_time"]) <= len(roles)
    assert all(q["confidence"] >= top for q in strict["quotes"])


def test_story_members_carry_confidence_and_can_be_hidden(client: TestClient) -> None:
    story = get_json(client, "/api/stories/1")
    members = [a for e in story["events"] for a in e["articles"]]
    assert members and all(a["confidence"] is None or 0.0 <= a["confidence"] <= 1.0 for a in members)
    strict = get_json(client, "/api/stories/1?min_confidence=1.0")
    kept = [a for e in strict["events"] for a in e["articles"]]
    assert all(a["confidence"] is None or a["confidence"] >= 1.0 for a in kept)
    assert len(kept) <= len(members)


def test_cli_quotes_mark_and_hide_uncertain_facts(analysed_db: str) -> None:
    runner = CliRunner()
    every = json.loads(runner.invoke(app, ["quotes", "--db", analysed_db, "--json"]).stdout)
    floor = sorted(_confidences(every))[len(every) // 2]
    args = ["quotes", "--db", analysed_db, "--json", "--min-confidence", str(floor)]
    kept = json.loads(runner.invoke(app, args).stdout)
    assert 0 < len(kept) < len(every)
    assert all(q["confidence"] >= floor for q in kept)
    table = runner.invoke(app, ["quotes", "--db", analysed_db]).stdout
    if any(c < CONFIDENT for c in _confidences(every)):
        assert "uncertain" in table
    refused = runner.invoke(app, ["quotes", "--db", analysed_db, "--min-confidence", "2"])
    assert refused.exit_code != 0


def test_the_claims_list_counts_only_statements_at_min_confidence(client: TestClient) -> None:
    top = get_json(client, "/api/claims?min=1")["items"][0]
    confidences = [e["confidence"] for e in get_json(client, f"/api/claims/{top['id']}")["timeline"]]
    floor = sorted(confidences)[len(confidences) // 2]
    listed = {c["id"]: c for c in get_json(client, f"/api/claims?min=1&min_confidence={floor}")["items"]}
    assert listed[top["id"]]["matched"] == sum(1 for c in confidences if c >= floor)


def test_a_hidden_speaker_link_takes_its_confidence_with_it(client: TestClient) -> None:
    every = get_json(client, "/api/quotes?limit=500")["items"]
    named = sorted(q["speaker_confidence"] for q in every if q["speaker"] is not None)
    floor = named[len(named) // 2]
    for q in get_json(client, f"/api/quotes?limit=500&min_confidence={floor}")["items"]:
        assert (q["speaker"] is None) == (q["speaker_confidence"] is None)
