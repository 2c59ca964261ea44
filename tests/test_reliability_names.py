"""Issue 18, requirement 5: names shown with derived facts (claims, quotes, roles) are the entity's
current name, so a corpus analysed in parts shows the same names as one analysed at once.

A person first named by surname ("Zadan said ...") and in a later article in full ("Craig Zadan
said ..."): the earlier statement is shown as Craig Zadan's whichever way the corpus was analysed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storyline.cli import app

runner = CliRunner()

FIRST = (" date 2023-03-01 https://news.example.org/2023/03/01/festival\n"
         "Festival plans announced\n\n"
         "The producer Zadan said on Wednesday that the festival will never move to another city. "
         "Zadan said the organisers will open the festival in June with a new musical.\n")
SECOND = (" date 2023-03-08 https://daily.example.com/2023/03/08/musical\n"
          "Producer speaks on the festival\n\n"
          "Producer Craig Zadan said on Tuesday that the festival will never move to another city. "
          "Craig Zadan said the new musical will run for three weeks in the old theatre.\n")


def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _shown_names(db: str) -> dict[str, Any]:
    """The speaker names every reader shows: the export's claims and quotes, the claims list, a timeline."""
    doc = json.loads(_cli("export", "--db", db, "--format", "json"))
    claims = sorted((c["text"], sorted({s["speaker_name"] for s in c["statements"]}, key=str)) for c in doc["claims"])
    quotes = sorted((q["text"], q["speaker_name"]) for q in doc["quotes"])
    timeline = json.loads(_cli("timeline", "never move to another city", "--db", db, "--json"))
    said = sorted({e["speaker_name"] for e in timeline["timeline"]}, key=str)
    return {"claims": claims, "quotes": quotes, "timeline": said, "list": _cli("claims", "--db", db, "--min", "1")}


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The same two articles analysed one after the other, and at once."""
    base = tmp_path_factory.mktemp("names")
    first = _write(base / "in", "a-first.txt", FIRST)
    second = _write(base / "in", "b-second.txt", SECOND)
    parts, batch = str(base / "parts.db"), str(base / "batch.db")
    _cli("run", str(first), "--db", parts, "--quiet")
    _cli("run", str(second), "--db", parts, "--quiet")
    _cli("run", str(base / "in"), "--db", batch, "--quiet")
    return parts, batch


def test_an_entity_named_in_full_later_names_the_earlier_statements(stores: tuple[str, str]) -> None:
    parts, _batch = stores
    shown = _shown_names(parts)
    assert shown["timeline"] == ["Craig Zadan"]
    assert all(names == ["Craig Zadan"] for _text, names in shown["claims"] if "Zadan" in str(names)), shown
    assert any(names == ["Craig Zadan"] for _text, names in shown["claims"])
    assert {name for _text, name in shown["quotes"] if name and "Zadan" in name} == {"Craig Zadan"}
    assert "Craig Zadan" in shown["list"]


def test_analysed_in_parts_or_at_once_shows_the_same_names(stores: tuple[str, str]) -> None:
    parts, batch = stores
    assert _shown_names(parts) == _shown_names(batch)


# --- empty references: a name or text that says nothing is one line, not a guess ---------------


@pytest.mark.parametrize(("command", "expected"), [
    (["match", ""], "nothing to match"),
    (["match", "   "], "nothing to match"),
    (["story", ""], "empty story reference"),
    (["timeline", " "], "empty claim reference"),
    (["entity", ""], "empty entity name"),
])
def test_an_empty_reference_is_one_line_and_a_failure(analysed_db: str, command: list[str], expected: str) -> None:
    result = runner.invoke(app, [*command, "--db", analysed_db])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], result.stderr
