"""The exceptions the library raises; the CLI turns them into one-line messages."""

from __future__ import annotations


class StorylineError(Exception):
    """Base class: the message is one line saying what happened and what to do.

    ``hint`` is what a command-line user can do about it (a command to try, the store's path); it is
    part of ``str(error)``, which the CLI prints, and left out of ``reason``, which the pages and the
    JSON API show (a web reader runs no commands and need not see the server's paths).
    """

    def __init__(self, reason: str = "", hint: str | None = None) -> None:
        super().__init__(f"{reason} ({hint})" if hint else reason)
        self.reason = reason
        self.hint = hint


class InputError(StorylineError):
    """An input file (or one item in it) could not be read. The message is the reason only;
    the caller adds the file name."""


class StoreError(StorylineError):
    """The store could not be opened, migrated or written."""


class NotFoundError(StorylineError):
    """A requested record (article, link, ...) is not in the store."""


class QueryError(StorylineError):
    """A search query or filter could not be understood (the message says why and what works)."""
