"""Quote and speaker quality of ``storyline.stages.entities.analyse_people`` on PolNeAR.

Run from the project root::

    python -m benchmarks.quotes_polnear /work/shared/eval/quotes-polnear [--split dev] [--no-write]

PATH holds PolNeAR's ``<split>/text/*.txt``, ``<split>/attributions/*_<annotator>.ann`` and
``metadata.tsv``; the data stays there. Every text of the split goes through
``analyse_people`` and one ``EntityRegistry`` (so speakers are resolved across the split, as in a
real run). Scoring follows the project's conventions (``benchmarks/quotes_scoring.py``); gold
selection and the direct/mixed/indirect split are described in ``benchmarks/quotes_gold.py``.
Writes the ``quotes-polnear`` section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.calibration import calibration_report
from benchmarks.quotes_gold import GoldQuote, GoldText, load_split
from benchmarks.quotes_scoring import LOOSE, STRICT, Counts, match, same_person
from benchmarks.report import table, write_section
from storyline import nlp
from storyline.ingest.files import read_file
from storyline.ingest.normalise import normalise
from storyline.records import Article
from storyline.stages.entities import EntityRegistry, analyse_people
from storyline.stages.entities.parse import parse
from storyline.stages.quotes import Quote

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "serbia-sanctions"
EXAMPLE_PASSES = 5  # the example corpus is five articles: time several passes, report the median


@dataclass
class Scores:
    """P/R/F1 counts for all attributions and direct quotes, loose and strict, plus speakers."""

    counts: dict[tuple[str, str], Counts] = field(default_factory=lambda: defaultdict(Counts))
    speaker_right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    speaker_total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unnamed_sources: int = 0
    quote_confidence: list[tuple[float, bool]] = field(default_factory=list)
    speaker_confidence: list[tuple[float, bool]] = field(default_factory=list)


def _articles(texts: list[GoldText], root: Path, split: str) -> list[Article]:
    return [
        Article(id=t.name, path=str(root / split / "text" / f"{t.name}.txt"), text=t.text, published=t.date)
        for t in texts
    ]


def run(articles: list[Article]) -> tuple[EntityRegistry, float]:
    """Analyse every article into one registry; returns it and the elapsed seconds."""
    registry = EntityRegistry()
    started = time.perf_counter()
    for article in articles:
        registry.add(article, analyse_people(article))
    return registry, time.perf_counter() - started


# Words that may join the proper nouns of one name ("Court of Appeals for the 6th Circuit").
_NAME_JOINERS = {"of", "for", "the", "&", "de", "la", "von", "van", "al"}
# Titles that open or close a run of proper nouns without being part of the name.
_TITLES = {"president", "senator", "sen.", "rep.", "representative", "gov.", "governor", "ceo", "chairman",
           "secretary", "mayor", "judge", "gen.", "general", "speaker", "minister", "chief"}


def _variants(run: list[str]) -> list[str]:
    """A run of proper nouns, its parts between joiners ("John Kasich" of "John Kasich of Ohio")
    and the run without leading or trailing titles ("CNN" of "CNN President")."""
    out = [" ".join(run)]
    part: list[str] = []
    for word in [*run, "of"]:
        if word.lower() in _NAME_JOINERS:
            if part and " ".join(part) not in out:
                out.append(" ".join(part))
            part = []
        else:
            part.append(word)
    bare = list(run)
    while len(bare) > 1 and bare[0].lower() in _TITLES:
        bare.pop(0)
    while len(bare) > 1 and bare[-1].lower() in _TITLES:
        bare.pop()
    if " ".join(bare) not in out:
        out.append(" ".join(bare))
    return out


def _names_in(doc: Any) -> list[str]:
    """Runs of proper nouns (joined by of/for/the) not followed by a possessive ending."""
    runs: list[str] = []
    i = 0
    while i < len(doc):
        if doc[i].pos_ != "PROPN":
            i += 1
            continue
        j = i + 1
        while j < len(doc) and (doc[j].pos_ == "PROPN" or (
            doc[j].lower_ in _NAME_JOINERS and j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN"
        )):
            j += 1
        if not (j < len(doc) and doc[j].tag_ == "POS"):
            runs.extend(_variants([t.text for t in doc[i:j]]))
        i = j
    return runs


def gold_names(texts: list[GoldText]) -> dict[tuple[str, int], list[str] | None]:
    """The names in each gold source whose head is a proper noun (or has a proper-noun apposition:
    "The Podesta Group's CEO, Kimberley Fritts"); None for sources that are not names (he, experts)."""
    keys, sources = [], []
    for t in texts:
        for i, q in enumerate(t.quotes):
            if q.source:
                keys.append((t.name, i))
                sources.append(" ".join(t.text[s:e] for s, e in q.source))
    out: dict[tuple[str, int], list[str] | None] = {}
    for key, doc in zip(keys, nlp.full_pipeline().pipe(sources, batch_size=256), strict=True):
        root = max(doc.sents, key=len).root if len(doc) else None
        named = root is not None and (
            root.pos_ == "PROPN" or any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in root.children)
        )
        out[key] = (_names_in(doc) or None) if named else None
    return out


def gold_speech(texts: list[GoldText]) -> set[tuple[str, int]]:
    """The gold attributions whose cue reports speech or a belief per the reviewed cue classes
    (``storyline/stages/quotes/cue_classes.py``): the cue's head lemma, with the preposition after
    it where the classes name one ("call for"); "according to" as such; no cue, or a colon or a
    dash, is speech."""
    from storyline.stages.quotes.cue_classes import CUE_CLASSES
    from storyline.stages.quotes.cues import cue_class

    kinds = ("ccomp", "xcomp", "dobj", "prep", "noun", "inverted", "according")
    keys, cues = [], []
    out: set[tuple[str, int]] = set()
    for t in texts:
        for i, q in enumerate(t.quotes):
            if not any(ch.isalpha() for ch in q.cue):  # no cue, or a colon or a dash
                out.add((t.name, i))
            else:
                keys.append((t.name, i))
                cues.append(q.cue)
    for key, doc in zip(keys, nlp.full_pipeline().pipe(cues, batch_size=512), strict=True):
        if doc.text.lower().startswith("according"):
            lemmas = ["according to"]
        else:
            heads = [tok for tok in doc if tok.pos_ in ("VERB", "NOUN", "ADJ", "PROPN")] or list(doc)
            lemmas = []
            for tok in heads:
                after = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""
                lemmas += [f"{tok.lemma_.lower()} {after}", tok.lemma_.lower(), tok.lower_]
            lemmas = [x for x in lemmas if x.strip() in CUE_CLASSES] or lemmas
        if any(cue_class(lemma.strip(), k) for lemma in lemmas for k in kinds):
            out.add(key)
    return out


def score_text(
    text: GoldText, predicted: list[Quote], names: dict[tuple[str, int], list[str] | None], scores: Scores,
    speech: set[tuple[str, int]],
) -> None:
    """Add one text's matches to ``scores``."""
    for scope in ("all", "speech", "direct"):
        gold: list[tuple[int, GoldQuote]] = [
            (i, q) for i, q in enumerate(text.quotes)
            if scope == "all" or (scope == "direct" and q.kind == "direct") or (
                scope == "speech" and (text.name, i) in speech)
        ]
        pred = [q for q in predicted if scope != "direct" or q.kind == "direct"]
        spans = [[(q.start, q.end)] for q in pred]
        for level, threshold in (("loose", LOOSE), ("strict", STRICT)):
            pairs = match(spans, [q.fragments for _, q in gold], threshold)
            scores.counts[(scope, level)].add(len(pairs), len(pred), len(gold))
            if level != "loose":
                continue
            if scope == "all":
                hit = {p for p, _ in pairs}
                scores.quote_confidence += [(q.confidence, i in hit) for i, q in enumerate(pred)]
            for p, g in pairs:
                index, gq = gold[g]
                if not gq.source:
                    continue
                name = names.get((text.name, index))
                if name is None:
                    scores.unnamed_sources += scope == "all"
                    continue
                scores.speaker_total[scope] += 1
                right = any(same_person(pred[p].speaker_name, n) for n in name)
                scores.speaker_right[scope] += right
                if scope == "all" and pred[p].speaker_confidence is not None:
                    scores.speaker_confidence.append((pred[p].speaker_confidence, right))


