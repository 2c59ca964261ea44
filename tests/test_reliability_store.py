"""Issue 18, stores and outputs: no command destroys a store or changes another program's file;
store creation, migration and analysis are safe against a second process."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import storyline.export as export_module
from storyline import pipeline
from storyline.cli import app
from storyline.errors import StoreError
from storyline.export import OutputError, check_output, export_to_file
from storyline.records import Article
from storyline.store import open_store
from storyline.store.migrations import SCHEMA_VERSION
from tests.conftest import make_v1_store

BODY = "Serbia will never impose sanctions on Russia, the minister told reporters in Belgrade."
READ_COMMANDS = [["summary"], ["articles"], ["show", "abc"], ["export"], ["entities"], ["quotes"], ["stories"],
                 ["claims"], ["copies"], ["search", "Serbia"]]


def _article(n: int) -> Article:
    return Article(id=f"{n:016x}", path=f"p{n}.txt", text=f"{BODY} Number {n}.")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _one_line_error(result: Any) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return str(lines[0])


@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    """A store holding two articles (closed)."""
    db = tmp_path / "v.db"
    store = open_store(str(db))
    store.add_articles([_article(1), _article(2)])
    store.close()
    return db


def _foreign_db(path: Path, with_articles: bool = False) -> Path:
    """Another program's SQLite database (user_version 0, rollback journal)."""
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE articles (x)" if with_articles else "CREATE TABLE notes (body TEXT)")
    raw.execute("INSERT INTO %s VALUES ('theirs')" % ("articles" if with_articles else "notes"))
    raw.commit()
    raw.close()
    return path


# 1. No command can destroy or corrupt a store


@pytest.mark.parametrize("spelling", ["same", "dot", "symlink", "hardlink", "wal", "shm"])
def test_export_onto_the_store_is_refused_and_the_store_kept(small_store: Path, spelling: str) -> None:
    before = _digest(small_store)
    target = {"same": str(small_store), "dot": str(small_store.parent / "." / small_store.name),
              "symlink": str(small_store.parent / "link.json"), "hardlink": str(small_store.parent / "hard.json"),
              "wal": f"{small_store}-wal", "shm": f"{small_store}-shm"}[spelling]
    if spelling == "symlink":
        os.symlink(small_store, target)
    if spelling == "hardlink":
        os.link(small_store, target)
    line = _one_line_error(_cli("export", "--db", str(small_store), "-o", target))
    assert "store" in line and "choose another file" in line
    assert _digest(small_store) == before
    assert open_store(str(small_store), read_only=True).count_articles() == 2


