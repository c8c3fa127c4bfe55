"""Issue 17 benchmarks: export speed and memory, top words on 1,000 matches, latency with a timeline.

Usage: python benchmarks/bench_research.py [--only export|topwords|latency] [--scale 5] [--index-dir DIR]

1. `search --export jsonl` of every Reuters article (19,043), from an index built from the corpus's
   articles.jsonl in a temporary folder: articles per second (>= 5,000) and the peak RSS of the
   process (< 300 MB). The wall time includes the interpreter's start and imports.
2. `--top-words 20` on a match set of exactly 1,000 articles (the first 1,000 matches of "market"),
   in process, after one warm-up: < 200 ms.
3. issue 5's 30 fixed queries (benchmarks/run.py) with facets, in process, without and with
   `--timeline`: median <= 15 ms and p95 <= 60 ms with it (the targets are for 5x: `--scale 5`, an
   index of the corpus's articles.jsonl copied five times under five names, 95,215 distinct
   articles; several minutes to build on two cores). Beside them, in the same run, the same queries'
   words searched by Whoosh alone (open the index, `searcher.search(q, limit=10)`, the hits' stored
   fields; no filters, facets, timeline or snippets): the ratio to it is what to compare between runs
   on a noisy machine. The three are run interleaved, and each query's CPU time is shown beside its
   wall time.

`--index-dir DIR` uses an index built before (the corpus `--scale` times, as above) instead of building
one: a 5x index takes minutes, so build it once while iterating. It must hold --scale x 19,043 articles.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as base

EXPORT_RATE = 5000  # articles per second
EXPORT_RSS = 300e6  # bytes
TOP_WORDS_MS = 200
TOP_WORDS_MATCHES = 1000


def corpus_articles() -> int:
    with base.corpus_file().open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def build_jsonl_index(folder: Path, scale: int = 1) -> Path:
    """The corpus's articles.jsonl indexed as it is; at scale k, k copies of the file under k names
    (an article's id is its file's path and its record id, so every copy is a distinct article)."""
    index = folder / f"index-{scale}x"
    source: Path = base.corpus_file()
    if scale > 1:
        source = folder / f"corpus-{scale}x"
        source.mkdir()
        for copy in range(scale):
            shutil.copyfile(base.corpus_file(), source / f"copy{copy}.jsonl")
    print(f"  indexing {base.corpus_file()} x{scale} ...", flush=True)
    res = base.run_measured([base.tool("search-index"), "add", str(source), "--index-dir", str(index)])
    print(f"  built in {res['wall']:.0f} s, peak RSS {base.mb(max(res['rss'], res['maxrss']))}")
    return index


def index_articles(index: Path) -> int:
    from newsgrep.index.store import open_index

    with open_index(index).searcher() as searcher:
        return searcher.doc_count()


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


def whoosh_search(index: Path, words: str) -> Callable[[], None]:
    """The words searched by Whoosh alone, as a tutorial would: open the index, parse the words over
    title and body (OR), the top 10 and their stored fields. Filters, facets, timeline and snippets
    are left out: the floor any search of that index pays."""
    from whoosh import qparser, query

    from newsgrep.index.store import open_index

    parser = qparser.MultifieldParser(["title", "body"], open_index(index).schema, group=qparser.OrGroup)
    q = parser.parse(words) if words else query.Every()

    def once() -> None:
        with open_index(index).searcher() as searcher:
            for hit in searcher.search(q, limit=10):
                hit.fields()

    return once


def _label(r) -> str:
    extra = [f"{k}={v[0]}" for k, v in (("place", r.places), ("org", r.orgs), ("person", r.people)) if v]
    if r.since or r.until:
        extra.append(f"{r.since or ''}..{r.until or ''}")
    return " ".join([r.words or "(no words)", *extra])


def bench_latency(index: Path, scale: int, rounds: int = 3) -> list[str]:
    """The 30 fixed queries three ways, interleaved round by round so that a busy spell of the machine
    falls on all three alike: Whoosh alone, ours with facets, ours with facets and a timeline."""
    from newsgrep.search.results import run_search

    reqs = base.fixed_queries(index)
    variants: dict[str, list[Callable[[], object]]] = {
        "Whoosh alone (words only, top 10)": [whoosh_search(index, r.words) for r in reqs],
        "ours, facets": [functools.partial(run_search, index, r) for r in reqs],
        "ours, facets + timeline": [functools.partial(run_search, index, dataclasses.replace(r, timeline="auto"))
                                    for r in reqs]}
    for calls in variants.values():  # warm-up: file caches, facet tables, stemmer caches
        for call in calls:
            call()
    wall: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    per_query: dict[str, list[float]] = {_label(r): [] for r in reqs}
    for _ in range(rounds):
        for name, calls in variants.items():
            for r, call in zip(reqs, calls, strict=True):
                start, start_cpu = time.perf_counter(), time.process_time()
                call()
                wall[name].append(time.perf_counter() - start)
                cpu[name].append(time.process_time() - start_cpu)
                if name == "ours, facets + timeline":
                    per_query[_label(r)].append(wall[name][-1])
    base_name = next(iter(variants))
    w0, c0 = statistics.median(wall[base_name]), statistics.median(cpu[base_name])
    rows = [[name, f"{statistics.median(wall[name]) * 1000:.1f}", f"{base.pct(wall[name], 95) * 1000:.1f}",
             f"{statistics.median(cpu[name]) * 1000:.1f}", f"{base.pct(cpu[name], 95) * 1000:.1f}",
             f"{statistics.median(wall[name]) / w0:.2f}", f"{statistics.median(cpu[name]) / c0:.2f}"]
            for name in variants]
    base.table(f"3. in-process latency, 30 fixed queries x {rounds} rounds, at {scale}x ({index_articles(index):,} "
               "articles; CPU: this process's own time, less disturbed by a busy machine)",
               ["", "median ms", "p95 ms", "median CPU ms", "p95 CPU ms", "median / Whoosh", "CPU / Whoosh"], rows)
    base.table("3b. slowest queries with facets + timeline (median ms)", ["query", "ms"],
               [[q, f"{statistics.median(t) * 1000:.1f}"]
                for q, t in sorted(per_query.items(), key=lambda kv: -statistics.median(kv[1]))[:6]])
    med, p95 = statistics.median(wall["ours, facets + timeline"]), base.pct(wall["ours, facets + timeline"], 95)
    return [base.verdict(med * 1000 <= 15, f"median with timeline at {scale}x = {med * 1000:.1f} ms <= 15 ms"),
            base.verdict(p95 * 1000 <= 60, f"p95 with timeline at {scale}x = {p95 * 1000:.1f} ms <= 60 ms")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=("export", "topwords", "latency"), action="append")
    ap.add_argument("--scale", type=int, default=1, help="corpus copies for the latency benchmark (1 or 5)")
    ap.add_argument("--index-dir", type=Path, help="an index of the corpus --scale times, built before")
    args = ap.parse_args(argv)
    chosen = args.only or ["export", "topwords", "latency"]
    if not base.corpus_file().is_file():
        print(f"skipped: no corpus at {base.corpus_file()}")
        return 0
    folder = Path(tempfile.mkdtemp(prefix="bench-research-", dir=base.os.environ.get("BENCH_DIR")))
    verdicts: list[str] = []
    try:
        index = args.index_dir
        if index is not None:
            want, have = corpus_articles() * args.scale, index_articles(index)
            if have != want:
                print(f"bench_research: {index} holds {have:,} articles, not {want:,} (the corpus x{args.scale})",
                      file=sys.stderr)
                return 2
        small = index if args.scale == 1 else None
        if small is None and ("export" in chosen or "topwords" in chosen or args.scale == 1):
            small = build_jsonl_index(folder)
        if "export" in chosen:
            verdicts += bench_export(small)
        if "topwords" in chosen:
            verdicts += bench_topwords(small)
        if "latency" in chosen:
            large = small if args.scale == 1 else index or build_jsonl_index(folder, args.scale)
            verdicts += bench_latency(large, args.scale)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\n== summary")
    for line in verdicts:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
