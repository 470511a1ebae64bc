"""Throughput of the whole pipeline against `jieba.lcut` alone, over the same real texts.

    python benchmarks/throughput.py [FILE.jsonl] [--limit N] [--workers N] [--profile]

Prints chars/s and articles/s of both, their ratio (pipeline / jieba), peak RSS, and the start-up
time (import + warm-up article). The pipeline runs as `extractor run` does (batch runner, engine,
JSON Lines sink to /dev/null), warmed up before the clock starts.
It is a benchmark, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_INPUT = Path(__file__).resolve().parents[2] / "shared" / "bench" / "news_bench.jsonl"


def load_texts(path: Path, limit: int | None) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
                if limit and len(rows) >= limit:
                    break
    return rows


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def startup_seconds() -> float:
    """Fresh interpreter: import, build the pipeline and warm it up (one article through every stage)."""
    code = ("import time; t=time.perf_counter(); from extractor.batch import worker_pipeline; "
            "worker_pipeline(); print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def bench_jieba(texts: list[str]) -> tuple[float, float]:
    import jieba

    jieba.initialize()
    t, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        jieba.lcut(text)
    return time.perf_counter() - t, time.process_time() - cpu


def bench_pipeline(rows: list[dict], workers: int) -> tuple[float, float]:
    """Wall-clock and CPU seconds (of this process: meaningful for one worker only) to run what
    `extractor run` runs (batch runner, engine, JSON Lines sink) over `rows`.

    The pipeline is built and warmed up first (as `extractor run` does before forking its
    workers), so one-time loading is not timed; starting the worker processes is.
    """
    from extractor.batch import run, worker_pipeline
    from extractor.engines import make_engine
    from extractor.models import Article
    from extractor.sinks import open_sink

    articles = [Article.model_validate(r) for r in rows]
    worker_pipeline()
    engine = make_engine("local", workers)
    sink = open_sink(os.devnull)
    t, cpu = time.perf_counter(), time.process_time()
    try:
        run(articles, sink, engine, chunk=getattr(engine, "chunk", 16))
    finally:
        engine.close()
        sink.close()
    return time.perf_counter() - t, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", nargs="?", type=Path, default=DEFAULT_INPUT)
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--profile", action="store_true", help="profile the pipeline with pyinstrument")
    args = ap.parse_args(argv)

    rows = load_texts(args.input, args.limit)
    texts = [r.get("text") or "" for r in rows]
    chars = sum(map(len, texts))
    print(f"input {args.input.name}: {len(rows)} articles, {chars:,} chars")
    print(f"start-up (import + pipeline + warm-up article): {startup_seconds():.2f} s")

    if args.profile:
        from pyinstrument import Profiler

        from extractor.batch import worker_pipeline

        worker_pipeline()  # one-time loading is not profiled
        with Profiler() as prof:
            bench_pipeline(rows, 1)
        print(prof.output_text(unicode=True, color=False, show_all=False))
        return 0

    t_pipe, cpu_pipe = bench_pipeline(rows, args.workers)
    rss_pipe = peak_rss_mb()
    t_jieba, cpu_jieba = bench_jieba(texts)
    print(f"pipeline ({args.workers} worker{'s' if args.workers > 1 else ''}): {chars / t_pipe:>12,.0f} chars/s "
          f"{len(rows) / t_pipe:>9,.1f} articles/s  ({t_pipe:.2f} s)")
    print(f"jieba.lcut (1 process): {chars / t_jieba:>12,.0f} chars/s {len(rows) / t_jieba:>9,.1f} articles/s  "
          f"({t_jieba:.2f} s)")
    print(f"ratio pipeline / jieba: {t_jieba / t_pipe:.2f}")
    if args.workers == 1:  # CPU seconds: less disturbed by other processes on a shared machine
        print(f"ratio on CPU time: {cpu_jieba / cpu_pipe:.2f} (pipeline {cpu_pipe:.2f} s, jieba {cpu_jieba:.2f} s)")
    print(f"peak RSS of the main process (pipeline + jieba): {rss_pipe:.0f} MB / {peak_rss_mb():.0f} MB")
    if args.workers > 1:
        children = peak_rss_mb(resource.RUSAGE_CHILDREN)
        print(f"peak RSS of the largest child process (a worker or the start-up probe): {children:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
