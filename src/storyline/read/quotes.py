"""A quote as every list shows it: the export record plus its parts, its speaker's current name,
and its article's label and date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyline.read.common import article_info, entity_name
from storyline.stages.quotes import Quote, quote_to_export

if TYPE_CHECKING:
    from storyline.read.corpus import Corpus


@dataclass(frozen=True, slots=True)
class QuoteItem:
    """A quote with its speaker entity's name (None when unlinked) and its article's label and date."""

    quote: Quote
    speaker_entity: str | None
    article_label: str
    date: str | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the export record, ``parts`` as pairs, ``speaker_entity``, ``article_label``, ``date``."""
        q = self.quote
        return {**quote_to_export(q), "parts": [list(p) for p in q.parts], "speaker_entity": self.speaker_entity,
                "article_label": self.article_label, "date": self.date}


def quote_items(corpus: Corpus, quotes: Sequence[Quote]) -> list[QuoteItem]:
    """The list views of ``quotes``, in the order given."""
    info = article_info(corpus.store, (q.article for q in quotes))
    names: dict[str, str | None] = {}
    out = []
    for q in quotes:
        if q.speaker and q.speaker not in names:
            names[q.speaker] = entity_name(corpus, q.speaker)
        label, date = info.get(q.article, (q.article, None))
        out.append(QuoteItem(q, names.get(q.speaker) if q.speaker else None, label, date))
    return out
