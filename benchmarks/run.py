"""Issue 5 benchmarks in one command: build, one-shot search, query latency, incremental update, scale.

Usage: python benchmarks/run.py [--quick] [--only build|oneshot|latency|incremental|scale|colleagues]

The machine is small and noisy, so every target that compares against something (a naive Whoosh
indexer, ripgrep, a full rebuild) measures both sides in the same run and reports the ratio. Indexes
built for one benchmark are reused by the others within a run, so the full run stays well under 40
minutes. The corpus is /work/shared/corpora/reuters21578/articles.jsonl (SHARED_DIR overrides the shared
folder); without it every benchmark prints a skip message and the run exits 0. Scratch files go to a
temporary folder (or under BENCH_DIR) that is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUICK_FRACTION = 0.1  # --quick: this share of the corpus, so the whole run takes a few minutes
SCALES = (1, 2, 5)
ONE_SHOT_QUERY = "oil prices"
BENCHES = ("build", "oneshot", "latency", "scale", "incremental", "colleagues")
HERE = Path(__file__).resolve().parent


def shared_dir() -> Path:
    """SHARED_DIR if set, else the `shared` folder beside the repository."""
    env = os.environ.get("SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def corpus_file() -> Path:
    return shared_dir() / "corpora" / "reuters21578" / "articles.jsonl"


def tool(name: str) -> str:
    """A console script of this virtualenv (beside the running interpreter), else from PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def table(title: str, header: list[str], rows: list[list[object]]) -> None:
    """Print a plain aligned table: benchmarks are read in terminals and CI logs, not rendered."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    print(f"\n== {title}")
    for n, row in enumerate(cells):
        padded = [c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        print("  " + "  ".join(padded))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


def verdict(ok: bool, what: str) -> str:
    line = f"{'PASS' if ok else 'FAIL'}: {what}"
    print(line)
    return line


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile: simple and never interpolates past a measured value."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


# ---------------------------------------------------------------- measuring a process tree

def _tree_pids(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _tree_memory(root: int) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) in bytes over a process and its descendants; PSS splits shared pages."""
    rss = pss = 0
    for pid in _tree_pids(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
        except (OSError, ValueError):
            continue
    return rss, pss


def run_measured(cmd: list[str]) -> dict:
    """Run a command; wall time, peak tree RSS/PSS (polled from /proc) and output.

    Polling every 0.2 s can miss a short spike, so the child's own ru_maxrss (largest single process)
    is reported beside it.
    """
    wrapper = ("import resource, subprocess, sys, json; r = subprocess.run(sys.argv[1:]); "
               "print(json.dumps([r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]), "
               "file=sys.stderr)")
    out_f, err_f = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", wrapper, *cmd], stdout=out_f, stderr=err_f)
    peak_rss = peak_pss = 0
    while proc.poll() is None:
        rss, pss = _tree_memory(proc.pid)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.2)
    wall = time.perf_counter() - start
    out_f.seek(0)
    err_f.seek(0)
    out, err = out_f.read().decode(errors="replace"), err_f.read().decode(errors="replace")
    lines = err.rstrip().splitlines()
    code, maxrss_kb = json.loads(lines[-1]) if lines else (proc.returncode, 0)
    if code not in (0,):
        raise RuntimeError(f"{' '.join(cmd)} exited {code}:\n{out[-2000:]}\n{err[-2000:]}")
    return {"wall": wall, "rss": peak_rss, "pss": peak_pss, "maxrss": maxrss_kb * 1024, "out": out}


def mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"


# ---------------------------------------------------------------- corpus and indexes, shared by benchmarks

