"""WARC files: each HTML response (or resource) record becomes one article."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from typing import Any

from storyline.errors import InputError
from storyline.ingest.html import read_html
from storyline.records import IngestError, RawItem

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(data: bytes, path: str) -> Iterator[RawItem | IngestError]:
    """The HTML pages archived in a WARC file, numbered ``path#n`` in archive order.

    A record is only given out once the next one has been found where its Content-Length says
    it ends: warcio notices a wrong length only then (and prints a warning, which is turned into
    this record's IngestError instead of reaching the terminal).
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    held: RawItem | IngestError | None = None
    archive = ArchiveIterator(io.BytesIO(data))
    records = iter(archive)
    while True:
        warnings = io.StringIO()
        errors_before = archive.err_count
        try:
            with contextlib.redirect_stderr(warnings):
                record = next(records)
        except StopIteration:
            record = None
        except ArchiveLoadFailed as exc:
            if not number:
                raise InputError(f"not a readable WARC file ({_first_line(exc)})") from None
            record = IngestError(path, f"broken WARC record after record {number} ({_first_line(exc)})")
        except Exception as exc:  # warcio fails on cut headers with assorted errors
            reason = f"truncated or broken WARC record headers ({type(exc).__name__}: {_first_line(exc)})"
            if not number:
                raise InputError(reason) from None
            record = IngestError(path, f"{reason} after record {number}")
        # warcio counts the wrong-length warning it prints; anything else written meanwhile (a progress
        # bar drawn from another thread lands in the redirected stderr too) goes back where it belongs
        warned = _warcio_warning(warnings.getvalue()) if archive.err_count > errors_before else ""
        if not warned and warnings.getvalue():
            sys.stderr.write(warnings.getvalue())
        if warned and isinstance(held, RawItem):
            held = IngestError(held.path, f"WARC record of the wrong length ({warned})")
        elif warned:
            yield IngestError(path, f"broken WARC file ({warned})")
        if held is not None:
            yield held
            held = None
        if record is None or isinstance(record, IngestError):
            if record is not None:
                yield record
            break
        if record.rec_type not in ("response", "resource") or not _is_html(record):
            continue
        if record.http_headers is not None and record.http_headers.get_statuscode() != "200":
            continue
        number += 1
        held = _page(record, f"{path}#{number}")
    if number == 0:
        raise InputError("WARC file holds no HTML pages")


def _page(record: Any, item_path: str) -> RawItem | IngestError:
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        payload = record.content_stream().read()
    except Exception as exc:  # a cut chunked or compressed body
        return IngestError(item_path, f"broken WARC record body ({type(exc).__name__}: {_first_line(exc)})")
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        return IngestError(item_path, f"truncated WARC record: its Content-Length is {record.length} bytes "
                                      f"and {missing} of them are missing")
    try:
        return read_html(payload, item_path, url=url)
    except InputError as exc:
        return IngestError(item_path, str(exc))


def _warcio_warning(printed: str) -> str | None:
    """warcio's printed warning as one line: its first line, lower-cased, and the offset."""
    lines = [line.strip() for line in printed.splitlines() if line.strip()]
    if not lines:
        return None
    first = lines[0].removeprefix("WARNING:").strip()
    offset = next((line for line in lines if line.startswith("Offset:")), "")
    return f"warcio: {first}" + (f", {offset.lower()}" if offset else "")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no message"


def _is_html(record: object) -> bool:
    headers = getattr(record, "http_headers", None) or getattr(record, "rec_headers", None)
    content_type = (headers.get_header("Content-Type") or "") if headers is not None else ""
    return content_type.split(";")[0].strip().lower() in _HTML_TYPES
