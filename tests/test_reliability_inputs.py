"""Every input is bounded and every bad input is named (issue 18, requirements 3 and 6).

Each case is written by the test; a good file sits beside each bad one and must still land.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import socket
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import InputError
from storyline.ingest.files import bomless_utf16, read_bounded
from storyline.ingest.normalise import MIN_ARTICLE_LETTERS
from storyline.pipeline import IngestReport
from storyline.records import IngestError
from storyline.settings import Settings
from storyline.store import SQLiteStore
from tests.conftest import ingest_paths

GOOD = "Serbia will never impose sanctions on Russia, the minister told reporters in Belgrade on Friday."
BODY = " ".join([GOOD] * 12)


def _html(title: str) -> str:
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{BODY}</p><p>{BODY.replace('minister', 'president')}</p></article></body></html>")


def _warc(pages: int, gz: bool = False) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for n in range(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        payload = io.BytesIO(_html(f"Page {n}: a story number {n}").replace("Friday", f"day {n}").encode())
        writer.write_record(writer.create_warc_record(f"https://news.example.com/{n}", "response",
                                                      payload=payload, http_headers=headers))
    return buffer.getvalue()


def _one_line_each(report: IngestReport) -> None:
    for failure in report.failed:
        assert "\n" not in str(failure) and "Traceback" not in str(failure)


def _reasons(report: IngestReport, path: Path) -> list[str]:
    return [f.reason for f in report.failed if f.path.startswith(str(path))]


def _ingest_in_thread(store_path: str, *paths: Path, seconds: float = 60) -> IngestReport:
    """Ingest in a thread (its own store connection), failing the test if it does not finish."""
    from storyline.store import open_store

    result: list[IngestReport] = []

    def work() -> None:
        store = open_store(store_path)
        assert isinstance(store, SQLiteStore)
        try:
            result.append(ingest_paths(store, *paths))
        finally:
            store.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "ingest blocked"
    assert result, "ingest raised"
    return result[0]


# -- only regular files are read ---------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_in_one_line_and_never_read(tmp_path: Path, store: SQLiteStore) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    report = ingest_paths(store, "/dev/zero", tmp_path / "good.txt")
    assert len(report.ingested) == 1
    assert _reasons(report, Path("/dev/zero")) == [
        "not a regular file but a character device; only regular files are read"]
    _one_line_each(report)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_a_folder_does_not_block_and_its_neighbour_lands(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "a-pipe.txt")  # sorted before the good file: a blocked read would lose it
    (folder / "good.txt").write_text(GOOD)
    report = _ingest_in_thread(str(tmp_path / "s.db"), folder, seconds=60)
    assert len(report.ingested) == 1
    assert _reasons(report, folder / "a-pipe.txt") == [
        "not a regular file but a FIFO (named pipe); only regular files are read"]


def test_a_socket_is_refused(tmp_path: Path, store: SQLiteStore) -> None:
    path = tmp_path / "s.sock"
    if len(str(path)) > 100:
        pytest.skip("socket path too long for AF_UNIX")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        (tmp_path / "good.txt").write_text(GOOD)
        report = ingest_paths(store, tmp_path)
    finally:
        server.close()
    assert len(report.ingested) == 1
    assert _reasons(report, path) == ["not a regular file but a socket; only regular files are read"]


# -- the size limit counts what is read ---------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc")
def test_the_limit_counts_bytes_read_not_the_size_a_file_claims() -> None:
    # /proc files are regular files that report a size of 0 and hold more.
    assert os.stat("/proc/self/status").st_size == 0
    with pytest.raises(InputError, match="past the 10 bytes limit"):
        read_bounded("/proc/self/status", 10)
    assert b"Name:" in read_bounded("/proc/self/status", 1_000_000)


def test_the_limit_message_gives_small_sizes_in_bytes(tmp_path: Path, store: SQLiteStore) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    report = ingest_paths(store, tmp_path / "good.txt", settings=Settings(db=store.location, max_bytes=10))
    assert report.failed[0].reason == "file is 96 bytes, over the 10 bytes limit (raise it with --max-bytes)"


def test_a_gzip_bomb_is_stopped_at_the_limit_whatever_its_header_claims(tmp_path: Path,
                                                                        store: SQLiteStore) -> None:
    (tmp_path / "bomb.jsonl.gz").write_bytes(gzip.compress(b"\n" * 5_000_000))
    report = ingest_paths(store, tmp_path / "bomb.jsonl.gz", settings=Settings(db=store.location,
                                                                               max_bytes=100_000))
    assert report.failed[0].reason.startswith("decompresses to more than the 0.1 MB limit")


@pytest.mark.parametrize("value", ["0", "-5"])
def test_max_bytes_must_be_positive(tmp_path: Path, value: str) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "good.txt"), "--db", str(tmp_path / "m.db"),
                                      "--max-bytes", value])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "max_bytes" in lines[0] and "out of range" in lines[0], result.output
    assert not (tmp_path / "m.db").exists() or "Traceback" not in result.output


# -- a minimum length ---------------------------------------------------------------------------


ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>t</title><item><title>x</title><description>&lol9;</description></item>
</channel></rss>"""


