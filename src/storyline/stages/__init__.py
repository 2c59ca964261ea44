"""Analysis stages: one package per stage, each declaring itself in ``<name>/stage.py``.

A declaration (``storyline.stages.contract.Stage``) names the pure per-article function, the
feature codec and, for a corpus-level stage, its index; the engines (``storyline.engines``) run
them, and ``storyline.stages.stored`` decodes what they stored for the readers.
"""
