"""How corpus-level stage state (entity registry, event index, claim index) is kept in the store.

Each corpus-level stage keeps one JSON document, zlib-compressed, under its own name
(``Store.put_state``): it is rewritten in the same transaction as the articles it covers, so an
interruption leaves the state and the stage bookkeeping consistent.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from storyline.store.base import Store

# zlib level 6 (the default) compresses the JSON states 5-8 times at ~50 MB/s; higher levels
# barely shrink them further and cost several times longer on every chunk.
_LEVEL = 6


def dump_json(data: Any) -> bytes:
    """Compact JSON, zlib-compressed."""
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), _LEVEL)


def load_json(blob: bytes) -> Any:
    """Inverse of :func:`dump_json`."""
    return json.loads(zlib.decompress(blob).decode("utf-8"))


def read_state(store: Store, name: str) -> dict[str, Any] | None:
    """The stored state of stage ``name``, None if the stage never ran."""
    blob = store.state(name)
    return None if blob is None else dict(load_json(blob))


def write_state(store: Store, name: str, state: dict[str, Any]) -> None:
    """Replace the stored state of stage ``name``."""
    store.put_state(name, dump_json(state))
