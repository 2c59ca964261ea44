"""The export document in JSON, JSON Lines and CSV, validated against the shipped schema."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from storyline.export import (
    EXPORT_VERSION,
    build_export,
    export_schema,
    read_jsonl_export,
    validate_export,
    write_export,
)
from storyline.records import Alignment, Article, ReuseLink
from storyline.store import SQLiteStore
from tests.conftest import ingest_paths

ARTICLE_KEYS = {"id", "path", "url", "source", "title", "published", "language", "text"}


@pytest.fixture
def doc(store: SQLiteStore, example_dir: Path) -> dict:
    ingest_paths(store, example_dir)
    ids = [a.id for a in store.articles()]
    store.add_reuse_links([ReuseLink(ids[4], ids[1], "rewrite", 0.91, "textual: drops quotes",
                                     (Alignment(0, 10, 0, 12, 0.8),))])
    return build_export(store)


def test_json_export_has_every_article_field_and_validates(doc: dict) -> None:
    validate_export(doc)
    assert doc["storyline_export"] == EXPORT_VERSION == 2
    assert len(doc["articles"]) == 5
    assert all(set(a) >= ARTICLE_KEYS for a in doc["articles"])
    assert doc["reuse"][0]["kind"] == "rewrite"


def test_jsonl_export_round_trips_and_validates(doc: dict) -> None:
    buffer = io.StringIO()
    write_export(doc, "jsonl", buffer)
    lines = buffer.getvalue().splitlines()
    assert json.loads(lines[0]) == {"storyline_export": EXPORT_VERSION}
    rebuilt = read_jsonl_export(lines)
    validate_export(rebuilt)
    assert rebuilt == doc


def test_csv_export_of_articles(doc: dict) -> None:
    buffer = io.StringIO()
    write_export(doc, "csv", buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert len(rows) == 5
    assert {r["id"] for r in rows} == {a["id"] for a in doc["articles"]}
    assert next(r for r in rows if r["published"] == "2023-12-09")["source"] == "sputnikglobe.com"


def test_schema_rejects_a_broken_document(doc: dict) -> None:
    broken = json.loads(json.dumps(doc))
    broken["articles"][0]["published"] = "9 Dec 2023"
    with pytest.raises(jsonschema.ValidationError):
        validate_export(broken)
    broken = json.loads(json.dumps(doc))
    del broken["articles"][0]["text"]
    with pytest.raises(jsonschema.ValidationError):
        validate_export(broken)


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(export_schema())


def test_empty_store_exports_an_empty_valid_document(store: SQLiteStore) -> None:
    doc = build_export(store)
    validate_export(doc)
    assert doc == {"storyline_export": EXPORT_VERSION, "articles": []}


def test_exported_spans_point_into_the_stored_text(doc: dict) -> None:
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    for link in doc.get("reuse", []):
        for al in link["alignments"]:
            assert 0 <= al["source_start"] < al["source_end"] <= len(texts[link["source"]])
            assert 0 <= al["derived_start"] < al["derived_end"] <= len(texts[link["derived"]])


def test_article_records_match_the_dataclass(doc: dict) -> None:
    assert set(doc["articles"][0]) == {f for f in Article.__dataclass_fields__}