def parse_speed(articles: list[Article]) -> float:
    """Articles/s of the spaCy parse alone (the share of the time that is spaCy's)."""
    started = time.perf_counter()
    for article in articles:
        parse(article.text)
    return len(articles) / (time.perf_counter() - started)


def example_speed() -> float:
    """Median articles/s over EXAMPLE_PASSES passes of the example corpus (model already loaded)."""
    articles = [normalise(next(read_file(str(p), 20_000_000))) for p in sorted(EXAMPLE.glob("*.txt"))]
    times = [run(articles)[1] for _ in range(EXAMPLE_PASSES)]
    return len(articles) / statistics.median(times)


def report(split: str, n_texts: int, n_gold: int, n_direct: int, scores: Scores, speeds: dict[str, float]) -> str:
    """The BENCHMARKS.md section."""
    rows = []
    for scope, label in (("all", "all attributions (direct, mixed, indirect)"),
                         ("speech", "speech only (gold cue is speech or belief)"), ("direct", "direct quotes")):
        for level in ("loose", "strict"):
            c = scores.counts[(scope, level)]
            rows.append([label, f"{level} (> {LOOSE if level == 'loose' else STRICT})", c.precision, c.recall, c.f1,
                         c.matched, c.predicted, c.gold])
    speaker_rows = [
        [scope, scores.speaker_right[scope] / scores.speaker_total[scope] if scores.speaker_total[scope] else 0.0,
         scores.speaker_right[scope], scores.speaker_total[scope]]
        for scope in ("all", "speech", "direct")
    ]
    return "\n".join([
        "## Quotes and speakers (`storyline.stages.entities.analyse_people`) on PolNeAR",
        "",
        f"PolNeAR `{split}` split: {n_texts} US political news articles (2016), {n_gold} gold attributions of which "
        f"{n_direct} direct quotes. A prediction matches a gold quote when it covers more than 0.3 (loose) or 0.8 "
        "(strict) of the gold content's characters; matching is one-to-one, best coverage first. Gold kind: direct "
        "when at most 5% of the content's letters lie outside double quotation marks, mixed when some lie inside, "
        "indirect otherwise; the direct rows score predicted direct quotes against gold direct quotes only. Texts "
        "with several annotators (the agreement checks) are scored against the medoid annotator, the one agreeing "
        "best with the others.",
        "",
        table(["quotes", "match", "precision", "recall", "F1", "matched", "predicted", "gold"], rows),
        "",
        "Speaker accuracy over loosely matched quotes whose gold source is a name (its head word, per spaCy, "
        "is a proper noun or has one in apposition): the predicted speaker's resolved name (the corpus "
        "entity's name) equals a name in the gold source (a run of proper nouns) after case and accent "
        "folding, or has the same last name (Jr./Sr. dropped). Matched quotes whose gold source is not a "
        f"name (he, officials, a source): {scores.unnamed_sources}.",
        "",
        table(["matched quotes", "speaker accuracy", "right", "named gold sources"], speaker_rows),
        "",
        "The speech-only rows score every prediction against the gold attributions whose cue is speech or a "
        "belief per the reviewed cue classes (`storyline/stages/quotes/cue_classes.py`, reviewed on PolNeAR train "
        "counts): storyline reports only those, so gold actions and stances (refused, criticised, wants, fears) "
        "lower the all-attributions recall by design.",
        "",
        "Confidence (calibrated on PolNeAR train by `python -m benchmarks.quotes_confidence`, measured here on "
        f"{split}): a quote is right when it matches a gold attribution (loose); a speaker link (a quote whose "
        "speaker is named) is right when its matched gold source is a name and agrees with it.",
        "",
        calibration_report({"quotes": scores.quote_confidence, "speaker links": scores.speaker_confidence}),
        "",
        "Throughput, single process, spaCy model loaded beforehand (`analyse_people` + `EntityRegistry.add`, "
        "which includes the spaCy parse):",
        "",
        table(["corpus", "articles/s"], [[k, v] for k, v in speeds.items()]),
        "",
        "Tuning used PolNeAR train only: the cue lexicon (`benchmarks/quotes_calibrate.py` writes "
        "`storyline/stages/quotes/cue_lexicon.py`), the cue classes and source nouns "
        "(`benchmarks/quotes_cue_classes.py` counts them; the classes were reviewed by hand), the confidence "
        "model (`benchmarks/quotes_confidence.py` "
        "writes `storyline/stages/quotes/calibration.py`) and the thresholds named in `storyline/stages/quotes/` "
        "and `storyline/stages/entities/`.",
    ])


