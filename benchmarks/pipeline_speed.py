"""The whole analysis on real news articles, against the floor of the work it must do.

    python -m benchmarks.pipeline_speed ../shared/eval/quotes-polnear [--n 500] [--workers N]

The first ``--n`` PolNeAR train texts (real US political news, about 740 words each) are ingested
into a fresh store with ``storyline ingest``, then ``storyline analyse --json`` runs on it as a
user runs it (its own process, every core unless ``--workers``; model loading included). Measured:
wall time and articles/s; core-seconds per article for each stage (the stage's own work, wherever
it ran, as ``analyse --json`` reports it) and for the whole process tree (user + system CPU of
``analyse`` and its workers); peak resident memory of the process tree (sampled from /proc).

In the same run, the floor of the work the stages must do, each alone in this process on one
thread with its model loaded beforehand: one spaCy parse (full pipeline) of every article, the
sentence split of every article, and one MiniLM embedding of every sentence. A stage's overhead is
its core-seconds above the floor of its own work: sentences against split + embedding, people and
claims together against the one parse they share.

Targets (issue 15): the whole analysis at least 20 articles/s on 2 cores (0.1 core-seconds per
article), and each stage at most 25% above the floor of its own work.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.report import publish, table

TARGET_RATE = 20.0
TARGET_CORE_S = 0.1
TARGET_OVERHEAD = 0.25
SAMPLE_EVERY = 0.1


def _children(pid: int) -> list[int]:
    """The process ids of ``pid``'s children (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and every process below it."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _rss_bytes(current)
        todo += _children(current)
    return total


