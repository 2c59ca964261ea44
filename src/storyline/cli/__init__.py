"""The ``storyline`` command: each command parses options, calls one library function, prints.

One module per group of commands; importing them registers their commands on the shared app.
"""

# Importing each module registers its commands, in the order `storyline --help` lists them.
from storyline.cli import ingest, analyse, export, claims, people, reuse, search, serve, stories  # noqa: F401, I001
from storyline.cli.common import app


def main() -> None:
    """Entry point for ``python -m storyline``."""
    app()


__all__ = ["app", "main"]
