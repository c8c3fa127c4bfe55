"""Measure how much of a hard-wrapped plain-text story survives cleaning (issue 13, part 1).

The Reuters-21578 corpus is read exactly as users bring it, `articles.jsonl` with its bodies
hard-wrapped at about 65 columns, indented or blank-line paragraphs and tables, through the same
function `search-index clean FILE --json` runs (`newsgrep.index.articles.load_file`, in process).
Each cleaned body is compared with the record's `body` field less its trailing "Reuter" sign-off:

* 4-gram recall: the share of the true body's token 4-grams (multiset, tokens are `\\w+` runs, as in
  ../shared/eval/article-extraction/score.py) found in the cleaned body, the mean over articles
  (target >= 0.97); the pooled figure over all words is printed beside it;
* lead kept: the share of articles whose first eight words appear, in order, in the cleaned body
  (target >= 0.98);
* flat: the cleaner's score on the article-extraction pages flattened to text (the same
  `clean_text` path), which must not drop below the figure recorded in the README before this
  change (F1 0.890).

Usage: python benchmarks/bench_text.py [--jsonl FILE] [--limit N | --quick] [--worst N]
  --jsonl FILE  another JSON Lines file of `body` fields to measure (default: the Reuters corpus)
  --limit N     only the first N records (a quick look; the targets are for the whole corpus)
  --quick       the first tenth (what benchmarks/run.py --quick passes)
  --worst N     print the N articles that keep the least, to see what is lost
The data is found under SHARED_DIR or the `shared` folder beside the repository; without it the
benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from newsgrep.index.articles import load_file
from newsgrep.index.clean import clean_text
from newsgrep.index.read import SkipFile

WORD = re.compile(r"\w+")
SIGN_OFF = re.compile(r"\s*\bReuter\s*$")
LEAD_WORDS = 8
TARGET_RECALL = 0.97
TARGET_LEAD = 0.98
QUICK_RECORDS = 1904  # --quick: a tenth of the Reuters corpus
FLAT_F1_BEFORE = 0.890  # README figure of the flattened-text path before wrapped text was handled


def shared_dir() -> Path:
    """SHARED_DIR if set, else the `shared` folder next to the repository."""
    env = os.environ.get("SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def shingles(tokens: list[str], n: int = 4) -> Counter:
    """Multiset of n-token windows; a short non-empty text is one window (score.py's rule)."""
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def contains_run(haystack: list[str], needle: list[str]) -> bool:
    """Whether `needle` occurs as a contiguous run of tokens in `haystack`."""
    if not needle:
        return True
    first = needle[0]
    return any(haystack[i:i + len(needle)] == needle
               for i, tok in enumerate(haystack) if tok == first)


def truths(path: Path, limit: int | None) -> dict[str, str]:
    """Record id -> true body (sign-off removed), keyed as `load_file` keys its articles."""
    out = {}
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(itertools.islice(fh, limit), 1):
            record = json.loads(line)
            key = record.get("id")
            out[str(key if key is not None else line_no)] = SIGN_OFF.sub("", record.get("body") or "")
    return out


def measure(path: Path, limit: int | None, worst: int) -> bool:
    """Clean every record of `path`, print the figures against the targets; True if all pass."""
    truth = truths(path, limit)
    source = path
    if limit is not None:
        tmp = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
        with path.open(encoding="utf-8") as fh, tmp:
            tmp.writelines(itertools.islice(fh, limit))
        source = Path(tmp.name)
    t0 = time.perf_counter()
    cleaned: dict[str, str] = {}
    skipped = 0
    try:
        for item in load_file(source):
            if isinstance(item, SkipFile):
                skipped += 1
            else:
                cleaned[item.doc_id.rsplit("#", 1)[-1]] = item.body
    finally:
        if source is not path:
            source.unlink()
    seconds = time.perf_counter() - t0

    recalls, leads, rows = [], 0, []
    tp_all = true_all = 0
    for key, body in truth.items():
        true_tokens = WORD.findall(body)
        if not true_tokens:
            continue
        got_tokens = WORD.findall(cleaned.get(key, ""))
        t, g = shingles(true_tokens), shingles(got_tokens)
        tp = sum((t & g).values())
        total = sum(t.values())
        recalls.append(tp / total)
        tp_all += tp
        true_all += total
        lead = contains_run(got_tokens, true_tokens[:LEAD_WORDS])
        leads += lead
        rows.append((tp / total, lead, key))
    n = len(recalls)
    recall = sum(recalls) / n if n else 0.0
    lead_share = leads / n if n else 0.0
    print(f"== {path.name}: {n} articles with a body, cleaned by load_file in {seconds:.1f}s"
          f" ({skipped} records skipped)")
    print(f"4-gram recall, mean over articles  {recall:.4f}  (pooled {tp_all / max(true_all, 1):.4f})"
          f"  target >= {TARGET_RECALL}  {'PASS' if recall >= TARGET_RECALL else 'FAIL'}")
    print(f"first {LEAD_WORDS} words kept               {lead_share:.4f}  ({leads} of {n})"
          f"  target >= {TARGET_LEAD}  {'PASS' if lead_share >= TARGET_LEAD else 'FAIL'}")
    below_half = sum(r < 0.5 for r in recalls)
    print(f"articles keeping less than half    {below_half}")
    for r, lead, key in sorted(rows)[:worst]:
        print(f"  {key}: recall {r:.3f}, lead {'kept' if lead else 'lost'}")
    return recall >= TARGET_RECALL and lead_share >= TARGET_LEAD


def flat_score(data: Path) -> bool:
    """The flattened-text path scored with the set's own scorer; it must not fall below the README's."""
    sys.path.insert(0, str(data))
    import score  # the article-extraction set's scorer

    truth = score.load_truth(data / "ground-truth.json")
    rows = []
    for page_id, true in sorted(truth.items()):
        flat = data / "flat" / f"{page_id}.txt"
        text = flat.read_text(encoding="utf-8") if flat.is_file() else ""
        title, _, body = text.partition("\n")
        p, r = score.page_scores(*score.page_counts(true, clean_text(body, title=title)))
        rows.append({"p": p, "r": r})
    s = score.aggregate(rows)
    ok = s["f1"] >= FLAT_F1_BEFORE
    print(f"\n== flat: clean_text on {len(rows)} flattened pages")
    print(f"P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
          f"  target >= {FLAT_F1_BEFORE} (before)  {'PASS' if ok else 'FAIL'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jsonl", type=Path, help="a JSON Lines file with `body` fields (default: Reuters)")
    ap.add_argument("--limit", type=int, help="only the first N records")
    ap.add_argument("--quick", action="store_true", help="only the first tenth of the records")
    ap.add_argument("--worst", type=int, default=0, help="list the N articles that keep the least")
    args = ap.parse_args(argv)
    path = args.jsonl or shared_dir() / "corpora" / "reuters21578" / "articles.jsonl"
    if not path.is_file():
        print(f"skipped: no corpus at {path}")
        return 0
    limit = args.limit if args.limit is not None or not args.quick else QUICK_RECORDS
    ok = measure(path, limit, args.worst)
    data = shared_dir() / "eval" / "article-extraction"
    if args.jsonl is None and (data / "score.py").is_file():
        ok = flat_score(data) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
