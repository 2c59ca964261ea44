"""Write one benchmark's section of BENCHMARKS.md without touching the others.

Each section sits between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->`` markers, so
benchmarks run in any order (or alone) and only replace what they measured. Figures in
BENCHMARKS.md come from here, never from a hand edit.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import platform
import re
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
_HEADER = (
    "# Benchmarks\n\n"
    "Written by the benchmark commands in `benchmarks/` (see each section for the command that\n"
    "wrote it). Do not edit figures by hand: re-run the command.\n"
)


def machine() -> str:
    """A one-line description of the machine the figures were measured on."""
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_section(name: str, body: str, path: Path = DEFAULT_PATH, command: str | None = None) -> Path:
    """Replace (or append) the section ``name`` of BENCHMARKS.md with ``body`` (markdown)."""
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    meta = f"_Measured {stamp} on {machine()}._"
    if command:
        meta += f" Command: `{command}`"
    block = f"<!-- bench:{name} -->\n{body.rstrip()}\n\n{meta}\n<!-- /bench:{name} -->"
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.S)
    # benchmarks may run side by side: the read-modify-write of the file holds an exclusive lock
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        text = path.read_text(encoding="utf-8") if path.exists() else _HEADER
        if pattern.search(text):
            text = pattern.sub(lambda _m: block, text)
        else:
            text = text.rstrip() + "\n\n" + block + "\n"
        path.write_text(text, encoding="utf-8")
    return path


def publish(name: str, body: str, command: str, dry_run: bool = False) -> None:
    """Print a benchmark's section and, unless ``dry_run`` (a ``--no-write`` run), write it to BENCHMARKS.md."""
    if not dry_run:
        write_section(name, body, command=command)
    print(body)


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A markdown table; floats are shown with three decimals."""

    def cell(value: object) -> str:
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
