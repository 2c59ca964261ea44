"""storyline: track how a news narrative travels across outlets and years.

The small public API; the CLI, the HTTP API and the web UI are thin layers over it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storyline.errors import InputError, NotFoundError, StoreError, StorylineError
    from storyline.export import build_export, export_schema, validate_export, write_export
    from storyline.ingest.normalise import normalise
    from storyline.pipeline import IngestReport, analyse, ingest_files, plan_ingest
    from storyline.read.summary import CorpusSummary, summarise
    from storyline.records import Alignment, Article, IngestError, RawItem, ReuseLink, Span
    from storyline.settings import Settings, load_settings
    from storyline.store import Store, open_store

# The public names are imported on first use (PEP 562), so `import storyline` (and the CLI's start,
# which a Ctrl-C may interrupt) does not load spaCy and torch before a command needs them.
_HOMES = {
    "InputError": "storyline.errors", "NotFoundError": "storyline.errors", "StoreError": "storyline.errors",
    "StorylineError": "storyline.errors",
    "build_export": "storyline.export", "export_schema": "storyline.export", "validate_export": "storyline.export",
    "write_export": "storyline.export",
    "normalise": "storyline.ingest.normalise",
    "IngestReport": "storyline.pipeline", "analyse": "storyline.pipeline", "ingest_files": "storyline.pipeline",
    "plan_ingest": "storyline.pipeline",
    "Alignment": "storyline.records", "Article": "storyline.records", "IngestError": "storyline.records",
    "RawItem": "storyline.records", "ReuseLink": "storyline.records", "Span": "storyline.records",
    "Settings": "storyline.settings", "load_settings": "storyline.settings",
    "Store": "storyline.store", "open_store": "storyline.store",
    "CorpusSummary": "storyline.read.summary", "summarise": "storyline.read.summary",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'storyline' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
    "Alignment",
    "Article",
    "CorpusSummary",
    "IngestError",
    "IngestReport",
    "InputError",
    "NotFoundError",
    "RawItem",
    "ReuseLink",
    "Settings",
    "Span",
    "Store",
    "StoreError",
    "StorylineError",
    "analyse",
    "build_export",
    "export_schema",
    "ingest_files",
    "load_settings",
    "normalise",
    "open_store",
    "plan_ingest",
    "summarise",
    "validate_export",
    "write_export",
]
