"""Entity types, merges and role holders on a labelled audit of dev-set mentions, written to BENCHMARKS.md.

    python -m benchmarks.entities_audit ../shared/eval/quotes-polnear \
        ../shared/eval/clustering-ecbplus-dev.jsonl [--cache DIR]

The audit (``benchmarks/data/entities_audit.tsv``) holds 311 name mentions drawn by ``--draw`` (seed
14: the five example articles, 4 ECB+ dev topics x 4 documents, 10 PolNeAR dev documents; up to 14, 11
and 8 mentions per document) from the name mentions the people stage found at commit c547a3e (the
draw depends on that list, so ``--draw`` on later code picks other mentions of the same documents),
each labelled by reading it in context with its type (person, organisation, place, group, other) and
an entity key ("-": not an entity); ``roles_audit.tsv`` labels who holds each title the people stage
found in those documents at that commit (67 roles; later code finds 66 of them at the same offsets).
Only offsets and labels are stored: texts
are read from the dev sets at run time.

The real pipeline runs over the audited documents together (``analyse_people`` per article, one
``EntityRegistry`` for all, in file order), and:

- type accuracy: an audit mention's predicted type is the corpus type of the entity of the name
  mention at its offsets (PERSON = person, ORG = organisation, GPE/LOC/FAC = place, NORP = group,
  anything else = other); a mention the stage does not find is right only if it is not an entity;
- merge precision/recall over pairs of audit mentions of real entities: same entity predicted vs
  the same key labelled;
- confidence: type and role confidences are calibrated by two-fold cross-validation over documents
  (knots fitted with ``fit_isotonic`` on one half, applied to the other, both ways), reported with
  ``calibration_report``; the knots fitted on all documents are written to
  ``src/storyline/stages/entities/calibration.py``;
- a sweep of the gazetteer's shares (``types.GAZETTEER_SHARE``).
"""

from __future__ import annotations

import argparse
import itertools
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.calibration import calibration_report
from benchmarks.entities_docs import AuditDoc, load_docs
from benchmarks.events_data import people_for
from benchmarks.report import publish, table
from storyline.confidence import Knots, calibrate, fit_isotonic, precision_at
from storyline.stages.entities import ArticlePeople, EntityRegistry, types
from storyline.stages.entities.names import fold

DATA = Path(__file__).resolve().parent / "data"
CALIBRATION = Path(__file__).resolve().parent.parent / "src" / "storyline" / "stages" / "entities" / "calibration.py"
COARSE = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "group"}
# The draw: seed, ECB+ topics x documents, PolNeAR documents, mentions per document by dataset.
SEED = 14
ECB_TOPICS, ECB_DOCS, POLNEAR_DOCS = 4, 4, 10
PER_DOC = {"example": 14, "ecbplus": 11, "polnear": 8}
# Knots are pooled into blocks of at least this many facts (fit_isotonic's min_block): about a tenth
# of one fold's facts, so a knot never rests on a handful of mentions.
MIN_BLOCK = 15
# Gazetteer weights tried (types.GAZETTEER_WEIGHTS: base, share of ORG/PRODUCT/FAC votes, share of
# PERSON votes), for countries and capitals / regions / cities and towns (towns: only where a place vote is).
_W = tuple[float, float, float]
SWEEP: list[tuple[str, _W, _W, _W]] = [
    ("no gazetteer", (0, 0, 0), (0, 0, 0), (0, 0, 0)),
    ("shipped", (1, 1, 1), (1, 1, 0.5), (0, 1.25, 0)),
    ("no towns", (1, 1, 1), (1, 1, 0.5), (0, 1.25, 0)),
    ("cities: PERSON share 0.25", (1, 1, 1), (1, 1, 0.5), (0, 1.25, 0.25)),
    ("cities: ORG share 1", (1, 1, 1), (1, 1, 0.5), (0, 1, 0)),
    ("cities: ORG share 0.5", (1, 1, 1), (1, 1, 0.5), (0, 0.5, 0)),
    ("regions: PERSON share 1", (1, 1, 1), (1, 1, 1), (0, 1.25, 0)),
    ("regions: PERSON share 0", (1, 1, 1), (1, 1, 0), (0, 1.25, 0)),
    ("countries: PERSON share 0.5", (1, 1, 0.5), (1, 1, 0.5), (0, 1.25, 0)),
]


