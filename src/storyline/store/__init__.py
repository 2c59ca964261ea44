"""Storage behind one small interface; SQLite is the embedded default."""

from __future__ import annotations

from storyline.store.base import Store
from storyline.store.sqlite import SQLiteStore


def open_store(location: str, read_only: bool = False, create: bool = True) -> Store:
    """Open the store at ``location``: a SQLite file path or ``sqlite:///path``.

    ``read_only`` never changes the file; ``create=False`` refuses to make a new store (a missing
    path, a 0-byte file). Anything that is not a storyline store is refused with StoreError and
    left unchanged.
    """
    path = location.removeprefix("sqlite:///") if location.startswith("sqlite:///") else location
    return SQLiteStore(path, read_only=read_only, create=create)


__all__ = ["SQLiteStore", "Store", "open_store"]
