"""What the views share: an article's short label, an entity's current name, a page as JSON."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from storyline.errors import StorylineError
from storyline.records import Article, article_name

if TYPE_CHECKING:
    from storyline.read.corpus import Corpus
    from storyline.read.listing import Page
    from storyline.store.base import Store


class View(Protocol):
    """A read view: its one JSON shape."""

    def to_dict(self) -> dict[str, Any]: ...


V = TypeVar("V", bound=View)


def label(article: Article) -> str:
    """What a reader calls an article: its title, else its first words (:func:`article_name`)."""
    return article_name(article)


def file_label(article: Article) -> str:
    """The input file's name without extension (plus #n for an item of a feed or JSON Lines file), else
    the id: how a command-line user names an article (ids and file-name prefixes resolve)."""
    path, _, item = article.path.partition("#")
    stem = os.path.splitext(os.path.basename(path))[0]
    for suffix in (".txt", ".html", ".jsonl", ".xml", ".warc"):
        stem = stem.removesuffix(suffix)
    return f"{stem}#{item}" if item else stem or article.id


def article_info(store: Store, ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """Each article's (label, publication date), for the ids given that are stored."""
    return {a.id: (label(a), a.published) for a in store.articles(sorted(set(ids)))}


def entity_name(corpus: Corpus, entity_id: str | None) -> str | None:
    """The current name of an entity id (None for no id, or an id the registry no longer knows)."""
    if not entity_id:
        return None
    try:
        return corpus.find_entity(entity_id).name
    except StorylineError:  # an id the registry no longer knows, or no people analysis: show no name
        return None


def page_dict(page: Page[V]) -> dict[str, Any]:
    """The JSON envelope of one page of views."""
    return {"items": [v.to_dict() for v in page.items], "total": page.total, "offset": page.offset,
            "limit": page.limit}
