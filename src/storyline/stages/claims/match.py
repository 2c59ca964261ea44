"""Claim matching: which already fact-checked claims does a tweet, sentence or paragraph make?

A :class:`ClaimMatcher` indexes known claims (id, text, optional title or other extra text) and ranks
them for a query in two steps:

1. **Candidates** from two cheap views of the whole index: BM25 over stemmed terms (a tweet quoting
   "118th safest country" finds the claim by its rare words) and MiniLM cosine to the claim and to
   its title (a tweet saying "Minecraft is NOT stopping" finds "Minecraft is shutting down").
2. **Scores** for the candidates from a logistic model over seven pieces of evidence (see
   :data:`FEATURES`): the cosines, the best cosine of any one sentence or quotation of the query
   (tweets bury the claim among commentary), BM25 relative to the query's best match, how much
   of the claim's IDF-weighted wording the query has, and how much of the query's the claim has
   (relative to the claim that has the most). Weights were fitted on
   the CLEF 2020 CheckThat! task 2 train split as a pairwise ranking model and then calibrated
   (Platt) so a score is the estimated probability that the claim is the one the query makes:
   comparable across queries and fit for a threshold.

Claims whose text differs only by case, quote marks and punctuation (fact-checkers' archives hold
such copies) are indexed once, score the same, and are listed in the order they were added.

Growth: :meth:`ClaimMatcher.add` embeds only the new claims; the BM25 matrix is rebuilt from the
stored terms on the next query (O(total terms), a fraction of a second at 10,000 claims).

Stored vectors: a corpus's claims are embedded at analysis time (:func:`store_vectors`, called by the
claims stage after each chunk) and kept in the store's ``text_vectors`` table, keyed by the encoder
(:func:`encoder_model`) and a hash of the text, as float16. A reader builds its matcher with
:func:`lookup_encoder` over :func:`stored_vectors`, so a fresh server's first match costs a look-up,
not an embedding of every claim; a text with no stored vector is embedded then, rounded the same way.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from storyline.stages.claims.lexical import LexicalIndex, clean_query, fold, identity_key, terms

if TYPE_CHECKING:
    from storyline.stages.claims.records import Claim

Encoder = Callable[[list[str]], np.ndarray]

# Evidence per (query, claim) pair, in the order of WEIGHTS.
FEATURES: tuple[str, ...] = (
    "cos_claim",  # MiniLM cosine, whole query vs claim text
    "cos_title",  # MiniLM cosine, whole query vs title (the claim text when there is none)
    "piece_claim",  # best cosine of one sentence / quotation of the query vs claim text
    "piece_title",  # the same against the title
    "bm25_rel",  # BM25 (claim + title) divided by the best BM25 of the query over the index
    "coverage",  # share of the claim's IDF-weighted stemmed terms present in the query
    "query_share",  # IDF weight of the query's stemmed terms in the claim, over the best claim's
)
# Pairwise logistic model (relevant claim vs each other candidate of the same query) then Platt
# scaling, both fitted on the CLEF 2020 task 2 train split (800 tweets, 10,375 claims) by
# `python -m benchmarks.claims_clef DATA --fit`; score = sigmoid(WEIGHTS . features + INTERCEPT).
# 5-fold cross-validated MAP@5 over the candidates on train: 0.923 with these seven, 0.921 with the
# first six (mean of four fold shuffles: 0.926 against 0.922; query_share as a plain share of the
# query's weight, not relative to the best claim, gave 0.924). Leaving any other one out moves it by
# at most 0.004. Two rapidfuzz ratios (token_set, partial) added nothing to the first six (0.918
# with them) and cost 0.7 s per query over 10,000 claims; so did, on train, a cosine to "claim +
# title" as one text, BM25 of the title or the claim alone, BM25 and cosine ranks, products and
# squares of the features, expanding contractions in clean-up, and 20 or 50 candidates instead of
# 30; dropping the name of a tweet's signature cost 0.024 (it is often who the claim is about).

WEIGHTS: tuple[float, ...] = (12.584, 2.942, 3.615, 4.017, 1.937, 0.071, 3.405)
INTERCEPT = -17.477

# Candidates: the best CANDIDATES rows by BM25 and by cosine (union). On CLEF 2020 train the
# relevant claim is among them for 99% of tweets (benchmark section, "candidate recall").
CANDIDATES = 30

_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+|\s+[—–]\s+|\n+")
_QUOTATION = re.compile(r"[\"“]([^\"”]{15,})[\"”]")
_MIN_PIECE_WORDS = 3


@dataclass(frozen=True, slots=True)
class KnownClaim:
    """A claim to match against: stable id, the claim as one sentence, optional title or extra text."""

    id: str
    text: str
    title: str = ""


ClaimLike = KnownClaim | tuple[str, str] | tuple[str, str, str]

# Characters of a corpus claim's other wordings given to the matcher as its "title" evidence.
MATCH_TITLE = 600


def _as_claim(item: ClaimLike) -> KnownClaim:
    if isinstance(item, KnownClaim):
        return item
    return KnownClaim(*item)


def known_claim(claim: Claim) -> KnownClaim:
    """A corpus claim as the matcher knows it: its canonical text, and its other wordings as the title
    (distinct, in statement order, cut to :data:`MATCH_TITLE` characters)."""
    title = " / ".join(dict.fromkeys(s.wording for s in claim.statements))[:MATCH_TITLE]
    return KnownClaim(claim.id, claim.text, title)


def embedded_texts(claims: Iterable[ClaimLike]) -> list[str]:
    """The texts :meth:`ClaimMatcher.add` embeds for ``claims``: each one's folded text and, when it has
    one, its folded title (distinct, in order)."""
    texts: dict[str, None] = {}
    for item in claims:
        claim = _as_claim(item)
        texts[fold(claim.text)] = None
        if claim.title:
            texts[fold(claim.title)] = None
    return list(texts)


# --- vectors kept in a store ----------------------------------------------------------------------

# How stored vectors are kept: float16, as the store keeps sentence vectors (768 bytes for MiniLM).
VECTOR_DTYPE = np.float16


class VectorStore(Protocol):
    """What :func:`stored_vectors` and :func:`store_vectors` need of a store (a :class:`Store` has it)."""

    def put_text_vectors(self, model: str, items: Iterable[tuple[bytes, bytes]]) -> None: ...

    def text_vectors(self, model: str, keys: Sequence[bytes]) -> dict[bytes, bytes]: ...


def encoder_model() -> str:
    """The name the default encoder's vectors are stored under: the model and the precision it runs at
    (vectors of another precision are not reused)."""
    from storyline import nlp

    return f"all-MiniLM-L6-v2/{nlp.precision()}"


def text_key(text: str) -> bytes:
    """The store key of a text's vector: the first 16 bytes of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


