"""The ``storyline`` command's entry point: the CLI is imported here, where a Ctrl-C during that
import (spaCy and torch load in the first seconds) ends the command quietly instead of with a traceback."""

from __future__ import annotations


def main() -> None:
    """Run the ``storyline`` command line."""
    try:
        from storyline.cli import app
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    app()
