"""Parquet: one article a row, with the JSON Lines reader's columns (``text``, ``title``, ``url``,
``published``, ``source``, ``author``), so a JSONL corpus and its Parquet twin give the same articles.

Row groups are streamed a few hundred rows at a time and only those columns are read, so a file
with nested analysis columns (a storyline export) or millions of rows never sits in memory whole.
``published`` may also be a Parquet date or timestamp; other columns must hold strings.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from storyline.errors import InputError
from storyline.records import IngestError, RawItem

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

MAGIC = b"PAR1"
EXTENSIONS = (".parquet", ".pq")
COLUMNS = ("text", "title", "url", "published", "source", "author")
# Rows decoded at a time: a few hundred articles (a few MB), whatever the file's row-group size.
BATCH_ROWS = 256
# Schema metadata the export writes; files of its other sections hold no articles and are passed over.
SECTION_KEY = b"storyline_section"
_NOT_UTF8 = object()


def is_parquet_name(path: str) -> bool:
    """Whether the file name says Parquet (``.parquet`` or ``.pq``)."""
    return path.lower().endswith(EXTENSIONS)


def read_parquet_file(path: str, max_bytes: int) -> Iterator[RawItem | IngestError]:
    """Every row of the Parquet file at ``path``, streamed from disk (see :func:`read_parquet`)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as handle:
        # Checked on the opened file: a FIFO or device swapped in after discovery is still refused.
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError("not a regular file; only regular files are read")
        yield from read_parquet(handle, path, max_bytes)


def read_parquet(source: BinaryIO | pa.NativeFile, path: str, max_bytes: int) -> Iterator[RawItem | IngestError]:
    """Each row as a RawItem; a row without text becomes an IngestError naming ``path#row``.

    A file that is not Parquet, lacks a ``text`` column, has a column of the wrong type, or whose
    article columns decompress past ``max_bytes`` raises InputError (one line); corrupt data
    part-way stops the file with an IngestError after the rows before it.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(source)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"not a readable Parquet file ({_first_line(exc)})") from None
    metadata = parquet.schema_arrow.metadata or {}
    if metadata.get(SECTION_KEY, b"articles") != b"articles":
        return
    columns = _article_columns(parquet.schema_arrow)
    _check_size(parquet, columns, max_bytes)
    row = read = 0
    try:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=list(columns), use_threads=False):
            values = {name: _values(batch.column(name)) for name in columns}
            for index in range(batch.num_rows):
                record = {name: values[name][index] for name in columns}
                # The metadata counts a repeated (dictionary-encoded) value once: the limit holds for what is read.
                read += sum(len(value.encode("utf-8")) for value in record.values() if isinstance(value, str))
                if read > max_bytes:
                    yield IngestError(path, f"Parquet article columns decompress to more than the {_mb(max_bytes)} "
                                            f"limit at row {row + 1} (raise it with --max-bytes); the rows before "
                                            "were read")
                    return
                row += 1
                yield _item(record, f"{path}#{row}")
    except (pa.ArrowException, OSError) as exc:
        yield IngestError(path, f"corrupt Parquet data after row {row} ({_first_line(exc)}); "
                                "the rows before were read")


def _article_columns(schema: pa.Schema) -> tuple[str, ...]:
    import pyarrow.types as types

    if "text" not in schema.names:
        raise InputError(f'Parquet file has no "text" column (columns: {", ".join(schema.names) or "none"})')
    present = tuple(name for name in COLUMNS if name in schema.names)
    for name in present:
        kind = schema.field(name).type
        if types.is_dictionary(kind):
            kind = kind.value_type
        stringy = types.is_string(kind) or types.is_large_string(kind) or types.is_string_view(kind)
        dated = name == "published" and (types.is_date(kind) or types.is_timestamp(kind))
        if not (stringy or dated or types.is_null(kind)):
            allowed = "a string, date or timestamp" if name == "published" else "a string"
            raise InputError(f'Parquet column "{name}" is {kind}; it must be {allowed}')
    return present


def _check_size(parquet: pq.ParquetFile, columns: tuple[str, ...], max_bytes: int) -> None:
    """InputError when the article columns decompress past ``max_bytes``, as a JSONL file would be."""
    meta = parquet.metadata
    total = 0
    for group in range(meta.num_row_groups):
        chunks = meta.row_group(group)
        for index in range(chunks.num_columns):
            chunk = chunks.column(index)
            if chunk.path_in_schema in columns:
                total += chunk.total_uncompressed_size
    if total > max_bytes:
        raise InputError(f"Parquet article columns decompress to {_mb(total)}, over the {_mb(max_bytes)} limit "
                         "(raise it with --max-bytes)")


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _values(column: pa.Array) -> list[Any]:
    """The column's Python values; a string that is not UTF-8 (Parquet readers do not check) is ``_NOT_UTF8``."""
    try:
        return column.to_pylist()
    except UnicodeDecodeError:
        values: list[Any] = []
        for index in range(len(column)):
            try:
                values.append(column[index].as_py())
            except UnicodeDecodeError:
                values.append(_NOT_UTF8)
        return values


def _item(record: dict[str, Any], item_path: str) -> RawItem | IngestError:
    broken = [name for name, value in record.items() if value is _NOT_UTF8]
    if broken:
        return IngestError(item_path, f"Parquet row field(s) {', '.join(broken)} are not valid UTF-8")
    text = record["text"]
    if text is None:
        return IngestError(item_path, 'Parquet row has no "text"')
    if not text.strip():
        return IngestError(item_path, 'Parquet row has an empty "text"')
    published = record.get("published")
    if isinstance(published, dt.date):  # datetime included: keep its time and zone, as a JSONL string would
        published = published.isoformat()
    return RawItem(
        path=item_path,
        text=text,
        title=record.get("title"),
        url=record.get("url"),
        published=published,
        author=record.get("author"),
        site_name=record.get("source"),
    )


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
