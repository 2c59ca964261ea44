"""The Spark engine: the per-article work on Spark executors, the corpus indexes fed by the runner.

The runner builds the same task batches as for the local engine; each batch is one Spark task
(``rdd.map`` over the batches of a round, ``collect`` keeps their order), run by
:func:`storyline.engines.work.compute` in a Python worker of an executor. PySpark reuses its
Python workers (``spark.python.worker.reuse``), so spaCy and the sentence encoder load once per
worker process, through the lazy loaders of ``storyline.nlp``, and the models run on one thread
there, as in the local engine's workers: the floating-point results are the same.

Reuse candidates (MinHash LSH collisions) come from a DataFrame join on (band, band key) over the
new and the already-linked articles: see :mod:`storyline.engines.spark_reuse`.

Executors need the same Python environment as the driver (storyline installed, same versions) and
Java 17+; ``PYSPARK_PYTHON`` names their Python (default: this interpreter), ``SPARK_HOME`` a Spark
installation to use instead of the one inside the pyspark package. See docs/spark.md.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.engines.work import Computed, Task, compute, worker_init
from storyline.errors import StorylineError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from storyline.stages.contract import Index, Item

DEFAULT_MASTER = "local[*]"
APP_NAME = "storyline"
INSTALL_HINT = "pip install 'storyline[spark]'; Java 17+ (e.g. apt-get install openjdk-17-jre-headless)"

# Warnings and errors only, without the lines a storyline user cannot act on (the loopback
# address, native Hadoop missing). The root level stays WARN: PySpark prints a notice on stderr
# when it differs from the shell's default; the session is set to ERROR once it runs.
_LOG4J = """\
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.utils.name = org.apache.spark.util.Utils
logger.utils.level = error
logger.hadoop.name = org.apache.hadoop
logger.hadoop.level = error
"""


class SparkUnavailable(StorylineError):
    """pyspark or Java is missing, or the Spark session could not start."""


def check_spark() -> None:
    """Raise :class:`SparkUnavailable` (one line: what to install) when pyspark or Java is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkUnavailable(f"the Spark engine needs pyspark and Java: {INSTALL_HINT}") from exc
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home, "bin", "java") if java_home else None
    if not (java is not None and java.exists()) and shutil.which("java") is None:
        raise SparkUnavailable(f"the Spark engine needs Java (no `java` on PATH, JAVA_HOME unset): {INSTALL_HINT}")


class SparkMapper:
    """A runner mapper over a Spark session; also prepares indexes from Spark joins (reuse candidates)."""

    def __init__(self, session: SparkSession) -> None:
        self.session = session
        self._reuse: Any = None

    def __call__(self, batches: Sequence[Sequence[Task]]) -> Iterator[Computed]:
        """Each batch one Spark task; results in the batches' order."""
        if not batches:
            return iter(())
        context = self.session.sparkContext
        rdd = context.parallelize([list(batch) for batch in batches], numSlices=len(batches))
        return iter(rdd.map(_compute_on_executor).collect())

    def prepare(self, stage: str, index: Index, items: Sequence[Item]) -> None:
        """Give ``index`` the inputs Spark computes for ``items`` before the runner adds them."""
        if stage != "reuse":
            return
        from storyline.engines.spark_reuse import SparkReuseCandidates

        if self._reuse is None:
            self._reuse = SparkReuseCandidates(self.session)
        self._reuse.prepare(index, items)


_READY = False


def _compute_on_executor(batch: list[Task]) -> Computed:
    """:func:`compute` in an executor's Python worker, set up once per worker process."""
    global _READY
    if not _READY:
        worker_init()
        _READY = True
    return compute(batch)


@contextmanager
def spark_session(master: str | None = None) -> Iterator[SparkSession]:
    """A quiet Spark session (errors only on stderr, no progress bars), stopped on exit."""
    check_spark()
    from pyspark.sql import SparkSession

    # Executors run the same interpreter as the driver unless told otherwise (a cluster's own env).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    with tempfile.TemporaryDirectory(prefix="storyline-spark-") as scratch:
        log4j = Path(scratch, "log4j2.properties")
        log4j.write_text(_LOG4J, encoding="utf-8")
        builder = (
            SparkSession.builder.master(master or DEFAULT_MASTER)
            .appName(APP_NAME)
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.ui.enabled", "false")
            .config("spark.python.worker.reuse", "true")
            .config("spark.executorEnv.HF_HUB_OFFLINE", os.environ.get("HF_HUB_OFFLINE", "1"))
            .config("spark.executorEnv.TOKENIZERS_PARALLELISM", "false")
            .config("spark.sql.shuffle.partitions", "8")
        )
        try:
            with _conf_dir(scratch):
                session = builder.getOrCreate()
        except Exception as exc:  # the JVM's failures arrive as several exception types
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SparkUnavailable(f"could not start Spark ({first}): check Java 17+ and --master; "
                                   f"{INSTALL_HINT}") from exc
        session.sparkContext.setLogLevel("ERROR")
        try:
            yield session
        finally:
            session.stop()


@contextmanager
def _conf_dir(folder: str) -> Iterator[None]:
    """Start the JVM with ``folder`` as its conf folder (our quiet logging setup), unless the user
    has a Spark configuration of their own (SPARK_CONF_DIR, or SPARK_HOME's conf folder)."""
    if os.environ.get("SPARK_CONF_DIR") or os.environ.get("SPARK_HOME"):
        yield
        return
    os.environ["SPARK_CONF_DIR"] = folder
    try:
        yield
    finally:
        del os.environ["SPARK_CONF_DIR"]


@contextmanager
def spark_mapper(master: str | None = None) -> Iterator[SparkMapper]:
    """A mapper running the per-article work on Spark (``master``: default ``local[*]``)."""
    with spark_session(master) as session:
        yield SparkMapper(session)