@dataclass(frozen=True, slots=True)
class AuditMention:
    """One labelled mention."""

    dataset: str
    doc: str
    start: int
    end: int
    text: str
    type: str
    entity: str


@dataclass(frozen=True, slots=True)
class AuditRole:
    """One labelled role: the title at these offsets is held by ``holder`` ("-": nobody named)."""

    dataset: str
    doc: str
    start: int
    end: int
    title: str
    holder: str


def _rows(path: Path) -> list[list[str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return [line.split("\t") for line in lines[1:]]


def load_audit() -> tuple[list[AuditMention], list[AuditRole]]:
    """The labelled mentions and roles."""
    mentions = [AuditMention(d, doc, int(s), int(e), t, ty, k) for d, doc, s, e, t, ty, k in
                _rows(DATA / "entities_audit.tsv")]
    roles = [AuditRole(d, doc, int(s), int(e), t, h) for d, doc, s, e, t, h in _rows(DATA / "roles_audit.tsv")]
    return mentions, roles


def draw(docs: Sequence[AuditDoc]) -> None:
    """Print the seeded sample of name mentions to label (dataset, doc, offsets, text, context)."""
    rng = random.Random(SEED)
    ecb = [d for d in docs if d.dataset == "ecbplus"]
    picked = [d for d in docs if d.dataset == "example"]
    for topic in rng.sample(sorted({d.group for d in ecb}), ECB_TOPICS):
        picked += rng.sample([d for d in ecb if d.group == topic], ECB_DOCS)
    picked += rng.sample([d for d in docs if d.dataset == "polnear"], POLNEAR_DOCS)
    for d in picked:
        people = people_for([d.article])[d.article.id]
        names = [m for m in people.mentions if m.kind == "name"]
        for m in sorted(rng.sample(names, min(PER_DOC[d.dataset], len(names))), key=lambda m: m.start):
            text = d.article.text
            context = (text[max(0, m.start - 90) : m.start] + "[[" + m.text + "]]" + text[m.end : m.end + 60])
            print("\t".join([d.dataset, d.doc, str(m.start), str(m.end), m.text, " ".join(context.split())]))


@dataclass(slots=True)
class Run:
    """The pipeline's result over the audited documents."""

    docs: dict[tuple[str, str], AuditDoc]
    people: dict[str, ArticlePeople]
    ids: dict[str, dict[int, str]]
    registry: EntityRegistry


def run(docs: Sequence[AuditDoc], cache: str | None) -> Run:
    """Analyse the audited documents and resolve them into one registry, in the audit's order."""
    people = people_for([d.article for d in docs], cache)
    registry = EntityRegistry()
    ids = {d.article.id: registry.add(d.article, people[d.article.id]) for d in docs}
    return Run({(d.dataset, d.doc): d for d in docs}, people, ids, registry)


def predicted_entity(result: Run, m: AuditMention) -> str | None:
    """The corpus entity id of the name mention at the audit mention's offsets (best overlap), or None."""
    article = result.docs[(m.dataset, m.doc)].article
    best, overlap = None, 0
    for pm in result.people[article.id].mentions:
        if pm.kind != "name":
            continue
        shared = min(pm.end, m.end) - max(pm.start, m.start)
        if shared > overlap:
            best, overlap = pm, shared
    if best is None or overlap * 2 < (m.end - m.start):
        return None
    return result.ids[article.id].get(best.entity)


@dataclass(frozen=True, slots=True)
class Scored:
    """One audit mention as the pipeline saw it."""

    mention: AuditMention
    entity: str | None
    type: str
    raw: float
    right: bool


def score_types(result: Run, mentions: Sequence[AuditMention]) -> list[Scored]:
    """Each audit mention with its predicted entity, coarse type, raw type score, and whether right."""
    out = []
    decisions = {}
    for m in mentions:
        ident = predicted_entity(result, m)
        if ident is None:
            out.append(Scored(m, None, "none", 0.0, m.entity == "-"))
            continue
        if ident not in decisions:
            decision = result.registry.type_decision(ident)
            assert decision is not None
            decisions[ident] = decision
        decision = decisions[ident]
        coarse = COARSE.get(decision.type, "other")
        out.append(Scored(m, ident, coarse, decision.score, coarse == m.type))
    return out


def merge_scores(scored: Sequence[Scored]) -> tuple[float, float, int, int]:
    """Pairwise merge precision and recall over audit mentions of real entities found by the stage."""
    items = [s for s in scored if s.entity is not None and s.mention.entity != "-"]
    tp = fp = fn = 0
    for a, b in itertools.combinations(items, 2):
        same_pred, same_gold = a.entity == b.entity, a.mention.entity == b.mention.entity
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0), tp + fp, tp + fn


def _surname(name: str) -> str:
    words = fold(name).replace("-", " ").split()
    return words[-1] if words else ""


def score_roles(result: Run, roles: Sequence[AuditRole]) -> list[tuple[float, bool, AuditRole]]:
    """Each role the stage found at a labelled place: (raw score, holder right, label)."""
    labels = {(r.dataset, r.doc, r.start, r.end): r for r in roles}
    out = []
    for (dataset, doc), d in result.docs.items():
        people = result.people[d.article.id]
        for role in people.roles:
            label = labels.get((dataset, doc, role.start, role.end))
            if label is None:
                continue
            holder = result.registry.name_of(result.ids[d.article.id].get(role.entity, "")) or ""
            right = label.holder != "-" and _surname(holder) == _surname(label.holder)
            out.append((role.score, right, label))
    return out


def cross_validate(groups: dict[str, list[tuple[float, bool]]], seed: int = SEED) -> tuple[
        list[tuple[float, bool]], Knots]:
    """Two-fold cross-validation over documents: knots fitted on one half's (raw, right) pairs give
    the other half's confidences. Returns the out-of-fold (confidence, right) pairs and the knots
    fitted on every document."""
    names = sorted(groups)
    random.Random(seed).shuffle(names)
    halves = [names[::2], names[1::2]]
    out: list[tuple[float, bool]] = []
    for fit_on, apply_to in ((halves[0], halves[1]), (halves[1], halves[0])):
        knots = fit_isotonic([p for n in fit_on for p in groups[n]], MIN_BLOCK)
        out += [(calibrate(raw, knots), ok) for n in apply_to for raw, ok in groups[n]]
    return out, fit_isotonic([p for pairs in groups.values() for p in pairs], MIN_BLOCK)


def write_knots(type_knots: Knots, role_knots: Knots, command: str) -> None:
    """Write the generated calibration module of the entities stage."""
    CALIBRATION.write_text(
        '"""Calibration knots of the entities stage\'s confidences.\n\n'
        f"Generated by ``{command}``; do not edit by hand.\n"
        '"""\n\nfrom storyline.confidence import Knots\n\n'
        "# Entity type: raw score = vote margin (types.decide_type); fitted on the entities audit.\n"
        f"TYPE_KNOTS: Knots = {type_knots!r}\n"
        "# Role: raw score = how the title was tied to its holder (resolve.ROLE_SCORES); fitted on the\n"
        "# roles audit.\n"
        f"ROLE_KNOTS: Knots = {role_knots!r}\n",
        encoding="utf-8",
    )


def _errors(scored: Sequence[Scored]) -> list[list[object]]:
    wrong = Counter((s.mention.type, s.type) for s in scored if not s.right)
    return [[gold, predicted, n] for (gold, predicted), n in wrong.most_common()]


def main(argv: list[str] | None = None) -> None:
    """Run the audit and write the entities-audit section of BENCHMARKS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("polnear", help="the PolNeAR folder (its dev/ split is used)")
    parser.add_argument("ecbplus", help="clustering-ecbplus-dev.jsonl")
    parser.add_argument("--cache", help="folder for the entities stage's per-article output (kept between runs)")
    parser.add_argument("--draw", action="store_true", help="print the seeded sample to label, and stop")
    parser.add_argument("--no-write", action="store_true", help="print the report instead of writing it")
    args = parser.parse_args(argv)
    docs = load_docs(args.polnear, args.ecbplus)
    if args.draw:
        draw(docs)
        return
    mentions, roles = load_audit()
    wanted = list(dict.fromkeys((m.dataset, m.doc) for m in mentions))
    by_key = {(d.dataset, d.doc): d for d in docs}
    audited = [by_key[k] for k in wanted]
    for m in mentions:
        text = by_key[(m.dataset, m.doc)].article.text
        if text[m.start : m.end] != m.text:
            raise SystemExit(f"audit offsets do not match the text: {m}")
    result = run(audited, args.cache)
    scored = score_types(result, mentions)
    accuracy = sum(s.right for s in scored) / len(scored)
    found = [s for s in scored if s.entity is not None]
    precision, recall, n_pred, n_gold = merge_scores(scored)
    role_facts = score_roles(result, roles)

    sweep_rows: list[list[object]] = []
    shipped = dict(types.GAZETTEER_WEIGHTS)
    for label, country, region, town in SWEEP:
        types.GAZETTEER_WEIGHTS.update({"country": country, "capital": country, "region": region, "city": town,
                                        "town": (0, 0, 0) if label == "no towns" else town})
        trial = score_types(run(audited, None), mentions)  # re-analysed: local types use the weights too
        p, r, _, _ = merge_scores(trial)
        sweep_rows.append([label, sum(s.right for s in trial) / len(trial), p, r])
    types.GAZETTEER_WEIGHTS.update(shipped)

    type_groups: dict[str, list[tuple[float, bool]]] = {}
    for s in found:
        type_groups.setdefault(f"{s.mention.dataset}/{s.mention.doc}", []).append((s.raw, s.right))
    role_groups: dict[str, list[tuple[float, bool]]] = {}
    for raw, ok, label in role_facts:
        role_groups.setdefault(f"{label.dataset}/{label.doc}", []).append((raw, ok))
    type_cv, type_knots = cross_validate(type_groups)
    role_cv, role_knots = cross_validate(role_groups)
    command = "python -m benchmarks.entities_audit " + " ".join(argv if argv is not None else [args.polnear,
                                                                                                  args.ecbplus])
    if not args.no_write:
        write_knots(type_knots, role_knots, "python -m benchmarks.entities_audit")

    datasets = Counter(m.dataset for m in mentions)
    body = "\n".join([
        "## Entities: types, merges, roles (labelled audit of dev mentions)",
        "",
        f"{len(mentions)} name mentions ({', '.join(f'{n} {d}' for d, n in sorted(datasets.items()))}) in "
        f"{len(audited)} documents, labelled by hand (`benchmarks/data/entities_audit.tsv`); the pipeline "
        "resolves all the documents into one registry. A mention the stage does not find is right only "
        "if it is not an entity.",
        "",
        table(["measure", "value"], [
            ["type accuracy (all audit mentions; target >= 0.95)", accuracy],
            ["audit mentions found by the stage", f"{len(found)}/{len(scored)}"],
            ["type accuracy (mentions found)", sum(s.right for s in found) / len(found) if found else 0.0],
            ["merge precision (pairs)", precision],
            ["merge recall (pairs)", recall],
            ["pairs predicted same / labelled same", f"{n_pred} / {n_gold}"],
            ["roles labelled and found", len(role_facts)],
            ["roles with the right holder", sum(ok for _, ok, _ in role_facts) / len(role_facts) if role_facts
             else 0.0],
        ]),
        "",
        "Type errors (labelled, predicted, mentions):",
        "",
        table(["labelled", "predicted", "mentions"], _errors(scored)),
        "",
        "Gazetteer weights (place votes a known place name gets: a base, a share of its ORG/PRODUCT/FAC "
        "votes, a share of its PERSON votes; `types.GAZETTEER_WEIGHTS`), each documents re-analysed:",
        "",
        table(["weights", "type accuracy", "merge precision", "merge recall"], sweep_rows),
        "",
        "Confidence, two-fold cross-validation over documents (knots fitted on one half, measured on "
        f"the other): entity type per audit mention found, role holder per role labelled. Type precision at "
        f">= 0.8: {precision_at(type_cv)[0]:.3f}; roles: {precision_at(role_cv)[0]:.3f}.",
        "",
        calibration_report({"entity type": type_cv, "role holder": role_cv}),
    ])
    publish("entities-audit", body, command, dry_run=args.no_write)


if __name__ == "__main__":
    main()
