"""Hybrid search over a store: full-text (SQLite FTS5, BM25) and semantic (MiniLM) in one ranking.

- **Full text:** the user's words become a safe FTS5 expression (:func:`fts_expression`): every
  word is quoted, so FTS5 operators (``AND``, ``NEAR``, ``*``, ``^``, ``:``, brackets) are plain
  words; double-quoted phrases stay phrases; all terms must occur. The index folds case and
  accents (``unicode61 remove_diacritics 2``), so "Vucic" finds "Vučić".
- **Semantic:** the query's MiniLM vector against each article's mean sentence vector (the
  events stage's features, else the mean of the stored sentence vectors); the best candidates are
  re-ranked by their best single sentence, which is also the span a hit shows.
- **Cost** at 20,000 articles (BENCHMARKS.md, web-latency): FTS5 ranks at most 200 matches
  without a filter, the vector scan is one 20,000 x 384 product (~3 ms), and 24 candidates have
  their sentences read; query vectors are cached.
- **Fusion (hybrid):** the articles that contain the words are ranked by reciprocal rank fusion
  (Cormack et al. 2009, k = 60) of their BM25 and cosine ranks, and come first: a reader who typed
  "Vucic" wants the articles naming Vučić before those about something like it. An article found by
  meaning alone must reach MEANING_ONLY_FLOOR, is marked as such (``match``), and goes before a
  word match only when its best sentence is CLEARLY_CLOSER more similar to the query than that
  match's best sentence.
- **Highlights:** each hit carries the offsets of the query's words in its snippet (case and
  accents folded), for the pages to mark.

Vectors are loaded once per store and again only when the events stage or the article count changes.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Literal

import numpy as np

from storyline.errors import QueryError
from storyline.read.hits import Hit, SearchResults
from storyline.read.listing import Catalog, Filters, Page, paginate
from storyline.stages.entities.names import fold
from storyline.stages.events.stage import STAGE as EVENTS_STAGE
from storyline.stages.sentences.stage import SENTENCES
from storyline.stages.stored import load_event_features, load_sentences

Mode = Literal["hybrid", "text", "semantic"]
MODES: tuple[Mode, ...] = ("hybrid", "text", "semantic")
MAX_QUERY_CHARS = 500
MAX_TERMS = 32
RRF_K = 60  # the constant of reciprocal rank fusion (Cormack et al.'s value; ranks past ~60 weigh little)
# How many full-text matches are ranked: with a filter, before filtering (a filter can only keep
# fewer); without one, only as many as fusion can still weigh (1 / (60 + 200) is a quarter of
# the top rank's weight), which keeps BM25 over a frequent word from sorting thousands of rows.
TEXT_POOL_FILTERED = 1000
TEXT_POOL = 200
# Semantic candidates taken by mean vector, re-ranked by their best sentence (each costs a read of
# its sentence vectors: ~0.3 ms).
SEMANTIC_POOL = 24
# Query vectors kept (an analyst re-runs and pages through the same queries).
QUERY_CACHE = 256
# Below this cosine (query vs. best sentence) a semantic candidate is not a hit: unrelated news
# sentences score 0.05-0.2 against a MiniLM query, paraphrases 0.4 and up.
MIN_SIMILARITY = 0.3
# In hybrid mode, an article found by meaning alone (none of the words) needs this cosine of its
# best sentence to the query: the 0.3-0.45 band holds same-topic sentences that share no fact with
# the query (MiniLM gives a bare name such as "Vucic" 0.3-0.4 against unrelated sports or court
# reports), which a reader who typed words does not want among the word matches.
MEANING_ONLY_FLOOR = 0.45
# ...and goes before a word match only when its best sentence is this much more similar.
CLEARLY_CLOSER = 0.2
_WORD = re.compile(r"\w+")


def parse_query(query: str) -> list[str]:
    """The terms of a user query: double-quoted phrases and single words (QueryError if malformed)."""
    query = query.replace("\u201c", '"').replace("\u201d", '"')
    if not query.strip():
        raise QueryError("empty query: type one or more words, or a \"quoted phrase\"")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query of {len(query)} characters is too long: keep it under {MAX_QUERY_CHARS}")
    if query.count('"') % 2:
        raise QueryError('unbalanced quote in the query: close the "phrase" or remove the quote mark')
    terms: list[str] = []
    for n, piece in enumerate(query.split('"')):
        if n % 2:  # inside quotes: a phrase of its words
            words = _WORD.findall(piece)
            if words:
                terms.append(" ".join(words))
        else:
            terms.extend(_WORD.findall(piece))
    if not terms:
        raise QueryError(f"no words to search for in {query!r}: use letters or digits")
    if len(terms) > MAX_TERMS:
        raise QueryError(f"{len(terms)} terms is too many: use at most {MAX_TERMS}")
    return terms


def fts_expression(query: str) -> str:
    """A safe FTS5 expression for a user query: every term quoted (operators become words), all required."""
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in parse_query(query))


class Searcher:
    """Hybrid search over one catalog; caches the article vectors. Safe to share between threads."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.store = catalog.store
        self._lock = threading.Lock()
        self._vectors: tuple[tuple[int | None, int], list[str], np.ndarray] | None = None

    def search(self, query: str, filters: Filters | None = None, mode: Mode = "hybrid",
               offset: int = 0, limit: int = 20) -> Page[Hit]:
        """Articles matching ``query`` that pass ``filters``, best first, one page of them.

        ``mode`` chooses full text, semantic, or both fused. Raises QueryError on a malformed query.
        """
        if mode not in MODES:
            raise QueryError(f"unknown search mode {mode!r}: choose one of {', '.join(MODES)}")
        filters = filters or Filters()
        terms = parse_query(query)
        allowed = self.catalog.allowed(filters)
        rankings: list[list[str]] = []
        text_ranked: list[str] = []
        if mode in ("hybrid", "text"):
            text_ranked = self._text(fts_expression(query), allowed)
            rankings.append(text_ranked)
        query_vector: np.ndarray | None = None
        semantic_ranked: list[str] = []
        best: dict[str, tuple[int, int, float]] = {}
        if mode in ("hybrid", "semantic"):
            query_vector = _encode(query)
            semantic_ranked, best = self._semantic(query_vector, allowed)
            rankings.append(semantic_ranked)
        fused = _fuse(rankings)
        if mode == "hybrid":
            fused = self._words_first(fused, set(text_ranked), best, terms, query_vector)
        page = paginate(fused, offset, limit)
        text_at = {a: n for n, a in enumerate(text_ranked, 1)}
        semantic_at = {a: n for n, a in enumerate(semantic_ranked, 1)}
        missing = [a for a, _s in page.items if a not in best]
        if missing:
            best.update(self._best_sentences(missing, terms, query_vector))
        keys = [fold(t) for t in terms]
        hits = []
        for article_id, score in page.items:
            row = self.catalog.row(article_id)
            if row is None:
                continue
            start, end, similarity = best.get(article_id, (0, 0, 0.0))
            text = self.store.get_article(article_id).text
            snippet = text[start:end]
            hits.append(Hit(row, score, text_at.get(article_id), semantic_at.get(article_id), start, end,
                            snippet, None if query_vector is None else float(similarity),
                            highlights(snippet, keys, start)))
        return Page(hits, page.total, page.offset, page.limit)

    def _words_first(self, fused: list[tuple[str, float]], words: set[str], best: dict[str, tuple[int, int, float]],
                     terms: list[str], query: np.ndarray | None) -> list[tuple[str, float]]:
        """The hybrid order: word matches in fused order, then meaning-only hits above the floor, each
        moved before the word matches it is CLEARLY_CLOSER to the query than."""
        matched = [(a, s) for a, s in fused if a in words]
        meaning = [(a, s) for a, s in fused if a not in words and best.get(a, (0, 0, 0.0))[2] >= MEANING_ONLY_FLOOR]
        if not meaning or not matched or query is None:
            return matched + meaning
        # the word matches a meaning-only hit could pass: those within reach of the closest one
        reach = max(best[a][2] for a, _s in meaning) - CLEARLY_CLOSER
        head = [a for a, _s in matched[:SEMANTIC_POOL] if a not in best]
        if head:
            best.update(self._best_sentences(head, terms, query))
        out: list[tuple[str, float]] = []
        waiting = list(meaning)  # in fused order (their cosine order)
        for article_id, score in matched:
            similarity = best.get(article_id, (0, 0, 1.0))[2]
            while waiting and similarity <= reach and best[waiting[0][0]][2] >= similarity + CLEARLY_CLOSER:
                out.append(waiting.pop(0))
            out.append((article_id, score))
        return out + waiting

    def results(self, query: str, filters: Filters | None = None, mode: Mode = "hybrid", offset: int = 0,
                limit: int = 20) -> SearchResults:
        """:meth:`search` as the view every reader shows (the query and mode with the page of hits)."""
        return SearchResults(query, mode, self.search(query, filters, mode, offset, limit))

    # --- the two rankings -----------------------------------------------------------------------

    def _text(self, expression: str, allowed: set[str] | None) -> list[str]:
        found = self.store.search_text(expression, limit=TEXT_POOL if allowed is None else TEXT_POOL_FILTERED)
        return [a for a, _score in found if allowed is None or a in allowed]

    def _semantic(self, query: np.ndarray, allowed: set[str] | None) -> tuple[list[str], dict[str, tuple[int, int,
                                                                                                    float]]]:
        ids, matrix = self.vectors()
        if not ids:
            return [], {}
        scores = matrix @ query
        if allowed is not None:
            mask = np.fromiter((i in allowed for i in ids), dtype=bool, count=len(ids))
            scores = np.where(mask, scores, -2.0)
        take = min(SEMANTIC_POOL, len(ids))
        top = np.argpartition(-scores, take - 1)[:take]
        candidates = [ids[i] for i in top if scores[i] > -2.0]
        best = self._best_sentences(candidates, [], query)
        ranked = sorted((a for a in candidates if best.get(a, (0, 0, 0.0))[2] >= MIN_SIMILARITY),
                        key=lambda a: -best[a][2])
        return ranked, best

    def _best_sentences(self, ids: list[str], terms: list[str], query: np.ndarray | None,
                        ) -> dict[str, tuple[int, int, float]]:
        """For each article, the sentence most similar to the query (plus a bonus per query term it holds)."""
        keys = [fold(t) for t in terms]
        out: dict[str, tuple[int, int, float]] = {}
        sentences = load_sentences(self.store, ids)
        texts = {a.id: a.text for a in self.store.articles([i for i in ids if keys])} if keys else {}
        for article_id in ids:
            found = sentences.get(article_id)
            if found is None or not found.spans:
                continue
            sims = found.vectors @ query if query is not None else np.zeros(len(found.spans), np.float32)
            bonus = np.zeros(len(found.spans), np.float32)
            if keys and article_id in texts:
                text = texts[article_id]
                folded = _folded_text(text)
                pieces = ([folded[s:e] for s, e in found.spans] if folded is not None
                          else [fold(text[s:e]) for s, e in found.spans])
                bonus = np.array([sum(k in piece for k in keys) / len(keys) for piece in pieces], dtype=np.float32)
            pick = int(np.argmax(sims + bonus))
            start, end = found.spans[pick]
            out[article_id] = (start, end, float(sims[pick]))
        return out

    def warm(self) -> None:
        """Load the sentence encoder and run it once, so the first query does not pay for it (~2 s)."""
        from storyline import nlp

        nlp.encode(["storyline"])

    def vectors(self) -> tuple[list[str], np.ndarray]:
        """Article ids and their unit mean vectors (events features, else the mean sentence vector)."""
        key = (self.store.state_revision(EVENTS_STAGE.state_key or ""), self.store.count_articles())
        with self._lock:
            if self._vectors is None or self._vectors[0] != key:
                ids, rows = [], []
                for article_id, features in load_event_features(self.store).items():
                    ids.append(article_id)
                    rows.append(features.vector)
                seen = set(ids)
                missing = [a for a in self.store.processed(SENTENCES) if a not in seen]
                for article_id, found in load_sentences(self.store, missing).items():
                    if found.spans:
                        mean = found.vectors.mean(axis=0)
                        ids.append(article_id)
                        rows.append(mean / (np.linalg.norm(mean) or 1.0))
                matrix = np.stack(rows).astype(np.float32) if rows else np.zeros((0, 384), np.float32)
                self._vectors = (key, ids, matrix)
            return self._vectors[1], self._vectors[2]