class Workspace:
    """Corpora written as .txt files and indexes built from them, made once per run and reused."""

    def __init__(self, base: Path, articles: list[dict]) -> None:
        self.base = base
        self.articles = articles
        self.corpora: dict[int, Path] = {}
        self.builds: dict[int, dict] = {}

    @property
    def n(self) -> int:
        return len(self.articles)

    def corpus(self, scale: int) -> Path:
        """The corpus `scale` times over: copy k>0 gets a suffix on its file names and titles."""
        if scale in self.corpora:
            return self.corpora[scale]
        root = self.base / f"corpus-{scale}x"
        for copy in range(scale):
            folder = root / f"copy{copy}"
            folder.mkdir(parents=True)
            suffix = f" (copy {copy})" if copy else ""
            for art in self.articles:
                head = f"date {art['date'][:10]} {art['title']}{suffix}".rstrip()
                (folder / f"{art['id']}.txt").write_text(f"{head}\n{art['body']}\n", encoding="utf-8")
        self.corpora[scale] = root
        return root

    def build(self, scale: int) -> dict:
        """`search-index add` of the scaled corpus into a fresh index: time, memory, size on disk."""
        if scale not in self.builds:
            corpus = self.corpus(scale)
            index = self.base / f"index-{scale}x"
            print(f"  building our index at {scale}x ({self.n * scale:,} articles) ...", flush=True)
            res = run_measured([tool("search-index"), "add", str(corpus), "--index-dir", str(index)])
            res.update(index=index, corpus=corpus, articles=self.n * scale, size=dir_size(index))
            self.builds[scale] = res
        return self.builds[scale]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def load_articles(fraction: float) -> list[dict]:
    """Articles of the corpus (every 1/fraction-th one with --quick, so the sample spans all dates)."""
    step = max(1, round(1 / fraction))
    out = []
    with corpus_file().open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % step == 0:
                rec = json.loads(line)
                out.append({"id": rec["id"], "date": rec.get("date") or "", "title": rec.get("title") or "",
                            "body": rec.get("body") or ""})
    return out


# ---------------------------------------------------------------- 1. index build

NAIVE_INDEXER = """
import os, sys, time
from whoosh import index
from whoosh.fields import ID, TEXT, Schema
src, dest = sys.argv[1], sys.argv[2]
os.makedirs(dest)
ix = index.create_in(dest, Schema(title=TEXT(stored=True), path=ID(stored=True), body=TEXT(stored=True)))
writer = ix.writer()
for folder, _, files in os.walk(src):
    for name in files:
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as fh:
            title = fh.readline().strip()
            body = fh.read()
        writer.add_document(title=title, path=path, body=body)
writer.commit()
"""


def bench_build(ws: Workspace) -> list[str]:
    """Ours end to end (read, clean, entities, index) against the Whoosh tutorial indexer, same files."""
    ours = ws.build(1)
    print("  building the naive Whoosh tutorial index at 1x ...", flush=True)
    naive = run_measured([sys.executable, "-c", NAIVE_INDEXER, str(ws.corpus(1)), str(ws.base / "naive-1x")])
    big = ws.build(5)
    rows = []
    for name, res, n in (("ours 1x", ours, ws.n), ("naive whoosh 1x", naive, ws.n), ("ours 5x", big, 5 * ws.n)):
        rows.append([name, f"{n:,}", f"{res['wall']:.1f}", f"{n / res['wall']:,.0f}", mb(res["rss"]), mb(res["pss"]),
                     mb(res["maxrss"])])
    table("1. index build (search-index add DIR, fresh index)",
          ["indexer", "articles", "wall s", "articles/s", "peak tree RSS", "peak tree PSS", "max 1 proc"], rows)
    ratio = naive["wall"] / ours["wall"]
    print(f"ours / naive speed at 1x: {ratio:.2f}x (target >= 1.5x)")
    scale_note = "" if ws.n >= 19000 else f" (only {5 * ws.n:,} articles here: --quick)"
    return [verdict(ratio >= 1.5, f"build speed ours/naive = {ratio:.2f}x >= 1.5x"),
            verdict(big["rss"] <= 1e9, f"peak tree RSS at 5x = {mb(big['rss'])} <= 1 GB{scale_note}")]


# ---------------------------------------------------------------- 2. one-shot search

