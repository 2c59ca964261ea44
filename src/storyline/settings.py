"""Every setting declared once, with its default and help.

Precedence, lowest first: the defaults here < a TOML file (``storyline.toml`` in the working
directory, or the file named by ``STORYLINE_CONFIG``) < environment variables
(``STORYLINE_<NAME>``) < command-line flags.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from storyline.errors import StorylineError

CONFIG_FILE = "storyline.toml"
ENV_PREFIX = "STORYLINE_"
DEFAULT_MAX_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class Settings:
    """The resolved settings of one run."""

    db: str = "storyline.db"
    """The store: a SQLite file path."""
    max_bytes: int = DEFAULT_MAX_BYTES
    """Inputs larger than this (bytes, after gzip decompression) are refused."""
    batch_size: int = 100
    """Articles written per store transaction during ingest."""
    min_confidence: float = 0.0
    """Facts (quotes, speakers, types, roles, memberships) below this confidence are hidden."""
    workers: int = 0
    """Processes for the per-article analysis (0: every core)."""
    engine: str = "local"
    """Where the per-article analysis runs: local (worker processes) or spark."""
    spark_master: str = "local[*]"
    """The Spark master URL of the spark engine (local[N], spark://host:7077, yarn)."""


HELP: dict[str, str] = {
    "db": "The store: a SQLite file path.",
    "max_bytes": "Inputs larger than this many bytes (after gzip decompression) are refused.",
    "batch_size": "Articles written per store transaction during ingest.",
    "min_confidence": "Hide facts whose confidence is below this (0-1; facts under 0.8 are shown marked uncertain).",
    "workers": "Processes for the per-article analysis (0: every core).",
    "engine": "Where the per-article analysis runs: local (worker processes) or spark.",
    "spark_master": "The Spark master URL of the spark engine (local[N], spark://host:7077, yarn).",
}
# Declared ranges: a value outside them is refused with a message, not silently used.
RANGES: dict[str, tuple[float, float]] = {"min_confidence": (0.0, 1.0), "batch_size": (1, 100_000),
                                          "max_bytes": (1, 10**12), "workers": (0, 1024)}
# Declared choices: a value outside them is refused with a message.
CHOICES: dict[str, tuple[str, ...]] = {"engine": ("local", "spark")}


def _coerce(name: str, value: Any, kind: type) -> Any:
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise StorylineError(f"setting {name!r}: {value!r} is not a valid {kind.__name__}") from None


def load_settings(overrides: dict[str, Any] | None = None, cwd: Path | None = None) -> Settings:
    """Resolve the settings: defaults < config file < environment < ``overrides`` (flags)."""
    values: dict[str, Any] = {}
    config = os.environ.get(ENV_PREFIX + "CONFIG") or str((cwd or Path.cwd()) / CONFIG_FILE)
    if Path(config).is_file():
        try:
            values.update(tomllib.loads(Path(config).read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise StorylineError(f"{config}: cannot read the settings file ({exc})") from None
    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise StorylineError(f"{config}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(known)}")
    for name in known:
        env = os.environ.get(ENV_PREFIX + name.upper())
        if env is not None:
            values[name] = env
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    settings = Settings()
    for name, value in values.items():
        kind = type(getattr(settings, name))
        coerced = _coerce(name, value, kind)
        if name in RANGES and not RANGES[name][0] <= coerced <= RANGES[name][1]:
            low, high = RANGES[name]
            span = f"{low:,} to {high:,}" if isinstance(low, int) else f"{low:g} to {high:g}"
            flag = "--" + name.replace("_", "-")
            raise StorylineError(f"setting {name!r} ({flag}): {value!r} is out of range: give {span}")
        if name in CHOICES and coerced not in CHOICES[name]:
            flag = "--" + name.replace("_", "-")
            raise StorylineError(f"setting {name!r} ({flag}): {value!r} is not one of {', '.join(CHOICES[name])}")
        settings = replace(settings, **{name: coerced})
    return settings