def highlights(snippet: str, keys: list[str], offset: int) -> tuple[tuple[int, int], ...]:
    """Where the folded query terms ``keys`` occur in ``snippet`` as whole words: (start, end) offsets
    into the article (``offset`` is the snippet's start), in order, not overlapping."""
    if not keys or not snippet:
        return ()
    folded = _folded_text(snippet)
    if folded is None:
        return ()
    found: list[tuple[int, int]] = []
    for key in sorted(set(keys), key=len, reverse=True):
        for match in re.finditer(r"(?<!\w)" + re.escape(key) + r"(?!\w)", folded):
            span = (match.start(), match.end())
            if all(span[1] <= s or span[0] >= e for s, e in found):
                found.append(span)
    return tuple((offset + s, offset + e) for s, e in sorted(found))


def _length_keeping_table() -> dict[int, str]:
    """Latin letters with diacritics -> their base letter, and curly apostrophes -> straight, one
    character for one, so that offsets into the folded text are offsets into the original."""
    table: dict[int, str] = {0x2019: "'", 0x2018: "'", 0x0111: "d", 0x0110: "D", 0x0142: "l", 0x0141: "L"}
    for code in range(0xC0, 0x250):
        base = "".join(ch for ch in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(ch))
        if len(base) == 1 and base != chr(code):
            table[code] = base
    return table


_FOLD_TABLE = _length_keeping_table()


def _folded_text(text: str) -> str | None:
    """``text`` case- and accent-folded with every offset kept (None where lower-casing would move
    them): folding each candidate sentence with :func:`fold` took a third of a search's time."""
    folded = text.translate(_FOLD_TABLE).lower()
    return folded if len(folded) == len(text) else None


@lru_cache(maxsize=QUERY_CACHE)
def _encode(query: str) -> np.ndarray:
    from storyline import nlp

    vector: np.ndarray = nlp.encode([query])[0]
    vector.setflags(write=False)
    return vector


def _fuse(rankings: list[list[str]]) -> list[tuple[str, float]]:
    """Reciprocal rank fusion of several rankings: (id, score), best first (ties by first appearance)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, article_id in enumerate(ranking, 1):
            scores[article_id] = scores.get(article_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])
