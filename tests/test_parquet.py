"""Parquet in and out (issue 16, requirement 4): ingest of Parquet articles, one row each, and
``storyline export --format parquet``, a folder of one table per section or one section as a file."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import storyline.export as export_module
from storyline.cli import app
from storyline.export import OutputError, check_output_folder, section_table
from storyline.ingest.parquet import BATCH_ROWS
from storyline.pipeline import read_articles
from storyline.records import Article, IngestError
from storyline.store import SQLiteStore, open_store
from tests.conftest import EXAMPLE, ingest_paths

TODAY = dt.date(2026, 1, 1)
BODY = "Serbia will never impose sanctions on Russia, the minister told reporters in Belgrade"


def _records() -> list[dict[str, Any]]:
    """Articles as a JSONL user has them: the example corpus texts with every kind of metadata."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLE.glob("*.txt"))]
    return [
        {"text": texts[0], "title": "Serbia refuses sanctions", "url": "https://www.rt.com/news/2022/03/22/x",
         "published": "2022-03-22T10:00:00Z", "author": "  A.  Writer "},
        {"text": texts[1], "source": "Sputnik Globe", "published": "Sat, 09 Dec 2023 12:00:00 +0000"},
        {"text": texts[2], "url": "https://example.org/2023/12/09/story"},
        {"text": texts[3], "title": None, "source": None},
        {"text": texts[4], "published": "not a date"},
    ]


def _write_parquet(path: Path, records: list[dict[str, Any]], **kwargs: Any) -> Path:
    # Every key of every record (Table.from_pylist would keep only the first record's keys).
    names = list(dict.fromkeys(key for record in records for key in record))
    pq.write_table(pa.table({name: [record.get(name) for record in records] for name in names}), path, **kwargs)
    return path


def _read(path: Path, max_bytes: int = 20_000_000) -> list[Article | IngestError]:
    return list(read_articles(str(path), max_bytes, today=TODAY))


def _without_path(article: Article | IngestError) -> tuple[Any, ...]:
    assert isinstance(article, Article), article
    return (article.id, article.text, article.url, article.source, article.title, article.published,
            article.language, article.author, article.date_basis, article.path.rsplit("#", 1)[1])


def _cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _stored(db: Path | str) -> dict[str, str]:
    with sqlite3.connect(db) as raw:
        return dict(raw.execute("SELECT id, text FROM articles").fetchall())


# Ingest


def test_a_jsonl_corpus_and_its_parquet_twin_give_identical_articles(tmp_path: Path) -> None:
    records = _records()
    jsonl = tmp_path / "corpus.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    from_jsonl = _read(jsonl)
    from_parquet = _read(_write_parquet(tmp_path / "corpus.parquet", records))
    assert len(from_parquet) == 5
    assert [_without_path(a) for a in from_parquet] == [_without_path(a) for a in from_jsonl]
    assert [a.path for a in from_parquet if isinstance(a, Article)][:2] == [
        f"{tmp_path}/corpus.parquet#1", f"{tmp_path}/corpus.parquet#2"]
    assert {a.source for a in from_parquet if isinstance(a, Article)} >= {"rt.com", "Sputnik Globe"}


def test_published_may_be_a_parquet_date_or_timestamp(tmp_path: Path) -> None:
    text = _records()[0]["text"]
    table = pa.table({"text": [text, text + " More."],
                      "published": pa.array([dt.date(2022, 3, 22), None], pa.date32())})
    pq.write_table(table, tmp_path / "dates.parquet")
    stamps = pa.table({"text": [text], "published": pa.array([dt.datetime(2022, 3, 22, 23, 30)],
                                                             pa.timestamp("ns", tz="UTC"))})
    pq.write_table(stamps, tmp_path / "stamps.parquet")
    dated, undated = _read(tmp_path / "dates.parquet")
    (stamped,) = _read(tmp_path / "stamps.parquet")
    assert isinstance(dated, Article) and isinstance(undated, Article) and isinstance(stamped, Article)
    assert (dated.published, dated.date_basis) == ("2022-03-22", "metadata")
    assert undated.published is None
    assert stamped.published == "2022-03-22"


def test_a_malformed_row_is_one_error_naming_file_and_row_and_the_rest_lands(
    store: SQLiteStore, tmp_path: Path
) -> None:
    # More rows than one streamed batch, in several row groups: row numbers run on across both.
    rows = [{"text": f"{BODY}, report number {n}.", "title": f"Report {n}"} for n in range(1, BATCH_ROWS + 60)]
    rows[4]["text"] = None
    rows[BATCH_ROWS + 9]["text"] = "   "
    path = _write_parquet(tmp_path / "rows.parquet", rows, row_group_size=100)
    report = ingest_paths(store, path)
    assert [str(f) for f in report.failed] == [
        f'{path}#5: Parquet row has no "text"',
        f'{path}#{BATCH_ROWS + 10}: Parquet row has an empty "text"',
    ]
    assert len(report.ingested) == len(rows) - 2 == store.count_articles()
    assert store.get_article(report.ingested[-1]).path == f"{path}#{len(rows)}"


