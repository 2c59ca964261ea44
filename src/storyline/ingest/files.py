"""Find input files and read each into RawItems, whatever its format.

Formats are known by extension (``.txt``, ``.html``, ``.xml``/``.rss``/``.atom``, ``.jsonl``,
``.warc``, ``.parquet``, each optionally ``.gz``) and confirmed by content; a file with no extension
is recognised by content. Every failure is an IngestError naming the file, never an exception, so
one bad file cannot stop a batch. A ``.parquet`` file is streamed from disk rather than loaded whole
(see ``storyline.ingest.parquet``); like JSON Lines it is held to the ``max_bytes`` limit.
"""

from __future__ import annotations

import contextlib
import glob
import gzip
import io
import os
import stat
import zlib
from collections.abc import Iterator, Sequence

from storyline.errors import InputError
from storyline.ingest.parquet import MAGIC as PARQUET_MAGIC
from storyline.ingest.parquet import is_parquet_name, read_parquet_file
from storyline.records import IngestError, RawItem

EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc", ".arc": "warc",
    ".parquet": "parquet", ".pq": "parquet",
}
_GZIP_SUFFIXES = (".gz", ".gzip")
_KNOWN_KINDS = "a news text, page, feed, JSON Lines, WARC or Parquet file"
_BINARY_MAGIC: dict[bytes, str] = {
    b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image", b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x7fELF": "an executable", b"SQLite format 3": "a SQLite database",
    b"\xd0\xcf\x11\xe0": "an old Office document", b"BZh": "a bzip2 archive", b"\xfd7zXZ": "an xz archive",
}
# How far into a file to look for NUL bytes and markup when recognising its format.
SNIFF_BYTES = 8192
# Bytes read per call: the size limit is enforced on what was actually read, not on st_size.
READ_CHUNK = 1 << 20
# UTF-16 without a byte-order mark is recognised by its NULs: ASCII-range text has a NUL in every
# other byte (odd offsets in little-endian, even in big-endian). At least this share of the
# sniffed code units must carry one, and the other half must be NUL-free.
UTF16_NUL_SHARE = 0.6
_NOT_REGULAR = (
    (stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
)


def discover(paths: Sequence[str], skip: Sequence[str] = ()) -> tuple[list[str], list[IngestError]]:
    """Expand files, folders (recursively, hidden entries skipped) and globs, in a stable order.

    Files named in ``skip`` (the store and its companions, see ``store_files``) are left out
    wherever they turn up.
    """
    found: list[str] = []
    errors: list[IngestError] = []
    for given in paths:
        if os.path.exists(given) and not os.path.isdir(given):
            found.append(given)
        elif os.path.isdir(given):
            found.extend(_walk(given))
        else:
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                errors.append(IngestError(given, "no such file or folder (and no glob match)"))
            for match in matches:
                found.extend(_walk(match) if os.path.isdir(match) else [match])
    # The same file given twice (``.`` and ``*``, ``./a`` and ``a``, a link) is read once.
    seen: set[tuple[int, int] | str] = set()
    unique: list[str] = []
    for path in found:
        key = file_key(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    if skip:
        keys = {file_key(path) for path in skip}
        unique = [path for path in unique if not is_one_of(path, keys)]
    return unique, errors


def store_files(db: str) -> list[str]:
    """The files a store at ``db`` consists of: the database, its SQLite journals and a lock file."""
    return [db, *(db + suffix for suffix in ("-wal", "-shm", "-journal", ".lock"))]


def file_key(path: str) -> tuple[int, int] | str:
    """What identifies the file at ``path``: its device and inode, or its real path if it is absent."""
    try:
        info = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return (info.st_dev, info.st_ino)


def is_one_of(path: str, keys: set[tuple[int, int] | str]) -> bool:
    """Whether ``path`` is one of the files whose ``file_key``s are ``keys``."""
    return file_key(path) in keys


def _walk(folder: str) -> list[str]:
    out: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(os.path.join(root, f) for f in sorted(files) if not f.startswith("."))
    return out


def read_file(path: str, max_bytes: int) -> Iterator[RawItem | IngestError]:
    """Every item in the file at ``path``; failures come back as IngestErrors, not exceptions."""
    try:
        if is_parquet_name(path):
            _refuse_special(os.stat(path).st_mode)
            yield from read_parquet_file(path, max_bytes)
            return
        data, name, cut = _load(path, max_bytes)
        kind = detect_format(data, name)
        if cut and kind != "warc":
            raise InputError(cut)
        yield from _read(kind, data, path, max_bytes)
        if cut:
            # A WARC's records carry their own lengths: the whole ones before the cut were read.
            yield IngestError(path, f"{cut}; the whole records before the cut were read")
    except InputError as exc:
        yield IngestError(path, str(exc))
    except OSError as exc:
        yield IngestError(path, f"cannot read the file ({exc.strerror or exc})")


def _load(path: str, max_bytes: int) -> tuple[bytes, str, str | None]:
    data = read_bounded(path, max_bytes)
    name = os.path.basename(path).lower()
    cut = None
    if data[:2] == b"\x1f\x8b":
        data, cut = _gunzip(data, max_bytes)
        for suffix in _GZIP_SUFFIXES:
            name = name.removesuffix(suffix)
    if not data.strip():
        raise InputError(cut or "empty file")
    codec = bomless_utf16(data[:SNIFF_BYTES])
    if codec:
        # If it does not decode it is not UTF-16 after all: the binary check says what it is.
        with contextlib.suppress(UnicodeDecodeError):
            data = data.decode(codec).encode("utf-8")
    return data, name, cut


def read_bounded(path: str, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``, refused (InputError) past ``max_bytes``.

    Devices, FIFOs, sockets and folders are refused before anything is opened, so /dev/zero
    cannot fill memory and a FIFO cannot block; the file is then opened non-blocking and checked
    again (it may have been replaced in between), and read in chunks up to ``max_bytes + 1``,
    so the limit holds for what is read, whatever the file claimed to be.
    """
    _refuse_special(os.stat(path).st_mode)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        _refuse_special(info.st_mode)
        if info.st_size > max_bytes:
            raise InputError(f"file is {_size(info.st_size)}, over the {_size(max_bytes)} limit "
                             "(raise it with --max-bytes)")
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(fd, min(READ_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > max_bytes:
        raise InputError(f"file grew past the {_size(max_bytes)} limit while being read (raise it with --max-bytes)")
    return b"".join(chunks)


def _refuse_special(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    what = next((name for test, name in _NOT_REGULAR if test(mode)), "a special file")
    raise InputError(f"not a regular file but {what}; only regular files are read")


def _gunzip(data: bytes, max_bytes: int) -> tuple[bytes, str | None]:
    """The decompressed bytes (every member) and, if the data stops early, why (else None)."""
    chunks: list[bytes] = []
    total = 0
    cut = None
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while total <= max_bytes:
                # read1: at most one member's worth at a time, so whole members before a cut are kept
                chunk = stream.read1(min(READ_CHUNK, max_bytes + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
    except EOFError as exc:
        cut = f"truncated gzip data ({exc})"
    except (OSError, zlib.error) as exc:
        raise InputError(f"corrupt gzip data ({exc})") from None
    if total > max_bytes:
        raise InputError(f"decompresses to more than the {_size(max_bytes)} limit (raise it with --max-bytes)")
    return b"".join(chunks), cut


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def bomless_utf16(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``head`` looks like BOM-less UTF-16 text, else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or len(head) < 4:
        return None
    head = head[: len(head) // 2 * 2]
    units = len(head) // 2
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    if odd_nuls >= UTF16_NUL_SHARE * units and even_nuls == 0:
        return "utf-16-le"
    if even_nuls >= UTF16_NUL_SHARE * units and odd_nuls == 0:
        return "utf-16-be"
    return None


def detect_format(data: bytes, name: str) -> str:
    """The format of ``data`` (text, html, feed, jsonl, warc, parquet); InputError if none fits."""
    head = data[:SNIFF_BYTES]
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(PARQUET_MAGIC) and data.endswith(PARQUET_MAGIC):
        return "parquet"
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            raise InputError(f"binary file ({what}), not {_KNOWN_KINDS}")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"binary file (contains NUL bytes), not {_KNOWN_KINDS}")
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


def _read(kind: str, data: bytes, path: str, max_bytes: int) -> Iterator[RawItem | IngestError]:
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
    elif kind == "parquet":
        # A gzipped or extension-less Parquet file: already in memory (within max_bytes), read from there.
        import pyarrow as pa

        from storyline.ingest.parquet import read_parquet

        yield from read_parquet(pa.BufferReader(data), path, max_bytes)
    else:
        from storyline.ingest.warc import read_warc

        yield from read_warc(data, path)
