"""WARC files: each HTML response (or resource) record becomes one article."""

from __future__ import annotations

import io
from collections.abc import Iterator

from storyline.errors import InputError
from storyline.ingest.html import read_html
from storyline.records import IngestError, RawItem

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(data: bytes, path: str) -> Iterator[RawItem | IngestError]:
    """The HTML pages archived in a WARC file, numbered ``path#n`` in archive order."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    records = iter(ArchiveIterator(io.BytesIO(data)))
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except ArchiveLoadFailed as exc:
            if number:
                yield IngestError(path, f"broken WARC record after record {number} ({_first_line(exc)})")
                return
            raise InputError(f"not a readable WARC file ({_first_line(exc)})") from None
        except Exception as exc:  # warcio fails on cut headers with assorted errors
            reason = f"truncated or broken WARC record headers ({type(exc).__name__}: {_first_line(exc)})"
            if number:
                yield IngestError(path, f"{reason} after record {number}")
                return
            raise InputError(reason) from None
        if record.rec_type not in ("response", "resource") or not _is_html(record):
            continue
        if record.http_headers is not None and record.http_headers.get_statuscode() != "200":
            continue
        number += 1
        item_path = f"{path}#{number}"
        url = record.rec_headers.get_header("WARC-Target-URI")
        try:
            payload = record.content_stream().read()
        except Exception as exc:  # a cut chunked or compressed body
            yield IngestError(item_path, f"broken WARC record body ({type(exc).__name__}: {_first_line(exc)})")
            continue
        missing = getattr(record.raw_stream, "limit", 0)
        if missing:
            yield IngestError(item_path, f"truncated WARC record: its Content-Length is {record.length} bytes "
                                         f"and {missing} of them are missing")
            continue
        try:
            yield read_html(payload, item_path, url=url)
        except InputError as exc:
            yield IngestError(item_path, str(exc))
    if number == 0:
        raise InputError("WARC file holds no HTML pages")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no message"


def _is_html(record: object) -> bool:
    headers = getattr(record, "http_headers", None) or getattr(record, "rec_headers", None)
    content_type = (headers.get_header("Content-Type") or "") if headers is not None else ""
    return content_type.split(";")[0].strip().lower() in _HTML_TYPES
