"""A synthetic news corpus with injected reuse, built from real sentences, for the reuse benchmark.

Originals are random sets of real sentences (from PolNeAR and ECB+ articles, read at run time from
``/work/shared/eval``; nothing is copied into the project), no two of which share a pair of
sentences, so originals are unrelated by construction although each real sentence recurs. Derived articles are
injected with known kinds, each from one earlier original:

- ``duplicate``: the same text.
- ``near_duplicate``: light edits: one word dropped in each of two sentences, one sentence cut.
- ``partial``: a block of 3-5 consecutive source sentences inside sentences of another article.
- ``rewrite``: every source sentence reworded in order (function words dropped, common words
  swapped for synonyms, clauses around the first comma swapped), the last sentence dropped and a
  generic filler sentence added. Cruder than a language model's rewrite (MiniLM similarity
  0.7-0.95 where 001/004 has 0.55-0.85), but lexically as far apart (5-gram Jaccard ~0.05).

Sentence texts are kept with the corpus, so each distinct sentence is embedded once.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from storyline.records import Article
from storyline.stages.reuse.settings import COPY_RATIO
from storyline.stages.reuse.text import fold, is_prose
from storyline.stages.sentences import sentence_spans

EVAL = Path("/work/shared/eval")
MIN_SENTENCE_CHARS = 40  # shorter pool sentences are headlines, datelines and fragments
MAX_SENTENCE_CHARS = 300  # longer ones are lists or run-on paragraphs
ORIGINAL_SENTENCES = (6, 20)  # sentences per original article (uniform)
PARTIAL_BLOCK = (3, 5)  # consecutive source sentences a partial copy takes
PARTIAL_HOST = (4, 10)  # sentences of unrelated text around them
MAX_TRIES = 20  # draws per wanted sentence before a set is left shorter
DROP_SHARE = 0.25  # share of droppable words a rewrite drops
SYNONYMS = {
    "said": "stated", "says": "states", "also": "additionally", "but": "however", "big": "large",
    "many": "numerous", "help": "assist", "show": "demonstrate", "shows": "demonstrates", "use": "employ",
    "get": "obtain", "start": "begin", "started": "began", "buy": "purchase", "need": "require",
    "people": "individuals", "told": "informed", "try": "attempt", "about": "regarding", "before": "prior to",
    "after": "following", "because": "since", "while": "whereas", "often": "frequently", "very": "highly",
    "government": "administration", "announced": "revealed", "week": "seven days", "year": "twelve months",
    "won": "secured", "wins": "secures", "called": "described", "plan": "proposal", "law": "legislation",
    "campaign": "bid", "vote": "ballot", "voters": "the electorate", "leader": "head",
    "has": "had", "is": "remains", "was": "had been", "will": "is set to", "would": "could",
}
LOWER_STARTS = frozenset("in on at for with from by as when after before while if since".split())
MAX_REWORD_RATIO = 80  # reword drops more words while its RapidFuzz ratio to the original is above this
DROPPABLE = frozenset("the a an that very really just also still even then so which".split())
FILLER = [
    "The development underscores the complex dynamics at play.",
    "Observers say the situation remains fluid and could evolve in the coming days.",
    "The move is likely to draw further attention in the weeks ahead.",
    "Analysts note that the broader implications remain to be seen.",
]


@dataclass
class Corpus:
    """Articles, their sentence texts, and the injected reuse pairs (source, derived, kind)."""

    articles: list[Article] = field(default_factory=list)
    sentences: list[list[str]] = field(default_factory=list)
    injected: list[tuple[str, str, str]] = field(default_factory=list)
    documents_read: int = 0


def read_documents(limit_sentences: int, seed: int) -> list[list[str]]:
    """Real articles as lists of prose sentences, from PolNeAR (train, dev) and ECB+ dev."""
    texts = [p.read_text(encoding="utf-8") for split in ("train", "dev")
             for p in sorted((EVAL / "quotes-polnear" / split / "text").glob("*.txt"))]
    ecb = EVAL / "clustering-ecbplus-dev.jsonl"
    if ecb.exists():
        texts += [json.loads(line)["text"] for line in ecb.read_text(encoding="utf-8").splitlines() if line.strip()]
    random.Random(seed).shuffle(texts)
    documents: list[list[str]] = []
    seen: set[str] = set()
    total = 0
    for text in texts:
        sentences = [s for s in (text[a:b] for a, b in sentence_spans(text)) if _usable(s) and s not in seen]
        if len(sentences) >= ORIGINAL_SENTENCES[0]:
            seen.update(sentences)
            documents.append(sentences)
            total += len(sentences)
        if total >= limit_sentences:
            break
    return documents


def _usable(sentence: str) -> bool:
    return MIN_SENTENCE_CHARS <= len(sentence) <= MAX_SENTENCE_CHARS and is_prose(sentence) and "\n" not in sentence


def reword(sentence: str, rng: random.Random) -> str:
    """A crude order-preserving paraphrase: clauses swapped, synonyms, function words dropped, and
    more lower-case words dropped while it stays lexically too close to the original."""
    original = sentence
    head, comma, tail = sentence.partition(", ")
    if comma and len(tail.split()) >= 4 and len(head.split()) >= 3:
        first, _, rest = head.partition(" ")
        first = first.lower() if first.lower() in DROPPABLE | LOWER_STARTS else first
        sentence = tail.rstrip(".!?") + ", " + first + " " + rest + "."
        sentence = sentence[0].upper() + sentence[1:]
    words = []
    for k, word in enumerate(sentence.split()):
        bare = word.lower().strip(",.;:")
        if k and bare in DROPPABLE and rng.random() < DROP_SHARE * 3:
            continue
        if bare in SYNONYMS and word.islower():
            word = word.replace(bare, SYNONYMS[bare])
        words.append(word)
    for _ in range(3):
        if fuzz.ratio(original, " ".join(words)) <= MAX_REWORD_RATIO:
            break
        words = [w for k, w in enumerate(words) if not (k and w.islower() and rng.random() < DROP_SHARE)]
    return " ".join(words).rstrip(",;:") + ("" if words[-1][-1:] in ".!?" else ".")


def light_edit(sentence: str, rng: random.Random) -> str:
    """The sentence with one lower-case word (not the first or last) dropped."""
    words = sentence.split()
    inner = [k for k in range(1, len(words) - 1) if words[k].islower()]
    if not inner:
        return sentence
    del words[rng.choice(inner)]
    return " ".join(words)


def _join(sentences: list[str]) -> str:
    """Sentences as paragraphs of three."""
    return "\n\n".join(" ".join(sentences[k : k + 3]) for k in range(0, len(sentences), 3))


def _derive(kind: str, source: list[str], other: list[str], rng: random.Random) -> list[str]:
    """The sentences of an article derived from ``source`` (``other`` supplies unrelated text)."""
    if kind == "duplicate":
        return list(source)
    if kind == "near_duplicate":
        edited = list(source[:-1]) if len(source) > 8 else list(source)
        for k in rng.sample(range(len(edited)), 2):
            edited[k] = light_edit(edited[k], rng)
        return edited
    if kind == "partial":
        size = min(rng.randint(*PARTIAL_BLOCK), len(source))
        start = rng.randrange(len(source) - size + 1)
        host = other[: rng.randint(*PARTIAL_HOST)]
        cut = rng.randint(1, max(1, len(host) - 1))
        return host[:cut] + source[start : start + size] + host[cut:]
    pairs = ((reword(s, rng), s) for s in source[:-1])
    reworded = [r for r, s in pairs if fuzz.ratio(fold(r), fold(s)) < COPY_RATIO]  # a rewrite copies nothing
    reworded.insert(rng.randint(1, len(reworded)), rng.choice(FILLER))
    return reworded


class _Bags:
    """Random sets of pool sentences in which no two sentences ever appear together twice.

    With a pool of P sentences reused across many articles, random sets would often share two or
    more sentences, which is a (coincidental) partial copy; keeping every sentence pair unique makes
    the originals unrelated by construction while each pool sentence still recurs.
    """

    def __init__(self, pool: list[str], rng: random.Random) -> None:
        self.pool, self.rng = pool, rng
        self.used: set[int] = set()

    def draw(self, size: int) -> list[str]:
        chosen: list[int] = []
        for _ in range(size * MAX_TRIES):
            if len(chosen) == size:
                break
            k = self.rng.randrange(len(self.pool))
            if k not in chosen and all(self._pair(k, c) not in self.used for c in chosen):
                chosen.append(k)
        self.used.update(self._pair(a, b) for n, a in enumerate(chosen) for b in chosen[:n])
        return [self.pool[k] for k in chosen]

    def _pair(self, a: int, b: int) -> int:
        return min(a, b) * len(self.pool) + max(a, b)


def build_corpus(n: int, shares: dict[str, float], limit_sentences: int, seed: int = 7) -> Corpus:
    """``n`` articles: originals (random sets of real sentences) and derived ones with injected reuse."""
    rng = random.Random(seed)
    documents = read_documents(limit_sentences, seed)
    bags = _Bags([s for doc in documents for s in doc], rng)
    corpus = Corpus(documents_read=len(documents))
    originals: list[int] = []
    plan = [kind for kind, share in shares.items() for _ in range(round(n * share))]
    plan = ["original"] * (n // 4) + rng.sample(plan + ["original"] * (n - n // 4 - len(plan)), n - n // 4)
    for number, kind in enumerate(plan):
        source = None
        if kind == "original":
            sentences = bags.draw(rng.randint(*ORIGINAL_SENTENCES))
            originals.append(number)
        else:
            source = rng.choice(originals)
            sentences = _derive(kind, corpus.sentences[source], bags.draw(PARTIAL_HOST[1]), rng)
        day = 1 + number * 365 // max(1, n)
        published = None if source is not None and rng.random() < 0.25 else _date(day)
        article = Article(id=f"syn{number:06d}", path=f"synthetic#{number}", text=_join(sentences),
                          published=published, date_basis="synthetic" if published else None)
        corpus.articles.append(article)
        corpus.sentences.append(sentences)
        if source is not None:
            corpus.injected.append((corpus.articles[source].id, article.id, kind))
    return corpus


def _date(day: int) -> str:
    """Day ``day`` (1-366) of 2024 as YYYY-MM-DD."""
    months = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    month = 0
    while day > months[month]:
        day -= months[month]
        month += 1
    return f"2024-{month + 1:02d}-{day:02d}"


def spans_of(article: Article, sentences: list[str]) -> list[tuple[int, int]]:
    """Character spans of ``sentences`` in the article text (they appear in order)."""
    spans = []
    position = 0
    for sentence in sentences:
        start = article.text.index(sentence, position)
        spans.append((start, start + len(sentence)))
        position = start + len(sentence)
    return spans

