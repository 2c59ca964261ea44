"""The export document (JSON, JSON Lines, CSV, Parquet) and the JSON Schema it follows.

JSON: ``{"storyline_export": 1, "articles": [...], "reuse": [...], ...}``; each analysis
stage adds its own top-level section. JSON Lines: a header line ``{"storyline_export": 1}``
then one ``{"section": NAME, "record": {...}}`` line per record. CSV: one section as a table.
Parquet: a folder holding one ``SECTION.parquet`` table per section (:func:`export_parquet_folder`),
or one section as a single file; nested fields stay nested, so Spark or DuckDB query them as they are.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import asdict, fields
from functools import lru_cache
from importlib import resources
from typing import IO, TYPE_CHECKING, Any, TextIO, cast

from storyline.errors import StorylineError
from storyline.read.corpus import Corpus
from storyline.records import Article, ReuseLink
from storyline.stages.entities import entity_to_export
from storyline.stages.events import event_record, story_record
from storyline.stages.quotes import quote_to_export
from storyline.store.base import Store

if TYPE_CHECKING:
    import pyarrow as pa

EXPORT_VERSION = 2  # 2: confidences, cue classes, unnamed speakers, claim sources (issue 14)
FORMATS = ("json", "jsonl", "csv", "parquet")
_SQLITE_HEADER = b"SQLite format 3\x00"
_SIDE_FILES = ("-wal", "-shm", "-journal")


class OutputError(StorylineError):
    """An export cannot be written where asked (the message names the file and what to do)."""


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
    elif fmt == "parquet":
        raise ValueError("Parquet is binary: write it with export_to_file or export_parquet_folder")
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _store_file(real: str, stores: Sequence[str]) -> tuple[str, str] | None:
    """(store, suffix) when ``real`` (a resolved path) is one of ``stores`` or one of their side
    files (suffix "" for the store itself), else None."""
    for store in stores:
        for suffix in ("", *_SIDE_FILES):
            other = store + suffix
            if real == os.path.realpath(other) or _same_file(real, other):
                return store, suffix
    return None


def check_output(path: str, stores: Sequence[str] = ()) -> str:
    """The file an export to ``path`` would write (symlinks followed); OutputError when that file is
    one of ``stores`` or their WAL side files, any SQLite database, a folder, or in a folder that is
    missing or not writable. Nothing is written."""
    if not path.strip():
        raise OutputError("empty output file name; give -o FILE")
    real = os.path.realpath(path)
    hit = _store_file(real, stores)
    if hit is not None:
        store, suffix = hit
        what = f"the store {store}" if not suffix else f"the {suffix[1:]} file of the store {store}"
        raise OutputError(f"{path} is {what}: exporting there would destroy it; choose another file")
    try:
        info: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{path} is a folder; give a file name (e.g. {os.path.join(path, 'corpus.json')})")
    folder = os.path.dirname(real)
    if not os.path.isdir(folder):
        raise OutputError(f"cannot write {path}: no folder {folder}; create it first")
    if info is None or not stat.S_ISREG(info.st_mode):
        if info is None and not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"cannot write {path}: the folder {folder} is not writable")
        return real
    if _is_sqlite(real):
        raise OutputError(f"{path} is an SQLite database: an export never overwrites one; choose another file")
    for suffix in _SIDE_FILES:
        if real.endswith(suffix) and _is_sqlite(real.removesuffix(suffix)):
            raise OutputError(f"{path} belongs to the SQLite database {real.removesuffix(suffix)}; "
                              "choose another file")
    if not os.access(real, os.W_OK) or not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: permission denied")
    return real


def export_to_file(doc: dict[str, Any], fmt: str, path: str, section: str = "articles",
                   stores: Sequence[str] = ()) -> None:
    """Write ``doc`` to the file ``path`` (see :func:`check_output` for what is refused).

    A regular file is written to a temporary file beside it and renamed into place, so an
    interrupted export leaves the old file whole; a device or pipe (``/dev/stdout``) is written
    directly. ``fmt="parquet"`` writes the one ``section`` as a Parquet table.
    """
    real = check_output(path, stores)
    if fmt == "parquet":
        table = section_table(doc, section)

        def write(handle: IO[Any]) -> None:
            _write_table(table, handle)
    else:
        def write(handle: IO[Any]) -> None:
            write_export(doc, fmt, cast(TextIO, handle), section)
    try:
        _write_replacing(real, write, binary=fmt == "parquet")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write_replacing(real: str, write: Callable[[IO[Any]], None], binary: bool) -> None:
    mode_flags = "wb" if binary else "w"
    encoding = None if binary else "utf-8"
    newline = None if binary else ""
    if os.path.exists(real) and not os.path.isfile(real):
        with open(real, mode_flags, encoding=encoding, newline=newline) as handle:
            write(handle)
        return
    mode = _new_file_mode(real)
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(real), prefix=f".{os.path.basename(real)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode_flags, encoding=encoding, newline=newline) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, real)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def section_table(doc: dict[str, Any], section: str) -> pa.Table:
    """One section of ``doc`` as an Arrow table tagged with the export version and section name.

    Articles have a fixed all-string schema (an empty store still gives a typed table); the other
    sections' types are inferred from their records: nested lists and records stay nested, a field
    that is empty everywhere becomes strings, and a field whose values disagree in type is written
    as JSON text.
    """
    import pyarrow as pa

    records: list[dict[str, Any]] = doc.get(section, [])
    if section == "articles":
        names = [f.name for f in fields(Article)]
        schema = pa.schema([pa.field(name, pa.string(), nullable=name not in ("id", "path", "text"))
                            for name in names])
        table = pa.Table.from_pylist(records, schema=schema)
    else:
        names = list(dict.fromkeys(key for record in records for key in record))
        table = pa.table({name: _column([record.get(name) for record in records]) for name in names})
    tags = {b"storyline_export": str(doc["storyline_export"]).encode(), b"storyline_section": section.encode()}
    return table.replace_schema_metadata(tags)


def _column(values: list[Any]) -> pa.Array:
    import pyarrow as pa

    try:
        array = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return pa.array([None if v is None else json.dumps(v, ensure_ascii=False) for v in values], pa.string())
    concrete = _concrete(array.type)
    return array if concrete == array.type else array.cast(concrete)


def _concrete(kind: pa.DataType) -> pa.DataType:
    """``kind`` with every null type made a string: Spark and Hive cannot read Parquet's null columns."""
    import pyarrow as pa

    if pa.types.is_null(kind):
        return pa.string()
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return pa.list_(_concrete(kind.value_type))
    if pa.types.is_struct(kind):
        return pa.struct([pa.field(f.name, _concrete(f.type)) for f in kind])
    return kind