def test_an_rss_entity_bomb_stores_nothing_and_says_why(tmp_path: Path, store: SQLiteStore) -> None:
    (tmp_path / "bomb.xml").write_text(ENTITY_BOMB)
    (tmp_path / "good.txt").write_text(GOOD)
    report = ingest_paths(store, tmp_path / "bomb.xml", tmp_path / "good.txt")
    assert len(report.ingested) == 1 and store.count_articles() == 1
    reasons = _reasons(report, tmp_path / "bomb.xml")
    assert any(r.startswith("broken XML at line ") for r in reasons), reasons
    assert any(r.startswith("too short to be an article (3 letters") for r in reasons), reasons
    _one_line_each(report)


@pytest.mark.parametrize("stub", ["Read more.", "Subscribe to read the full story.", "&lol9", "- - - 1 2 3 - - -"])
def test_a_stub_is_refused_with_its_length(tmp_path: Path, store: SQLiteStore, stub: str) -> None:
    (tmp_path / "stub.txt").write_text(stub)
    report = ingest_paths(store, tmp_path / "stub.txt")
    assert store.count_articles() == 0
    assert report.failed[0].reason.startswith("too short to be an article (")
    assert f"at least {MIN_ARTICLE_LETTERS} are needed" in report.failed[0].reason


def test_the_shortest_real_article_measured_is_kept(tmp_path: Path, store: SQLiteStore) -> None:
    # The shortest document in the ECB+ dev set (41 letters) sets the floor.
    (tmp_path / "short.txt").write_text("The parliament election is over in Turkmenistan.")
    assert len(ingest_paths(store, tmp_path / "short.txt").ingested) == 1


# -- truncation and broken XML are reported with the parser's words -------------------------------


def test_a_truncated_warc_record_is_refused_and_the_whole_ones_land(tmp_path: Path, store: SQLiteStore) -> None:
    data = _warc(2)
    (tmp_path / "cut.warc").write_bytes(data[:-300])
    report = ingest_paths(store, tmp_path / "cut.warc")
    assert len(report.ingested) == 1
    [reason] = _reasons(report, tmp_path / "cut.warc")
    assert report.failed[0].path.endswith("#2")
    assert reason.startswith("truncated WARC record: its Content-Length is ") and "missing" in reason


def test_a_warc_cut_inside_record_headers_is_one_line(tmp_path: Path, store: SQLiteStore) -> None:
    data = _warc(2)
    second = data.index(b"WARC/1.0", 10)
    (tmp_path / "cut.warc").write_bytes(data[: second + 40])
    report = ingest_paths(store, tmp_path / "cut.warc")
    assert len(report.ingested) == 1
    [reason] = _reasons(report, tmp_path / "cut.warc")
    assert "WARC record" in reason
    _one_line_each(report)


