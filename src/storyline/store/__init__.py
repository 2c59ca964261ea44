"""Storage behind one small interface; SQLite is the embedded default."""

from __future__ import annotations

from storyline.store.base import Store
from storyline.store.sqlite import SQLiteStore


def open_store(location: str, read_only: bool = False) -> Store:
    """Open the store at ``location``: a SQLite file path or ``sqlite:///path``."""
    path = location.removeprefix("sqlite:///") if location.startswith("sqlite:///") else location
    return SQLiteStore(path, read_only=read_only)


__all__ = ["SQLiteStore", "Store", "open_store"]
