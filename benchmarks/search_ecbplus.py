"""Semantic search on ECB+ dev: does a report's headline find the other reports of its event?

Run from the project root::

    python -m benchmarks.search_ecbplus ../shared/eval/clustering-ecbplus-dev.jsonl [--cache DIR] [--no-write]

Every document of the split (the real normaliser, as ``benchmarks.events_data`` reads them) is
stored in a real store with its sentence stage output, and the real
:class:`~storyline.read.search.Searcher` ranks them in ``semantic`` mode: the query's MiniLM vector
against each article's mean sentence vector, the best candidates re-ranked by their best sentence.

One query per document: its headline-like line, the first line of at least
``QUERY_MIN_WORDS`` words that is not a URL or a date line ("Published April 11, 2007"), cut to
its first ``QUERY_MAX_WORDS`` words (a search query, not a paragraph). Relevant: the other
documents of the same subtopic (the same real-world event; every ECB+ topic holds two events of
one kind). The query's own document is taken out of its ranking. Measures over all queries: MRR
of the first relevant document, recall@10 (relevant documents in the top 10 over
min(10, relevant documents)), and the share of queries whose top hit reports the same event.
``--cache DIR`` keeps the sentence vectors between runs (``benchmarks.events_data.sentences_for``).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmarks.events_data import GoldDoc, load_ecbplus, sentences_for
from benchmarks.report import publish, table
from storyline.read.corpus import Corpus
from storyline.read.listing import Catalog
from storyline.read.search import SEMANTIC_POOL, Searcher
from storyline.stages.sentences import ArticleSentences
from storyline.stages.sentences.stage import SENTENCES
from storyline.store import open_store

QUERY_MIN_WORDS = 5
QUERY_MAX_WORDS = 24  # the search refuses more than 32 terms
DEPTH = 10
_QUOTE_MARKS = str.maketrans({'"': " ", "\u201c": " ", "\u201d": " "})
_NOT_A_HEADLINE = re.compile(r"https?\s*:|www\s*\.|^(published|last updated|updated|posted|by)\b", re.I)


def query_of(doc: GoldDoc) -> str | None:
    """The headline-like line of ``doc`` as a search query (None when it has none)."""
    for line in doc.article.text.split("\n"):
        words = line.translate(_QUOTE_MARKS).split()  # an odd quote mark would make a phrase
        letters = sum(w.isalpha() for w in words)
        if len(words) >= QUERY_MIN_WORDS and letters >= QUERY_MIN_WORDS and not _NOT_A_HEADLINE.search(line.strip()):
            return " ".join(words[:QUERY_MAX_WORDS])
    return None


def evaluate(docs: Sequence[GoldDoc], sentences: dict[str, ArticleSentences]) -> dict[str, float]:
    """MRR, recall@10 and top-hit accuracy of semantic search over ``docs`` with these sentence vectors."""
    with tempfile.TemporaryDirectory(prefix="search-ecbplus-") as folder:
        store = open_store(str(Path(folder) / "search.db"))
        try:
            store.add_articles([d.article for d in docs])
            store.put_features(SENTENCES, ((d.article.id, sentences[d.article.id].to_bytes()) for d in docs))
            store.mark_done(SENTENCES, [d.article.id for d in docs])
            searcher = Searcher(Catalog(Corpus(store)))
            event = {d.article.id: d.subtopic for d in docs}
            reciprocal, recall, top, queries = [], [], [], 0
            started = time.perf_counter()
            for doc in docs:
                query = query_of(doc)
                relevant = {d.article.id for d in docs if d.subtopic == doc.subtopic} - {doc.article.id}
                if query is None or not relevant:
                    continue
                queries += 1
                page = searcher.search(query, mode="semantic", limit=SEMANTIC_POOL)
                ranked = [h.article.id for h in page.items if h.article.id != doc.article.id]
                first = next((rank for rank, a in enumerate(ranked, 1) if a in relevant), None)
                reciprocal.append(1.0 / first if first else 0.0)
                recall.append(len(relevant & set(ranked[:DEPTH])) / min(DEPTH, len(relevant)))
                top.append(bool(ranked) and event[ranked[0]] == doc.subtopic)
            seconds = time.perf_counter() - started
        finally:
            store.close()
    return {"queries": float(queries), "MRR": float(np.mean(reciprocal)), f"recall@{DEPTH}": float(np.mean(recall)),
            "top hit same event": float(np.mean(top)), "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    """Command line entry: measure and write the ``search-ecbplus`` section."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("path", help="clustering-ecbplus-dev.jsonl")
    parser.add_argument("--cache", help="folder for the sentence vectors (kept between runs)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    docs = load_ecbplus(args.path)
    sentences = sentences_for([d.article for d in docs], args.cache)
    found = evaluate(docs, sentences)
    examples: list[list[object]] = [[d.doc, query_of(d) or "-"] for d in docs[::60]]
    body = "\n\n".join([
        "### Semantic search on ECB+ dev (a report's headline finds the other reports of its event)",
        f"{len(docs)} documents in a real store (sentence stage only), `Searcher.search(mode=\"semantic\")`; "
        f"{found['queries']:.0f} queries, one per document with a headline-like line, its own document "
        f"taken out of the ranking; relevant: the other documents of its subtopic. "
        f"{found['seconds'] / max(found['queries'], 1) * 1000:.0f} ms per query.",
        table(["measure", "value"], [["MRR", found["MRR"]], [f"recall@{DEPTH}", found[f"recall@{DEPTH}"]],
                                     ["top hit reports the same event", found["top hit same event"]]]),
        "Some queries:\n\n" + table(["document", "query"], examples),
    ])
    publish("search-ecbplus", body, f"python -m benchmarks.search_ecbplus {args.path}", dry_run=args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
