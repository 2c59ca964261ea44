"""The SQLite store: WAL, versioned schema and migrations, duplicates, crash safety."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import storyline.pipeline as pipeline
from storyline.errors import NotFoundError, StoreError
from storyline.records import Alignment, Article, ReuseLink
from storyline.settings import Settings
from storyline.store import SQLiteStore, open_store
from storyline.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tests.conftest import ingest_paths, make_v1_store

BODY = "Serbia will never impose sanctions on Russia, the minister told reporters in Belgrade."


def _article(n: int) -> Article:
    return Article(id=f"{n:016x}", path=f"p{n}.txt", text=f"{BODY} Number {n}.")


def _jsonl(path: Path, count: int) -> Path:
    path.write_text("\n".join(json.dumps({"text": f"{BODY} Item {i}."}) for i in range(count)))
    return path


def test_new_store_is_wal_and_at_the_current_schema_version(store: SQLiteStore) -> None:
    assert store.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)
    mode = sqlite3.connect(store.location).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_an_older_store_is_migrated_and_keeps_its_articles(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    make_v1_store(db)
    store = open_store(str(db))
    assert store.schema_version() == SCHEMA_VERSION
    assert store.get_article("00000000000000aa").text == "kept text"
    assert store.pending("sentences") == ["00000000000000aa"]  # tables of migration 2 exist
    store.close()


def test_a_store_from_a_newer_storyline_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    sqlite3.connect(db).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this storyline"):
        open_store(str(db))


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.db"
    bad.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError, match="not a storyline store"):
        open_store(str(bad))


def test_same_text_from_another_file_is_a_duplicate_and_stores_nothing(tmp_path: Path, store: SQLiteStore) -> None:
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "copy.jsonl").write_text(json.dumps({"text": "  " + BODY.replace(" ", "   ")}))
    first = ingest_paths(store, tmp_path / "a.txt")
    second = ingest_paths(store, tmp_path / "copy.jsonl", tmp_path / "a.txt")
    assert len(first.ingested) == 1
    assert second.ingested == []
    assert [d.article for d in second.duplicates] == first.ingested * 2
    assert store.count_articles() == 1
    assert store.get_article(first.ingested[0]).path == str(tmp_path / "a.txt")


def test_interrupt_mid_batch_keeps_earlier_batches_and_a_consistent_store(
    tmp_path: Path, store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _jsonl(tmp_path / "many.jsonl", 35)
    real = pipeline.normalise
    seen = {"n": 0}

    def interrupting(item, today=None):  # type: ignore[no-untyped-def]
        seen["n"] += 1
        if seen["n"] == 34:
            raise KeyboardInterrupt
        return real(item, today=today)

    monkeypatch.setattr(pipeline, "normalise", interrupting)
    with pytest.raises(KeyboardInterrupt):
        pipeline.ingest_files([str(source)], store, Settings(db=store.location, batch_size=10))
    assert store.count_articles() == 30
    assert store.integrity_ok()
    monkeypatch.setattr(pipeline, "normalise", real)
    report = pipeline.ingest_files([str(source)], store, Settings(db=store.location, batch_size=10))
    assert (len(report.ingested), len(report.duplicates)) == (5, 30)


def test_interrupt_inside_a_transaction_rolls_the_whole_transaction_back(store: SQLiteStore) -> None:
    store.add_articles([_article(1)])
    with pytest.raises(KeyboardInterrupt), store.transaction():
        store.add_articles([_article(2), _article(3)])
        raise KeyboardInterrupt
    assert [a.id for a in store.articles()] == [_article(1).id]


def test_killed_ingest_leaves_a_consistent_store(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "many.jsonl", 4000)
    db = tmp_path / "killed.db"
    code = ("import sys; from storyline.pipeline import ingest_files; from storyline.settings import Settings; "
            "from storyline.store import open_store; s = open_store(sys.argv[1]); "
            "ingest_files([sys.argv[2]], s, Settings(db=sys.argv[1], batch_size=50))")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(source)])
    deadline = time.monotonic() + 60
    count = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                count = sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute(
                    "SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.DatabaseError:
                continue
            if count >= 100:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = open_store(str(db))
    assert isinstance(store, SQLiteStore)
    assert store.integrity_ok()
    stored = store.count_articles()
    assert stored >= 100 and stored % 50 == 0  # whole batches only
    store.close()


def test_resolve_article_by_id_prefix_and_file_name(store: SQLiteStore) -> None:
    store.add_articles([Article(id="abc0000000000001", path="x/004_aa.txt", text="one"),
                        Article(id="abd0000000000002", path="x/001_bb.txt", text="two")])
    assert store.resolve_article("abc") == "abc0000000000001"
    assert store.resolve_article("001") == "abd0000000000002"
    with pytest.raises(NotFoundError, match="ambiguous"):
        store.resolve_article("ab")
    with pytest.raises(NotFoundError, match="no article"):
        store.resolve_article("zzz")


def test_reuse_links_round_trip_and_one_link_per_pair(store: SQLiteStore) -> None:
    store.add_articles([_article(1), _article(2)])
    a, b = _article(1).id, _article(2).id
    link = ReuseLink(a, b, "rewrite", 0.9, "published", (Alignment(0, 5, 1, 6, 0.8),))
    store.add_reuse_links([link])
    assert store.reuse_links() == [link]
    flipped = ReuseLink(b, a, "rewrite", 0.8, "textual: quotes", ())
    store.add_reuse_links([flipped])
    assert store.reuse_links(a) == [flipped]


def test_pending_and_features_track_each_stage(store: SQLiteStore) -> None:
    store.add_articles([_article(1), _article(2)])
    store.put_features("sig", [(_article(1).id, b"\x01\x02")])
    store.mark_done("sig", [_article(1).id])
    assert store.pending("sig") == [_article(2).id]
    assert store.processed("sig") == [_article(1).id]
    assert list(store.features("sig")) == [(_article(1).id, b"\x01\x02")]
