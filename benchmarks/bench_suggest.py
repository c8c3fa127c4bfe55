""""Did you mean" on misspellings made from the Reuters vocabulary (issue #16).

Builds an index of `shared/corpora/reuters21578/articles.jsonl` as it is (or uses --index-dir), draws
words from the index's own word list (in at least 5 articles, 5 to 12 letters), misspells each by one
or two random edits (insertion, deletion, substitution or a swap of neighbouring letters; seeded),
drops misspellings that are themselves indexed words, and searches each through `run_search`, as the
`search` command does. A misspelling counts as corrected when the suggestion is the word it was made
from. Target: at least 80%.

Usage: python benchmarks/bench_suggest.py [--index-dir DIR] [--count N] [--seed N]
Without the corpus it says so and exits 0.
"""

from __future__ import annotations

import argparse
import os
import random
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 0.80
EXAMPLES = ["cocao", "Mitterand", "opek", "oil pirces", "Volker"]


def shared_dir() -> Path:
    env = os.environ.get("SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def misspell(word: str, n_edits: int, rng: random.Random) -> str:
    for _ in range(n_edits):
        i = rng.randrange(len(word))
        kind = rng.choice(("insert", "delete", "substitute", "swap"))
        letter = rng.choice(string.ascii_lowercase)
        if kind == "insert":
            word = word[:i] + letter + word[i:]
        elif kind == "delete" and len(word) > 3:
            word = word[:i] + word[i + 1:]
        elif kind == "swap" and i + 1 < len(word):
            word = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        else:
            word = word[:i] + letter + word[i + 1:]
    return word


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index-dir", type=Path)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1987)
    args = ap.parse_args()
    corpus = shared_dir() / "corpora" / "reuters21578" / "articles.jsonl"
    if args.index_dir is None and not corpus.is_file():
        print(f"SKIP: {corpus} not found")
        return 0
    from newsgrep.index.store import current_generation
    from newsgrep.index.vocabulary import load
    from newsgrep.search.results import SearchRequest, run_search

    with tempfile.TemporaryDirectory(prefix="bench-suggest-") as scratch:
        root = args.index_dir or Path(scratch) / "index"
        if args.index_dir is None:
            start = time.perf_counter()
            exe = Path(sys.executable).with_name("search-index")
            subprocess.run([str(exe), "add", str(corpus), "--index-dir", str(root)], check=True,
                           stdout=subprocess.DEVNULL)
            print(f"indexed {corpus.name} as it is in {time.perf_counter() - start:.0f} s")
        counts = load(current_generation(root))
        rng = random.Random(args.seed)
        pool = sorted(w for w, n in counts.items() if n >= 5 and 5 <= len(w) <= 12 and w.isascii())
        rng.shuffle(pool)
        cases = []
        for word in pool:
            n_edits = 1 + len(cases) % 2
            typo = misspell(word, n_edits, rng)
            if typo != word and typo not in counts:
                cases.append((word, typo, n_edits))
            if len(cases) == args.count:
                break
        right = {1: 0, 2: 0}
        total = {1: 0, 2: 0}
        wrong = []
        start = time.perf_counter()
        for word, typo, n_edits in cases:
            got = run_search(root, SearchRequest(words=typo, limit=1)).suggestion
            total[n_edits] += 1
            if (got or "").lower() == word:
                right[n_edits] += 1
            else:
                wrong.append(f"{typo} -> {got} (meant {word})")
        per_query_ms = (time.perf_counter() - start) / max(len(cases), 1) * 1000
        share = sum(right.values()) / max(sum(total.values()), 1)
        print(f"misspellings: {sum(total.values())} from {len(pool)} words in >= 5 articles (seed {args.seed})")
        for n in (1, 2):
            print(f"  {n} edit{'s' * (n > 1)}: {right[n]}/{total[n]} corrected ({right[n] / max(total[n], 1):.0%})")
        print(f"  per search with its suggestion: {per_query_ms:.0f} ms")
        silent = sum(1 for w in wrong if " -> None " in w)
        print(f"  misses: {len(wrong)}, of which no suggestion: {silent}")
        print("  some misses: " + "; ".join(wrong[:8]))
        for typed in EXAMPLES:
            print(f"  {typed!r}: did you mean {run_search(root, SearchRequest(words=typed, limit=1)).suggestion!r}")
        verdict = "PASS" if share >= TARGET else "FAIL"
        print(f"{verdict}: the right correction is the suggestion for {share:.1%} (target >= {TARGET:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
