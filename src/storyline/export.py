"""The export document (JSON, JSON Lines, CSV) and the JSON Schema it follows.

JSON: ``{"storyline_export": 1, "articles": [...], "reuse": [...], ...}``; each analysis
stage adds its own top-level section. JSON Lines: a header line ``{"storyline_export": 1}``
then one ``{"section": NAME, "record": {...}}`` line per record. CSV: one section as a table.
"""

from __future__ import annotations

import csv
import json
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import asdict
from functools import lru_cache
from importlib import resources
from typing import Any, TextIO

from storyline.corpus import Corpus
from storyline.errors import StorylineError
from storyline.records import Article, ReuseLink
from storyline.stages.entities import entity_to_export
from storyline.stages.events import event_record, story_record
from storyline.stages.quotes import quote_to_export
from storyline.store.base import Store

EXPORT_VERSION = 2  # 2: confidences, cue classes, unnamed speakers, claim sources (issue 14)
FORMATS = ("json", "jsonl", "csv")
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
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def check_output(path: str, stores: Sequence[str] = ()) -> str:
    """The file an export to ``path`` would write (symlinks followed); OutputError when that file is
    one of ``stores`` or their WAL side files, any SQLite database, a folder, or in a folder that is
    missing or not writable. Nothing is written."""
    if not path.strip():
        raise OutputError("empty output file name; give -o FILE")
    real = os.path.realpath(path)
    for store in stores:
        for suffix in ("", *_SIDE_FILES):
            other = store + suffix
            if real == os.path.realpath(other) or _same_file(real, other):
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
    directly.
    """
    real = check_output(path, stores)
    try:
        if os.path.exists(real) and not os.path.isfile(real):
            with open(real, "w", encoding="utf-8", newline="") as handle:
                write_export(doc, fmt, handle, section)
            return
        mode = _new_file_mode(real)
        fd, temporary = tempfile.mkstemp(dir=os.path.dirname(real), prefix=f".{os.path.basename(real)}.",
                                         suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                write_export(doc, fmt, handle, section)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, real)
        except BaseException:
            with suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


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
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


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
