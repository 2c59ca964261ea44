"""PolNeAR gold attributions: read the brat files, classify each quote, pick one annotation per text.

Each ``E`` event links a Content span (possibly in several fragments), usually a Cue and a
Source. A text annotated by several annotators (the agreement checks) is scored against one
annotation, the annotators' medoid: the one whose quotes agree best (mean loose F1) with the
other annotators'. Merging would invent a hybrid no annotator made; the medoid is a real
annotation and the most typical one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

# Double marks as the gold kind sees them; a content is direct when (almost) all its letters lie
# between double marks, mixed when some do, indirect when none do.
_MARK = re.compile(r"``|''|[\"“”„«»]")
# Tolerance for letters outside the marks in a direct quote (an unmarked "he said" fragment
# glued into the Content by an annotator); calibrated on train: 0.05 separates the two modes.
DIRECT_OUTSIDE_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """One gold attribution: content fragments, source span(s) and cue text."""

    fragments: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...]
    cue: str
    kind: str
    cue_spans: tuple[tuple[int, int], ...] = ()

    @property
    def chars(self) -> set[int]:
        """The character offsets the content covers."""
        return {i for s, e in self.fragments for i in range(s, e)}


@dataclass(frozen=True, slots=True)
class GoldText:
    """One PolNeAR text with its chosen gold attributions."""

    name: str
    text: str
    date: str | None
    annotator: str
    quotes: tuple[GoldQuote, ...]


def _spans(field: str) -> tuple[tuple[int, int], ...]:
    return tuple((int(a), int(b)) for a, b in (part.split() for part in field.split(";")))


def read_ann(path: Path, text: str) -> list[GoldQuote]:
    """The attributions of one brat ``.ann`` file that have a Content span."""
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not re.fullmatch(r"[TE]\d+", parts[0]):
            continue
        if parts[0][0] == "T":
            label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = (label, _spans(offsets))
        else:
            args = parts[1].split()[1:]
            events.append(dict(arg.split(":", 1) for arg in args if ":" in arg))
    quotes = []
    for args in events:
        if args.get("Content") not in spans:
            continue
        fragments = spans[args["Content"]][1]
        source = spans[args["Source"]][1] if args.get("Source") in spans else ()
        cue_spans = spans[args["Cue"]][1] if args.get("Cue") in spans else ()
        cue = " ".join(text[s:e] for s, e in cue_spans)
        quotes.append(GoldQuote(fragments, source, cue, gold_kind(text, fragments), cue_spans))
    return quotes


def _quoted_mask(text: str) -> list[bool]:
    """Per character: inside double marks (toggled per paragraph, reset at each line break)."""
    mask = [False] * len(text)
    inside = False
    pos = 0
    for match in _MARK.finditer(text + "\n"):
        if "\n" in text[pos : match.start()]:
            inside = False
        for i in range(pos, min(match.start(), len(text))):
            if text[i] == "\n":
                inside = False
            mask[i] = inside
        inside = not inside
        pos = match.end()
    return mask


_MASKS: dict[int, list[bool]] = {}


def gold_kind(text: str, fragments: tuple[tuple[int, int], ...]) -> str:
    """``direct``, ``mixed`` or ``indirect`` from the double marks around the content's letters."""
    key = id(text)
    if key not in _MASKS:
        _MASKS.clear()
        _MASKS[key] = _quoted_mask(text)
    mask = _MASKS[key]
    letters = [i for s, e in fragments for i in range(s, e) if text[i].isalnum()]
    if not letters:
        return "indirect"
    outside = sum(1 for i in letters if not mask[i]) / len(letters)
    if outside <= DIRECT_OUTSIDE_SHARE:
        return "direct"
    return "mixed" if outside < 1.0 else "indirect"


def _loose_f1(a: list[GoldQuote], b: list[GoldQuote]) -> float:
    from benchmarks.quotes_scoring import match

    pairs = match([q.fragments for q in a], [q.chars for q in b], 0.3)
    return 2 * len(pairs) / (len(a) + len(b)) if a or b else 1.0


def medoid(annotations: dict[str, list[GoldQuote]]) -> str:
    """The annotator whose quotes agree best (mean loose F1) with all the other annotators'."""
    names = sorted(annotations)
    if len(names) == 1:
        return names[0]

    def agreement(name: str) -> float:
        others = [o for o in names if o != name]
        return sum(_loose_f1(annotations[name], annotations[o]) for o in others) / len(others)

    return max(names, key=lambda n: (agreement(n), n))


def read_metadata(root: Path) -> dict[str, str]:
    """Publication date (YYYY-MM-DD) by text name, from ``metadata.tsv``."""
    dates: dict[str, str] = {}
    path = root / "metadata.tsv"
    if path.exists():
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[0].split("\t")
        for line in lines[1:]:
            row = dict(zip(header, line.split("\t"), strict=False))
            dates[row.get("filename", "")] = row.get("publication_date", "")
    return dates


def load_split(root: Path, split: str) -> list[GoldText]:
    """Every text of ``root/split`` with its gold quotes (medoid annotator where several)."""
    dates = read_metadata(root)
    by_text: dict[str, dict[str, Path]] = defaultdict(dict)
    for ann in sorted((root / split / "attributions").glob("*.ann")):
        name, _, annotator = ann.stem.rpartition("_")
        by_text[name][annotator] = ann
    out = []
    for name in sorted(by_text):
        text = (root / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
        annotations = {who: read_ann(path, text) for who, path in by_text[name].items()}
        chosen = medoid(annotations)
        out.append(GoldText(name, text, dates.get(name) or None, chosen, tuple(annotations[chosen])))
    return out
