"""Measure the article cleaner on the shared article-extraction development set.

Runs both paths the product uses and scores them with the set's own scorer (token 4-gram P/R/F1):

* html: `read_html(page).text` for every `html/<id>.html`;
* flat: `clean_text(body, title=first_line)` for every `flat/<id>.txt` (the page flattened to text,
  chrome included, first line the <title>), the same code path as a plain-text article.

Time, measured in the same run: (a) one `BeautifulSoup(html, "lxml")` parse of every page, (b) read_html
on every page (it parses with that same call, then extracts and cleans), and (c) the cleaning cost
relative to one parse, (read_html - parse) / parse (target: at most 1.0). Each page is parsed and read
alternately `--repeat` times and the fastest of each is kept, so load from other processes on the
machine hits both sides alike. The flat path's time is printed against the same parse time.

Usage: python benchmarks/bench_clean.py [--keep DIR] [--per-page DIR] [--repeat N]
  --keep DIR      DIR receives html/ and flat/ predictions
  --per-page DIR  DIR receives the scorer's per-page tables, html.tsv and flat.tsv
The data is found under SHARED_DIR or the `shared` folder beside the repository; without it the
benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bs4 import BeautifulSoup

from newsgrep.index.clean import clean_text
from newsgrep.index.html import read_html


def shared_dir() -> Path:
    """SHARED_DIR if set, else the `shared` folder next to the repository."""
    env = os.environ.get("SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def score(score_py: Path, pred_dir: Path, per_page: Path | None = None) -> str:
    """The scorer's summary for one prediction folder (and its per-page table, when asked)."""
    cmd = [sys.executable, str(score_py), str(pred_dir)]
    if per_page is not None:
        per_page.parent.mkdir(parents=True, exist_ok=True)
        cmd += ["--per-page", str(per_page)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return (done.stdout + done.stderr).strip()


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


def run(out: Path, data: Path, repeat: int = 3, per_page: Path | None = None) -> None:
    """Predict, time and score both paths."""
    pages = sorted((data / "html").glob("*.html"))
    htmls = {p.stem: p.read_text(encoding="utf-8") for p in pages}
    flats = {}
    for stem in htmls:
        flat = data / "flat" / f"{stem}.txt"
        if flat.is_file():
            flats[stem] = flat.read_text(encoding="utf-8")

    (out / "html").mkdir(parents=True, exist_ok=True)
    parse_time, html_time, html_preds = time_html(htmls, repeat)

    (out / "flat").mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    flat_preds = {}
    for stem, text in flats.items():
        title, _, body = text.partition("\n")
        flat_preds[stem] = clean_text(body, title=title)
    flat_time = time.perf_counter() - t0

    for stem, pred in html_preds.items():
        (out / "html" / f"{stem}.txt").write_text(pred, encoding="utf-8")
    for stem, pred in flat_preds.items():
        (out / "flat" / f"{stem}.txt").write_text(pred, encoding="utf-8")

    score_py = data / "score.py"
    print(f"== html: read_html(page).text on {len(htmls)} pages")
    print(score(score_py, out / "html", per_page / "html.tsv" if per_page else None))
    print(f"\n== flat: clean_text(body, title) on {len(flats)} flattened pages")
    print(score(score_py, out / "flat", per_page / "flat.tsv" if per_page else None))
    clean_time = html_time - parse_time
    print(f"\n== time (same run, fastest of {max(1, repeat)} per page)")
    print(f"(a) BeautifulSoup(html, 'lxml') parse of all pages  {parse_time:.3f}s")
    print(f"(b) read_html on all pages (parse included)        {html_time:.3f}s")
    print(f"(c) cleaning cost relative to one parse, (b - a) / a: {clean_time:.3f}s / {parse_time:.3f}s "
          f"= {clean_time / parse_time:.3f}  (target <= 1.0)")
    print(f"clean_text {flat_time:.3f}s  ratio {flat_time / parse_time:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", type=Path, help="write predictions here instead of a temporary folder")
    ap.add_argument("--per-page", type=Path, help="write per-page score tables here (html.tsv, flat.tsv)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per page; the fastest counts")
    args = ap.parse_args(argv)
    data = shared_dir() / "eval" / "article-extraction"
    if not (data / "html").is_dir() or not (data / "score.py").is_file():
        print(f"skipped: no evaluation data at {data}")
        return 0
    if args.keep:
        run(args.keep, data, args.repeat, args.per_page)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(Path(tmp), data, args.repeat, args.per_page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
