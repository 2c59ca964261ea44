"""The stage contract holds for every declared stage, and the write side has no import circle."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

from storyline.engines.catalog import STAGES, dependents, resolve
from storyline.engines.runner import MAP_BATCH, ROUND
from storyline.stages.contract import Stage
from storyline.stages.entities.parse import PARSES_KEPT

SRC = Path(__file__).resolve().parent.parent / "src" / "storyline"


def test_stages_are_listed_after_every_stage_they_read() -> None:
    names = list(STAGES)
    for stage in STAGES.values():
        assert isinstance(stage, Stage)
        for read in stage.reads:
            assert names.index(read) < names.index(stage.name), f"{stage.name} reads {read}, listed later"


def test_a_selection_brings_what_it_reads_and_a_reset_reaches_every_reader() -> None:
    assert [s.name for s in resolve(["claims"])] == ["people", "claims"]
    assert [s.name for s in resolve(["events"])] == ["sentences", "people", "events"]
    assert dependents("people") == ["events", "claims"]
    assert dependents("sentences") == ["reuse", "events"]


def test_index_chunks_fit_the_runner_rounds() -> None:
    for stage in STAGES.values():
        if stage.index is None:
            continue
        assert stage.chunk % ROUND == 0, f"{stage.name}: its chunk must be whole rounds"
        for required in stage.index.requires:
            other = STAGES[required]
            # An index item carries the stored value of a required stage: placed in the same round.
            assert other.index is None or other.chunk == ROUND, f"{stage.name} reads {required} a round late"
    assert MAP_BATCH <= PARSES_KEPT, "a map batch must fit in the kept parses, or an article is parsed twice"


def test_declarations_pickle_for_a_worker() -> None:
    from storyline.engines.work import Task
    from storyline.records import Article

    article = Article(id="a1", path="p", text="Serbia will not impose sanctions, Vucic said.")
    assert pickle.loads(pickle.dumps(Task(article, ("sentences",)))).article == article
    for stage in STAGES.values():
        assert pickle.loads(pickle.dumps(stage.compute)) is stage.compute


def _module_imports(path: Path, known: frozenset[str] = frozenset()) -> set[str]:
    """The storyline modules a file imports, at module level or inside a function (a lazy import
    is still a dependency), leaving out ``if TYPE_CHECKING:`` blocks (nothing at run time)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    skip = {id(n) for top in tree.body if isinstance(top, ast.If) for n in ast.walk(top)}
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("storyline"):
            # `from package import module` depends on the module (the package is its parent).
            subs = {f"{node.module}.{a.name}" for a in node.names} & known
            found.update(subs or {node.module})
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("storyline"))
    return found


def _modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def test_no_import_circle() -> None:
    modules = _modules()
    known = frozenset(modules)
    graph = {name: {m for m in _module_imports(path, known) if m in modules and m != name}
             for name, path in modules.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import circle: " + " -> ".join([*stack[stack.index(nxt):], nxt]))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_readers_never_import_the_engines_or_a_stage_runner() -> None:
    readers = [p for p in SRC.rglob("*.py") if p.relative_to(SRC).parts[0] in ("read", "web")]
    readers += [SRC / "export.py"]
    for path in readers:
        for module in _module_imports(path):
            assert not module.startswith(("storyline.engines", "storyline.pipeline")), f"{path.name} imports {module}"
    for path in (SRC / "stages").rglob("*.py"):
        for module in _module_imports(path):
            assert not module.startswith(("storyline.engines", "storyline.pipeline", "storyline.read")), \
                f"stages/{path.relative_to(SRC / 'stages')} imports {module}"
