"""Shared helpers of the event benchmarks: the ECB+ split as Articles, sentence vectors, B-cubed."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from storyline.ingest.normalise import normalise
from storyline.records import Article, RawItem
from storyline.stages.entities import ArticlePeople, analyse_people
from storyline.stages.sentences import ArticleSentences, embed_articles


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One ECB+ document as a stored Article, with its gold topic and subtopic (event)."""

    article: Article
    doc: str
    topic: int
    subtopic: str


def load_ecbplus(path: str | Path) -> list[GoldDoc]:
    """The ECB+ JSON lines as Articles made by the real normaliser, one sentence per paragraph.

    The texts carry no publication date (``published`` is None); dates written in them (URLs,
    datelines) are all the event stage gets, as it would for an undated page.
    """
    docs: list[GoldDoc] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = "\n\n".join(s for s in row["text"].split("\n") if s.strip())
        article = normalise(RawItem(path=row["doc"], text=text))
        docs.append(GoldDoc(article, row["doc"], int(row["topic"]), str(row["subtopic"])))
    return docs


def sentences_for(articles: Sequence[Article], cache: str | Path | None = None) -> dict[str, ArticleSentences]:
    """The sentence stage's output for ``articles``, read from ``cache`` (a folder) when present there."""
    folder = Path(cache) if cache else None
    found: dict[str, ArticleSentences] = {}
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
        for article in articles:
            blob = folder / f"{article.id}.sent"
            if blob.exists():
                found[article.id] = ArticleSentences.from_bytes(article.id, blob.read_bytes())
    missing = [a for a in articles if a.id not in found]
    for start in range(0, len(missing), 64):
        for sentences in embed_articles(missing[start : start + 64]):
            found[sentences.article] = sentences
            if folder:
                (folder / f"{sentences.article}.sent").write_bytes(sentences.to_bytes())
    return found


def people_for(articles: Sequence[Article], cache: str | Path | None = None) -> dict[str, ArticlePeople]:
    """The entities stage's per-article output (``analyse_people``), read from ``cache`` when present there."""
    folder = Path(cache) if cache else None
    found: dict[str, ArticlePeople] = {}
    for article in articles:
        blob = folder / f"{article.id}.people.json" if folder else None
        if blob is not None and blob.exists():
            found[article.id] = ArticlePeople.from_dict(json.loads(blob.read_text(encoding="utf-8")))
            continue
        found[article.id] = people = analyse_people(article)
        if blob is not None:
            folder.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
            blob.write_text(json.dumps(people.to_dict(), ensure_ascii=False), encoding="utf-8")
    return found


def bcubed(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold labels, over all items at once."""
    items = list(gold)
    pred_groups: dict[Hashable, set[str]] = defaultdict(set)
    gold_groups: dict[Hashable, set[str]] = defaultdict(set)
    for item in items:
        pred_groups[predicted[item]].add(item)
        gold_groups[gold[item]].add(item)
    precision = recall = 0.0
    for item in items:
        mine, truth = pred_groups[predicted[item]], gold_groups[gold[item]]
        overlap = len(mine & truth)
        precision += overlap / len(mine)
        recall += overlap / len(truth)
    precision, recall = precision / len(items), recall / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def cluster_sizes(labels: Mapping[str, Hashable]) -> Counter[int]:
    """How many clusters have each size."""
    return Counter(Counter(labels.values()).values())