def test_a_row_that_is_not_utf8_is_one_error_and_the_rest_lands(tmp_path: Path) -> None:
    # Parquet writers and readers do not check UTF-8; a binary column relabelled as strings gets through.
    raw = [f"{BODY}, first.".encode(), f"{BODY}, \xff second.".encode("latin-1"), f"{BODY}, third.".encode()]
    pq.write_table(pa.table({"text": pa.array(raw, pa.binary()).view(pa.string())}), tmp_path / "latin.parquet")
    first, broken, third = _read(tmp_path / "latin.parquet")
    assert isinstance(first, Article) and isinstance(third, Article) and third.path.endswith("#3")
    assert str(broken) == f"{tmp_path}/latin.parquet#2: Parquet row field(s) text are not valid UTF-8"


@pytest.mark.parametrize(("content", "expected"), [
    (b'{"text": "a JSON line in a file named .parquet"}\n', "not a readable Parquet file"),
    (b"PAR1 truncated", "not a readable Parquet file"),
])
def test_a_file_that_is_not_parquet_is_one_line_error(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.parquet"
    path.write_bytes(content)
    (error,) = _read(path)
    assert isinstance(error, IngestError) and error.path == str(path)
    assert expected in error.reason and "\n" not in error.reason


def test_wrong_columns_are_refused_for_the_file(tmp_path: Path) -> None:
    no_text = _write_parquet(tmp_path / "no_text.parquet", [{"body": BODY}])
    pq.write_table(pa.table({"text": [BODY], "title": [42]}), tmp_path / "numeric.parquet")
    (missing,) = _read(no_text)
    (wrong,) = _read(tmp_path / "numeric.parquet")
    assert isinstance(missing, IngestError) and 'no "text" column (columns: body)' in missing.reason
    assert isinstance(wrong, IngestError) and wrong.reason == 'Parquet column "title" is int64; it must be a string'


def test_max_bytes_holds_for_what_the_article_columns_decompress_to(tmp_path: Path) -> None:
    # Distinct texts: the file's metadata already says they decompress past the limit; refused whole.
    distinct = _write_parquet(tmp_path / "big.parquet", [{"text": BODY + " " + os.urandom(50_000).hex()}
                                                         for _ in range(20)])
    (error,) = _read(distinct, max_bytes=1_000_000)
    assert isinstance(error, IngestError)
    assert error.reason.endswith("over the 1.0 MB limit (raise it with --max-bytes)")
    assert len(_read(distinct, max_bytes=10_000_000)) == 20


def test_max_bytes_holds_for_a_repeated_value_stored_once(tmp_path: Path) -> None:
    # One 200 kB text repeated: dictionary-encoded, the metadata counts it once; reading stops at the limit.
    path = _write_parquet(tmp_path / "bomb.parquet", [{"text": BODY + " " + "x" * 200_000}] * 20)
    items = _read(path, max_bytes=1_000_000)
    assert [type(item) for item in items] == [Article] * 4 + [IngestError]
    assert "limit at row 5 (raise it with --max-bytes); the rows before were read" in str(items[-1])


def test_parquet_without_extension_or_gzipped_is_recognised_by_content(tmp_path: Path) -> None:
    records = _records()[:2]
    plain = _write_parquet(tmp_path / "corpus", records)
    gzipped = tmp_path / "corpus.parquet.gz"
    gzipped.write_bytes(gzip.compress(plain.read_bytes()))
    expected = [_without_path(a) for a in _read(_write_parquet(tmp_path / "corpus.parquet", records))]
    assert [_without_path(a) for a in _read(plain)] == expected
    assert [_without_path(a) for a in _read(gzipped)] == expected


# Export


@pytest.fixture(scope="module")
def exported(analysed_db: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The analysed example corpus exported as a Parquet folder, and its JSON export."""
    folder = tmp_path_factory.mktemp("parquet") / "corpus"
    result = _cli("export", "--db", analysed_db, "--format", "parquet", "-o", str(folder))
    assert result.exit_code == 0, result.output
    as_json = _cli("export", "--db", analysed_db, "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    return folder, json.loads(as_json.output)


def test_the_folder_holds_every_section_with_the_json_exports_records(exported: tuple[Path, dict[str, Any]]) -> None:
    folder, doc = exported
    sections = [name for name, records in doc.items() if isinstance(records, list)]
    assert {"articles", "reuse", "entities", "quotes", "events", "stories", "claims"} <= set(sections)
    assert sorted(os.listdir(folder)) == sorted(f"{name}.parquet" for name in sections)
    for name in sections:
        table = pq.read_table(folder / f"{name}.parquet")
        assert table.schema.metadata[b"storyline_section"] == name.encode()
        assert table.to_pylist() == doc[name], name
    # Nested fields stay nested: an entity's mentions are (article, start, end) records, not JSON text.
    mentions = pq.read_table(folder / "entities.parquet").schema.field("mentions").type
    assert pa.types.is_list(mentions) and {f.name for f in mentions.value_type} == {"article", "start", "end"}


def test_export_then_ingest_gives_the_same_article_ids_and_texts(
    analysed_db: str, exported: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    folder, _doc = exported
    # The whole folder: the analysis sections are recognised as such and hold no articles to ingest.
    result = _cli("ingest", str(folder), "--db", str(tmp_path / "again.db"))
    assert result.exit_code == 0, result.output
    assert "ingested 5, duplicate 0, failed 0" in result.output
    assert _stored(tmp_path / "again.db") == _stored(analysed_db)


def test_one_section_as_one_file(analysed_db: str, tmp_path: Path) -> None:
    target = tmp_path / "quotes.parquet"
    result = _cli("export", "--db", analysed_db, "-f", "parquet", "--section", "quotes", "-o", str(target))
    assert result.exit_code == 0, result.output
    quotes = pq.read_table(target).to_pylist()
    texts = _stored(analysed_db)
    assert quotes and all(texts[q["article"]][q["start"]:q["end"]] == q["text"] for q in quotes)
    articles = tmp_path / "articles.parquet"
    written = _cli("export", "--db", analysed_db, "-f", "parquet", "--section", "articles", "-o", str(articles))
    assert written.exit_code == 0, written.output
    assert _cli("ingest", str(articles), "--db", str(tmp_path / "one.db")).exit_code == 0
    assert _stored(tmp_path / "one.db") == texts
    missing = _cli("export", "--db", analysed_db, "-f", "parquet", "--section", "nope", "-o", str(tmp_path / "x"))
    assert missing.exit_code == 2 and "no section 'nope'" in missing.output


def test_parquet_needs_an_output(analysed_db: str) -> None:
    result = _cli("export", "--db", analysed_db, "-f", "parquet")
    assert result.exit_code == 2 and "give -o FOLDER" in result.output


@pytest.mark.parametrize("section", [None, "articles"])
def test_export_refuses_to_overwrite_the_store(analysed_db: str, section: str | None) -> None:
    before = hashlib.sha256(Path(analysed_db).read_bytes()).hexdigest()
    args = ["export", "--db", analysed_db, "-f", "parquet", "-o", analysed_db]
    result = _cli(*args, *(["--section", section] if section else []))
    assert result.exit_code == 1 and "exporting there would destroy it" in result.output
    assert hashlib.sha256(Path(analysed_db).read_bytes()).hexdigest() == before


def test_a_folder_holding_the_store_or_other_files_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "store.db").write_bytes(b"SQLite format 3\x00 data")
    with pytest.raises(OutputError, match=r"holds files that are not Parquet \(store.db\)"):
        check_output_folder(str(tmp_path), [str(tmp_path / "store.db")])
    with pytest.raises(OutputError, match="is a file: a Parquet export writes a folder"):
        check_output_folder(str(tmp_path / "store.db"))
    with pytest.raises(OutputError, match="no folder"):
        check_output_folder(str(tmp_path / "missing" / "out"))
    assert (tmp_path / "store.db").read_bytes() == b"SQLite format 3\x00 data"


def test_an_export_replaces_an_earlier_one_and_an_interrupted_one_leaves_it(
    analysed_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    _write_parquet(folder / "old.parquet", [{"x": 1}])
    assert _cli("export", "--db", analysed_db, "-f", "parquet", "-o", str(folder)).exit_code == 0
    assert "old.parquet" not in os.listdir(folder) and "articles.parquet" in os.listdir(folder)
    before = {name: (folder / name).read_bytes() for name in os.listdir(folder)}

    def interrupted(table: pa.Table, handle: Any) -> None:
        if table.schema.metadata[b"storyline_section"] != b"articles":
            raise KeyboardInterrupt
        pq.write_table(table, handle)

    store = open_store(analysed_db)
    doc = export_module.build_export(store)
    store.close()
    monkeypatch.setattr(export_module, "_write_table", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export_module.export_parquet_folder(doc, str(folder))
    assert {name: (folder / name).read_bytes() for name in os.listdir(folder)} == before
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_section_types_are_ones_every_parquet_reader_takes() -> None:
    doc = {"storyline_export": 2, "things": [{"n": 1, "empty": [], "mixed": 1}, {"n": 2, "empty": [], "mixed": "one"}]}
    table = section_table(doc, "things")
    # An always-empty list is a list of strings, not of Parquet's null type; disagreeing values become JSON text.
    assert table.schema.field("empty").type == pa.list_(pa.string())
    assert table.column("mixed").to_pylist() == ["1", '"one"']
    assert table.column("n").to_pylist() == [1, 2]
