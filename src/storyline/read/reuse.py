"""A reuse link as lists show it (a :class:`Copy`: the link, its articles, how much is aligned) and two
articles side by side (a :class:`Comparison`), for ``storyline copies``/``compare``, the API and the pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storyline.export import reuse_record
from storyline.read.common import label
from storyline.records import Alignment, Article, ReuseLink
from storyline.stages.stored import load_sentences
from storyline.store.base import Store


@dataclass(frozen=True, slots=True)
class Copy:
    """One reuse link with the articles it joins and how much of the derived text is aligned."""

    link: ReuseLink
    source: Article
    derived: Article
    derived_sentences: int

    @property
    def aligned(self) -> int:
        """How many sentences of the derived article are aligned to the source."""
        return aligned_sentences(self.link.alignments)[1]

    def describe(self) -> str:
        """One line: ``<derived> <- <source> rewrite 0.91, 11/13 sentences aligned`` (articles by title)."""
        return (f"{label(self.derived)} <- {label(self.source)} {kind_words(self.link.kind, self.link.score)} "
                f"{self.link.score:.2f}, "
                f"{self.aligned}/{self.derived_sentences} sentences aligned")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the export record without its alignments (see the pair's own view), with
        ``aligned``, ``derived_sentences``, ``source_label`` and ``derived_label``."""
        record = reuse_record(self.link)
        record.pop("alignments")
        return {**record, "kind_label": kind_words(self.link.kind, self.link.score), "aligned": self.aligned,
                "derived_sentences": self.derived_sentences,
                "source_label": label(self.source), "derived_label": label(self.derived)}


def _side(article: Article) -> dict[str, Any]:
    return {"id": article.id, "label": label(article), "title": article.title, "source": article.source,
            "published": article.published}


# What each kind is called for a reader.
KIND_WORDS = {"duplicate": "duplicate", "near_duplicate": "near-duplicate", "partial": "partial copy",
              "rewrite": "rewrite"}
# A partial copy whose copied sentences make up at least this share of the derived article's prose
# is, for a reader, a copy of part of the source (a short item lifted whole), not a partial copy.
WHOLE_COPY_SHARE = 0.8


def kind_words(kind: str, score: float) -> str:
    """A link's kind as a reader says it, from the share of the derived article it covers: a "partial"
    link copying (nearly) all of the derived text is an "excerpt" (the derived article is part of the
    source, copied whole); the other kinds by name."""
    if kind == "partial" and score >= WHOLE_COPY_SHARE:
        return "excerpt"
    return KIND_WORDS.get(kind, kind)


def aligned_sentences(alignments: Sequence[Alignment]) -> tuple[int, int]:
    """How many distinct sentences of the source and of the derived article the alignments pair."""
    return (len({(a.source_start, a.source_end) for a in alignments}),
            len({(a.derived_start, a.derived_end) for a in alignments}))


