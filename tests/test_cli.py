"""The command line: thin commands, one-line errors, exit codes, --quiet and --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.export import validate_export

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path, example_dir: Path) -> str:
    path = str(tmp_path / "cli.db")
    code, out, _ = _run("ingest", str(example_dir), "--db", path)
    assert code == 0
    assert "ingested 5, duplicate 0, failed 0" in out
    return path


def test_ingest_again_reports_duplicates_and_exits_zero(db: str, example_dir: Path) -> None:
    code, out, err = _run("ingest", str(example_dir), "--db", db)
    assert code == 0
    assert "ingested 0, duplicate 5, failed 0" in out
    assert err.count("duplicate:") == 5


def test_ingest_with_a_bad_file_exits_non_zero_and_names_it(tmp_path: Path, example_dir: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "ok.txt").write_text("Serbia will not join NATO, the president said on Friday evening.")
    code, out, err = _run("ingest", str(tmp_path / "in"), "--db", str(tmp_path / "x.db"), "--quiet")
    assert code == 1
    assert err.strip() == f"error: {tmp_path / 'in' / 'empty.txt'}: empty file"
    assert out == ""


def test_ingest_json_report(tmp_path: Path, example_dir: Path) -> None:
    code, out, _ = _run("ingest", str(example_dir), "--db", str(tmp_path / "j.db"), "--json")
    report = json.loads(out)
    assert code == 0 and len(report["ingested"]) == 5 and report["failed"] == []


def test_max_bytes_flag(tmp_path: Path, example_dir: Path) -> None:
    code, _, err = _run("ingest", str(example_dir), "--db", str(tmp_path / "m.db"), "--max-bytes", "100", "-q")
    assert code == 1
    assert err.count("over the 100 bytes limit") == 5


def test_articles_table_and_json(db: str) -> None:
    code, out, _ = _run("articles", "--db", db)
    assert code == 0 and "sputnikglobe.com" in out and "2022-03-22" in out
    rows = json.loads(_run("articles", "--db", db, "--json")[1])
    assert len(rows) == 5 and "text" not in rows[0]


def test_show_by_file_name_prefix(db: str) -> None:
    code, out, _ = _run("show", "002", "--db", db)
    assert code == 0
    assert "Serbia Won't Impose Sanctions on Russia Despite Pressure - Defense Minister" in out
    assert "In an interview with Sputnik" in out
    data = json.loads(_run("show", "004", "--db", db, "--json")[1])
    assert data["article"]["title"].startswith("US-sanctioned Serbia official") and data["file"].startswith("004")


def test_show_unknown_article_is_a_one_line_error(db: str) -> None:
    code, _, err = _run("show", "zzzz", "--db", db)
    assert code == 1
    assert err.strip().startswith("error: no article matches 'zzzz'")
    assert err.strip().count("\n") == 0


def test_export_formats_to_a_file(db: str, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    assert _run("export", "--db", db, "-o", str(target))[0] == 0
    doc = json.loads(target.read_text())
    validate_export(doc)
    assert len(doc["articles"]) == 5
    code, out, _ = _run("export", "--db", db, "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("id,path,text")
    code, _, err = _run("export", "--db", db, "--format", "xml")
    assert code == 2 and "unknown format 'xml'" in err


def test_commands_on_a_missing_store_say_what_to_do(tmp_path: Path) -> None:
    code, _, err = _run("articles", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "run `storyline ingest PATH` first" in err
    assert not (tmp_path / "none.db").exists()


def test_db_from_the_environment(tmp_path: Path, example_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_DB", str(tmp_path / "env.db"))
    assert _run("ingest", str(example_dir), "-q")[0] == 0
    assert (tmp_path / "env.db").exists()


def test_settings_file_is_read(tmp_path: Path, example_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "storyline.toml").write_text('db = "from-file.db"\nmax_bytes = 50\n')
    code, _, err = _run("ingest", str(example_dir), "-q")
    assert code == 1 and "limit" in err
    assert (tmp_path / "from-file.db").exists()
