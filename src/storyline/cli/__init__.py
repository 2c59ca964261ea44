"""The ``storyline`` command: each command parses options, calls one library function, prints.

One module per group of commands; importing them registers their commands on the shared app.
"""

from storyline.cli import claims, ingest, people, reuse, search, serve, stories  # noqa: F401  - registers the commands
from storyline.cli.common import app


def main() -> None:
    """Entry point for ``python -m storyline``."""
    app()


__all__ = ["app", "main"]