def run_measured(command: list[str]) -> tuple[float, int, str]:
    """Run ``command``; its wall seconds, the peak resident memory of its process tree and its stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            done.wait(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {err.strip()[-2000:]}")
    return wall, peak, out


def floors(texts: list[str]) -> dict[str, float]:
    """Core-seconds per article of one parse, one sentence split and one embedding of every sentence."""
    from storyline import nlp
    from storyline.engines.work import one_thread
    from storyline.stages.sentences import sentence_spans

    one_thread()
    parser, splitter = nlp.full_pipeline(), nlp.sentence_splitter()
    nlp.encode(["warm up"])
    parser("Warm up the parser."), splitter("Warm up the splitter.")
    n = len(texts)

    began = time.process_time()
    for _doc in parser.pipe(texts, batch_size=16):
        pass
    parse = time.process_time() - began

    began = time.process_time()
    spans = [sentence_spans(t) for t in texts]
    split = time.process_time() - began

    sentences = [t[a:b] for t, found in zip(texts, spans, strict=True) for a, b in found]
    began = time.process_time()
    nlp.encode(sentences)
    embed = time.process_time() - began
    return {"parse": parse / n, "split": split / n, "embed": embed / n, "sentences": len(sentences) / n}


def cpu_of_children() -> float:
    """CPU seconds (user + system) of the finished, waited-for child processes (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return float(usage.ru_utime + usage.ru_stime)


def main(argv: list[str] | None = None) -> None:
    """Analyse ``--n`` PolNeAR train texts through a store and write the ``pipeline-speed`` section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the quotes-polnear folder")
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--workers", type=int, default=None, help="analyse --workers (default: every core)")
    parser.add_argument("--no-write", action="store_true", help="print the section, do not write BENCHMARKS.md")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    paths = sorted((Path(args.path) / "train" / "text").glob("*.txt"))[: args.n]
    if len(paths) < args.n:
        raise SystemExit(f"{args.path}: only {len(paths)} train texts, {args.n} asked")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    words = sum(len(t.split()) for t in texts) / len(texts)
    cli = [sys.executable, "-m", "storyline"]

    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "speed.db")
        subprocess.run([*cli, "ingest", "--db", db, "--quiet", *map(str, paths)], check=True)
        command = [*cli, "analyse", "--db", db, "--json"]
        if args.workers:
            command += ["--workers", str(args.workers)]
        cpu_before = cpu_of_children()
        wall, peak, out = run_measured(command)
        cpu = cpu_of_children() - cpu_before
        store_bytes = sum(p.stat().st_size for p in Path(folder).glob("speed.db*"))
    figures = json.loads(out)
    floor = floors(texts)

    n = len(paths)
    per_stage = {s["stage"]: s for s in figures["stages"]}
    rows: list[list[object]] = []
    for name, stage in per_stage.items():
        rows.append([name, stage["articles"], f"{stage['seconds'] / max(stage['articles'], 1):.3f}",
                     f"{stage['articles'] / stage['seconds']:.1f}" if stage["seconds"] else "-"])
    staged = sum(s["seconds"] for s in per_stage.values())
    rows.append(["all stages (their own work)", n, f"{staged / n:.3f}", f"{n / staged:.1f}"])
    rows.append(["whole process tree (CPU of analyse and its workers)", n, f"{cpu / n:.3f}", f"{n / cpu:.1f}"])

    def core_s(stage: str) -> float:
        found = per_stage.get(stage)
        return found["seconds"] / max(found["articles"], 1) if found else 0.0

    text_floor = floor["split"] + floor["embed"]
    shared = core_s("people") + core_s("claims")
    compared = [("sentences", "sentence split + one embedding of every sentence", text_floor, core_s("sentences")),
                ("people + claims", "one spaCy parse (full pipeline)", floor["parse"], shared)]
    overheads: list[list[object]] = [[name, work, f"{low:.3f}", f"{spent:.3f}", f"{spent / low - 1:+.0%}"]
                                     for name, work, low, spent in compared]
    rate = n / wall
    met = lambda ok: "met" if ok else "missed"  # noqa: E731
    body = "\n".join([
        "## Pipeline speed (`storyline analyse`, every stage, through a store)",
        "",
        f"{n} PolNeAR train texts (mean {words:.0f} words, {floor['sentences']:.1f} sentences of 12+ characters "
        f"each), ingested into a fresh store; `storyline analyse --json` in its own process, "
        f"{'--workers ' + str(args.workers) if args.workers else 'every core (default)'}, model loading included.",
        "",
        table(["measure", "value"], [
            ["wall time (s)", f"{wall:.1f}"],
            ["articles/s (wall)", f"{rate:.2f}"],
            ["core-seconds per article (whole process tree)", f"{cpu / n:.3f}"],
            ["peak resident memory of the process tree (MB)", f"{peak / 1e6:,.0f}"],
            ["store size, bytes per article", f"{store_bytes / n:,.0f}"],
        ]),
        "",
        "Per stage (core-seconds of the stage's own work, wherever it ran; the whole tree adds model "
        "loading, ingest reads, store writes and the corpus indexes' saving):",
        "",
        table(["stage", "articles", "core-s per article", "articles/s per core"], rows),
        "",
        "Floors, each alone in one process on one thread, models loaded beforehand (core-seconds per article):",
        "",
        table(["work", "core-s per article"], [
            ["one spaCy parse, full pipeline", f"{floor['parse']:.3f}"],
            ["sentence split (spaCy senter)", f"{floor['split']:.3f}"],
            ["one MiniLM embedding of every sentence", f"{floor['embed']:.3f}"],
        ]),
        "",
        table(["stage", "floor of its own work", "floor core-s", "stage core-s", "overhead"], overheads),
        "",
        f"Targets: {TARGET_RATE:.0f} articles/s on 2 cores: {met(rate >= TARGET_RATE)} ({rate:.2f}); "
        f"{TARGET_CORE_S} core-seconds per article: {met(cpu / n <= TARGET_CORE_S)} ({cpu / n:.3f}); "
        f"overhead at most {TARGET_OVERHEAD:.0%} above the floor: "
        + ", ".join(f"{name} {met(spent <= low * (1 + TARGET_OVERHEAD))}" for name, _w, low, spent in compared) + ".",
    ])
    command_line = "python -m benchmarks.pipeline_speed " + " ".join(argv if argv is not None else sys.argv[1:])
    publish("pipeline-speed", body, command_line.strip(), dry_run=args.no_write)


if __name__ == "__main__":
    main()
