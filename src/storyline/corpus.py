"""Moved to :mod:`storyline.read.corpus`; this name stays only while the export, the web-latency benchmark and
the stage tests import :class:`Corpus` from here (drop it once they import ``storyline.read.corpus``)."""

from storyline.read.corpus import Corpus

__all__ = ["Corpus"]
