"""JSON Lines that grow (issue 13, part 2): appending to, editing and deleting records of one large
`.jsonl` file, through the installed `search-index`, against a rebuild measured in the same run.

The Reuters-21578 `articles.jsonl` (19,043 records) is copied as it is to a scratch folder and
indexed with `search-index add` (under a pseudo-terminal, to see the progress bar move). Then:

* 10 appends: each appends one real record (a Reuters story, under a new id, as a scraper would
  write it) and runs `search-index add`: the median time is compared with the target (<= 2 s) and
  with a `search-index rebuild` of the same file (>= 20x less), the summary line must say one
  record added and one article written, and the appended story must be found;
* one edited and one deleted record, one `add`: only those two are re-indexed (summary counts), the
  edit is found and the deleted story is gone;
* the index size after the 10 appends, the edit and the delete against the fresh `rebuild` of the
  same file (<= 1.1x);
* reclaim: 2,000 records edited at once (a tenth of the file) and one `add`: the replaced articles'
  space is reclaimed by the merge policy (size <= 1.1x a rebuild again);
* progress: the longest time the bar stood still during the first build, against that build's time
  (before: it sat empty for 67 of 83 s).

Usage: python benchmarks/bench_jsonl.py [--keep DIR]
The corpus is found under SHARED_DIR or the `shared` folder beside the repository; without it the
benchmark says so and exits 0. Times are wall-clock on a shared machine: the ratios are of runs made
one after another in the same process, and the CPU time of each child is printed beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import re
import resource
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

APPENDS = 10
RECLAIM_EDITS = 2000
TARGET_APPEND_S = 2.0
TARGET_SPEEDUP = 20.0
TARGET_SIZE_RATIO = 1.1
TARGET_STILL_SHARE = 0.25  # the bar may stand still for at most this share of a build
BIN = Path(sys.executable).parent


def shared_dir() -> Path:
    """SHARED_DIR if set, else the `shared` folder next to the repository."""
    env = os.environ.get("SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def search_index(*args: str, index: Path) -> tuple[float, float, str]:
    """Run `search-index ARGS --index-dir INDEX`: (wall seconds, child CPU seconds, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([str(BIN / "search-index"), *args, "--index-dir", str(index)],
                          capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"search-index {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.strip()


def ids_found(words: str, index: Path) -> list[str]:
    done = subprocess.run([str(BIN / "search"), words, "-l", "--index-dir", str(index)],
                          capture_output=True, text=True, timeout=600)
    return done.stdout.split()


def build_with_progress(path: Path, index: Path) -> tuple[float, float, str]:
    """The first `add`, its stderr on a pseudo-terminal so the progress bar is drawn: (wall seconds,
    longest time the bar stood still, summary line)."""
    master, slave = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen([str(BIN / "search-index"), "add", str(path), "--index-dir", str(index)],
                            stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    last_move, last_bar, still, buffer = start, None, 0.0, b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            buffer += chunk
            bars = re.findall(rb"\[([#-]{30})\]", buffer)
            buffer = buffer[-200:]
            now = time.perf_counter()
            for bar in bars:
                if bar != last_bar:
                    still = max(still, now - last_move)
                    last_move, last_bar = now, bar
        elif proc.poll() is not None:
            break
    out = proc.communicate()[0]
    os.close(master)
    wall = time.perf_counter() - start
    still = max(still, wall - last_move)
    return wall, still, out.strip()


def gen_size(index: Path) -> int:
    """Bytes of the live generation (Whoosh segments, facet tables, manifest, word list)."""
    gen = index / (index / "CURRENT").read_text().strip()
    return sum(f.stat().st_size for f in gen.iterdir() if f.is_file())


def records_of(summary: str) -> tuple[int, ...]:
    m = re.search(r"records: added (\d+), updated (\d+), removed (\d+), unchanged (\d+); (\d+) articles", summary)
    return tuple(map(int, m.groups())) if m else ()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", help="work in this folder and leave it (default: a temporary one)")
    args = parser.parse_args(argv)
    corpus = shared_dir() / "corpora" / "reuters21578" / "articles.jsonl"
    if not corpus.is_file():
        print(f"bench_jsonl: skipped, no corpus at {corpus}")
        return 0
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench-jsonl-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return run(corpus, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def run(corpus: Path, work: Path) -> int:
    feed, index = work / "articles.jsonl", work / "index"
    shutil.rmtree(index, ignore_errors=True)
    shutil.copyfile(corpus, feed)
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"== {feed.name}: {len(records)} records, {feed.stat().st_size / 1e6:.1f} MB (a copy of {corpus})")
    ok = True

    wall, still, summary = build_with_progress(feed, index)
    share = still / wall
    ok &= share <= TARGET_STILL_SHARE
    print(f"first add        {wall:6.1f} s  {summary}")
    print(f"progress bar     longest still {still:.1f} s of {wall:.1f} s ({share:.0%})  "
          f"target <= {TARGET_STILL_SHARE:.0%}  {verdict(share <= TARGET_STILL_SHARE)}")

    times, cpus, right = [], [], True
    for n in range(APPENDS):
        story = dict(records[100 + 997 * n], id=f"appended-{n}")
        story["title"] = f"APPENDED STORY {n} {story['title']}"
        with feed.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(story) + "\n")
        wall, cpu, summary = search_index("add", str(feed), index=index)
        times.append(wall)
        cpus.append(cpu)
        right &= records_of(summary) == (1, 0, 0, len(records) + n, 1)
        right &= f"{feed}#appended-{n}" in ids_found(f'"appended story {n}"', index)
    append_s = statistics.median(times)
    print(f"append + add     median {append_s:.2f} s (min {min(times):.2f}, max {max(times):.2f}; "
          f"CPU {statistics.median(cpus):.2f} s) over {APPENDS}  target <= {TARGET_APPEND_S} s  "
          f"{verdict(append_s <= TARGET_APPEND_S)}")
    print(f"  each add said 'records: added 1, ...; 1 articles written' and found the story: "
          f"{verdict(right)}")
    ok &= append_s <= TARGET_APPEND_S and right

    lines = feed.read_text(encoding="utf-8").splitlines()
    edited, deleted = json.loads(lines[500]), json.loads(lines[501])
    edited["title"] = "QUOKKA " + edited["title"]
    lines[500] = json.dumps(edited)
    del lines[501]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    wall, cpu, summary = search_index("add", str(feed), index=index)
    counts = records_of(summary)
    found = ids_found("quokka", index) == [f"{feed}#{edited['id']}"]
    gone = f"{feed}#{deleted['id']}" not in ids_found(f'"{deleted["title"]}"', index)
    right = counts == (0, 1, 1, len(records) + APPENDS - 2, 1) and found and gone
    ok &= right
    print(f"edit 1 + delete 1 {wall:5.2f} s  {summary}  {verdict(right)}")

    size_appended = gen_size(index)
    rebuild_s, rebuild_cpu, summary = search_index("rebuild", index=index)
    fresh = gen_size(index)
    speedup = rebuild_s / append_s
    ratio = size_appended / fresh
    ok &= speedup >= TARGET_SPEEDUP and ratio <= TARGET_SIZE_RATIO
    print(f"rebuild          {rebuild_s:6.1f} s (CPU {rebuild_cpu:.1f} s)  {summary}")
    print(f"append vs rebuild {speedup:5.1f}x less time  target >= {TARGET_SPEEDUP:.0f}x  "
          f"{verdict(speedup >= TARGET_SPEEDUP)}")
    print(f"size after {APPENDS} appends, an edit, a delete: {size_appended / 1e6:.1f} MB; fresh rebuild "
          f"{fresh / 1e6:.1f} MB: {ratio:.3f}x  target <= {TARGET_SIZE_RATIO}x  {verdict(ratio <= TARGET_SIZE_RATIO)}")

    lines = feed.read_text(encoding="utf-8").splitlines()
    step = len(lines) // RECLAIM_EDITS
    for i in range(0, step * RECLAIM_EDITS, step):
        record = json.loads(lines[i])
        record["title"] = record["title"] + " (CORRECTED)"
        lines[i] = json.dumps(record)
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    wall, cpu, summary = search_index("add", str(feed), index=index)
    reclaimed = gen_size(index) / fresh
    right = records_of(summary)[:3] == (0, RECLAIM_EDITS, 0)
    ok &= reclaimed <= TARGET_SIZE_RATIO and right
    print(f"{RECLAIM_EDITS} records edited {wall:5.1f} s (CPU {cpu:.1f} s)  {summary}")
    print(f"  size {gen_size(index) / 1e6:.1f} MB: {reclaimed:.3f}x the fresh rebuild  "
          f"target <= {TARGET_SIZE_RATIO}x  {verdict(reclaimed <= TARGET_SIZE_RATIO and right)}")
    print(f"bench_jsonl: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
