"""Shared fixtures: the example corpus, a fresh store, and an ingest helper."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from storyline.pipeline import IngestReport, ingest_files, plan_ingest
from storyline.records import Article
from storyline.settings import Settings
from storyline.store import SQLiteStore, open_store

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "serbia-sanctions"


@pytest.fixture
def example_dir() -> Path:
    """The bundled example corpus (five articles)."""
    return EXAMPLE


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    """An empty SQLite store in a temporary folder."""
    opened = open_store(str(tmp_path / "test.db"))
    assert isinstance(opened, SQLiteStore)
    yield opened
    opened.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default settings pointing at the temporary store."""
    return Settings(db=str(tmp_path / "test.db"))


def ingest_paths(store: SQLiteStore, *paths: str | Path, settings: Settings | None = None) -> IngestReport:
    """Ingest ``paths`` into ``store`` the way the CLI does (missing paths count as failures)."""
    files, missing = plan_ingest([str(p) for p in paths])
    report = ingest_files(files, store, settings or Settings(db=store.location))
    report.failed[:0] = missing
    return report


@pytest.fixture(scope="session")
def analysed_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store holding the example corpus after `storyline run` (shared: tests must only read it)."""
    from typer.testing import CliRunner

    from storyline.cli import app

    path = str(tmp_path_factory.mktemp("analysed") / "example.db")
    result = CliRunner().invoke(app, ["run", str(EXAMPLE), "--db", path, "--quiet"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def client(analysed_db: str) -> Iterator[Any]:
    """The web app over the analysed example corpus, in a test client (shared within a module)."""
    from fastapi.testclient import TestClient

    from storyline.web import create_app

    with TestClient(create_app(analysed_db), base_url="http://localhost") as test_client:
        yield test_client


def get_json(client: Any, path: str) -> Any:
    """The JSON body of a GET that must answer 200 (the path and body are shown when it does not)."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.text)
    return response.json()


def make_v1_store(path: Path) -> None:
    """A store as schema version 1 wrote it, holding one article ("kept text")."""
    import sqlite3

    from storyline.store.migrations import MIGRATIONS

    raw = sqlite3.connect(path)
    raw.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    raw.execute("INSERT INTO articles (id, path, text) VALUES ('00000000000000aa', 'a.txt', 'kept text')")
    raw.commit()
    raw.close()


ECBPLUS_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "clustering-ecbplus-dev.jsonl"


def ecbplus_articles(n: int) -> list[Article]:
    """The first ``n`` ECB+ development documents as articles (paragraphs kept), for the engine
    comparisons; the split lies in ``../shared/eval`` beside the checkout, as in CI."""
    import json

    from storyline.ingest.normalise import normalise
    from storyline.records import RawItem

    if not ECBPLUS_DEV.exists():
        pytest.skip(f"the ECB+ development split is not at {ECBPLUS_DEV}")
    articles = []
    for line in ECBPLUS_DEV.read_text(encoding="utf-8").splitlines()[:n]:
        row = json.loads(line)
        text = "\n\n".join(s for s in row["text"].split("\n") if s.strip())
        articles.append(normalise(RawItem(path=row["doc"], text=text)))
    return articles