def test_export_to_the_default_store_name_is_refused(small_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(small_store.parent)
    monkeypatch.delenv("STORYLINE_DB", raising=False)
    small_store.rename("storyline.db")
    line = _one_line_error(_cli("export", "-o", "storyline.db"))
    assert "storyline.db is the store" in line
    assert open_store("storyline.db", read_only=True).count_articles() == 2


def test_export_never_overwrites_another_sqlite_database(small_store: Path, tmp_path: Path) -> None:
    other = _foreign_db(tmp_path / "other.sqlite")
    before = _digest(other)
    line = _one_line_error(_cli("export", "--db", str(small_store), "-o", str(other)))
    assert "is an SQLite database" in line
    assert _digest(other) == before


@pytest.mark.parametrize("case", ["missing folder", "folder", "empty name"])
def test_bad_output_paths_get_one_line(small_store: Path, tmp_path: Path, case: str) -> None:
    target = {"missing folder": str(tmp_path / "nonexistent" / "x.json"), "folder": str(tmp_path),
              "empty name": ""}[case]
    line = _one_line_error(_cli("export", "--db", str(small_store), "-o", target))
    assert {"missing folder": "no folder", "folder": "is a folder", "empty name": "empty output"}[case] in line


def test_export_replaces_the_file_whole_and_keeps_its_permissions(small_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus.json"
    out.write_text("old export")
    out.chmod(0o640)
    result = _cli("export", "--db", str(small_store), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert '"storyline_export": 2' in out.read_text()
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary left


def test_an_interrupted_export_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "corpus.json"
    out.write_text("old export")

    def interrupted(doc: dict[str, Any], fmt: str, handle: Any, section: str = "articles") -> None:
        handle.write('{"storyline_export": 1, "arti')
        raise KeyboardInterrupt

    monkeypatch.setattr(export_module, "write_export", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export_to_file({"storyline_export": 1, "articles": []}, "json", str(out))
    assert out.read_text() == "old export"
    assert [p.name for p in tmp_path.iterdir()] == ["corpus.json"]


def test_a_failing_write_is_one_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(doc: dict[str, Any], fmt: str, handle: Any, section: str = "articles") -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module, "write_export", full)
    with pytest.raises(OutputError, match="No space left on device"):
        export_to_file({"storyline_export": 1, "articles": []}, "json", str(tmp_path / "x.json"))
    assert list(tmp_path.iterdir()) == []


def test_export_to_a_device_writes_through_it(small_store: Path) -> None:
    assert check_output(os.devnull, [str(small_store)]) == os.devnull
    export_to_file({"storyline_export": 1, "articles": []}, "json", os.devnull, stores=[str(small_store)])
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


# 2. A file that is not a storyline store is never changed


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_read_commands_leave_another_programs_database_unchanged(tmp_path: Path, command: list[str]) -> None:
    other = _foreign_db(tmp_path / "other.db")
    before = _digest(other)
    line = _one_line_error(_cli(*command, "--db", str(other)))
    assert "not a storyline store" in line and "another program" in line
    assert _digest(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_read_commands_leave_a_store_byte_identical(small_store: Path) -> None:
    before = _digest(small_store)
    for command in READ_COMMANDS:
        result = _cli(*command, "--db", str(small_store))
        assert result.exception is None or isinstance(result.exception, SystemExit), (command, result.exception)
    assert _digest(small_store) == before


@pytest.mark.parametrize("command", [["analyse"], ["ingest", "IN"], ["run", "IN"]], ids=lambda c: c[0])
def test_writing_commands_refuse_another_programs_database(tmp_path: Path, command: list[str]) -> None:
    other = _foreign_db(tmp_path / "other.db", with_articles=True)  # the old traceback case
    (tmp_path / "in.txt").write_text(BODY)
    before = _digest(other)
    args = [str(tmp_path / "in.txt") if a == "IN" else a for a in command]
    line = _one_line_error(_cli(*args, "--db", str(other)))
    assert "not a storyline store" in line
    assert _digest(other) == before


def test_an_empty_sqlite_database_is_not_a_store_for_readers(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    raw = sqlite3.connect(empty)
    raw.execute("VACUUM")
    raw.close()
    before = _digest(empty)
    assert "no storyline tables" in _one_line_error(_cli("summary", "--db", str(empty)))
    assert "no storyline tables" in _one_line_error(_cli("analyse", "--db", str(empty)))
    assert _digest(empty) == before


def test_a_zero_byte_file_is_refused_by_readers_and_becomes_a_store_on_ingest(tmp_path: Path) -> None:
    zero = tmp_path / "zero.db"
    zero.touch()
    for command in (["summary"], ["articles"], ["analyse"], ["export"]):
        assert "an empty file" in _one_line_error(_cli(*command, "--db", str(zero)))
    assert zero.stat().st_size == 0
    (tmp_path / "in.txt").write_text(BODY)
    result = _cli("ingest", str(tmp_path / "in.txt"), "--db", str(zero), "--quiet")
    assert result.exit_code == 0, result.output
    assert open_store(str(zero), read_only=True).count_articles() == 1


def test_read_commands_never_create_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    assert "no store there" in _one_line_error(_cli("summary", "--db", str(missing)))
    with pytest.raises(StoreError, match="no store there"):
        open_store(str(missing), read_only=True)
    with pytest.raises(StoreError, match="no store there"):
        open_store(str(missing), create=False)
    assert not missing.exists()


def test_a_store_in_a_missing_folder_gets_one_line(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text(BODY)
    line = _one_line_error(_cli("ingest", str(tmp_path / "in.txt"), "--db", str(tmp_path / "no" / "s.db")))
    assert "create it first" in line
    assert not (tmp_path / "no").exists()


def test_a_text_file_and_a_folder_are_refused_unchanged(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("my notes " * 100)
    for mode in ({}, {"read_only": True}, {"create": False}):
        with pytest.raises(StoreError, match="not an SQLite database"):
            open_store(str(text), **mode)
    assert text.read_text() == "my notes " * 100
    assert "a folder" in _one_line_error(_cli("summary", "--db", str(tmp_path)))


def test_read_commands_do_not_migrate_an_older_store(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    make_v1_store(db)
    before = _digest(db)
    assert "run `storyline analyse" in _one_line_error(_cli("articles", "--db", str(db)))
    assert _digest(db) == before
    store = open_store(str(db), create=False)  # what `analyse` does: it may upgrade a store
    assert store.schema_version() == SCHEMA_VERSION
    store.close()


def test_a_store_claiming_a_version_without_its_tables_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "liar.db"
    raw = sqlite3.connect(db)
    raw.execute("CREATE TABLE articles (x)")
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    raw.commit()
    raw.close()
    before = _digest(db)
    with pytest.raises(StoreError, match="no table"):
        open_store(str(db))
    assert _digest(db) == before


@pytest.fixture
def readonly_folder(small_store: Path) -> Iterator[Path]:
    """A folder (readable by everyone) holding a closed store, in which the test's user cannot write."""
    folder = Path(tempfile.mkdtemp(prefix="storyline-ro-"))
    try:
        shutil.copy(small_store, folder / "v.db")
        (folder / "v.db").chmod(0o644)
        folder.chmod(0o555)
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def _as_unprivileged(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` as a user that cannot write the folder (root writes anywhere: run as nobody then)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a folder read-only")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    env = {**os.environ, "HOME": tempfile.gettempdir(), "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.run([*prefix, sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_a_store_in_a_read_only_folder_can_be_read_and_served(readonly_folder: Path) -> None:
    code = ("import sys\n"
            "from storyline.store import open_store\n"
            "from storyline.web.data import Desk\n"
            "print(open_store(sys.argv[1], read_only=True).count_articles())\n"
            "print(Desk(sys.argv[1]).store.count_articles())\n")
    done = _as_unprivileged(code, str(readonly_folder / "v.db"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "2"]
    assert sorted(p.name for p in readonly_folder.iterdir()) == ["v.db"]


def test_writing_a_store_in_a_read_only_folder_is_one_line(readonly_folder: Path) -> None:
    code = ("import sys\n"
            "from storyline.errors import StoreError\n"
            "from storyline.store import open_store\n"
            "try:\n    open_store(sys.argv[1], create=False)\n"
            "except StoreError as exc:\n    print(exc)\n")
    done = _as_unprivileged(code, str(readonly_folder / "v.db"))
    assert done.returncode == 0, done.stderr
    assert "cannot write the store" in done.stdout and "read commands" in done.stdout


# 4. Concurrency


def _open_and_add(path: str, n: int, barrier: Any, results: Any) -> None:
    barrier.wait()
    try:
        store = open_store(path)
        store.add_articles([_article(n)])
        store.close()
        results.put("ok")
    except Exception as exc:  # reported to the test
        results.put(repr(exc))


def test_processes_creating_one_store_together_all_succeed(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    for run in range(10):
        path = str(tmp_path / f"new{run}.db")
        barrier, results = ctx.Barrier(3), ctx.Queue()
        workers = [ctx.Process(target=_open_and_add, args=(path, n, barrier, results)) for n in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [results.get(timeout=5) for _ in workers] == ["ok"] * 3, f"run {run}"
        store = open_store(path, read_only=True)
        assert store.count_articles() == 3 and store.schema_version() == SCHEMA_VERSION
        store.close()


def test_a_second_analyse_waits_for_the_first(small_store: Path) -> None:
    first, second = open_store(str(small_store)), open_store(str(small_store))
    told: list[str] = []
    with first.exclusive():
        waiting = threading.Thread(target=pipeline.analyse, args=(second,),
                                   kwargs={"stages": [], "on_wait": told.append})
        waiting.start()
        deadline = time.monotonic() + 10
        while not told and time.monotonic() < deadline:
            time.sleep(0.01)
        assert told and "another `storyline analyse` is running on" in told[0]
        assert waiting.is_alive()
    waiting.join(10)
    assert not waiting.is_alive()
    first.close()
    second.close()


class _WouldWait(Exception):
    pass


def _would_wait(message: str) -> None:
    raise _WouldWait(message)


def test_the_analysis_lock_of_a_killed_process_is_released(small_store: Path) -> None:
    code = ("import sys, time\nfrom storyline.store import open_store\n"
            "with open_store(sys.argv[1]).exclusive():\n    print('held', flush=True)\n    time.sleep(60)\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(small_store)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        store = open_store(str(small_store))
        with pytest.raises(_WouldWait), store.exclusive(_would_wait):
            pass
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        with store.exclusive(_would_wait):  # free at once: nothing stale to clear
            store.add_articles([_article(3)])  # writing goes on while a lock is held
        store.close()
    finally:
        holder.kill()
        holder.wait()


def test_reading_and_ingesting_go_on_while_an_analysis_holds_the_lock(small_store: Path) -> None:
    analysing = open_store(str(small_store))
    with analysing.exclusive():
        ingesting = open_store(str(small_store))
        ingesting.add_articles([_article(9)])
        reader = open_store(str(small_store), read_only=True)
        assert reader.count_articles() == 3
        reader.close()
        ingesting.close()
    analysing.close()
