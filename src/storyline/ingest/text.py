"""Plain-text articles, with the example corpus's optional header line.

A file may start with `` date 2023-12-09 https://...`` (a date and a URL, either optional
after the word "date"); the header may share its line with the first words of the article.
A leading headline line becomes the title; section labels before it are dropped.
"""

from __future__ import annotations

import re

from storyline.ingest.cleanup import split_paragraphs, split_title
from storyline.records import RawItem

_HEADER = re.compile(
    r"\A\s*date[ \t]+(?P<date>\d{4}-\d{2}-\d{2})?(?:[ \t]*(?P<url>https?://\S+))?[ \t]*\n?"
)


def read_text(text: str, path: str) -> RawItem:
    """One RawItem from the text of a plain-text article file."""
    published = url = None
    header = _HEADER.match(text)
    if header and (header["date"] or header["url"]):
        published, url = header["date"], header["url"]
        text = text[header.end() :]
    title, paragraphs = split_title(split_paragraphs(text))
    return RawItem(path=path, text="\n\n".join(paragraphs), title=title, url=url, published=published)
