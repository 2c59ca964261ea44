"""The documents the entities audit draws from: the example corpus, PolNeAR dev and ECB+ dev, as Articles.

Texts are read from where they live (the example corpus in the repository, the dev sets under the
path given on the command line); nothing of them is copied into the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from benchmarks.events_data import load_ecbplus
from storyline.ingest.files import read_file
from storyline.ingest.normalise import normalise
from storyline.records import Article

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "serbia-sanctions"


@dataclass(frozen=True, slots=True)
class AuditDoc:
    """One document: its dataset (example, polnear, ecbplus), its name there, a group (ECB+ topic), the Article."""

    dataset: str
    doc: str
    group: str
    article: Article


def load_docs(polnear: str | Path, ecbplus: str | Path) -> list[AuditDoc]:
    """Every document of the three sources, example first, then PolNeAR dev, then ECB+ dev."""
    docs = [
        AuditDoc("example", p.name[:3], "example", normalise(next(read_file(str(p), 20_000_000))))
        for p in sorted(EXAMPLE.glob("*.txt"))
    ]
    for path in sorted((Path(polnear) / "dev" / "text").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        docs.append(AuditDoc("polnear", path.stem, "polnear", Article(id=path.stem, path=str(path), text=text)))
    for gold in load_ecbplus(ecbplus):
        docs.append(AuditDoc("ecbplus", gold.doc, str(gold.topic), gold.article))
    return docs
