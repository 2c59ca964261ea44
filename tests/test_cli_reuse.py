"""`storyline run`, `copies` and `compare` on the example corpus: the 001 <- 004 rewrite."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.export import validate_export

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    example = Path(__file__).resolve().parent.parent / "examples" / "serbia-sanctions"
    path = str(tmp_path_factory.mktemp("reuse") / "run.db")
    result = runner.invoke(app, ["run", str(example), "--db", path])
    assert result.exit_code == 0, result.output
    assert "5 articles" in result.stdout and "Copies and rewrites" in result.stdout
    return path


def test_copies_lists_only_the_rewrite_of_004_by_001(db: str) -> None:
    result = runner.invoke(app, ["copies", "--db", db])
    lines = [ln for ln in result.stdout.splitlines() if "<-" in ln]
    assert len(lines) == 1
    # articles are named by their titles, else their first words (001 has no title)
    match = re.match(r"Serbia's Deputy Prime Minister reiterated .*… <- US-sanctioned Serbia official meets Putin.* "
                     r"rewrite (\d\.\d\d), (\d+)/13 sentences aligned", lines[0])
    assert match, lines[0]
    assert int(match.group(2)) >= 10
    assert "direction: textual" in result.stdout


def test_copies_json_and_export_spans_are_sentences_of_both_articles(db: str) -> None:
    links = json.loads(runner.invoke(app, ["copies", "--db", db, "--json"]).stdout)
    assert [(ln["kind"], ln["aligned"] >= 10) for ln in links] == [("rewrite", True)]
    doc = json.loads(runner.invoke(app, ["export", "--db", db]).stdout)
    validate_export(doc)
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    (link,) = doc["reuse"]
    for al in link["alignments"]:
        source = texts[link["source"]][al["source_start"] : al["source_end"]]
        derived = texts[link["derived"]][al["derived_start"] : al["derived_end"]]
        assert source == source.strip() and len(source) > 20
        assert derived == derived.strip() and len(derived) > 20


def test_compare_shows_the_aligned_sentences(db: str) -> None:
    result = runner.invoke(app, ["compare", "001", "004", "--db", db, "--json"])
    data = json.loads(result.stdout)
    assert data["link"]["kind"] == "rewrite"
    pairs = {(p["source_text"][:30], p["derived_text"][:30]) for p in data["pairs"]}
    assert ("Populist President Aleksandar ", "President Aleksandar Vucic has") in pairs


def test_compare_without_a_link_says_so(db: str) -> None:
    result = runner.invoke(app, ["compare", "000", "003", "--db", db])
    assert result.exit_code == 0
    assert "no reuse link between" in result.stdout


def test_analyse_again_does_nothing_new(db: str) -> None:
    result = runner.invoke(app, ["analyse", "--db", db])
    assert "sentences: 0 new articles" in result.stdout
    assert "reuse: 0 new articles" in result.stdout