def one_to_one(alignments: Sequence[Alignment]) -> tuple[Alignment, ...]:
    """The aligned pairs with each sentence on at most one row: where the aligner let one source
    sentence serve two consecutive derived sentences (a rewrite that split it), the two derived
    sentences become one span (from the first's start to the second's end), at the better similarity."""
    merged: list[Alignment] = []
    for al in alignments:
        last = merged[-1] if merged else None
        if last is not None and (last.source_start, last.source_end) == (al.source_start, al.source_end):
            merged[-1] = Alignment(last.source_start, last.source_end, last.derived_start, al.derived_end,
                                   max(last.similarity, al.similarity))
        else:
            merged.append(al)
    return tuple(merged)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two articles' aligned sentences; ``link`` is the stored link, or None when there is none.

    ``alignments`` are the aligner's pairs (a source sentence may serve two derived sentences);
    the view shows them one to one (:func:`one_to_one`) with the counts of sentences on each side."""

    source: Article
    derived: Article
    link: ReuseLink | None
    alignments: tuple[Alignment, ...]
    source_sentences: int = 0
    derived_sentences: int = 0

    def pairs(self) -> list[tuple[str, str, float]]:
        """(source text, derived text, similarity) for each row of the side-by-side view."""
        return [(self.source.text[a.source_start : a.source_end], self.derived.text[a.derived_start : a.derived_end],
                 a.similarity) for a in one_to_one(self.alignments)]

    def counts(self) -> dict[str, Any]:
        """How much of each article is aligned: sentences aligned of sentences, and the derived share."""
        source, derived = aligned_sentences(self.alignments)
        share = derived / self.derived_sentences if self.derived_sentences else 0.0
        return {"derived_aligned": derived, "derived_sentences": self.derived_sentences, "source_aligned": source,
                "source_sentences": self.source_sentences, "derived_share": round(min(share, 1.0), 4)}

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``source`` and ``derived`` (id, label, title, source, published), ``link`` (the
        export record, or None), ``kind`` in words, ``counts`` (:meth:`counts`), ``pairs`` (each side's
        offsets and text, and their similarity; each sentence on one row at most)."""
        return {
            "source": _side(self.source),
            "derived": _side(self.derived),
            "link": reuse_record(self.link) if self.link else None,
            "kind": kind_words(self.link.kind, self.link.score) if self.link else None,
            "counts": self.counts(),
            "pairs": [{"source_start": al.source_start, "source_end": al.source_end,
                       "source_text": self.source.text[al.source_start : al.source_end],
                       "derived_start": al.derived_start, "derived_end": al.derived_end,
                       "derived_text": self.derived.text[al.derived_start : al.derived_end],
                       "similarity": round(al.similarity, 4)} for al in one_to_one(self.alignments)],
        }


def copies_of(store: Store, links: Sequence[ReuseLink]) -> list[Copy]:
    """The list views of ``links``, in the order given."""
    ids = sorted({i for link in links for i in (link.source, link.derived)})
    articles = {a.id: a for a in store.articles(ids)}
    derived = sorted({link.derived for link in links})
    counts = {i: len(s.spans) for i, s in load_sentences(store, derived).items()}
    return [Copy(link, articles[link.source], articles[link.derived], counts.get(link.derived, 0)) for link in links]


def list_copies(store: Store, article: str | None = None) -> list[Copy]:
    """Every reuse link (or those involving ``article``), strongest first, with its articles."""
    return copies_of(store, store.reuse_links(article))


def compare(store: Store, first: str, second: str) -> Comparison:
    """The aligned sentences of two articles (ids, id prefixes or file-name prefixes): the stored link
    between them, else a fresh alignment.

    Without a stored link, ``second`` is taken as the source and the best order-preserving
    alignment is computed with the reuse stage's own aligner (it may be weak: no link was found).
    """
    a, b = store.get_article(store.resolve_article(first)), store.get_article(store.resolve_article(second))
    counts = {i: len(s.spans) for i, s in load_sentences(store, [a.id, b.id]).items()}
    for link in store.reuse_links(a.id):
        if {link.source, link.derived} == {a.id, b.id}:
            source, derived = (a, b) if link.source == a.id else (b, a)
            return Comparison(source, derived, link, link.alignments, counts.get(source.id, 0),
                              counts.get(derived.id, 0))
    return Comparison(b, a, None, _fresh_alignment(store, b, a), counts.get(b.id, 0), counts.get(a.id, 0))


def _fresh_alignment(store: Store, source: Article, derived: Article) -> tuple[Alignment, ...]:
    from storyline.stages.reuse import ReuseSettings, reuse_features
    from storyline.stages.reuse.classify import align_pair
    from storyline.stages.reuse.entry import IndexedArticle

    sentences = load_sentences(store, [source.id, derived.id])
    if source.id not in sentences or derived.id not in sentences:
        return ()
    src = IndexedArticle.build(0, source, sentences[source.id], reuse_features(source))
    der = IndexedArticle.build(1, derived, sentences[derived.id], reuse_features(derived))
    evidence = align_pair(src.view(), der.view(), ReuseSettings())
    return tuple(Alignment(src.spans[i][0], src.spans[i][1], der.spans[j][0], der.spans[j][1], round(s, 4))
                 for i, j, s in evidence.pairs)
