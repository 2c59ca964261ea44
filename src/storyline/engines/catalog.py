"""The analysis stages, listed explicitly in run order, and the order a selection needs."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.stages.claims.stage import STAGE as CLAIMS
from storyline.stages.contract import Stage
from storyline.stages.entities.stage import STAGE as PEOPLE
from storyline.stages.events.stage import STAGE as EVENTS
from storyline.stages.reuse.stage import STAGE as REUSE
from storyline.stages.sentences.stage import STAGE as SENTENCES

# Run order: every stage comes after the stages it reads.
STAGES: dict[str, Stage] = {s.name: s for s in (SENTENCES, REUSE, PEOPLE, EVENTS, CLAIMS)}


def resolve(names: Sequence[str] | None = None) -> list[Stage]:
    """The stages to run for ``names`` (all when None) with every stage they read, in run order."""
    wanted = list(STAGES) if names is None else list(names)
    unknown = [n for n in wanted if n not in STAGES]
    if unknown:
        raise ValueError(f"unknown stage(s) {unknown}; known: {', '.join(STAGES)}")
    needed: set[str] = set()

    def visit(name: str) -> None:
        if name not in needed:
            needed.add(name)
            for read in STAGES[name].reads:
                visit(read)

    for name in wanted:
        visit(name)
    return [stage for name, stage in STAGES.items() if name in needed]


def dependents(name: str) -> list[str]:
    """The stages that read ``name``'s output, directly or through others, in run order."""
    found = {name}
    for stage in STAGES.values():
        if found.intersection(stage.reads):
            found.add(stage.name)
    return [n for n in STAGES if n in found and n != name]
