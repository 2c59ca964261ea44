"""The bundled example corpus end to end: clean, dated, sourced articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.records import Article
from storyline.store import SQLiteStore
from tests.conftest import ingest_paths


@pytest.fixture
def by_file(store: SQLiteStore, example_dir: Path) -> dict[str, Article]:
    report = ingest_paths(store, example_dir)
    assert report.ok and len(report.ingested) == 5
    return {Path(a.path).name[:3]: a for a in store.articles()}


def test_002_is_dated_sourced_and_titled(by_file: dict[str, Article]) -> None:
    a = by_file["002"]
    assert a.published == "2023-12-09"
    assert a.source == "sputnikglobe.com"
    assert a.title == "Serbia Won't Impose Sanctions on Russia Despite Pressure - Defense Minister"
    assert a.url == ("https://sputnikglobe.com/20231209/serbia-wont-impose-sanctions-on-russia-despite-"
                     "pressure---defense-minister-1115501260.html")
    assert a.text.startswith("In an interview with Sputnik")


def test_000_is_dated_from_its_header(by_file: dict[str, Article]) -> None:
    assert by_file["000"].published == "2022-03-22"
    assert by_file["000"].text.startswith("Serbia has refused to slap sanctions")


def test_004_has_its_headline_as_title_and_no_label_or_comment_counter(by_file: dict[str, Article]) -> None:
    a = by_file["004"]
    assert a.title == ("US-sanctioned Serbia official meets Putin, says Belgrade is an ally and won't join "
                       "Western penalties")
    assert not a.text.startswith("News")
    assert "Comments on this article" not in a.text
    assert a.text.endswith("and tensions still persist.")


def test_001_and_003_are_undated(by_file: dict[str, Article]) -> None:
    assert by_file["001"].published is None
    assert by_file["003"].published is None


def test_every_article_is_english_and_keeps_its_paragraphs(by_file: dict[str, Article]) -> None:
    assert {a.language for a in by_file.values()} == {"en"}
    assert all("\n\n" in a.text and "\n\n\n" not in a.text for a in by_file.values())


def test_paths_are_as_given(by_file: dict[str, Article], example_dir: Path) -> None:
    assert by_file["001"].path == str(example_dir / "001_a7a75d920a7374ea.txt")