def test_a_warc_record_with_a_wrong_length_is_refused_quietly(tmp_path: Path, store: SQLiteStore,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    data = _warc(3)
    length = re.search(rb"Content-Length: (\d+)", data)
    assert length
    short = str(int(length[1]) - 50).encode()  # the first record claims 50 bytes fewer than it has
    (tmp_path / "lying.warc").write_bytes(data[: length.start(1)] + short + data[length.end(1):])
    report = ingest_paths(store, tmp_path / "lying.warc")
    assert len(report.ingested) == 2
    [failure] = report.failed
    assert failure.path.endswith("#1")
    assert failure.reason.startswith("WARC record of the wrong length (warcio: Record not followed by newline, "
                                     "perhaps Content-Length is invalid, offset: ")
    assert capsys.readouterr().err == ""  # warcio's own multi-line warning does not reach the terminal


def test_a_truncated_gzip_member_is_named_and_whole_records_before_it_land(tmp_path: Path,
                                                                          store: SQLiteStore) -> None:
    data = _warc(3, gz=True)
    (tmp_path / "cut.warc.gz").write_bytes(data[:-200])  # inside the third record's gzip member
    report = ingest_paths(store, tmp_path / "cut.warc.gz")
    assert len(report.ingested) == 2
    reasons = _reasons(report, tmp_path / "cut.warc.gz")
    assert ("truncated gzip data (Compressed file ended before the end-of-stream marker was reached); "
            "the whole records before the cut were read") in reasons
    _one_line_each(report)


def test_a_truncated_gzip_text_is_refused_not_stored_shorter(tmp_path: Path, store: SQLiteStore) -> None:
    (tmp_path / "cut.txt.gz").write_bytes(gzip.compress(BODY.encode())[:-12])
    report = ingest_paths(store, tmp_path / "cut.txt.gz")
    assert store.count_articles() == 0
    assert report.failed[0].reason.startswith("truncated gzip data (Compressed file ended")


BROKEN_RSS = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>kept</title><description>{GOOD}</description></item>
<item><title>broken</title><description>{GOOD} Again.</descr</item></channel></rss>"""


def test_broken_rss_is_reported_with_the_xml_parsers_words(tmp_path: Path, store: SQLiteStore) -> None:
    (tmp_path / "broken.rss").write_text(BROKEN_RSS)
    report = ingest_paths(store, tmp_path / "broken.rss")
    reasons = _reasons(report, tmp_path / "broken.rss")
    assert reasons[0].startswith("broken XML at line 3, column ")
    assert "not well-formed (invalid token)" in reasons[0]
    assert len(report.ingested) >= 1  # the entry before the break is recovered
    _one_line_each(report)


def test_a_feed_with_nothing_readable_names_the_xml_error(tmp_path: Path, store: SQLiteStore) -> None:
    (tmp_path / "cut.rss").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item')
    report = ingest_paths(store, tmp_path / "cut.rss")
    assert report.failed[0].reason.startswith("not a readable RSS/Atom feed")


# -- decoding -----------------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_decoded(tmp_path: Path, store: SQLiteStore, codec: str) -> None:
    text = GOOD.replace("Belgrade", "Beograd (Београд)")
    (tmp_path / "u16.txt").write_bytes(text.encode(codec))
    assert bomless_utf16(text.encode(codec)) == codec
    report = ingest_paths(store, tmp_path / "u16.txt")
    assert report.ok, report.failed
    assert store.get_article(report.ingested[0]).text == text


def test_nul_bytes_that_are_not_utf16_are_still_binary(tmp_path: Path, store: SQLiteStore) -> None:
    (tmp_path / "blob.txt").write_bytes(b"\x00\x00abc\x00d\x00\x00" * 40)
    report = ingest_paths(store, tmp_path / "blob.txt")
    assert report.failed[0].reason.startswith("binary file (contains NUL bytes)")


def test_a_jsonl_line_with_an_empty_text_says_so(tmp_path: Path, store: SQLiteStore) -> None:
    (tmp_path / "e.jsonl").write_text(f'{{"text": "  "}}\n{{"text": 5}}\n{{"text": "{GOOD}"}}\n')
    report = ingest_paths(store, tmp_path / "e.jsonl")
    assert len(report.ingested) == 1
    assert [(f.path.rsplit("#")[1], f.reason) for f in report.failed] == [
        ("1", 'JSON line has an empty "text"'), ("2", 'JSON line has no "text" string')]


# -- ingest skips its own store files (requirement 6) ---------------------------------------------


def test_ingest_dot_in_the_store_folder_skips_the_store_and_exits_zero(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / "storyline.db.lock").write_text("")  # a lock file beside the store is skipped too
    monkeypatch.chdir(folder)
    monkeypatch.delenv("STORYLINE_DB", raising=False)
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", "."])
    assert first.exit_code == 0, first.output
    assert "ingested 1, duplicate 0, failed 0 (1 files)" in first.output
    for _ in range(2):
        again = runner.invoke(app, ["ingest", ".", "*"])
        assert again.exit_code == 0, again.output
        assert "storyline.db" not in again.output.replace("into storyline.db", "")
        assert "failed 0 (1 files)" in again.output


def test_the_library_skips_the_store_files_it_is_handed(tmp_path: Path) -> None:
    from storyline.store import open_store

    store = open_store(str(tmp_path / "here.db"))
    assert isinstance(store, SQLiteStore)
    try:
        (tmp_path / "good.txt").write_text(GOOD)
        ingest_paths(store, tmp_path / "good.txt")  # the store now has its -wal and -shm
        companions = [p for p in tmp_path.iterdir() if p.name.startswith("here.db")]
        assert len(companions) >= 2
        report = ingest_paths(store, tmp_path)
    finally:
        store.close()
    assert report.files == 1 and report.ok, report.failed
    assert not any(isinstance(f, IngestError) and "here.db" in f.path for f in report.failed)
