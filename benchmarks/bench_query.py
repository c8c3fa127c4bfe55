"""Issue 16 and issue 12 part 10: ranking quality on Cranfield and the cost of hostile queries.

Usage: python benchmarks/bench_query.py [--only cranfield|hostile] [--reuters-index DIR]

cranfield: the 1,400 abstracts written as one text file each (title line, then the abstract), indexed
    with `search-index add`, the 225 queries run through the product's own search (run_search, the
    function behind `search --json -n 1000`), scored with the collection's evaluate.py. Target nDCG@10
    >= 0.38 (plain Whoosh BM25F over the same two fields: 0.377) and no query refused.
hostile: at least 50 queries built to be expensive (two-letter fuzzy words and prefixes by the dozen,
    deep parentheses, thousands of filters, long word lists, operators everywhere), each run as a real
    `search --json` process on the Reuters index (19,043 articles, built from
    ../shared/corpora/reuters21578/articles.jsonl in a temporary folder unless --reuters-index names
    one). Target: each finishes in under 2 s, or is refused (exit 2, one line).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(os.environ.get("SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")
CRANFIELD = SHARED / "eval" / "ir" / "cranfield"
EVALUATE = SHARED / "eval" / "ir" / "evaluate.py"
REUTERS = SHARED / "corpora" / "reuters21578" / "articles.jsonl"
NDCG_TARGET = 0.38
HOSTILE_SECONDS = 2.0


def tool(name: str) -> str:
    """A console script beside the running interpreter (the virtualenv's), else the bare name."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else name


def verdict(ok: bool, what: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'}: {what}")
    return ok


def cranfield(base: Path) -> bool:
    """nDCG@10, R@100 and MAP of the product's search on Cranfield, and how many queries it refused."""
    from newsgrep.search.query import QueryError
    from newsgrep.search.results import SearchRequest, run_search

    if not CRANFIELD.exists():
        print(f"skip: no Cranfield collection at {CRANFIELD}")
        return True
    docs = base / "cranfield"
    docs.mkdir()
    with (CRANFIELD / "corpus.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            (docs / f"{doc['_id']}.txt").write_text(f"{doc['title']}\n{doc['text']}\n", encoding="utf-8")
    index = base / "cranfield-index"
    built = subprocess.run([tool("search-index"), "add", str(docs), "--index-dir", str(index)],
                           capture_output=True, text=True, check=False)
    skipped = [line for line in built.stderr.splitlines() if line.strip()]
    print(f"indexed: {built.stdout.strip()} (exit {built.returncode}; {len(skipped)} lines on stderr)")
    for line in skipped[:8]:
        print(f"  {line}")
    queries = [json.loads(line) for line in (CRANFIELD / "queries.jsonl").read_text(encoding="utf-8").splitlines()]
    run_file = base / "cranfield.run"
    refused, partial, started = [], 0, time.monotonic()
    with run_file.open("w", encoding="utf-8") as out:
        for q in queries:
            try:
                response = run_search(index, SearchRequest(words=q["text"], limit=1000))
            except QueryError as exc:
                refused.append(f"{q['_id']}: {exc}")
                continue
            partial += response.partial
            for hit in response.hits:
                out.write(f"{q['_id']} Q0 {Path(hit.path).stem} {hit.rank} {hit.score} newsgrep\n")
    seconds = time.monotonic() - started
    done = subprocess.run([sys.executable, str(EVALUATE), "--qrels", str(CRANFIELD / "qrels" / "test.tsv"),
                           str(run_file)], capture_output=True, text=True, check=True)
    print(done.stdout.strip())
    found = re.search(r"^cranfield\.run\s+([0-9.]+)", done.stdout, re.MULTILINE)  # the first column is nDCG@10
    ndcg = float(found[1]) if found else 0.0
    print(f"{len(queries)} queries in {seconds:.1f} s; {partial} answered with partial matches")
    for line in refused:
        print(f"  refused {line}")
    ok = verdict(ndcg >= NDCG_TARGET, f"Cranfield nDCG@10 {ndcg:.4f} (target >= {NDCG_TARGET})")
    return verdict(not refused, f"Cranfield queries refused: {len(refused)} of {len(queries)}") and ok


def hostile_queries() -> list[list[str]]:
    """Each a `search` argument list made to cost as much as a 1,000-character query can."""
    two = [a + b for a in "abcdefghijklmnopqrstuvwxyz" for b in "aeiou"]
    fuzzy = [" ".join(f"{w}~" for w in two[:45])], [" ".join(f"{w}~2" for w in two[:45])]
    prefixes = [" ".join(f"{w}*" for w in two[:40])], [" ".join(f"{w}* OR" for w in two[:30]) + " ta*"]
    out: list[list[str]] = [*fuzzy, *prefixes]
    out += [["body:[a TO z]"], [" ".join(["body:[a TO z]"] * 5)], ["title:[a TO zzzz] body:{0 TO 9}"]]
    out += [["(" * 350 + "oil" + ")" * 350], ["(" * 20 + "oil" + ")" * 20], ["(" * 499], [")" * 499 + "oil"]]
    out += [["(" * 150 + "oil OR " * 100 + ")" * 150]]
    out += [["--org", "a"] * 3000, ["oil"] + ["--person", "a"] * 60, ["--place", "a"] * 50 + ["oil"]]
    out += [["--org", "a", "--place", "a", "--person", "a", "oil", "--facets"]]
    out += [[" ".join(two[:190])], [" ".join(["oil"] * 300)], ["the " * 250], [" OR ".join(two[:160])],
            [" AND ".join(two[:160])], ["NOT " * 200 + "oil"], ["-" + " -".join(two[:160])],
            ["+" + " +".join(two[:160])], [" ".join(f'"{a} {b}"' for a, b in zip(two, two[1:], strict=False))[:1000]],
            [" ".join(f'"{a} {b}"~9' for a, b in zip(two, two[1:], strict=False))[:1000]],
            [" ".join(f"{w}^100" for w in two[:150])], ["title:" + " title:".join(two[:140])],
            ["x" * 999], ["a*"], ["*"], ["**"], ["?" * 500], ["*a*b*c*d*e"], ["pe?ce" * 100],
            ["oil~9 " * 100], ["zz~2 " * 150], ["a~ " * 300], ["~" * 999], ["^" * 999], [":" * 999],
            ['"' * 999], ['"' + "oil " * 200 + '"'], ['"' + "the " * 240 + '"'], ["- " * 490],
            ["+ " * 490], ["\u202e" * 300 + "oil"], ["ｏｉｌ" * 100], ["date:[2022 TO"],
            ["oil", "--since", "1900-01-01", "--until", "2100-01-01", "--facets", "--sort", "date"],
            ["*", "--facets", "--sort", "date", "-n", "1000"], ["oil OR prices", "-n", "1000", "--page", "19"],
            ["st* pr* co* ma* ba* tr*"], ["the a an of to in"], ["oil", "--any", "--facets", "-n", "1000"],
            ["what are the effects of the prices of crude oil on the dollar and on the stock markets",
             "--facets"]]
    return out


def hostile(base: Path, index: Path | None) -> bool:
    """Every hostile query as a real process: seconds and exit code; over 2 s without a refusal fails."""
    if index is None:
        if not REUTERS.exists():
            print(f"skip: no Reuters corpus at {REUTERS}")
            return True
        index = base / "reuters-index"
        started = time.monotonic()
        subprocess.run([tool("search-index"), "add", str(REUTERS), "--index-dir", str(index)], check=True,
                       capture_output=True)
        print(f"Reuters index built in {time.monotonic() - started:.0f} s")
    queries = hostile_queries()
    slow, worst = [], 0.0
    print(f"{'seconds':>7}  exit  query")
    for args in queries:
        started = time.monotonic()
        try:
            done = subprocess.run([tool("search"), "--json", "--index-dir", str(index), *args], capture_output=True,
                                  text=True, timeout=60, check=False)
            code, err = done.returncode, done.stderr.strip().splitlines()
        except subprocess.TimeoutExpired:
            code, err = -1, ["timed out after 60 s"]
        seconds = time.monotonic() - started
        shown = " ".join(args)
        note = err[-1][:70] if code == 2 and err else ""
        print(f"{seconds:7.2f}  {code:>4}  {shown[:60]!r}{len(shown) > 60 and ' …' or ''} {note}")
        refused = code == 2 and len(err) == 1
        if code not in (0, 1, 2) or (code == 2 and not refused):
            slow.append(f"{shown[:40]!r}: exit {code}")
        elif not refused:
            worst = max(worst, seconds)
            if seconds >= HOSTILE_SECONDS:
                slow.append(f"{shown[:40]!r}: {seconds:.2f} s")
    for line in slow:
        print(f"  over: {line}")
    return verdict(not slow and len(queries) >= 50,
                   f"{len(queries)} hostile queries, each answered in under {HOSTILE_SECONDS} s or refused "
                   f"(slowest answered {worst:.2f} s; {len(slow)} over)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("cranfield", "hostile"))
    parser.add_argument("--reuters-index", type=Path, help="an index of the Reuters corpus already built")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-query-") as tmp:
        base = Path(tmp)
        if args.only in (None, "cranfield"):
            ok = cranfield(base) and ok
        if args.only in (None, "hostile"):
            ok = hostile(base, args.reuters_index) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
