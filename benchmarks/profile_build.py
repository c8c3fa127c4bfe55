"""Where an index build spends its CPU: reading, cleaning, entities, Whoosh add_document, commit.

Usage: python benchmarks/profile_build.py DIR [--limit N] [--top 25]

The product spreads a build over loader and writer processes, which hides work from a profiler, so this
runs the same `index.store.add` serially (one loader, one Whoosh writer) under cProfile and prints
each stage's share of the CPU, then the functions with the most time of their own. Shares are of
serial CPU time; the profiler inflates Python-heavy code, so compare shares, not absolute seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import shutil
import tempfile
import time
from pathlib import Path

STAGES = {  # label -> pattern matched against "file:line(function)"; cumulative time of the first match
    "whole add": r"index/store\.py:\d+\(add\)",
    "  scan + hash files": r"index/store\.py:\d+\(_scan\)",
    "  read + decode + clean (read_file)": r"index/read\.py:\d+\(read_file\)",
    "    clean_text": r"index/clean\.py:\d+\(clean_text\)",
    "  entity extraction": r"index/entities\.py:\d+\(article_entities\)",
    "  whoosh add_document (analysis)": r"whoosh/writing\.py:\d+\(add_document\)",
    "    of which spelling words": r"whoosh/fields\.py:\d+\(spellable_words\)",
    "  whoosh commit (postings, segment)": r"whoosh/writing\.py:\d+\(commit\)",
    "    of which doc_field_length": r"whoosh/codec/whoosh3\.py:\d+\(doc_field_length\)",
    "    of which os.path.exists": r"genericpath>:\d+\(exists\)",
    "    of which zlib.compress": r"zlib\.compress",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path, help="folder of articles to index")
    ap.add_argument("--limit", type=int, default=0, help="copy only the first N files (0: all)")
    ap.add_argument("--top", type=int, default=25, help="functions to list by own time")
    args = ap.parse_args()

    from newsgrep.index import config, store

    config.WORKERS = 1  # one loader: cleaning and extraction run in this process, where cProfile sees them
    config.BULK_BATCH_MIN_DOCS = 10**9  # one Whoosh writer, no sub-writer processes
    work = Path(tempfile.mkdtemp(prefix="profile-build-"))
    try:
        source = args.dir
        if args.limit:
            source = work / "corpus"
            source.mkdir()
            for path in sorted(args.dir.rglob("*.txt"))[:args.limit]:
                shutil.copy(path, source / path.name)
        prof = cProfile.Profile()
        start = time.perf_counter()
        prof.enable()
        summary = store.add(work / "index", [str(source)])
        prof.disable()
        print(f"{summary.articles} articles, {time.perf_counter() - start:.1f} s under the profiler")
        stats = pstats.Stats(prof)
        named = {f"{k[0]}:{k[1]}({k[2]})": v for k, v in stats.stats.items()}
        total = max(v[3] for v in named.values())
        print(f"\n{'stage':<40} {'s':>7} {'share':>6}")
        for label, pattern in STAGES.items():
            cum = max((v[3] for name, v in named.items() if re.search(pattern, name)), default=0.0)
            print(f"{label:<40} {cum:7.2f} {cum / total:6.1%}")
        print(f"\nTop {args.top} by own time:")
        stats.sort_stats("tottime").print_stats(args.top)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
