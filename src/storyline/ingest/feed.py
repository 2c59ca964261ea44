"""RSS and Atom feed files: one RawItem per entry, with the full content where the feed has it."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

from storyline.errors import InputError
from storyline.records import IngestError, RawItem

_BLOCK_TAGS = frozenset(
    ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "section", "article",
     "figcaption")
)

# Characters XML (and so lxml) cannot hold: C0 controls other than tab and newlines, surrogates,
# U+FFFE/U+FFFF. A feed's HTML can carry them; they are not text, so they are dropped.
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def read_feed(data: bytes, path: str) -> Iterator[RawItem | IngestError]:
    """Each entry of an RSS/Atom feed as a RawItem (or an IngestError naming ``path#n``)."""
    import feedparser

    parsed = feedparser.parse(data)
    broken = xml_error(parsed.get("bozo_exception"))
    if not parsed.entries:
        if broken:
            raise InputError(f"not a readable RSS/Atom feed: broken XML at {broken}")
        reason = _first_line(parsed.get("bozo_exception"))
        detail = f": {reason}" if reason else ""
        raise InputError(f"not a readable RSS/Atom feed (no entries){detail}")
    if broken:
        # feedparser's forgiving parser still recovers the entries before (and often after) the
        # break; they are read as usual, and the file is reported as broken.
        count = len(parsed.entries)
        yield IngestError(path, f"broken XML at {broken}; {count} {'entry' if count == 1 else 'entries'} "
                                "recovered by a forgiving parser")
    site_name = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        item_path = f"{path}#{number}"
        text = fragment_text(_entry_html(entry))
        if not text.strip():
            yield IngestError(item_path, "feed entry has no text (no content or summary)")
            continue
        yield RawItem(
            path=item_path,
            text=text,
            title=entry.get("title") or None,
            url=entry.get("link") or None,
            published=_entry_date(entry),
            author=entry.get("author") or None,
            site_name=site_name,
        )


def xml_error(exc: object) -> str | None:
    """The XML parser's own message for a feed that is not well-formed XML (None if it is).

    feedparser also sets ``bozo_exception`` for benign things (an encoding declaration it
    overrode, a missing content type): those are not broken XML.
    """
    from xml.sax import SAXParseException

    if isinstance(exc, SAXParseException):
        return f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}: {exc.getMessage()}"
    return None


def _first_line(exc: object) -> str:
    return str(exc).splitlines()[0] if exc and str(exc).strip() else ""


def _entry_html(entry: Any) -> str:
    # Full content beats the summary, which many feeds cut after a sentence or two.
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary", "") or ""
    return best if len(best) >= len(summary) else summary


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return time.strftime("%Y-%m-%d", value)
    return None


def fragment_text(fragment: str) -> str:
    """Text of an HTML fragment, one paragraph per block element (blank-line separated)."""
    fragment = _NOT_XML_CHARS.sub("", fragment)
    if "<" not in fragment:
        return fragment
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return fragment
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "br":
            element.tail = "\n\n" + (element.tail or "")
        elif tag in _BLOCK_TAGS:
            element.tail = "\n\n" + (element.tail or "")
            element.text = "\n\n" + (element.text or "")
        elif tag in ("script", "style"):
            element.drop_tree()
    return str(root.text_content())
