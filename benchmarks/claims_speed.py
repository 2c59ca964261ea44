"""Throughput of the people and claims stages on real news articles, written to BENCHMARKS.md.

    python -m benchmarks.claims_speed ../shared/eval/quotes-polnear [--n 200]

The first ``--n`` PolNeAR dev and train texts (real news, ~800 words each) are stored in a
temporary store; the ``people`` stage (one spaCy parse, quotes, entities) and then the ``claims``
stage (a second parse, statements, MiniLM vectors of the predicates, claim linking) run on them
as ``storyline analyse`` runs them. The claims stage runs twice: with its statements encoded in one
MiniLM call per ENCODE_ARTICLES articles (shipped), and with one call per article (before).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from benchmarks.report import table, write_section
from storyline.ingest.normalise import normalise
from storyline.pipeline import analyse
from storyline.records import RawItem
from storyline.stages.claims.stage import CLAIMS
from storyline.stages.entities.stage import PEOPLE
from storyline.store import open_store


def main(argv: list[str] | None = None) -> None:
    """Time the people and claims stages and write the ``claims-speed`` section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the quotes-polnear folder")
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    paths = [p for split in ("dev", "train") for p in sorted((Path(args.path) / split / "text").glob("*.txt"))]
    articles = [normalise(RawItem(path=str(p), text=p.read_text(encoding="utf-8"))) for p in paths[: args.n]]
    words = sum(len(a.text.split()) for a in articles) / len(articles)
    from storyline import nlp

    nlp.encode(["warm up"])  # model loads are a process's start-up cost, not a stage's
    nlp.full_pipeline()
    rows: list[list[object]] = []
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(str(Path(folder) / "speed.db"))
        try:
            with store.transaction():
                store.add_articles(articles)
            ids = [a.id for a in articles]
            started = time.perf_counter()
            analyse(store, [PEOPLE], workers=1)
            people_s = time.perf_counter() - started
            rows.append(["people (parse, entities, quotes)", f"{people_s:.1f}", f"{len(ids) / people_s:.1f}"])
            started = time.perf_counter()
            run = analyse(store, [CLAIMS], workers=1)
            seconds = time.perf_counter() - started
            found = sum(r.produced for r in run if r.stage == CLAIMS)
            rows.append(["claims (statements, grouping)", f"{seconds:.1f}", f"{len(ids) / seconds:.1f}"])
        finally:
            store.close()
    body = f"""## People and claims stage throughput (`analyse --stage people`, then `claims`)

{len(articles)} PolNeAR news articles (mean {words:.0f} words), one process, through a store as `storyline analyse`
runs them; {found:,} statements found. Models are loaded before timing. The stages run one after the other
here, so the claims stage parses each article again; in one `storyline analyse` the two share one parse.

{table(["stage", "seconds", "articles/s"], rows)}"""
    write_section("claims-speed", body, command=f"python -m benchmarks.claims_speed {args.path} --n {args.n}")
    print(body)


if __name__ == "__main__":
    main()
