"""Bad input: one clear line naming the file and the reason; the rest of the batch lands."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest

from storyline.settings import Settings
from storyline.store import SQLiteStore
from tests.conftest import ingest_paths

GOOD = "Serbia will never impose sanctions on Russia, the minister told reporters in Belgrade on Friday."


def _random_bytes(n: int) -> bytes:
    rng = random.Random(7)
    return bytes(rng.randrange(1, 256) for _ in range(n))


BAD_FILES: dict[str, tuple[bytes, str]] = {
    "image.png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "binary file (a PNG image)"),
    "blob.txt": (b"abc\x00def" * 20, "binary file (contains NUL bytes)"),
    "empty.txt": (b"", "empty file"),
    "spaces.txt": (b"  \n\n \t ", "empty file"),
    "garbage.txt": (_random_bytes(3000), "undecodable"),
    "bad.jsonl": (b'{"text": "ok but broken"\n', "malformed JSON line"),
    "notext.jsonl": (b'{"title": "no text"}\n', 'no "text" string'),
    "broken.html": (b"<html><body><div><p></div></span>", "HTML"),
    "doc.docx": (b"just some text", "unknown format '.docx'"),
    "cut.txt.gz": (b"\x1f\x8b\x08\x00garbage", "truncated gzip data (Compressed file ended"),
    "corrupt.txt.gz": (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 40, "corrupt gzip data (Error -3"),
    "feed.rss": (b"<rss><channel><title>x</title>", "not a readable RSS/Atom feed"),
    "crawl.warc": (b"WARC/1.0\r\nbroken", "WARC"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_fails_alone_with_a_one_line_reason(tmp_path: Path, store: SQLiteStore, name: str) -> None:
    data, reason = BAD_FILES[name]
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / name).write_bytes(data)
    report = ingest_paths(store, tmp_path / "good.txt", tmp_path / name)
    assert len(report.ingested) == 1, report.failed
    assert len(report.failed) >= 1
    failure = report.failed[0]
    assert failure.path.startswith(str(tmp_path / name))
    assert reason in failure.reason
    assert "\n" not in str(failure)
    assert store.count_articles() == 1


def test_oversized_file_is_refused_and_the_limit_is_configurable(tmp_path: Path, store: SQLiteStore) -> None:
    big = tmp_path / "big.txt"
    big.write_text(GOOD * 200)
    small_limit = Settings(db=store.location, max_bytes=1000)
    report = ingest_paths(store, big, settings=small_limit)
    assert "over the 0.0 MB limit" in report.failed[0].reason or "limit" in report.failed[0].reason
    assert store.count_articles() == 0
    assert len(ingest_paths(store, big).ingested) == 1  # the default 20 MB limit lets it in


def test_gzip_bomb_is_refused_by_its_decompressed_size(tmp_path: Path, store: SQLiteStore) -> None:
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a " * 50_000))
    report = ingest_paths(store, tmp_path / "bomb.txt.gz", settings=Settings(db=store.location, max_bytes=10_000))
    assert "decompresses to more than" in report.failed[0].reason


def test_a_bad_line_in_jsonl_does_not_stop_the_good_lines(tmp_path: Path, store: SQLiteStore) -> None:
    lines = [f'{{"text": "{GOOD} One."}}', "{not json", f'{{"text": "{GOOD} Two."}}', "[1, 2]"]
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines))
    report = ingest_paths(store, tmp_path / "mixed.jsonl")
    assert len(report.ingested) == 2
    assert [f.path.rsplit("#", 1)[1] for f in report.failed] == ["2", "4"]


def test_latin1_text_is_decoded_not_refused(tmp_path: Path, store: SQLiteStore) -> None:
    (tmp_path / "latin.txt").write_bytes(("Le président a déclaré que la Serbie n'imposera jamais de "
                                          "sanctions à la Russie, malgré la pression européenne.").encode("cp1252"))
    report = ingest_paths(store, tmp_path / "latin.txt")
    assert report.ok
    assert "Serbie" in store.get_article(report.ingested[0]).text


def test_missing_path_is_reported(tmp_path: Path, store: SQLiteStore) -> None:
    report = ingest_paths(store, tmp_path / "does-not-exist.txt")
    assert not report.ok and "no such file" in report.failed[0].reason