STAGES = """
import json, sys, time
t0 = time.perf_counter()
import newsgrep.index
t01 = time.perf_counter()
import typer, newsgrep.cli.search_cmd
t1 = time.perf_counter()
from pathlib import Path
from newsgrep.index.store import open_index
from newsgrep.search import snippets
from newsgrep.index.columns import open_columns
from newsgrep.search.facets import count_facets
from newsgrep.search.query import parse_query
from newsgrep.search.rank import rank_all
t2 = time.perf_counter()
ix = open_index(Path(sys.argv[1]))
t3 = time.perf_counter()
q = parse_query(sys.argv[2], ix.schema)
with ix.searcher() as s:
    columns = open_columns(Path(ix.storage.folder), s)
    t4 = time.perf_counter()
    ranked = rank_all(s, q, None, 10, folder=Path(ix.storage.folder))
    t5 = time.perf_counter()
    facets = count_facets(columns, ranked.docs)
    t6 = time.perf_counter()
    snippets.configure(ranked.results)
    texts = [(h["id"], h.get("title"), snippets.snippet(h)) for h in ranked.results[:10]]
    t7 = time.perf_counter()
print(json.dumps({"import index (Whoosh's core)": t01 - t0, "import cli (typer)": t1 - t01,
                  "import the search modules (rest of Whoosh)": t2 - t1, "open index": t3 - t2,
                  "parse, open searcher, load facet tables": t4 - t3, "rank every match": t5 - t4,
                  "count facets": t6 - t5, "snippets + stored fields": t7 - t6}))
"""


