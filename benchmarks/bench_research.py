"""Issue 17 benchmarks: export speed and memory, top words on 1,000 matches, latency with a timeline.

Usage: python benchmarks/bench_research.py [--only export|topwords|latency] [--scale 5]

1. `search --export jsonl` of every Reuters article (19,043), from an index built from the corpus's
   articles.jsonl in a temporary folder: articles per second (>= 5,000) and the peak RSS of the
   process (< 300 MB). The wall time includes the interpreter's start and imports.
2. `--top-words 20` on a match set of exactly 1,000 articles (the first 1,000 matches of "market"),
   in process, after one warm-up: < 200 ms.
3. issue 5's 30 fixed queries (benchmarks/run.py) with facets, in process, without and with
   `--timeline`: median <= 15 ms and p95 <= 60 ms with it (issue 5's targets are for 5x), on the
   index of (1), or at 5x with --scale 5 (which writes and indexes 95,215 text files as run.py does:
   several minutes on two cores and about 1 GB of memory).
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as base

EXPORT_RATE = 5000  # articles per second
EXPORT_RSS = 300e6  # bytes
TOP_WORDS_MS = 200
TOP_WORDS_MATCHES = 1000


def build_jsonl_index(folder: Path) -> Path:
    index = folder / "index-jsonl"
    print(f"  indexing {base.corpus_file()} ...", flush=True)
    base.run_measured([base.tool("search-index"), "add", str(base.corpus_file()), "--index-dir", str(index)])
    return index


def bench_export(index: Path) -> list[str]:
    out = index.parent / "export.jsonl"
    cmd = [base.tool("search"), "--index-dir", str(index), "--export", "jsonl"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = base.run_measured(["sh", "-c", f'exec "$0" "$@" > {out}', *cmd])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)  # incl. the wrapper's start
    n = sum(1 for _ in out.open(encoding="utf-8"))
    rate = n / res["wall"]
    peak = max(res["rss"], res["maxrss"])
    base.table("1. export of every article as JSON Lines (CPU: the processes' own time, less disturbed by a "
               "busy machine)", ["articles", "seconds", "articles/s", "CPU s", "articles/CPU s", "peak RSS",
                                  "ru_maxrss", "output"],
               [[f"{n:,}", f"{res['wall']:.2f}", f"{rate:,.0f}", f"{cpu:.2f}", f"{n / cpu:,.0f}", base.mb(res["rss"]),
                 base.mb(res["maxrss"]), base.mb(out.stat().st_size)]])
    return [base.verdict(rate >= EXPORT_RATE, f"export {n:,} articles at {rate:,.0f}/s >= {EXPORT_RATE:,}/s"),
            base.verdict(peak < EXPORT_RSS, f"export peak RSS {base.mb(peak)} < {base.mb(EXPORT_RSS)}")]


def bench_topwords(index: Path, rounds: int = 5) -> list[str]:
    from newsgrep.index.store import open_index
    from newsgrep.search.query import parse_query
    from newsgrep.search.rank import rank_all
    from newsgrep.search.topwords import top_words

    ix = open_index(index)
    times, cpu = [], []
    with ix.searcher() as searcher:
        docs = rank_all(searcher, parse_query("market", ix.schema), None, 1).docs[:TOP_WORDS_MATCHES]
        top_words(searcher, docs, 20)  # warm-up: file caches, the stemmer's cache
        for _ in range(rounds):
            start, start_cpu = time.perf_counter(), time.process_time()
            words = top_words(searcher, docs, 20)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    ms = statistics.median(times) * 1000
    base.table("2. --top-words 20 on a fixed match set (CPU: this process's own time, less disturbed by a "
               "busy machine)", ["matches", "median ms", "best ms", "median CPU ms", "first words"],
               [[f"{len(docs):,}", f"{ms:.0f}", f"{min(times) * 1000:.0f}", f"{statistics.median(cpu) * 1000:.0f}",
                 ", ".join(w.term for w in words[:6])]])
    return [base.verdict(len(docs) == TOP_WORDS_MATCHES and ms < TOP_WORDS_MS,
                         f"top words on {len(docs):,} matches in {ms:.0f} ms < {TOP_WORDS_MS} ms")]


def bench_latency(index: Path, scale: int) -> list[str]:
    real = base.fixed_queries

    def with_timeline(idx: Path) -> list:
        return [dataclasses.replace(r, timeline="auto") for r in real(idx)]

    med0, p95_0, _ = base.latency(index)
    base.fixed_queries = with_timeline
    try:
        med, p95, per = base.latency(index)
    finally:
        base.fixed_queries = real
    base.table(f"3. in-process latency, 30 fixed queries x 3 rounds, facets on, at {scale}x",
               ["", "median ms", "p95 ms"], [["facets", f"{med0 * 1000:.1f}", f"{p95_0 * 1000:.1f}"],
                                             ["facets + timeline", f"{med * 1000:.1f}", f"{p95 * 1000:.1f}"]])
    print(f"  the timeline's cost: median x{med / med0:.2f}, p95 x{p95 / p95_0:.2f} of facets alone (same run)")
    return [base.verdict(med * 1000 <= 15, f"median with timeline at {scale}x = {med * 1000:.1f} ms <= 15 ms"),
            base.verdict(p95 * 1000 <= 60, f"p95 with timeline at {scale}x = {p95 * 1000:.1f} ms <= 60 ms")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=("export", "topwords", "latency"), action="append")
    ap.add_argument("--scale", type=int, default=1, help="corpus copies for the latency benchmark (1 or 5)")
    args = ap.parse_args(argv)
    chosen = args.only or ["export", "topwords", "latency"]
    if not base.corpus_file().is_file():
        print(f"skipped: no corpus at {base.corpus_file()}")
        return 0
    folder = Path(tempfile.mkdtemp(prefix="bench-research-", dir=base.os.environ.get("BENCH_DIR")))
    verdicts: list[str] = []
    try:
        index = build_jsonl_index(folder)
        if "export" in chosen:
            verdicts += bench_export(index)
        if "topwords" in chosen:
            verdicts += bench_topwords(index)
        if "latency" in chosen:
            if args.scale != 1:  # run.py's workspace: the corpus as text files, `scale` copies
                index = base.Workspace(folder, base.load_articles(1.0)).build(args.scale)["index"]
            verdicts += bench_latency(index, args.scale)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\n== summary")
    for line in verdicts:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