def _stored_form(vectors: np.ndarray) -> np.ndarray:
    """``vectors`` as a reader gets them back from the store (float16, returned as float32)."""
    return np.asarray(vectors, dtype=VECTOR_DTYPE).astype(np.float32)


def stored_vectors(store: VectorStore, texts: Sequence[str], model: str | None = None) -> dict[str, np.ndarray]:
    """The vectors stored for ``texts`` under ``model`` (default: :func:`encoder_model`), by text
    (float32; texts without one are absent)."""
    model = model or encoder_model()
    keys = {text_key(t): t for t in texts}
    found = store.text_vectors(model, list(keys))
    return {keys[k]: np.frombuffer(v, dtype=VECTOR_DTYPE).astype(np.float32) for k, v in found.items()}


def store_vectors(store: VectorStore, texts: Sequence[str], encoder: Encoder | None = None,
                  model: str | None = None, batch_size: int = 256) -> int:
    """Embed the ``texts`` that have no vector stored under ``model`` yet and store them (texts already
    stored are neither embedded nor written again); returns how many were embedded."""
    model = model or encoder_model()
    wanted = list(dict.fromkeys(texts))
    keys = [text_key(t) for t in wanted]
    have = set(store.text_vectors(model, keys))
    missing = [(k, t) for k, t in zip(keys, wanted, strict=True) if k not in have]
    for start in range(0, len(missing), batch_size):
        part = missing[start : start + batch_size]
        vectors = np.asarray(_call(encoder, [t for _, t in part]), dtype=VECTOR_DTYPE)
        store.put_text_vectors(model, ((k, v.tobytes()) for (k, _), v in zip(part, vectors, strict=True)))
    return len(missing)


def lookup_encoder(found: Mapping[str, np.ndarray], encoder: Encoder | None = None) -> Encoder:
    """An encoder that answers from ``found`` (text -> vector, e.g. :func:`stored_vectors`) and embeds
    only the other texts, rounded as the store keeps vectors, so a matcher ranks alike whether a
    claim's vector was stored or not."""

    def encode(texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        fresh = dict(zip(missing, _stored_form(_call(encoder, missing)), strict=True)) if missing else {}
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[t] if t in found else fresh[t] for t in texts]).astype(np.float32)

    return encode


def _call(encoder: Encoder | None, texts: list[str]) -> np.ndarray:
    """``encoder(texts)``, or MiniLM (:func:`storyline.nlp.encode`, looked up at call time)."""
    if encoder is not None:
        return np.asarray(encoder(texts), dtype=np.float32)
    from storyline import nlp

    return nlp.encode(texts)


