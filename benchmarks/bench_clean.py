"""Measure the article cleaner on the shared article-extraction sets (issue 14's targets).

Both paths the product uses are scored with the sets' own scorer (token 4-gram P/R/F1, imported from
`article-extraction/score.py`):

* html: `read_html(page).text` for the 54 development pages (`article-extraction/html/<id>.html`) and
  for the 790 WCXB article pages (`wcxb-articles/html/<id>.html.gz`, scored against that set's
  `ground-truth.json`);
* flat: `clean_text(body, title=first_line)` for every `article-extraction/flat/<id>.txt` (the page
  flattened to text, chrome included, first line the <title>), the same code path as a plain-text article.

Per HTML set: F1 (target 0.97 on the development pages, 0.95 on WCXB), the share of pages below F1 0.5
(at most 2%), empty outputs (none), and F1 by language group of the true text (English, other Latin
script, Cyrillic, CJK; by script and English function words).

Cost, measured in the same run on the development pages: (a) one `BeautifulSoup(html, "lxml")` parse of
every page, (b) read_html on every page (it parses with that same call, then extracts and cleans, and
asks trafilatura on the pages where its own story looks emptied), and (b)/(a), the cost in parses
(target: at most 2). Each page is parsed and read alternately `--repeat` times and the fastest of each
is kept, so load from other processes hits both sides alike.

Usage: python benchmarks/bench_clean.py [--keep DIR] [--repeat N] [--wcxb N] [--quick]
  --keep DIR  DIR receives dev/, wcxb/ and flat/ predictions
  --wcxb N    score only a fixed sample of N WCXB pages (quick iteration; 0 = all 790, the default)
  --quick     --wcxb 100 --repeat 1 (what `benchmarks/run.py --quick` asks for)
The data is found under SHARED_DIR or the `shared` folder beside the repository; without it the
benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from bs4 import BeautifulSoup

from newsgrep.index.clean import clean_text
from newsgrep.index.html import read_html

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_LETTER = re.compile(r"[^\W\d_]")
_ENGLISH = frozenset("the and of to is in that for it with was on as are".split())
GROUPS = ("English", "other Latin", "Cyrillic", "CJK")


def shared_dir() -> Path:
    """SHARED_DIR if set, else the `shared` folder next to the repository."""
    env = os.environ.get("SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def load_scorer(path: Path) -> ModuleType:
    """The evaluation set's own scorer, imported from its file."""
    spec = importlib.util.spec_from_file_location("article_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def language_group(text: str) -> str:
    """English, other Latin script, Cyrillic or CJK, from the script of the letters and English
    function words."""
    letters = len(_LETTER.findall(text)) or 1
    if len(_CJK.findall(text)) > 0.3 * letters:
        return "CJK"
    if len(_CYRILLIC.findall(text)) > 0.3 * letters:
        return "Cyrillic"
    words = re.findall(r"\w+", text.lower())
    english = sum(w in _ENGLISH for w in words)
    return "English" if words and english >= 0.04 * len(words) else "other Latin"


def score_set(scorer: ModuleType, name: str, truth: dict[str, str], preds: dict[str, str],
              f1_target: float | None) -> list[str]:
    """Print one set's figures with PASS/FAIL; return the failed targets' names."""
    rows = []
    for page_id, true in truth.items():
        tp, fp, fn = scorer.page_counts(true, preds.get(page_id, ""))
        p, r = scorer.page_scores(tp, fp, fn)
        rows.append({"id": page_id, "p": p, "r": r, "f": scorer._page_f1(p, r), "empty": tp + fp == 0,
                     "group": language_group(true)})
    total = scorer.aggregate(rows)
    low = sum(row["f"] < 0.5 for row in rows)
    empty = sum(row["empty"] for row in rows)
    failed = []

    def verdict(ok: bool, what: str) -> str:
        if not ok:
            failed.append(f"{name}: {what}")
        return "PASS" if ok else "FAIL"

    print(f"== {name}: read_html(page).text on {len(rows)} pages")
    line = f"P {total['precision']:.3f}  R {total['recall']:.3f}  F1 {total['f1']:.3f}"
    if f1_target is not None:
        line += f"  (target >= {f1_target})  {verdict(total['f1'] >= f1_target, 'F1')}"
    print(line)
    print(f"pages below F1 0.5: {low} ({low / len(rows):.1%}, target <= 2%)  "
          f"{verdict(low <= 0.02 * len(rows), 'pages below 0.5')}")
    print(f"empty outputs: {empty} (target 0)  {verdict(empty == 0, 'empty outputs')}")
    for group in GROUPS:
        part = [row for row in rows if row["group"] == group]
        if part:
            figures = scorer.aggregate(part)
            print(f"  {group:12s} {len(part):4d} pages  P {figures['precision']:.3f}  R {figures['recall']:.3f}  "
                  f"F1 {figures['f1']:.3f}")
    return failed


def time_html(htmls: dict[str, str], repeat: int) -> tuple[float, float, dict[str, str]]:
    """Seconds for one BeautifulSoup parse of all pages and for read_html on all pages, and its texts.

    Per page, the parse and read_html alternate `repeat` times and the fastest run of each counts.
    """
    parse_time = read_time = 0.0
    preds = {}
    for stem, html in htmls.items():
        best_parse = best_read = float("inf")
        for _ in range(max(1, repeat)):
            t0 = time.perf_counter()
            BeautifulSoup(html, "lxml")
            best_parse = min(best_parse, time.perf_counter() - t0)
            t0 = time.perf_counter()
            preds[stem] = read_html(html).text
            best_read = min(best_read, time.perf_counter() - t0)
        parse_time += best_parse
        read_time += best_read
    return parse_time, read_time, preds


def write(folder: Path, preds: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, pred in preds.items():
        (folder / f"{stem}.txt").write_text(pred, encoding="utf-8")


def run(out: Path | None, shared: Path, repeat: int = 3, wcxb_sample: int = 0) -> int:
    """Predict, time and score; 1 when a target fails."""
    data = shared / "eval" / "article-extraction"
    scorer = load_scorer(data / "score.py")
    failed: list[str] = []

    truth = scorer.load_truth(data / "ground-truth.json")
    htmls = {stem: (data / "html" / f"{stem}.html").read_text(encoding="utf-8") for stem in truth}
    parse_time, html_time, dev_preds = time_html(htmls, repeat)
    failed += score_set(scorer, "development pages", truth, dev_preds, 0.97)

    flat_preds = {}
    t0 = time.perf_counter()
    for stem in truth:
        flat = data / "flat" / f"{stem}.txt"
        if flat.is_file():
            title, _, body = flat.read_text(encoding="utf-8").partition("\n")
            flat_preds[stem] = clean_text(body, title=title)
    flat_time = time.perf_counter() - t0
    flat_rows = []
    for stem, true in truth.items():
        p, r = scorer.page_scores(*scorer.page_counts(true, flat_preds.get(stem, "")))
        flat_rows.append({"p": p, "r": r})
    flat_total = scorer.aggregate(flat_rows)
    ok = flat_total["f1"] >= 0.92
    failed += [] if ok else ["flat: F1"]
    print(f"\n== flat: clean_text(body, title) on {len(flat_preds)} flattened pages")
    print(f"P {flat_total['precision']:.3f}  R {flat_total['recall']:.3f}  F1 {flat_total['f1']:.3f}  "
          f"(target >= 0.92)  {'PASS' if ok else 'FAIL'}")

    wcxb = shared / "eval" / "wcxb-articles"
    wcxb_preds: dict[str, str] = {}
    if (wcxb / "ground-truth.json").is_file():
        wtruth = scorer.load_truth(wcxb / "ground-truth.json")
        if wcxb_sample:
            ids = sorted(wtruth)
            random.Random(14).shuffle(ids)
            wtruth = {page_id: wtruth[page_id] for page_id in sorted(ids[:wcxb_sample])}
        t0 = time.perf_counter()
        for page_id in wtruth:
            with gzip.open(wcxb / "html" / f"{page_id}.html.gz") as fh:
                wcxb_preds[page_id] = read_html(fh.read().decode("utf-8", "replace")).text
        print(f"\n({len(wtruth)} WCXB pages read in {time.perf_counter() - t0:.1f}s)")
        failed += score_set(scorer, "WCXB article pages" + (" (sample)" if wcxb_sample else ""),
                            wtruth, wcxb_preds, 0.95)
    else:
        print(f"\n(no WCXB pages at {wcxb}: skipped)")

    if out is not None:
        write(out / "dev", dev_preds)
        write(out / "flat", flat_preds)
        write(out / "wcxb", wcxb_preds)

    cost = html_time / parse_time
    ok = cost <= 2.0
    failed += [] if ok else ["cost"]
    print(f"\n== cost on the development pages (same run, fastest of {max(1, repeat)} per page)")
    print(f"(a) BeautifulSoup(html, 'lxml') parse of all pages  {parse_time:.3f}s")
    print(f"(b) read_html on all pages (parse included)        {html_time:.3f}s")
    print(f"(b) / (a) = {cost:.2f} parses per page  (target <= 2)  {'PASS' if ok else 'FAIL'}")
    print(f"clean_text on the flattened pages {flat_time:.3f}s = {flat_time / parse_time:.2f} parses")
    print("\nall targets met" if not failed else "\nFAILED: " + "; ".join(failed))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", type=Path, help="write predictions here (dev/, wcxb/, flat/)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per page; the fastest counts")
    ap.add_argument("--wcxb", type=int, default=0, help="score a fixed sample of this many WCXB pages (0: all)")
    ap.add_argument("--quick", action="store_true", help="a sample of 100 WCXB pages, one timed run per page")
    args = ap.parse_args(argv)
    if args.quick:
        args.wcxb, args.repeat = args.wcxb or 100, 1
    shared = shared_dir()
    data = shared / "eval" / "article-extraction"
    if not (data / "html").is_dir() or not (data / "score.py").is_file():
        print(f"skipped: no evaluation data at {data}")
        return 0
    if args.keep:
        return run(args.keep, shared, args.repeat, args.wcxb)
    with tempfile.TemporaryDirectory() as tmp:
        return run(Path(tmp), shared, args.repeat, args.wcxb)


if __name__ == "__main__":
    sys.exit(main())
