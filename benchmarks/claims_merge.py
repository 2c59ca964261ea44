"""Wrong claim merges on a mixed corpus, and the confidence of claim membership, written to BENCHMARKS.md.

    python -m benchmarks.claims_merge ../shared/eval [--cache /tmp/claims-merge] [--write-calibration]

The corpus mixes the ECB+ dev documents (18 topics, two real-world events each), the PolNeAR dev
articles (US politics, 2015-16) and the example corpus (Serbia and sanctions). Every article goes
through the people stage (spaCy parse, entities, quotes), the entity registry, the claims stage's
statements and the claim index, as ``storyline analyse`` runs them. A claim with two or more
statements whose statements come from more than one group (an ECB+ topic, PolNeAR, the example
corpus) is a wrong merge: no proposition is stated both about a Californian earthquake and an
Indian election. The example's two claims must hold as they are.

Claim membership confidence: each statement's raw membership score (its predicate cosine to the
claim's canonical statement, ``ClaimIndex._build``) is labelled right when its group is that of
its claim's canonical statement. Knots are fitted by isotonic regression on the memberships of
half the groups and measured on the other half (and the other way round); ``--write-calibration``
then fits on all groups and writes ``src/storyline/stages/claims/calibration.py``.

``--cache DIR`` keeps the people analyses, the spaCy parses and the MiniLM vectors of statement
texts, so a rerun after a change to the claims code only re-extracts and re-links.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmarks.calibration import calibration_report
from benchmarks.events_data import load_ecbplus, people_for
from benchmarks.quotes_gold import read_metadata
from benchmarks.report import publish, table
from storyline.confidence import Knots, calibrate, fit_isotonic
from storyline.pipeline import read_articles
from storyline.records import Article
from storyline.stages.claims import ArticleStatements, Claim, ClaimIndex, articles_statements
from storyline.stages.claims.index import LINK, STRONG, SUBJECT
from storyline.stages.entities import ArticlePeople, EntityRegistry
from storyline.stages.entities.names import fold

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "serbia-sanctions"
CALIBRATION = ROOT / "src" / "storyline" / "stages" / "claims" / "calibration.py"
TARGET_WRONG = 0.01  # the bound on the share of wrong merges among claims of 2+ statements
# Isotonic blocks hold at least this many memberships, so a knot never rests on a handful.
MIN_BLOCK = 25
SANCTIONS = ("000", "002", "003", "004")
SANCTIONS_SPEAKERS = frozenset({"vulin", "vucic", "vucevic"})
NATO = ("000", "003", "004")


_EVENTS: dict[str, str] = {}  # ECB+ article id -> its subtopic (the real-world event)


def load_corpus(eval_dir: Path) -> list[tuple[Article, str]]:
    """The mixed corpus: (article, group) with group ``ecb:<topic>``, ``polnear`` or ``example``."""
    out: list[tuple[Article, str]] = []
    for path in sorted(EXAMPLE.glob("*.txt")):
        (item,) = list(read_articles(str(path)))
        assert isinstance(item, Article)
        out.append((item, "example"))
    for doc in load_ecbplus(eval_dir / "clustering-ecbplus-dev.jsonl"):
        out.append((doc.article, f"ecb:{doc.topic}"))
        _EVENTS[doc.article.id] = f"ecb:{doc.subtopic}"
    root = eval_dir / "quotes-polnear"
    dates = read_metadata(root)
    for path in sorted((root / "dev" / "text").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.append((Article(id="pn-" + path.stem[:40], path=str(path), text=text,
                            published=dates.get(path.stem) or None), "polnear"))
    seen: set[str] = set()
    unique = []
    for article, group in out:
        if article.id not in seen:
            seen.add(article.id)
            unique.append((article, group))
    return unique


def _people_code() -> str:
    """A digest of the people stage's code: its cached analyses are reused only while it is unchanged."""
    digest = hashlib.sha1()
    for folder in ("entities", "quotes"):
        for path in sorted((ROOT / "src" / "storyline" / "stages" / folder).glob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class _CachedEncoder:
    """MiniLM vectors of short texts, kept in ``folder/vectors.npz`` between runs."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / "vectors.npz" if folder else None
        self.rows: dict[str, np.ndarray] = {}
        if self.path is not None and self.path.exists():
            data = np.load(self.path, allow_pickle=False)
            self.rows = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
        self.new = 0

    def __call__(self, texts: list[str]) -> np.ndarray:
        from storyline import nlp

        missing = [t for t in dict.fromkeys(texts) if t not in self.rows]
        if missing:
            for text, vec in zip(missing, nlp.encode(missing), strict=True):
                self.rows[text] = vec
            self.new += len(missing)
        return np.stack([self.rows[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)

    def save(self) -> None:
        if self.path is None or not self.new:
            return
        texts = list(self.rows)
        np.savez(self.path, texts=np.array(texts), vectors=np.stack([self.rows[t] for t in texts]))


def _parses(articles: Sequence[Article], folder: Path | None) -> list[object]:
    """The spaCy parse of each article (``storyline.stages.entities.parse``), cached as DocBin."""
    from spacy.tokens import DocBin

    from storyline import nlp
    from storyline.stages.entities.parse import parse

    vocab = nlp.full_pipeline().vocab
    out: list[object] = []
    for article in articles:
        blob = folder / f"{article.id}.doc" if folder else None
        if blob is not None and blob.exists():
            (doc,) = list(DocBin().from_bytes(blob.read_bytes()).get_docs(vocab))
        else:
            doc = parse(article.text)
            if blob is not None:
                blob.write_bytes(DocBin(docs=[doc]).to_bytes())
        out.append(doc)
    return out


Added = list[tuple[Article, ArticleStatements, dict[int, tuple[str, str]]]]


def analyse(corpus: Sequence[tuple[Article, str]], cache: Path | None) -> tuple[
        ClaimIndex, dict[str, ArticleStatements], Added, float]:
    """The claim index of the corpus, built as the claims stage builds it; also the seconds spent."""
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    articles = [a for a, _ in corpus]
    people: dict[str, ArticlePeople] = people_for(articles, cache / f"people-{_people_code()}" if cache else None)
    encoder = _CachedEncoder(cache)
    registry = EntityRegistry()
    index = ClaimIndex()
    found: dict[str, ArticleStatements] = {}
    added: Added = []
    started = time.perf_counter()
    for at in range(0, len(articles), 20):
        batch = articles[at : at + 20]
        docs = _parses(batch, cache)
        results = articles_statements([(a, people[a.id]) for a in batch], encode=encoder,
                                      docs=docs)  # type: ignore[arg-type]
        for article, statements in zip(batch, results, strict=True):
            ids = registry.add(article, people[article.id])
            speakers = {local: (eid, registry.name_of(eid) or eid) for local, eid in ids.items()}
            index.add(article, statements, speakers)
            found[article.id] = statements
            added.append((article, statements, speakers))
    encoder.save()
    return index, found, added, time.perf_counter() - started


# thresholds swept around the shipped ones: predicate cosine with a shared object head (LINK),
# predicate cosine with no shared head needed (STRONG), subject name vectors (SUBJECT)
SWEEP = (
    {"LINK": 0.60}, {"LINK": 0.65}, {}, {"LINK": 0.75}, {"LINK": 0.80},
    {"STRONG": 0.80}, {"STRONG": 0.95},
    {"SUBJECT": 0.70}, {"SUBJECT": 0.90},
)


def sweep(added: Added, corpus: Sequence[tuple[Article, str]], group: dict[str, str]) -> list[list[object]]:
    """Claims, wrong merges and the example's claims with each threshold moved from its shipped value."""
    from storyline.stages.claims import index as module

    shipped = {name: getattr(module, name) for name in ("LINK", "STRONG", "SUBJECT")}
    rows: list[list[object]] = []
    try:
        for change in SWEEP:
            for name, value in {**shipped, **change}.items():
                setattr(module, name, value)
            index = ClaimIndex()
            for article, statements, speakers in added:
                index.add(article, statements, speakers)
            claims = index.claims(min_statements=2)
            wrong = sum(1 for c in claims if len(_groups_of(c, group)) > 1)
            ok, _ = example_check(index, corpus)
            label = ", ".join(f"{k} {v}" for k, v in change.items()) or "shipped"
            rows.append([label, len(claims), sum(len(c.statements) for c in claims), wrong,
                         f"{wrong / len(claims):.2%}" if claims else "-", "yes" if ok else "no"])
    finally:
        for name, value in shipped.items():
            setattr(module, name, value)
    return rows


def _groups_of(claim: Claim, group: dict[str, str]) -> Counter[str]:
    return Counter(group[s.article] for s in claim.statements)


def _surname(name: str | None) -> str:
    parts = fold(name or "").lower().split()
    return parts[-1] if parts else ""


def example_check(index: ClaimIndex, corpus: Sequence[tuple[Article, str]]) -> tuple[bool, list[str]]:
    """Whether the example's sanctions and NATO claims hold as they are, and what was found."""
    example = {a.id: a.path.rsplit("/", 1)[-1][:3] for a, g in corpus if g == "example"}
    text = {a.id: a.text for a, g in corpus if g == "example"}

    def holding(key: str, words: str) -> Claim | None:
        aid = next(i for i, k in example.items() if k == key)
        at = text[aid].index(words)
        for claim in index.claims():
            for s in claim.statements:
                if s.article == aid and s.start <= at < s.end and words.split()[-1] in s.wording:
                    return claim
        return None

    notes: list[str] = []
    ok = True
    sanctions = holding("003", "Serbia will never impose sanctions on Russia")
    nato = holding("004", "will never become a member of NATO")
    for name, claim, want, speakers in (("sanctions", sanctions, SANCTIONS, SANCTIONS_SPEAKERS),
                                        ("NATO", nato, NATO, frozenset())):
        if claim is None:
            notes.append(f"{name}: no claim found")
            ok = False
            continue
        keys = sorted({example.get(s.article, "other") for s in claim.statements})
        who = sorted({_surname(s.speaker_name) for s in claim.statements if s.speaker})
        holds = set(want) <= set(keys) and "other" not in keys and speakers <= set(who)
        ok = ok and holds
        notes.append(f"{name} ({'holds' if holds else 'BROKEN'}): \"{claim.text}\"; articles {', '.join(keys)}; "
                     f"speakers {', '.join(who)}; {len(claim.statements)} statements")
    if sanctions is not None and nato is not None and sanctions.id == nato.id:
        ok = False
        notes.append("sanctions and NATO are one claim")
    return ok, notes


def memberships(index: ClaimIndex, group: dict[str, str], event: dict[str, str]) -> list[tuple[str, float, bool]]:
    """(group of the claim, raw membership score, right) for every non-canonical member of a claim
    of 2+ statements; right when the statement's real-world event (its ECB+ subtopic; PolNeAR and
    the example are one each) is that of the claim's canonical statement."""
    out = []
    for claim in index.claims(min_statements=2):
        canon = event[claim.canonical_article]
        for s in claim.statements:
            raw = s.score
            if raw is None:
                continue  # the canonical statement itself
            out.append((group[claim.canonical_article], raw, event[s.article] == canon))
    return out


def cross_validated(pairs: Sequence[tuple[str, float, bool]], seed: int = 0) -> list[tuple[float, bool]]:
    """(confidence, right) of each membership, with knots fitted on the other half of the groups."""
    groups = sorted({g for g, _, _ in pairs})
    random.Random(seed).shuffle(groups)
    halves = (set(groups[::2]), set(groups[1::2]))
    out: list[tuple[float, bool]] = []
    for k in (0, 1):
        train = [(r, ok) for g, r, ok in pairs if g not in halves[k]]
        test = [(r, ok) for g, r, ok in pairs if g in halves[k]]
        if not train or not test:
            continue
        knots = fit_isotonic(train, MIN_BLOCK)
        out.extend((calibrate(r, knots), ok) for r, ok in test)
    return out


def write_calibration(knots: Knots, command: str, n: int) -> None:
    """Write the knots the claims stage uses into ``stages/claims/calibration.py``."""
    body = ",\n    ".join(f"({x!r}, {y!r})" for x, y in knots)
    CALIBRATION.write_text(f'''"""Calibration of claim membership confidence.

Generated by ``{command}``
({n} memberships of claims with 2+ statements on ECB+ dev, PolNeAR dev and the example corpus; a
membership is right when its statement reports the same real-world event, the ECB+ subtopic, as
the claim's canonical statement). Do not edit by hand: re-run it.
"""

from storyline.confidence import Knots

MEMBERSHIP_KNOTS: Knots = (
    {body},
)
''', encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Build the mixed corpus's claims, count wrong merges and write the ``claims-merge`` section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval", help="the shared eval folder (clustering-ecbplus-dev.jsonl, quotes-polnear/)")
    parser.add_argument("--cache", default=None, help="folder for parses, people analyses and vectors")
    parser.add_argument("--write-calibration", action="store_true",
                        help="fit the membership knots on all groups and write stages/claims/calibration.py")
    parser.add_argument("--no-write", action="store_true", help="print, do not write BENCHMARKS.md")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    eval_dir = Path(args.eval)
    corpus = load_corpus(eval_dir)
    group = {a.id: g for a, g in corpus}
    index, statements, added, seconds = analyse(corpus, Path(args.cache) if args.cache else None)

    claims = index.claims(min_statements=2)
    wrong = [c for c in claims if len(_groups_of(c, group)) > 1]
    share = len(wrong) / len(claims) if claims else 0.0
    text_of = {a.id: a.text for a, _ in corpus}
    garbled = [c for c in index.claims() if c.text not in text_of[c.canonical_article]]
    ok, notes = example_check(index, corpus)
    n_statements = sum(len(s.statements) for s in statements.values())
    by_group = Counter(g for _, g in corpus)
    multi_groups = Counter("example" if g == "example" else "polnear" if g == "polnear" else "ECB+"
                           for c in claims for g in {group[c.canonical_article]})

    event = {a.id: _EVENTS.get(a.id, g) for a, g in corpus}
    pairs = memberships(index, group, event)
    checked = cross_validated(pairs)
    command = f"python -m benchmarks.claims_merge {args.eval}"
    if args.write_calibration and pairs:
        write_calibration(fit_isotonic([(r, ok) for _, r, ok in pairs], MIN_BLOCK), command + " --write-calibration",
                          len(pairs))
    confident = [(c, ok) for c, ok in checked]

    rows = [[w.id, len(w.statements), ", ".join(f"{g} x{n}" for g, n in sorted(_groups_of(w, group).items())),
             w.text[:90].replace("|", "/")] for w in wrong[:30]]
    wrong_table = table(["claim", "statements", "groups", "wording"], rows) if rows else "(none)"
    n_ecb = sum(n for g, n in by_group.items() if g.startswith("ecb"))
    n_topics = sum(1 for g in by_group if g.startswith("ecb"))
    body = f"""## Claim merges on a mixed corpus (`storyline.stages.claims`)

{len(corpus)} articles: {by_group.get('example', 0)} example, {n_ecb} ECB+ dev ({n_topics} topics),
{by_group.get('polnear', 0)} PolNeAR dev; {n_statements:,} statements
(speech and belief cues only) in {len(index.claims()):,} claims; statements and linking took {seconds:.0f} s.
A claim of 2+ statements is a wrong merge when its statements come from more than one group (an ECB+
topic, PolNeAR, the example corpus). Canonical wordings are a statement's own words: every claim's
wording is checked to be a substring of its canonical article's text.

{table(["measure", "value"], [
        ["claims with 2+ statements", len(claims)],
        ["... founded in ECB+ / PolNeAR / example",
         f"{multi_groups.get('ECB+', 0)} / {multi_groups.get('polnear', 0)} / {multi_groups.get('example', 0)}"],
        ["wrong merges (statements from more than one group)", len(wrong)],
        [f"share of wrong merges (target <= {TARGET_WRONG:.0%})", f"{share:.2%}"],
        ["canonical wordings not found in their article", len(garbled)],
        ["example claims hold", "yes" if ok else "NO"],
    ])}

Example claims: {'; '.join(notes)}.

Wrong merges (up to 30):

{wrong_table}

### Thresholds

Each row moves one threshold from its shipped value (`LINK` {LINK}, `STRONG` {STRONG}, `SUBJECT`
{SUBJECT} in `stages/claims/index.py`) and rebuilds the claims from the same statements.

{table(["setting", "claims of 2+", "statements in them", "wrong merges", "share", "example holds"],
       sweep(added, corpus, group))}

### Claim membership confidence

Each statement's membership of a claim of 2+ statements (other than the canonical statement,
whose confidence is 1) has a raw score, its predicate cosine to the canonical statement (every
member already agrees with another on subject, predicate and object); confidences are isotonic
knots fitted on the memberships of half
the groups and measured on the other half, both ways ({len(pairs)} memberships). A membership is
right when its statement reports the same real-world event as the claim's canonical statement (the
ECB+ subtopic: each topic holds two events of one kind; PolNeAR and the example count as one event
each). What the label cannot see: two different propositions about one event, or within PolNeAR
or the example, count as right, so these figures bound the precision from above; they measure
merges across events, not within one.

{calibration_report({"claim membership (cross-validated by group)": confident})}"""
    publish("claims-merge", body, command, dry_run=args.no_write)


if __name__ == "__main__":
    main()
