"""The Spark engine gives the same analysis as the local engine, section by section of the export.

Runs Spark in ``local[2]`` (Java 17+ and the ``spark`` extra; CI installs both). The 200-article
comparison reads the ECB+ development split from ``../shared/eval`` (beside the checkout, as in CI)
and analyses it in two runs (120 articles, then the rest), so the reuse join also meets articles
linked by an earlier run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from storyline.export import build_export
from storyline.pipeline import analyse
from storyline.records import Article
from storyline.store import open_store
from tests.conftest import EXAMPLE, ecbplus_articles, ingest_paths

MASTER = "local[2]"
FIRST_RUN = 120

pytest.importorskip("pyspark", reason="the spark extra is not installed (pip install 'storyline[spark]')")
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="no Java on PATH: the Spark engine needs Java 17+")


def _sections(doc: dict[str, Any]) -> dict[str, str]:
    """Each export section as canonical JSON (the comparison shows which section differs)."""
    return {name: json.dumps(value, sort_keys=True) for name, value in doc.items()}


def _assert_same(local: dict[str, Any], spark: dict[str, Any]) -> None:
    assert list(local) == list(spark)
    a, b = _sections(local), _sections(spark)
    differ = [name for name in a if a[name] != b[name]]
    assert not differ, f"export sections differ between local and spark: {differ}"


def _run_example(path: Path, **engine: Any) -> dict[str, Any]:
    store = open_store(str(path))
    try:
        ingest_paths(store, EXAMPLE)
        analyse(store, **engine)
        return build_export(store)
    finally:
        store.close()


def _run_two_steps(path: Path, articles: list[Article], **engine: Any) -> dict[str, Any]:
    store = open_store(str(path))
    try:
        with store.transaction():
            store.add_articles(articles)
        analyse(store, articles=[a.id for a in articles[:FIRST_RUN]], **engine)
        analyse(store, **engine)
        return build_export(store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def example_local(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _run_example(tmp_path_factory.mktemp("local") / "example.db")


@pytest.fixture(scope="module")
def dev_articles() -> list[Article]:
    return ecbplus_articles(200)


@pytest.fixture(scope="module")
def dev_local(tmp_path_factory: pytest.TempPathFactory, dev_articles: list[Article]) -> dict[str, Any]:
    return _run_two_steps(tmp_path_factory.mktemp("local") / "dev.db", dev_articles)


@needs_java
def test_example_corpus_same_on_spark(tmp_path: Path, example_local: dict[str, Any]) -> None:
    spark = _run_example(tmp_path / "spark.db", engine="spark", master=MASTER)
    assert spark["articles"], "the example corpus gave no articles"
    _assert_same(example_local, spark)


@needs_java
@pytest.mark.slow
def test_200_dev_articles_same_on_spark(tmp_path: Path, dev_local: dict[str, Any], dev_articles: list[Article]) -> None:
    spark = _run_two_steps(tmp_path / "spark.db", dev_articles, engine="spark", master=MASTER)
    assert len(spark["articles"]) == len(dev_articles)
    # The comparison must cover real output: ECB+ topics hold several reports of each event.
    assert spark["reuse"] and spark["events"] and spark["quotes"]
    _assert_same(dev_local, spark)


@needs_java
@pytest.mark.slow
def test_band_key_join_gives_the_lsh_candidates(dev_articles: list[Article]) -> None:
    """The Spark join on (band, key) finds exactly the pairs the in-memory LSH query does."""
    from storyline.engines.spark import spark_session
    from storyline.engines.spark_reuse import SparkReuseCandidates
    from storyline.stages.reuse import ReuseIndex, reuse_features

    features = [reuse_features(a) for a in dev_articles]
    index = ReuseIndex()
    lsh: set[tuple[str, str]] = set()
    for f in features:
        lsh.update((f.article, other) for other in index._lsh.query(f))
        index._lsh.insert(f)
    assert lsh, "no LSH collisions among the dev articles: the test would prove nothing"
    new = [(band, key, f.article, order) for order, f in enumerate(features) for band, key in index.band_keys(f)]
    with spark_session(MASTER) as session:
        joined = set(SparkReuseCandidates(session).pairs(new))
    assert joined == lsh


def test_missing_java_is_one_clear_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from storyline.engines.spark import SparkUnavailable, check_spark

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(SparkUnavailable) as raised:
        check_spark()
    message = str(raised.value)
    assert "\n" not in message and "storyline[spark]" in message and "Java 17" in message