def hyperfine(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall seconds of each command, by hyperfine when installed, else by repeated runs."""
    exe = shutil.which("hyperfine")
    if exe:
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            args = [exe, "-N", "--warmup", "2", "--runs", str(runs), "--export-json", out.name, "--style", "none"]
            for name, cmd in commands.items():
                args += ["-n", name, subprocess.list2cmdline(cmd)]
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
            return {r["command"]: r["median"] for r in json.load(open(out.name))["results"]}
    medians = {}
    for name, cmd in commands.items():
        times = []
        for i in range(runs + 2):
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            if i >= 2:
                times.append(time.perf_counter() - start)
        medians[name] = statistics.median(times)
    return medians


def import_summary(python: Path, index: Path, top: int = 12) -> list[list[object]]:
    """The costliest imports of the `search` command (self time), each with the chain that pulled it in."""
    code = ("import sys; from newsgrep.cli.search_cmd import main; "
            f"sys.argv = ['search', {ONE_SHOT_QUERY!r}, '--json', '--facets', '--index-dir', {str(index)!r}]; main()")
    done = subprocess.run([str(python), "-X", "importtime", "-c", code], capture_output=True, text=True,
                          cwd=index.parent)
    entries = []  # (depth, name, self_us, cumulative_us) in import-time order: children before parents
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        self_us, cum_us, name = line[len("import time:"):].split("|")
        depth = (len(name) - len(name.lstrip())) // 2
        entries.append((depth, name.strip(), int(self_us), int(cum_us)))
    rows = []
    total = sum(e[2] for e in entries)
    for i, (depth, name, self_us, cum_us) in sorted(enumerate(entries), key=lambda e: -e[1][2])[:top]:
        chain, want = [], depth - 1
        for d, parent, _, _ in entries[i + 1:]:
            if d == want:
                chain.append(parent)
                want -= 1
        rows.append([name, f"{self_us / 1000:.1f}", f"{cum_us / 1000:.1f}", " <- ".join(chain[:4]) or "(top level)"])
    roots = []
    for i, (depth, name, _, cum_us) in enumerate(entries):
        if depth <= 1:
            parent = next((e[1] for e in entries[i + 1:] if e[0] == depth - 1), "") if depth else "(top level)"
            roots.append([name, f"{cum_us / 1000:.1f}", parent])
    roots.sort(key=lambda r: -float(r[1]))
    table("2c. biggest imports of `search` near the top (cumulative ms, python -X importtime)",
          ["package", "cum ms", "imported by"], roots[:12])
    print(f"  all imports, self time summed: {total / 1000:.0f} ms")
    return rows


def installed_python(base: Path) -> tuple[Path, str]:
    """The interpreter of `search` as README's first command installs it: `pip install .`, not editable.

    The development virtualenv's editable install adds an import hook that costs every start about
    10 ms (pathlib, urllib.parse, ipaddress...), which no user's install has. Without the network
    (pip cannot fetch the dependencies) the development virtualenv is used instead, and said so.
    """
    venv = base / "venv-installed"
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
    if made.returncode == 0:
        pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(HERE.parent)],
                             capture_output=True, text=True, cwd=base)
        shutil.rmtree(HERE.parent / "build", ignore_errors=True)  # pip's build folder in the checkout
        if pip.returncode == 0:
            return venv / "bin" / "python", "pip install . in a scratch virtualenv"
        print(f"  pip install . failed, timing the development install instead:\n{pip.stderr[-500:]}")
    import compileall

    # The folders behind newsgrep.*, compiled as pip would; PYTHONDONTWRITEBYTECODE may be set here.
    for package in ("index", "search", "cli"):
        compileall.compile_dir(str(HERE.parent / package), quiet=1)
    return Path(sys.executable), "development virtualenv (editable install)"


def bench_oneshot(ws: Workspace, runs: int) -> list[str]:
    """`search ... --json --facets` in a fresh process against `rg -l -i` on the same files."""
    if shutil.which("rg") is None:
        print("  skipped: ripgrep is not installed (apt-get install ripgrep); the one-shot ratio needs it")
        return ["SKIP: one-shot search vs rg (no rg on PATH)"]
    python, how = installed_python(ws.base)
    print(f"  timing `search` from: {how}")
    search_cmd = str(python.parent / "search")
    lines = []
    for scale, target in ((1, 1.5), (5, 1.0)):
        b = ws.build(scale)
        cmds = {"search": [search_cmd, ONE_SHOT_QUERY, "--json", "--facets", "--index-dir", str(b["index"])],
                "rg": [shutil.which("rg") or "rg", "-l", "-i", ONE_SHOT_QUERY, str(b["corpus"])],
                "python -c pass": [str(python), "-c", "pass"]}
        med = hyperfine(cmds, runs)
        ratio = med["search"] / med["rg"]
        table(f"2. one-shot search at {scale}x ({b['articles']:,} articles), median of {runs} runs",
              ["command", "median ms", "vs rg"],
              [[k, f"{v * 1000:.0f}", f"{v / med['rg']:.2f}"] for k, v in med.items()])
        lines.append(verdict(ratio <= target, f"one-shot search/rg at {scale}x = {ratio:.2f} <= {target}"))
        stages: dict[str, list[float]] = {}
        for _ in range(5):
            done = subprocess.run([str(python), "-c", STAGES, str(b["index"]), ONE_SHOT_QUERY],
                                  capture_output=True, text=True, check=True, cwd=ws.base)
            for k, v in json.loads(done.stdout.strip().splitlines()[-1]).items():
                stages.setdefault(k, []).append(v)
        rows = [["interpreter start (python -c pass)", f"{med['python -c pass'] * 1000:.0f}"]]
        rows += [[k, f"{statistics.median(v) * 1000:.0f}"] for k, v in stages.items()]
        table(f"2b. where a one-shot search spends its time at {scale}x (fresh process, median of 5)",
              ["stage", "ms"], rows)
    rows = import_summary(python, ws.build(1)["index"])
    table("2d. costliest single imports of `search` (self ms) and who imported them", ["module", "self ms",
          "cum ms", "imported by"], rows)
    return lines


# ---------------------------------------------------------------- 3. query latency

def fixed_queries(index: Path) -> list:
    """30 queries: words, phrases, date ranges, entity filters (names taken from the index's facets)."""
    import datetime as dt

    from newsgrep.search.results import SearchRequest, run_search

    top = run_search(index, SearchRequest(words="", facets=True, limit=1)).facets
    people, places, orgs = ([v for v, _ in top[k]] for k in ("people", "places", "orgs"))
    day = dt.date.fromisoformat
    words = ["oil prices", "interest rates", "trade deficit", "coffee", "gold", "bank", "wheat exports",
             "dollar yen", "merger acquisition", "opec production"]
    phrases = ['"oil prices"', '"trade deficit"', '"federal reserve"', '"net income"', '"crude oil"']
    reqs = [SearchRequest(words=w, facets=True) for w in words + phrases]
    for w, since, until in (("oil", "1987-03-01", "1987-03-31"), ("stocks", "1987-04-01", "1987-06-30"),
                            ("tax", "1987-02-01", "1987-02-28"), ("", "1987-10-01", "1987-10-31"),
                            ('"interest rates"', "1987-03-15", None)):
        reqs.append(SearchRequest(words=w, since=day(since), until=day(until) if until else None, facets=True))
    for name in places[:3]:
        reqs.append(SearchRequest(words="trade", places=[name], facets=True))
    for name in orgs[:3]:
        reqs.append(SearchRequest(words="prices", orgs=[name], facets=True))
    for name in people[:2]:
        reqs.append(SearchRequest(words="", people=[name], facets=True))
    while len(reqs) < 30:  # a tiny --quick index may have few distinct names
        reqs.append(SearchRequest(words="market", since=day("1987-03-01"), facets=True))
    return reqs[:30]


def latency(index: Path, rounds: int = 3) -> tuple[float, float, list[tuple[str, float]]]:
    """Median and p95 (seconds) over the fixed queries, each run `rounds` times after one warm-up pass."""
    from newsgrep.search.results import run_search

    reqs = fixed_queries(index)
    for r in reqs:
        run_search(index, r)
    times, per_query = [], []
    for r in reqs:
        mine = []
        for _ in range(rounds):
            start = time.perf_counter()
            run_search(index, r)
            mine.append(time.perf_counter() - start)
        times += mine
        label = r.words or "(no words)"
        extra = [f"{k}={v[0]}" for k, v in (("place", r.places), ("org", r.orgs), ("person", r.people)) if v]
        if r.since or r.until:
            extra.append(f"{r.since or ''}..{r.until or ''}")
        per_query.append((" ".join([label, *extra]), statistics.median(mine)))
    return statistics.median(times), pct(times, 95), per_query


def bench_latency(ws: Workspace) -> list[str]:
    """In-process run_search latency at 1x and 5x, facets on."""
    rows, lines, slow = [], [], []
    for scale in (1, 5):
        med, p95, per = latency(ws.build(scale)["index"])
        rows.append([f"{scale}x", f"{ws.n * scale:,}", f"{med * 1000:.1f}", f"{p95 * 1000:.1f}"])
        slow = sorted(per, key=lambda x: -x[1])[:6]
    table("3. in-process query latency, 30 fixed queries x 3 rounds, facets on", ["scale", "articles", "median ms",
          "p95 ms"], rows)
    table("3b. slowest queries at 5x (median ms)", ["query", "ms"], [[q, f"{t * 1000:.1f}"] for q, t in slow])
    med5, p95_5 = float(rows[-1][2]), float(rows[-1][3])
    lines.append(verdict(med5 <= 15, f"median latency at 5x = {med5:.1f} ms <= 15 ms"))
    lines.append(verdict(p95_5 <= 60, f"p95 latency at 5x = {p95_5:.1f} ms <= 60 ms"))
    return lines


# ---------------------------------------------------------------- 4. incremental update

def bench_incremental(ws: Workspace, repeats: int = 3) -> list[str]:
    """Change one file and `add` the folder again, against a full `rebuild` of the same folder."""
    b = ws.build(1)
    files = sorted((b["corpus"] / "copy0").glob("*.txt"))
    add = [tool("search-index"), "add", str(b["corpus"]), "--index-dir", str(b["index"])]
    times = []
    for i in range(repeats):
        target = files[(i + 1) * len(files) // (repeats + 1)]
        with target.open("a", encoding="utf-8") as fh:
            fh.write(f"\nEdited by the benchmark, round {i}.\n")
        res = run_measured(add)
        if "updated 1," not in res["out"]:
            print(f"  warning: expected one updated file, got: {res['out'].strip()}")
        times.append(res["wall"])
    unchanged = run_measured(add)["wall"]
    rebuild = run_measured([tool("search-index"), "rebuild", str(b["corpus"]), "--index-dir", str(b["index"])])
    inc = statistics.median(times)
    ratio = rebuild["wall"] / inc
    table(f"4. incremental update at 1x ({ws.n:,} files)", ["operation", "wall s"],
          [["add after changing 1 file (median of 3)", f"{inc:.2f}"],
           ["add with nothing changed", f"{unchanged:.2f}"],
           ["full rebuild of the same folder", f"{rebuild['wall']:.1f}"],
           ["rebuild / incremental", f"{ratio:.1f}x"]])
    return [verdict(inc <= 2.0, f"incremental add = {inc:.2f} s <= 2 s"),
            verdict(ratio >= 20, f"rebuild/incremental = {ratio:.1f}x >= 20x")]


# ---------------------------------------------------------------- 5. scale curve

def bench_scale(ws: Workspace) -> list[str]:
    """Build time, size on disk and query latency at 1x, 2x, 5x, each as growth over 1x."""
    data = {}
    for scale in SCALES:
        b = ws.build(scale)
        med, p95, _ = latency(b["index"], rounds=2)
        data[scale] = {"build s": b["wall"], "size MB": b["size"] / 1e6, "median ms": med * 1000,
                       "p95 ms": p95 * 1000, "peak RSS MB": b["rss"] / 1e6}
    rows, flags = [], []
    for scale in SCALES:
        row = [f"{scale}x", f"{ws.n * scale:,}"]
        for key, value in data[scale].items():
            growth = value / data[1][key]
            mark = ""
            if scale > 1 and growth > scale * 1.1:
                mark = " !"
                flags.append(f"{key} grows {growth:.2f}x for {scale}x the corpus")
            row.append(f"{value:,.1f} ({growth:.2f}x){mark}")
        rows.append(row)
    table("5. scale curve: value (growth vs 1x); ! = grows faster than the corpus",
          ["scale", "articles", *data[1].keys()], rows)
    for f in flags:
        print(f"  superlinear: {f}")
    return [verdict(not flags, "no cost grows faster than the corpus" if not flags else "; ".join(flags))]


# ---------------------------------------------------------------- colleagues' benchmarks

def bench_colleagues(quick: bool) -> list[str]:
    """Run bench_clean.py, bench_text.py and bench_entities.py when they exist; pass --quick only if they
    accept it."""
    lines = []
    for name in ("bench_clean.py", "bench_text.py", "bench_entities.py"):
        script = HERE / name
        if not script.exists():
            print(f"\n== {name}: not there yet, skipped")
            continue
        args = [sys.executable, str(script)]
        if quick:
            helptext = subprocess.run(args + ["--help"], capture_output=True, text=True, check=False).stdout
            args += ["--quick"] if "--quick" in helptext else []
        print(f"\n== {name} ({' '.join(args[1:])})", flush=True)
        start = time.perf_counter()
        code = subprocess.run(args, check=False).returncode
        lines.append(verdict(code == 0, f"{name} exited {code} after {time.perf_counter() - start:.0f} s"))
    return lines


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help=f"use {QUICK_FRACTION:.0%} of the corpus")
    ap.add_argument("--only", choices=BENCHES, action="append", help="run only this benchmark (repeatable)")
    args = ap.parse_args(argv)
    chosen = args.only or list(BENCHES)
    if not corpus_file().is_file():
        for name in chosen:
            print(f"{name}: skipped, no corpus at {corpus_file()}")
        return 0
    base = Path(tempfile.mkdtemp(prefix="bench-", dir=os.environ.get("BENCH_DIR")))
    started = time.perf_counter()
    verdicts: list[str] = []
    try:
        ws = Workspace(base, load_articles(QUICK_FRACTION if args.quick else 1.0))
        print(f"corpus: {ws.n:,} articles{' (--quick)' if args.quick else ''}; scratch: {base}")
        steps = {"build": lambda: bench_build(ws), "oneshot": lambda: bench_oneshot(ws, 10 if args.quick else 20),
                 "latency": lambda: bench_latency(ws), "scale": lambda: bench_scale(ws),
                 "incremental": lambda: bench_incremental(ws), "colleagues": lambda: bench_colleagues(args.quick)}
        for name in BENCHES:  # incremental edits the 1x corpus, so it runs after the others that read it
            if name in chosen:
                verdicts += steps[name]()
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"\n== summary ({time.perf_counter() - started:.0f} s)")
    for line in verdicts:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
