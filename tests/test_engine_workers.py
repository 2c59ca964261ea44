"""The local engine gives the same analysis whatever the number of worker processes, and parses
each article once.

The comparison is export for export, section by section: 1 worker (this process) against 2 worker
processes, on the example corpus and on 200 ECB+ development articles (read from ``../shared/eval``
beside the checkout, as in CI) analysed in two runs (120, then the rest), so the second run meets
indexes restored from the store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storyline.engines import local
from storyline.export import build_export
from storyline.ingest.normalise import normalise
from storyline.pipeline import analyse
from storyline.records import Article
from storyline.store import open_store
from tests.conftest import EXAMPLE, ecbplus_articles, ingest_paths

FIRST_RUN = 120


def _assert_same(one: dict[str, Any], two: dict[str, Any]) -> None:
    assert list(one) == list(two)
    differ = [name for name in one if json.dumps(one[name], sort_keys=True) != json.dumps(two[name], sort_keys=True)]
    assert not differ, f"export sections differ between 1 and 2 workers: {differ}"


def _example(path: Path, workers: int) -> dict[str, Any]:
    store = open_store(str(path))
    try:
        ingest_paths(store, EXAMPLE)
        runs = analyse(store, workers=workers)
        assert all(r.articles == 5 for r in runs)
        return build_export(store)
    finally:
        store.close()


def test_example_corpus_same_with_one_and_two_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = _example(tmp_path / "one.db", 1)
    monkeypatch.setattr(local, "MIN_ARTICLES_FOR_WORKERS", 0)  # five articles would stay in this process
    started: list[int] = []
    real = local._pooled

    def pooled(pool: Any) -> Any:
        started.append(pool._max_workers)
        return real(pool)

    monkeypatch.setattr(local, "_pooled", pooled)
    two = _example(tmp_path / "two.db", 2)
    assert started == [2], "the second run did not go through two worker processes"
    assert one["quotes"] and one["claims"] and one["reuse"]
    _assert_same(one, two)


def _two_runs(path: Path, articles: list[Article], workers: int) -> dict[str, Any]:
    store = open_store(str(path))
    try:
        with store.transaction():
            store.add_articles(articles)
        analyse(store, articles=[a.id for a in articles[:FIRST_RUN]], workers=workers)
        analyse(store, workers=workers)
        return build_export(store)
    finally:
        store.close()


@pytest.mark.slow
def test_200_dev_articles_same_with_one_and_two_workers(tmp_path: Path) -> None:
    articles = ecbplus_articles(200)
    one = _two_runs(tmp_path / "one.db", articles, 1)
    two = _two_runs(tmp_path / "two.db", articles, 2)
    assert len(one["articles"]) == 200 and one["reuse"] and one["events"] and one["quotes"] and one["claims"]
    _assert_same(one, two)


def test_the_people_and_claims_stages_parse_each_article_once() -> None:
    from storyline.engines.work import Task, compute
    from storyline.ingest.files import read_file
    from storyline.stages.entities import parse

    articles = [normalise(item) for path in sorted(EXAMPLE.iterdir()) for item in read_file(str(path), 10**8)]
    articles = [a for a in articles if not isinstance(a, Exception)]
    parse.parse.cache_clear()
    computed = compute([Task(a, ("sentences", "people", "claims")) for a in articles])
    assert all(set(r) == {"sentences", "people", "claims"} for r in computed.results)
    assert any(r["claims"].statements for r in computed.results)
    info = parse.parse.cache_info()
    assert info.misses == len(articles), f"{info.misses} parses for {len(articles)} articles"
    assert info.hits >= len(articles)  # the claims stage found each parse the people stage made


def test_analyse_json_prints_each_stage_figures(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(EXAMPLE), "--db", db, "--quiet"]).exit_code == 0
    result = runner.invoke(app, ["analyse", "--db", db, "--json", "--workers", "1"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert [s["stage"] for s in figures["stages"]] == ["sentences", "reuse", "people", "events", "claims"]
    for stage in figures["stages"]:
        assert stage["articles"] == 5 and stage["seconds"] > 0 and stage["articles_per_second"] > 0
    assert figures["articles"] == 5 and figures["articles_per_second"] > 0
    again = json.loads(runner.invoke(app, ["analyse", "--db", db, "--json"]).stdout)
    assert all(s["articles"] == 0 for s in again["stages"])


def test_an_unknown_engine_is_one_clear_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    runner.invoke(app, ["ingest", str(EXAMPLE), "--db", db, "--quiet"])
    result = runner.invoke(app, ["analyse", "--db", db, "--engine", "dask"])
    assert result.exit_code == 2
    assert "unknown engine 'dask'" in result.output and "local, spark" in result.output


def test_analyse_refuses_to_run_again_in_a_starting_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    from storyline.errors import StorylineError

    store = open_store(str(tmp_path / "guard.db"))
    try:
        monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__mp_main__"))
        with pytest.raises(StorylineError, match='if __name__ == "__main__"'):
            analyse(store)
    finally:
        store.close()


def test_an_index_chunk_left_open_when_its_articles_run_out_is_placed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Events pending only in the first round, reuse in every round: the events chunk (larger
    than a round) is still placed and written at the end of the run."""
    from storyline.engines import runner

    store = open_store(str(tmp_path / "open.db"))
    try:
        ingest_paths(store, EXAMPLE)
        ids = store.pending("events")
        analyse(store, ["people"], workers=1)
        analyse(store, articles=ids[2:], workers=1)
        store.reset_stage("reuse")
        monkeypatch.setattr(runner, "ROUND", 2)
        runs = {r.stage: r.articles for r in analyse(store, workers=1)}
        assert runs["events"] == 2 and runs["reuse"] == 5
        assert store.pending("events") == [] and store.pending("claims") == []
        placed = {a for e in build_export(store)["events"] for a in e["articles"]}
        assert set(ids) <= placed
    finally:
        store.close()
