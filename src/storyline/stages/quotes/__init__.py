"""Quotes and reported speech: direct, indirect and mixed, each with its cue and speaker.

Found per article by :func:`storyline.stages.entities.analyse_people` (which shares one spaCy
parse with the entities stage); :class:`storyline.stages.entities.EntityRegistry` resolves the
speakers across the corpus.
"""

from storyline.stages.quotes.records import QUOTE_KINDS, LocalQuote, Quote, QuoteKind, quote_id, quote_to_export

__all__ = ["QUOTE_KINDS", "LocalQuote", "Quote", "QuoteKind", "quote_id", "quote_to_export"]
