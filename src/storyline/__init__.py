"""storyline: track how a news narrative travels across outlets and years.

The small public API; the CLI, the HTTP API and the web UI are thin layers over it.
"""

from storyline.errors import InputError, NotFoundError, StoreError, StorylineError
from storyline.export import build_export, export_schema, validate_export, write_export
from storyline.ingest.normalise import normalise
from storyline.pipeline import IngestReport, analyse, ingest_files, plan_ingest
from storyline.records import Alignment, Article, IngestError, RawItem, ReuseLink, Span
from storyline.settings import Settings, load_settings
from storyline.store import Store, open_store
from storyline.summary import CorpusSummary, summarise

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