def query_pieces(cleaned: str) -> list[str]:
    """The sentences and quotations of a cleaned query worth comparing on their own."""
    pieces = [p for p in _SENTENCE_BREAK.split(cleaned) if len(p.split()) >= _MIN_PIECE_WORDS]
    pieces += [q for q in _QUOTATION.findall(cleaned) if q not in pieces]
    return [p for p in pieces if p != cleaned]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class _Query:
    """A query cleaned, split, tokenised and embedded."""

    cleaned: str
    terms: list[str]
    vector: np.ndarray  # (d,)
    pieces: np.ndarray  # (p, d), p >= 1 (the whole query when it has no separate pieces)


class ClaimMatcher:
    """Known claims indexed for ranking against free text; grows with :meth:`add`."""

    def __init__(self, encoder: Encoder | None = None) -> None:
        """An empty matcher; ``encoder`` maps texts to unit vectors (default: MiniLM via storyline.nlp)."""
        self._encoder = encoder
        self._claim_ids: list[str] = []
        self._known: set[str] = set()
        self._rows_of_claims: list[int] = []
        self._claims_of_rows: list[list[int]] = []
        self._row_of_key: dict[str, int] = {}
        self._row_text: list[str] = []
        self._lexical = LexicalIndex()
        self._vector_chunks: list[tuple[np.ndarray, np.ndarray]] = []
        self._claim_vecs = np.zeros((0, 0), dtype=np.float32)
        self._title_vecs = np.zeros((0, 0), dtype=np.float32)

    @classmethod
    def build(cls, claims: Iterable[ClaimLike], encoder: Encoder | None = None) -> ClaimMatcher:
        """A matcher holding ``claims`` (``KnownClaim`` or ``(id, text[, title])`` tuples)."""
        matcher = cls(encoder)
        matcher.add(claims)
        return matcher

    def __len__(self) -> int:
        return len(self._claim_ids)

    @property
    def distinct_texts(self) -> int:
        """How many distinct claim texts are indexed (copies counted once)."""
        return len(self._row_text)

    @property
    def claim_ids(self) -> list[str]:
        """The ids of the indexed claims, in the order they were added."""
        return list(self._claim_ids)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return _call(self._encoder, texts)

    def add(self, claims: Iterable[ClaimLike]) -> int:
        """Index more claims; returns how many were added. Only new distinct texts are embedded.

        Raises ``ValueError`` for an id already indexed (ids are stable references).
        """
        new_rows: list[tuple[str, str]] = []
        added = 0
        for item in claims:
            claim = _as_claim(item)
            if claim.id in self._known:
                raise ValueError(f"claim id {claim.id!r} is already indexed")
            text, title = fold(claim.text), fold(claim.title)
            key = identity_key(f"{text} {title}")
            row = self._row_of_key.get(key)
            if row is None:
                row = len(self._row_text) + len(new_rows)
                self._row_of_key[key] = row
                new_rows.append((text, title))
                self._claims_of_rows.append([])
            self._known.add(claim.id)
            self._claims_of_rows[row].append(len(self._claim_ids))
            self._rows_of_claims.append(row)
            self._claim_ids.append(claim.id)
            added += 1
        if new_rows:
            texts = [t for t, _ in new_rows]
            titled = [(k, t) for k, (_, t) in enumerate(new_rows) if t]
            vectors = self._encode(texts + [t for _, t in titled])
            claim_vecs = vectors[: len(texts)]
            title_vecs = claim_vecs.copy()  # a claim without a title is its own title
            for j, (k, _) in enumerate(titled):
                title_vecs[k] = vectors[len(texts) + j]
            self._vector_chunks.append((claim_vecs, title_vecs))
            self._row_text.extend(texts)
            self._lexical.add([f"{t} {ti}" for t, ti in new_rows])
        return added

    def _vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Claim and title vectors of every row (chunks from ``add`` joined on first use)."""
        if self._vector_chunks:
            parts = [(self._claim_vecs, self._title_vecs)] if len(self._claim_vecs) else []
            parts += self._vector_chunks
            self._claim_vecs = np.concatenate([c for c, _ in parts])
            self._title_vecs = np.concatenate([t for _, t in parts])
            self._vector_chunks = []
        return self._claim_vecs, self._title_vecs

    def _prepare(self, queries: Sequence[str], batch_size: int) -> list[_Query | None]:
        """Clean, split and embed ``queries`` (all texts of a batch in one encoder call)."""
        prepared: list[_Query | None] = []
        for start in range(0, len(queries), batch_size):
            batch = [clean_query(fold(q)) for q in queries[start:start + batch_size]]
            pieces = [query_pieces(c) if identity_key(c) else [] for c in batch]
            texts = [c for c in batch if identity_key(c)] + [p for ps in pieces for p in ps]
            vectors = self._encode(texts) if texts else np.zeros((0, 0), dtype=np.float32)
            whole, offset = 0, sum(1 for c in batch if identity_key(c))
            for cleaned, own in zip(batch, pieces, strict=True):
                if not identity_key(cleaned):
                    prepared.append(None)
                    continue
                vector = vectors[whole]
                whole += 1
                piece_vecs = vectors[offset:offset + len(own)] if own else vector[None, :]
                offset += len(own)
                prepared.append(_Query(cleaned, terms(cleaned), vector, piece_vecs))
        return prepared

    def _candidates(self, bm25: np.ndarray, cosine: np.ndarray, k: int) -> np.ndarray:
        """Rows worth scoring: the best ``max(k, CANDIDATES)`` by BM25 and by cosine, or all rows."""
        n = len(bm25)
        depth = max(k, CANDIDATES)
        if depth >= n:
            return np.arange(n)
        best_lexical = np.argpartition(-bm25, depth - 1)[:depth]
        best_semantic = np.argpartition(-cosine, depth - 1)[:depth]
        return np.union1d(best_lexical, best_semantic)

    def _features(self, query: _Query, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Candidate rows for ``query`` and their evidence (one row of :data:`FEATURES` each)."""
        claim_vecs, title_vecs = self._vectors()
        cos_claim = claim_vecs @ query.vector
        cos_title = title_vecs @ query.vector
        bm25 = self._lexical.bm25(query.terms)
        rows = self._candidates(bm25, np.maximum(cos_claim, cos_title), k)
        best_bm25 = float(bm25.max()) if len(bm25) else 0.0
        matched = self._lexical.matched_weight(query.terms)
        best_matched = float(matched.max()) if len(matched) else 0.0
        evidence = np.column_stack([
            cos_claim[rows],
            cos_title[rows],
            (query.pieces @ claim_vecs[rows].T).max(axis=0),
            (query.pieces @ title_vecs[rows].T).max(axis=0),
            bm25[rows] / best_bm25 if best_bm25 > 0 else np.zeros(len(rows)),
            self._lexical.coverage(query.terms)[rows],
            matched[rows] / best_matched if best_matched > 0 else np.zeros(len(rows)),
        ]).astype(np.float64)
        return rows, evidence

    def query_features(self, queries: Sequence[str], k: int = 10, batch_size: int = 64) -> list[
        tuple[np.ndarray, list[list[str]], np.ndarray] | None
    ]:
        """For each query: candidate rows, the claim ids of each row, and the evidence matrix.

        What the weights are fitted on (``benchmarks/claims_clef.py --fit``); ``None`` for an empty query.
        """
        out: list[tuple[np.ndarray, list[list[str]], np.ndarray] | None] = []
        for query in self._prepare(queries, batch_size):
            if query is None or not self._claim_ids:
                out.append(None)
                continue
            rows, evidence = self._features(query, k)
            ids = [[self._claim_ids[c] for c in self._claims_of_rows[int(r)]] for r in rows]
            out.append((rows, ids, evidence))
        return out

    def rank_many(self, queries: Sequence[str], k: int = 10, batch_size: int = 64) -> list[list[tuple[str, float]]]:
        """The ``k`` best claims for each query as ``(claim_id, score)``, best first.

        Scores are calibrated probabilities in [0, 1]; ties (copies of one claim) keep the order the
        claims were added in. An empty query (or one that is only links and emoji) gets ``[]``.
        """
        if k <= 0:
            return [[] for _ in queries]
        weights = np.asarray(WEIGHTS, dtype=np.float64)
        results: list[list[tuple[str, float]]] = []
        for item in self.query_features(queries, k, batch_size):
            if item is None:
                results.append([])
                continue
            rows, _ids, evidence = item
            scores = _sigmoid(evidence @ weights + INTERCEPT)
            order = np.lexsort((rows, -scores))  # by score, then by the row's first insertion
            ranked: list[tuple[str, float]] = []
            for j in order:
                for claim in self._claims_of_rows[int(rows[j])]:
                    ranked.append((self._claim_ids[claim], float(scores[j])))
                if len(ranked) >= k:
                    break
            results.append(ranked[:k])
        return results

    def rank(self, query: str, k: int = 10) -> list[tuple[str, float]]:
        """The ``k`` best claims for ``query`` as ``(claim_id, score)``, best first (see rank_many)."""
        return self.rank_many([query], k)[0]


def describe_weights() -> str:
    """The fitted model as one line, e.g. for the benchmark report."""
    terms_ = " + ".join(f"{w:.2f}·{name}" for name, w in zip(FEATURES, WEIGHTS, strict=True))
    return f"sigmoid({terms_} {'-' if INTERCEPT < 0 else '+'} {abs(INTERCEPT):.2f})"


assert len(WEIGHTS) == len(FEATURES), "one weight per feature"
assert math.isfinite(INTERCEPT)