def _words(texts: list[GoldText]) -> int:
    return round(sum(len(t.text.split()) for t in texts) / len(texts))


def main(argv: list[str] | None = None) -> None:
    """Score the split and write the BENCHMARKS.md section."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    texts = load_split(args.path, args.split)
    nlp.full_pipeline()("Warm up the model.")
    articles = _articles(texts, args.path, args.split)
    registry, elapsed = run(articles)
    by_article: dict[str, list[Quote]] = defaultdict(list)
    for q in registry.quotes():
        by_article[q.article].append(q)
    names = gold_names(texts)
    speech = gold_speech(texts)
    scores = Scores()
    for t in texts:
        score_text(t, by_article[t.name], names, scores, speech)
    speeds = {
        f"PolNeAR {args.split} ({len(texts)} articles, mean {_words(texts)} words)": len(texts) / elapsed,
        f"PolNeAR {args.split}, spaCy parse alone": parse_speed(articles),
        "example corpus (5 articles, median of 5 passes)": example_speed(),
    }
    n_gold = sum(len(t.quotes) for t in texts)
    n_direct = sum(q.kind == "direct" for t in texts for q in t.quotes)
    body = report(args.split, len(texts), n_gold, n_direct, scores, speeds)
    print(body)
    if not args.no_write:
        write_section("quotes-polnear", body, command=f"python -m benchmarks.quotes_polnear {args.path}")


if __name__ == "__main__":
    main()
