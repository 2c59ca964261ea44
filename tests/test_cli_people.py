"""`storyline quotes`, `entities`, `entity`, `stories`, `story`, `framing` and the export sections."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from storyline.cli import app
from storyline.export import validate_export

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_quotes_by_speaker_any_spelling(analysed_db: str) -> None:
    rows = json.loads(_run("quotes", "--db", analysed_db, "--speaker", "Vucic", "--json"))
    assert rows and {r["speaker"] for r in rows} == {"aleksandar-vucic"}
    assert any("never impose sanctions on Russia" in r["text"] for r in rows)
    about = json.loads(_run("quotes", "--db", analysed_db, "--about", "NATO", "--json"))
    assert about and all("nato" in r["text"].lower() for r in about)
    assert "Vučić" in _run("quotes", "--db", analysed_db, "-s", "vučić")


def test_entities_and_entity_page(analysed_db: str) -> None:
    listed = json.loads(_run("entities", "--db", analysed_db, "--type", "person", "--json"))
    names = [e["name"] for e in listed]
    assert {"Aleksandar Vulin", "Aleksandar Vučić", "Milos Vucevic", "Vladimir Putin", "Volodymyr Zelenskyy"} <= set(
        names)
    page = _run("entity", "Vulin", "--db", analysed_db)
    assert "Roles over time" in page and "2022-03-22  Interior Minister" in page
    assert "deputy prime minister" in page.lower()
    record = json.loads(_run("entity", "Vulin", "--db", analysed_db, "--json"))
    assert record["entity"]["id"] == "aleksandar-vulin" and len(record["quotes"]) >= 5
    missing = runner.invoke(app, ["entity", "Nobody Atall", "--db", analysed_db])
    assert missing.exit_code == 1 and "no entity matches" in missing.output


def test_stories_story_and_framing(analysed_db: str) -> None:
    stories = json.loads(_run("stories", "--db", analysed_db, "--json"))
    assert len(stories) == 1 and len(stories[0]["events"]) == 4
    page = _run("story", stories[0]["id"][:8], "--db", analysed_db)
    assert "Coverage per source" in page and "sputnikglobe.com" in page
    view = json.loads(_run("story", "1", "--db", analysed_db, "--json"))
    assert [len(e["articles"]) for e in view["events"]].count(2) == 1
    framing = json.loads(_run("framing", "1", "--db", analysed_db, "--json"))
    assert len(framing) == 5 and all(framing.values())
    bad = runner.invoke(app, ["story", "zz-nothing", "--db", analysed_db])
    assert bad.exit_code == 1 and "no story" in bad.output


def test_export_has_people_quote_event_and_story_sections(analysed_db: str) -> None:
    doc = json.loads(_run("export", "--db", analysed_db))
    validate_export(doc)
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    assert len(doc["events"]) == 4 and len(doc["stories"]) == 1
    for quote in doc["quotes"]:
        assert texts[quote["article"]][quote["start"] : quote["end"]] == quote["text"]
    vucic = next(e for e in doc["entities"] if e["id"] == "aleksandar-vucic")
    assert "Vucic" in vucic["aliases"] and vucic["roles"]
    for m in vucic["mentions"]:
        assert texts[m["article"]][m["start"] : m["end"]]
