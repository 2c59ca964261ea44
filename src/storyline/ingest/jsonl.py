"""JSON Lines: one article a line, ``{"text": ..., "title", "url", "published", "source"}``."""

from __future__ import annotations

import json
from collections.abc import Iterator

from storyline.records import IngestError, RawItem

_OPTIONAL_FIELDS = ("title", "url", "published", "source", "author")


def read_jsonl(text: str, path: str) -> Iterator[RawItem | IngestError]:
    """Each line as a RawItem; a malformed line becomes an IngestError naming ``path#line``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        item_path = f"{path}#{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(item_path, f"malformed JSON line ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield IngestError(item_path, "JSON line is not an object")
            continue
        text_value = record.get("text")
        if not isinstance(text_value, str):
            yield IngestError(item_path, 'JSON line has no "text" string')
            continue
        if not text_value.strip():
            yield IngestError(item_path, 'JSON line has an empty "text"')
            continue
        wrong = [k for k in _OPTIONAL_FIELDS if record.get(k) is not None and not isinstance(record[k], str)]
        if wrong:
            yield IngestError(item_path, f"JSON line field(s) {', '.join(wrong)} must be strings")
            continue
        yield RawItem(
            path=item_path,
            text=text_value,
            title=record.get("title"),
            url=record.get("url"),
            published=record.get("published"),
            author=record.get("author"),
            site_name=record.get("source"),
        )
