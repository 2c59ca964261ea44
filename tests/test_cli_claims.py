"""`storyline claims` and `timeline` over the analysed example store, and the export's claims section."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app
from storyline.export import validate_export
from storyline.read.corpus import Corpus
from storyline.store import open_store

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _names(db: str) -> dict[str, str]:
    return {a.id: Path(a.path).name[:3] for a in open_store(db).articles()}


def test_the_sanctions_and_nato_claims_are_the_two_most_repeated(analysed_db: str) -> None:
    records = json.loads(_run("claims", "--db", analysed_db, "--json"))
    names = _names(analysed_db)
    by_text = {r["text"].lower(): r for r in records}
    sanctions = next(r for t, r in by_text.items() if "sanctions" in t and "impose" in t)
    nato = next(r for t, r in by_text.items() if "nato" in t)
    assert sanctions["id"] != nato["id"] and sanctions["rank"] < nato["rank"]
    assert {"Aleksandar Vulin", "Aleksandar Vučić", "Milos Vucevic"} <= {s["name"] for s in sanctions["speakers"]}
    said = json.loads(_run("timeline", sanctions["id"], "--db", analysed_db, "--json"))["timeline"]
    assert {names[s["article"]] for s in said} == {"000", "001", "002", "003", "004"}
    nato_said = json.loads(_run("timeline", nato["id"], "--db", analysed_db, "--json"))["timeline"]
    assert {names[s["article"]] for s in nato_said} >= {"000", "003", "004"}
    for s in said:
        if names[s["article"]] == "002":
            assert s["stance"] in ("conditional", "affirms")
            assert s["date"] == "2023-12-09"
        if s["speaker_name"] == "Aleksandar Vulin" and names[s["article"]] == "000":
            assert s["role"] == "Interior Minister" and s["date"] == "2022-03-22"


def test_timeline_by_words_shows_dates_roles_and_stances(analysed_db: str) -> None:
    page = _run("timeline", "never impose sanctions on Russia", "--db", analysed_db)
    assert "Interior Minister" in page and "Defense Minister" in page and "conditional" in page
    view = json.loads(_run("timeline", "1", "--db", analysed_db, "--json"))
    dates = [e["date"] for e in view["timeline"]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates[: len(dated)] == dated  # undated last
    missing = runner.invoke(app, ["timeline", "c-0000000000000000", "--db", analysed_db])
    assert missing.exit_code in (0, 1)


def test_claims_export_points_at_the_stored_text(analysed_db: str) -> None:
    doc = json.loads(_run("export", "--db", analysed_db))
    validate_export(doc)
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    quotes = {q["id"] for q in doc["quotes"]}
    assert doc["claims"]
    for claim in doc["claims"]:
        for s in claim["statements"]:
            assert texts[s["article"]][s["start"] : s["end"]] == s["text"]
            assert s["quote"] is None or s["quote"] in quotes


def test_corpus_finds_a_claim_by_id_prefix_rank_and_words(analysed_db: str) -> None:
    corpus = Corpus(open_store(analysed_db))
    top = corpus.claims(2)[0]
    assert corpus.find_claim("1") == top
    assert corpus.find_claim(top.id[:8]) == top
    assert "sanctions" in corpus.find_claim("Serbia won't sanction Russia").text.lower()


def test_match_ranks_the_claim_a_text_repeats_first(analysed_db: str) -> None:
    found = json.loads(_run("match", "Belgrade won't slap sanctions on Moscow", "--db", analysed_db, "--json"))
    assert any("sanction" in f["text"].lower() for f in found[:2])
    scores = [f["score"] for f in found]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    nato = json.loads(_run("match", "Serbia will stay out of NATO", "--db", analysed_db, "--json", "-n", "1"))
    assert "nato" in nato[0]["text"].lower()


def test_claim_statements_carry_a_membership_confidence_that_can_hide_them(analysed_db: str) -> None:
    full = json.loads(_run("timeline", "1", "--db", analysed_db, "--json"))
    rows = full["timeline"]
    assert rows and all(0 <= s["confidence"] <= 1 and s["cue_class"] in ("speech", "belief") for s in rows)
    sure = json.loads(_run("timeline", "1", "--db", analysed_db, "--json", "--min-confidence", "1"))
    assert sure["claim"]["id"] == full["claim"]["id"]
    assert sure["timeline"] and all(e["confidence"] >= 1 for e in sure["timeline"])
    assert len(sure["timeline"]) == sum(1 for e in full["timeline"] if e["confidence"] >= 1)
