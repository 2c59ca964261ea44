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
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type not in ("response", "resource") or not _is_html(record):
                continue
            if record.http_headers is not None and record.http_headers.get_statuscode() != "200":
                continue
            number += 1
            item_path = f"{path}#{number}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            try:
                yield read_html(record.content_stream().read(), item_path, url=url)
            except InputError as exc:
                yield IngestError(item_path, str(exc))
    except ArchiveLoadFailed as exc:
        raise InputError(f"not a readable WARC file ({str(exc).splitlines()[0]})") from None
    if number == 0:
        raise InputError("WARC file holds no HTML pages")


def _is_html(record: object) -> bool:
    headers = getattr(record, "http_headers", None) or getattr(record, "rec_headers", None)
    content_type = (headers.get_header("Content-Type") or "") if headers is not None else ""
    return content_type.split(";")[0].strip().lower() in _HTML_TYPES
