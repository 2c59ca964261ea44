"""Issue 18, requirement 7: ``storyline serve`` stops cleanly on SIGTERM and Ctrl-C at any time:
while Python is still starting, while the store and MiniLM warm up, and once it has answered.

Each case starts the real command in a subprocess on a free localhost port and signals it; it must
exit within a few seconds, with code 0 or the signal's own code, and print no traceback.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

STOP_WITHIN = 4.0  # seconds from the signal to the end (the example's warm-up alone takes about 5)
# what a stopped server may exit with: 0, the signal re-raised after a clean shutdown, or Ctrl-C's 130 / 1
CLEAN = {0, -signal.SIGTERM, 128 + signal.SIGTERM, -signal.SIGINT, 128 + signal.SIGINT, 1}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(db: str) -> tuple[subprocess.Popen[str], int]:
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "storyline", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    return process, port


def _listening(port: int, process: subprocess.Popen[str], within: float = 60.0) -> None:
    """Wait until the server accepts connections (its warm-up has just begun then)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the server never listened")


def _stops(process: subprocess.Popen[str], sig: int) -> str:
    """Send ``sig``; the process must end soon and cleanly. Returns its stderr."""
    sent = time.monotonic()
    process.send_signal(sig)
    try:
        _out, errors = process.communicate(timeout=STOP_WITHIN)
    except subprocess.TimeoutExpired:
        process.kill()
        _out, errors = process.communicate()
        raise AssertionError(f"still running {STOP_WITHIN} s after signal {sig}: {errors}") from None
    took = time.monotonic() - sent
    assert process.returncode in CLEAN, (process.returncode, errors)
    assert "Traceback" not in errors, errors
    assert took < STOP_WITHIN
    return errors


def test_sigterm_while_python_starts_stops_serve(analysed_db: str) -> None:
    process, _port = _start(analysed_db)
    time.sleep(0.3)  # importing: no handler of uvicorn's yet
    _stops(process, signal.SIGTERM)


@pytest.mark.parametrize("after", [0.3, 0.8, 1.5])
def test_ctrl_c_while_the_command_imports_its_libraries_stops_quietly(analysed_db: str, after: float) -> None:
    process, _port = _start(analysed_db)
    time.sleep(after)  # spaCy and torch are loading
    _stops(process, signal.SIGINT)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_the_warm_up_stops_serve(analysed_db: str, sig: int) -> None:
    process, port = _start(analysed_db)
    _listening(port, process)
    _stops(process, sig)


def test_sigterm_after_answering_stops_serve(analysed_db: str) -> None:
    process, port = _start(analysed_db)
    _listening(port, process)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/overview", timeout=60) as response:
        assert response.status == 200
    _stops(process, signal.SIGTERM)


def test_a_shutdown_does_not_wait_for_the_warm_up(analysed_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """In process: a shutdown while MiniLM loads (made to take a minute here) returns at once."""
    from fastapi.testclient import TestClient

    from storyline.read.search import Searcher
    from storyline.web import create_app

    loading = threading.Event()

    def slow_encoder(_self: Searcher) -> None:
        loading.set()
        time.sleep(60)

    monkeypatch.setattr(Searcher, "warm", slow_encoder)
    app = create_app(analysed_db)
    with TestClient(app, base_url="http://localhost") as client:
        assert client.get("/api/overview").status_code == 200
        assert loading.wait(30)
        started = time.monotonic()
    assert time.monotonic() - started < 2.0
    assert app.state.desk.stopping.is_set()


def test_a_shutdown_stops_the_warm_up_between_steps_and_closes_the_store(
        analysed_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The step reading the store when the shutdown comes finishes; the others never run on a closed store."""
    from fastapi.testclient import TestClient

    from storyline.read.listing import Catalog
    from storyline.web import create_app

    failures: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))
    reading = threading.Event()
    rows = Catalog.rows

    def slow_rows(self: Catalog) -> object:
        reading.set()
        time.sleep(0.5)
        return rows(self)

    monkeypatch.setattr(Catalog, "rows", slow_rows)
    app = create_app(analysed_db)
    desk = app.state.desk
    with TestClient(app, base_url="http://localhost"):
        assert reading.wait(30)
    assert desk.warmed.wait(5)
    assert not desk.corpus._cache  # the stage states were never loaded
    assert failures == []
