"""Measure the article cleaner on the shared article-extraction development set.

Runs both paths the product uses and scores them with the set's own scorer (token 4-gram P/R/F1):

* html: `read_html(page).text` for every `html/<id>.html`;
* flat: `clean_text(body, title=first_line)` for every `flat/<id>.txt` (the page flattened to text,
  chrome included, first line the <title>), the same code path as a plain-text article.

It also times both paths against one `BeautifulSoup(html, "lxml")` parse of the same pages, measured
in the same run, and prints the ratio (target: at most 1.0).

Usage: python benchmarks/bench_clean.py [--keep DIR]   (DIR receives html/ and flat/ predictions)
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

from index.clean import clean_text
from index.html import read_html


def shared_dir() -> Path:
    """SHARED_DIR if set, else the `shared` folder next to the repository."""
    env = os.environ.get("SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def score(score_py: Path, pred_dir: Path) -> str:
    """The scorer's summary for one prediction folder."""
    done = subprocess.run([sys.executable, str(score_py), str(pred_dir)], capture_output=True, text=True,
                          check=False)
    return (done.stdout + done.stderr).strip()


def run(out: Path, data: Path) -> None:
    """Predict, time and score both paths."""
    pages = sorted((data / "html").glob("*.html"))
    htmls = {p.stem: p.read_text(encoding="utf-8") for p in pages}
    flats = {}
    for stem in htmls:
        flat = data / "flat" / f"{stem}.txt"
        if flat.is_file():
            flats[stem] = flat.read_text(encoding="utf-8")

    t0 = time.perf_counter()
    for html in htmls.values():
        BeautifulSoup(html, "lxml")
    parse_time = time.perf_counter() - t0

    (out / "html").mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    html_preds = {stem: read_html(html).text for stem, html in htmls.items()}
    html_time = time.perf_counter() - t0

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
    print(score(score_py, out / "html"))
    print(f"\n== flat: clean_text(body, title) on {len(flats)} flattened pages")
    print(score(score_py, out / "flat"))
    print(f"\n== time (same run): one BeautifulSoup(html, 'lxml') parse of all pages {parse_time:.3f}s")
    print(f"read_html  {html_time:.3f}s  ratio {html_time / parse_time:.3f}")
    print(f"clean_text {flat_time:.3f}s  ratio {flat_time / parse_time:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", type=Path, help="write predictions here instead of a temporary folder")
    args = ap.parse_args(argv)
    data = shared_dir() / "eval" / "article-extraction"
    if not (data / "html").is_dir() or not (data / "score.py").is_file():
        print(f"skipped: no evaluation data at {data}")
        return 0
    if args.keep:
        run(args.keep, data)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(Path(tmp), data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
