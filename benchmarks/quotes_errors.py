"""Error analysis of direct quotes on a PolNeAR split (train for tuning): missed gold direct quotes
and false direct predictions, by category.

Run from the project root::

    python -m benchmarks.quotes_errors /work/shared/eval/quotes-polnear [--split train] [--cache DIR]
        [--examples N] [--category NAME]

Scores predicted direct quotes against gold direct quotes as ``benchmarks.quotes_polnear`` does
(loose, > 0.3 of the gold content covered, one-to-one) on ``analyse_doc`` alone (no corpus
registry: the spans and kinds do not depend on it), then sorts every miss and every false
prediction into one category (the first that applies, in the order listed in ``_missed`` and
``_false``) and prints the counts, with up to N examples of each. Tune on train only.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from benchmarks.quotes_calibrate import parsed
from benchmarks.quotes_gold import GoldQuote, GoldText, load_split
from benchmarks.quotes_scoring import LOOSE, Counts, coverage, match
from storyline.records import Article
from storyline.stages.quotes.marks import QuoteRegion, quote_regions

# The other side of a kind disagreement (the prediction for a missed gold quote, the gold content for
# a false prediction), by id of the quote, for the examples.
_PAIRED: dict[int, str] = {}
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s*$")


@dataclass
class Pred:
    """A predicted quote with how it was found (the path feature of its confidence)."""

    start: int
    end: int
    kind: str
    path: str
    words: int
    cue: str | None


def _predictions(text: GoldText, doc: object) -> list[Pred]:
    from storyline.stages.entities.analyse import analyse_doc
    from storyline.stages.quotes.scoring import QuoteFeatures

    feats: list[QuoteFeatures] = []
    people = analyse_doc(Article(id=text.name, path="", text=text.text, published=text.date), doc, feats)  # type: ignore[arg-type]
    out = []
    for q, f in zip(people.quotes, feats, strict=True):
        path = next((k.split("=", 1)[1] for k, v in f.quote.items() if k.startswith("path=") and v), "?")
        words = sum(len(text.text[s:e].split()) for s, e in q.parts)
        out.append(Pred(q.start, q.end, q.kind, path, words, q.cue))
    return out


def _line_of(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end


def _headline(text: str, pos: int) -> bool:
    """In the first line, or in a line without a sentence end (a heading)."""
    start, end = _line_of(text, pos)
    return start == 0 or not _SENTENCE_END.search(text[start:end])


def _region_at(regions: list[QuoteRegion], s: int, e: int) -> QuoteRegion | None:
    best = None
    for r in regions:
        inter = min(r.inner_end, e) - max(r.inner_start, s)
        if inter > 0 and (best is None or inter > min(best.inner_end, e) - max(best.inner_start, s)):
            best = r
    return best


def _missed(text: GoldText, g: GoldQuote, preds: list[Pred], direct_pairs: dict[int, int], regions: list[QuoteRegion],
            gold_direct: list[GoldQuote]) -> str:
    """The category of a missed gold direct quote."""
    t = text.text
    first = g.fragments[0][0]
    covers = [(coverage([(p.start, p.end)], g.fragments), i) for i, p in enumerate(preds)]
    over = [(c, i) for c, i in covers if c > LOOSE]
    paragraphs = t[g.fragments[0][0] : g.fragments[-1][1]].count("\n")
    if over:
        c, i = max(over)
        p = preds[i]
        _PAIRED[id(g)] = f"cue={p.cue!r} {text.text[p.start : p.end]}"
        if p.kind == "direct":
            spanned = sum(1 for q in gold_direct if coverage([(p.start, p.end)], q.fragments) > 0)
            return f"taken by another gold quote (pred spans {spanned} gold direct)"
        return f"predicted as {p.kind} ({'short' if p.words < 4 else 'long'}, path={p.path})"
    some = [(c, i) for c, i in covers if c > 0]
    if some:
        c, i = max(some)
        p = preds[i]
        if paragraphs:
            return "boundary: gold runs over paragraphs, pred covers too little"
        if len(g.fragments) > 1:
            return "boundary: gold in fragments, pred covers too little"
        return f"boundary: pred covers {c:.2f} ({p.kind}, path={p.path})"
    if _headline(t, first):
        return "no pred: in a headline / heading line"
    if _region_at(regions, *g.fragments[0]) is None:
        return "no pred: not inside a detected quotation region"
    if not g.cue_spans:
        return "no pred: gold has no cue"
    if not any(ch.isalpha() for ch in g.cue):
        return "no pred: gold cue is punctuation (colon/dash)"
    cue_at = g.cue_spans[0][0]
    if _line_of(t, cue_at) != _line_of(t, first):
        return "no pred: cue in another paragraph"
    return f"no pred: cue in same paragraph ({g.cue.lower()[:20]})"


def _false(text: GoldText, p: Pred, golds: list[GoldQuote], all_pairs: dict[int, int], index: int,
           matched_direct: set[int], gold_direct: list[GoldQuote]) -> str:
    """The category of a false direct prediction."""
    t = text.text
    span = [(p.start, p.end)]
    if index in all_pairs:
        g = golds[all_pairs[index]]
        _PAIRED[id(p)] = " | ".join(t[s:e] for s, e in g.fragments)
        return f"matches a gold {g.kind} attribution ({'short' if p.words < 4 else 'long'}, path={p.path})"
    touched = [j for j, g in enumerate(gold_direct) if coverage(span, g.fragments) > 0]
    if touched:
        _PAIRED[id(p)] = " | ".join(t[s:e] for s, e in gold_direct[touched[0]].fragments)
        if any(j in matched_direct for j in touched):
            return f"split: gold direct already matched by another pred (path={p.path})"
        return f"boundary: covers too little of a gold direct (path={p.path})"
    other = [g for g in golds if coverage(span, g.fragments) > 0]
    if other:
        return f"overlaps a gold {other[0].kind} without matching (path={p.path})"
    if _headline(t, p.start):
        return f"no gold: in a headline / heading line (path={p.path})"
    if p.words < 4:
        return f"no gold: short quotation (path={p.path})"
    return f"no gold: path={p.path}"


def analyse(texts: list[GoldText], docs: list) -> tuple[Counts, dict[str, list[str]], dict[str, list[str]]]:
    """Direct-quote counts and the examples of each missed and false category."""
    counts = Counts()
    missed: dict[str, list[str]] = defaultdict(list)
    false: dict[str, list[str]] = defaultdict(list)
    for text, doc in zip(texts, docs, strict=True):
        preds = _predictions(text, doc)
        regions = quote_regions(text.text)
        direct = [p for p in preds if p.kind == "direct"]
        d_index = [i for i, p in enumerate(preds) if p.kind == "direct"]
        gold_direct = [g for g in text.quotes if g.kind == "direct"]
        pairs = match([[(p.start, p.end)] for p in direct], [g.fragments for g in gold_direct], LOOSE)
        counts.add(len(pairs), len(direct), len(gold_direct))
        matched_g = {j for _, j in pairs}
        matched_p = {i for i, _ in pairs}
        all_pairs = dict(match([[(p.start, p.end)] for p in preds], [g.fragments for g in text.quotes], LOOSE))
        for j, g in enumerate(gold_direct):
            if j not in matched_g:
                cat = _missed(text, g, preds, dict(pairs), regions, gold_direct)
                body = " | ".join(text.text[s:e] for s, e in g.fragments)
                other = f"\n             pred: {_PAIRED[id(g)][:200]!r}" if id(g) in _PAIRED else ""
                missed[cat].append(f"{text.name}@{g.fragments[0][0]} cue={g.cue!r}: {body[:200]!r}{other}")
        for i, p in enumerate(direct):
            if i not in matched_p:
                cat = _false(text, p, list(text.quotes), all_pairs, d_index[i], matched_g, gold_direct)
                other = f"\n             gold: {_PAIRED[id(p)][:200]!r}" if id(p) in _PAIRED else ""
                false[cat].append(f"{text.name}@{p.start} cue={p.cue!r}: {text.text[p.start : p.end][:200]!r}{other}")
    return counts, missed, false


def _print(title: str, cats: dict[str, list[str]], examples: int, only: str | None) -> None:
    total = sum(len(v) for v in cats.values())
    print(f"\n## {title}: {total}")
    for cat, items in sorted(cats.items(), key=lambda kv: -len(kv[1])):
        if only and only not in cat:
            continue
        print(f"{len(items):5d}  {cat}")
        for item in items[:examples]:
            print(f"         {item}")


def main(argv: list[str] | None = None) -> None:
    """Print the direct-quote scores and error categories of a split."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--split", default="train")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument("--category", default=None, help="print only categories containing this text")
    args = parser.parse_args(argv)
    texts = load_split(args.path, args.split)
    docs = parsed(texts, args.cache, args.split)
    counts, missed, false = analyse(texts, docs)
    print(f"{args.split}: direct quotes (loose) P {counts.precision:.3f} R {counts.recall:.3f} F1 {counts.f1:.3f} "
          f"(matched {counts.matched}, predicted {counts.predicted}, gold {counts.gold})")
    _print("missed gold direct quotes", missed, args.examples, args.category)
    _print("false direct predictions", false, args.examples, args.category)


if __name__ == "__main__":
    main()