def _write_table(table: pa.Table, handle: IO[Any]) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table, handle, compression="zstd")


def export_parquet_folder(doc: dict[str, Any], path: str, stores: Sequence[str] = ()) -> list[str]:
    """Write every section of ``doc`` as ``path/SECTION.parquet``; the file names written.

    The folder is built beside ``path`` under a temporary name and renamed into place, so an
    interrupted export leaves no half folder; an earlier Parquet export at ``path`` is replaced.
    See :func:`check_output_folder` for what is refused.
    """
    real = check_output_folder(path, stores)
    parent = os.path.dirname(real)
    names = [name for name, records in doc.items() if isinstance(records, list)]
    tables = {name: section_table(doc, name) for name in names}  # before any file is touched
    try:
        building = tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(real)}.", suffix=".tmp")
        try:
            for name, table in tables.items():
                with open(os.path.join(building, f"{name}.parquet"), "wb") as handle:
                    _write_table(table, handle)
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(building, stat.S_IMODE(os.stat(real).st_mode) if os.path.isdir(real) else 0o777 & ~_umask())
            _swap_folder(building, real)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    return [os.path.join(path, f"{name}.parquet") for name in names]


def _swap_folder(new: str, real: str) -> None:
    if not os.path.exists(real):
        os.rename(new, real)
        return
    old = tempfile.mkdtemp(dir=os.path.dirname(real), prefix=f".{os.path.basename(real)}.", suffix=".old")
    os.rename(real, os.path.join(old, "export"))
    try:
        os.rename(new, real)
    except BaseException:
        os.rename(os.path.join(old, "export"), real)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def check_output_folder(path: str, stores: Sequence[str] = ()) -> str:
    """The folder a Parquet export to ``path`` would write; OutputError when ``path`` is a store or
    another file, a folder holding anything but an earlier Parquet export, or in a folder that is
    missing or not writable. Nothing is written."""
    if not path.strip():
        raise OutputError("empty output folder name; give -o FOLDER")
    real = os.path.realpath(path)
    hit = _store_file(real, stores)
    if hit is not None:
        raise OutputError(f"{path} is the store {hit[0]}: exporting there would destroy it; choose a new folder")
    if os.path.lexists(real) and not os.path.isdir(real):
        raise OutputError(f"{path} is a file: a Parquet export writes a folder of one file per section; "
                          "choose a new folder, or give --section NAME to write one section as a file")
    if os.path.isdir(real):
        others = [entry for entry in sorted(os.listdir(real)) if not _is_parquet_file(os.path.join(real, entry))]
        if others:
            raise OutputError(f"{path} holds files that are not Parquet ({others[0]}): an export replaces "
                              "its folder whole; choose a new or empty folder")
    parent = os.path.dirname(real)
    if not os.path.isdir(parent):
        raise OutputError(f"cannot write {path}: no folder {parent}; create it first")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: the folder {parent} is not writable")
    return real


def _is_parquet_file(path: str) -> bool:
    if not path.endswith(".parquet") or os.path.islink(path) or not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PAR1"
    except OSError:
        return False


def _umask() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _is_sqlite(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False


def _new_file_mode(path: str) -> int:
    """The permissions of the file being replaced, or those a new file gets under the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


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
