"""The export document (JSON, JSON Lines, CSV) and the JSON Schema it follows.

JSON: ``{"storyline_export": 1, "articles": [...], "reuse": [...], ...}``; each analysis
stage adds its own top-level section. JSON Lines: a header line ``{"storyline_export": 1}``
then one ``{"section": NAME, "record": {...}}`` line per record. CSV: one section as a table.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import asdict
from functools import lru_cache
from importlib import resources
from typing import Any, TextIO

from storyline.corpus import Corpus
from storyline.records import Article, ReuseLink
from storyline.stages.entities import entity_to_export
from storyline.stages.events import event_record, story_record
from storyline.stages.quotes import quote_to_export
from storyline.store.base import Store

EXPORT_VERSION = 1
FORMATS = ("json", "jsonl", "csv")


def article_record(article: Article) -> dict[str, Any]:
    """The export form of an article."""
    return asdict(article)


def reuse_record(link: ReuseLink) -> dict[str, Any]:
    """The export form of a reuse link."""
    return {**asdict(link), "score": round(link.score, 4),
            "alignments": [{**asdict(a), "similarity": round(a.similarity, 4)} for a in link.alignments]}


def build_export(store: Store) -> dict[str, Any]:
    """The whole export document for the store (sections with no records are left out)."""
    corpus = Corpus(store)
    doc: dict[str, Any] = {"storyline_export": EXPORT_VERSION}
    doc["articles"] = [article_record(a) for a in store.articles()]
    sections: dict[str, list[dict[str, Any]]] = {
        "reuse": [reuse_record(link) for link in store.reuse_links()],
        "entities": [entity_to_export(s.entity) for s in corpus.entities()],
        "quotes": [quote_to_export(q) for q in corpus.quotes()],
        "events": [event_record(e) for e in corpus.events()],
        "stories": [story_record(s) for s in corpus.stories()],
        "claims": [corpus.claim_record(c) for c in corpus.claims()],
    }
    doc.update({name: records for name, records in sections.items() if records})
    return doc


@lru_cache(maxsize=1)
def export_schema() -> dict[str, Any]:
    """The JSON Schema of the export document (shipped in the package)."""
    text = resources.files("storyline").joinpath("schema/export.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_export(doc: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError if ``doc`` does not follow the export schema."""
    import jsonschema

    jsonschema.validate(doc, export_schema())


def write_export(doc: dict[str, Any], fmt: str, out: TextIO, section: str = "articles") -> None:
    """Write ``doc`` to ``out`` as json, jsonl, or csv (one ``section`` as a table)."""
    if fmt == "json":
        json.dump(doc, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        for line in jsonl_lines(doc):
            out.write(line + "\n")
    elif fmt == "csv":
        _write_csv(doc.get(section, []), out)
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def jsonl_lines(doc: dict[str, Any]) -> Iterator[str]:
    """The JSON Lines form of ``doc``: a header line, then one line per record."""
    yield json.dumps({"storyline_export": doc["storyline_export"]})
    for name, records in doc.items():
        if isinstance(records, list):
            for record in records:
                yield json.dumps({"section": name, "record": record}, ensure_ascii=False)


def read_jsonl_export(lines: list[str]) -> dict[str, Any]:
    """Rebuild the JSON document from its JSON Lines form (inverse of :func:`jsonl_lines`)."""
    header = json.loads(lines[0])
    doc: dict[str, Any] = {"storyline_export": header["storyline_export"], "articles": []}
    for line in lines[1:]:
        if line.strip():
            entry = json.loads(line)
            doc.setdefault(entry["section"], []).append(entry["record"])
    return doc


def _write_csv(records: list[dict[str, Any]], out: TextIO) -> None:
    if not records:
        return
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                         for k, v in record.items()})
