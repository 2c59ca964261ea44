"""Find input files and read each into RawItems, whatever its format.

Formats are known by extension (``.txt``, ``.html``, ``.xml``/``.rss``/``.atom``, ``.jsonl``,
``.warc``, each optionally ``.gz``) and confirmed by content; a file with no extension is
recognised by content. Every failure is an IngestError naming the file, never an exception, so
one bad file cannot stop a batch.
"""

from __future__ import annotations

import glob
import gzip
import io
import os
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from storyline.errors import InputError
from storyline.records import IngestError, RawItem

EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc", ".arc": "warc",
}
_GZIP_SUFFIXES = (".gz", ".gzip")
_BINARY_MAGIC: dict[bytes, str] = {
    b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image", b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x7fELF": "an executable", b"SQLite format 3": "a SQLite database",
    b"\xd0\xcf\x11\xe0": "an old Office document", b"BZh": "a bzip2 archive", b"\xfd7zXZ": "an xz archive",
}
# How far into a file to look for NUL bytes and markup when recognising its format.
SNIFF_BYTES = 8192


def discover(paths: Sequence[str]) -> tuple[list[str], list[IngestError]]:
    """Expand files, folders (recursively, hidden entries skipped) and globs, in a stable order."""
    found: list[str] = []
    errors: list[IngestError] = []
    for given in paths:
        if os.path.isfile(given):
            found.append(given)
        elif os.path.isdir(given):
            found.extend(_walk(given))
        else:
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                errors.append(IngestError(given, "no such file or folder (and no glob match)"))
            for match in matches:
                found.extend(_walk(match) if os.path.isdir(match) else [match])
    unique = list(dict.fromkeys(found))
    return unique, errors


def _walk(folder: str) -> list[str]:
    out: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(os.path.join(root, f) for f in sorted(files) if not f.startswith("."))
    return out


def read_file(path: str, max_bytes: int) -> Iterator[RawItem | IngestError]:
    """Every item in the file at ``path``; failures come back as IngestErrors, not exceptions."""
    try:
        data, name = _load(path, max_bytes)
        kind = detect_format(data, name)
        yield from _read(kind, data, path)
    except InputError as exc:
        yield IngestError(path, str(exc))
    except OSError as exc:
        yield IngestError(path, f"cannot read the file ({exc.strerror or exc})")


def _load(path: str, max_bytes: int) -> tuple[bytes, str]:
    size = os.path.getsize(path)
    if size > max_bytes:
        raise InputError(f"file is {_mb(size)}, over the {_mb(max_bytes)} limit (raise it with --max-bytes)")
    data = Path(path).read_bytes()
    name = os.path.basename(path).lower()
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, max_bytes)
        for suffix in _GZIP_SUFFIXES:
            name = name.removesuffix(suffix)
    if not data.strip():
        raise InputError("empty file")
    return data, name


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"corrupt gzip data ({exc})") from None
    if len(out) > max_bytes:
        raise InputError(f"decompresses to more than the {_mb(max_bytes)} limit (raise it with --max-bytes)")
    return out


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def detect_format(data: bytes, name: str) -> str:
    """The format of ``data`` (text, html, feed, jsonl, warc); InputError if none fits."""
    head = data[:SNIFF_BYTES]
    if head.startswith(b"WARC/"):
        return "warc"
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            raise InputError(f"binary file ({what}), not a news text, page, feed, JSON Lines or WARC file")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("binary file (contains NUL bytes), not a news text, page, feed, JSON Lines or WARC file")
    extension = os.path.splitext(name)[1]
    sniffed = _sniff(head)
    if extension in EXTENSIONS:
        kind = EXTENSIONS[extension]
        # An .xml file that is an HTML page, or a .txt file that is a feed, is read as what it is.
        return sniffed if sniffed in ("html", "feed", "warc") and kind in ("feed", "text", "html") else kind
    if sniffed:
        return sniffed
    if not extension:
        return "text"
    known = ", ".join(sorted(set(EXTENSIONS)))
    raise InputError(f"unknown format {extension!r} (known: {known}, each optionally .gz)")


def _sniff(head: bytes) -> str | None:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"<?xml") or start.startswith(b"<rss") or start.startswith(b"<feed"):
        window = start[:2000]
        if b"<rss" in window or b"<feed" in window or b"<rdf:rdf" in window:
            return "feed"
        return "html" if b"<html" in window else None
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")):
        return "html"
    return None


def decode(data: bytes) -> str:
    """Text of ``data``: UTF-8 (BOM or not), UTF-16 with a BOM, else the best-fitting encoding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("undecodable: UTF-16 byte-order mark but invalid UTF-16") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError("undecodable: not UTF-8 and no known text encoding fits")
    return str(best)


def _read(kind: str, data: bytes, path: str) -> Iterator[RawItem | IngestError]:
    if kind == "text":
        from storyline.ingest.text import read_text

        yield read_text(decode(data), path)
    elif kind == "html":
        from storyline.ingest.html import read_html

        yield read_html(data, path)
    elif kind == "feed":
        from storyline.ingest.feed import read_feed

        yield from read_feed(data, path)
    elif kind == "jsonl":
        from storyline.ingest.jsonl import read_jsonl

        yield from read_jsonl(decode(data), path)
    else:
        from storyline.ingest.warc import read_warc

        yield from read_warc(data, path)
