"""Page metadata on real pages: publication dates, titles and sources (issue 13, part 4).

Pages: the 54 of ../shared/eval/article-extraction/html and the 790 of ../shared/eval/wcxb-articles/
(whose truth carries `title` and `publish_date`), read with `read_html` as `search-index add` reads them.

Targets (PASS/FAIL):
1. Dates: on every page whose own metadata states a publication date, the date read is one of the
   dates it states. What "states" means is read here from the page source with regular expressions,
   independently of the tree walk in index/pagemeta.py: a <meta> whose property, name or itemprop is
   one of the publication-date names the issue lists (Open Graph / `article:published_time`,
   `article:published`, `date`, `pubdate`, `publishdate`, `DC.date.issued`, `sailthru.date`,
   `parsely-pub-date`, `datePublished`), JSON-LD `"datePublished"` (valid JSON or not), any element's
   `itemprop="datePublished"`, and, on a page with none of those, its first `<time datetime>`.
2. No placeholder survives: no date before 1800, on 1970-01-01, or more than two days after today.
3. No title keeps the site's name as a suffix or prefix: a segment after (before) a separator
   (" | ", " - ", " – ", " — ", " · ", " :: ") that is the page's og:site_name or its host's name.
Reported, not targets: the share of wcxb titles equal to the truth title (case and punctuation
folded), the share of wcxb truth `publish_date` values matched (the truth often gives the "updated"
date a page shows, which the page's metadata calls modified), pages with a date and a source, and
the cost of reading the metadata per page. With `--htmldate` (htmldate installed), the same pages
through htmldate restricted to metadata (`extensive_search=False`), for the library comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import html as html_lib
import json
import os
import re
import sys
import time
from pathlib import Path

from newsgrep.index.html import read_html
from newsgrep.index.pagemeta import parse_date

SHARED = Path(os.environ.get("SHARED_DIR", Path(__file__).resolve().parents[1] / ".." / "shared"))
EVAL = SHARED / "eval"

_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_PUBLISHED_NAMES = {
    "article:published_time", "og:article:published_time", "article:published", "og:published_time",
    "datepublished", "date", "pubdate", "publishdate", "dc.date.issued", "sailthru.date", "parsely-pub-date",
}
_LD = re.compile(r'"datePublished"\s*:\s*"([^"]{4,60})"')
_ITEMPROP = re.compile(r"<[a-z][^>]*\bitemprop\s*=\s*[\"']datePublished[\"'][^>]*>", re.IGNORECASE)
_TIME = re.compile(r"<time\b[^>]*\bdatetime\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_SEPARATORS = (" | ", " - ", " – ", " — ", " · ", " :: ", " • ")
_WORD = re.compile(r"[\W_]+")


def _attrs(tag: str) -> dict[str, str]:
    return {m[1].lower(): html_lib.unescape(m[2] or m[3] or m[4] or "") for m in _ATTR.finditer(tag)}


def stated_dates(source: str) -> tuple[set[dt.date], list[str]]:
    """The publication dates a page's source states, and the stated values no reader could parse."""
    values: list[str] = []
    for tag in _META.findall(source):
        attrs = _attrs(tag)
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in _PUBLISHED_NAMES and attrs.get("content", "").strip():
            values.append(attrs["content"])
    values += _LD.findall(source)
    for match in _ITEMPROP.finditer(source):
        attrs = _attrs(match[0])
        if match[0][:5].lower() == "<meta":
            continue
        # microdata: an element's content or datetime attribute, else its text
        text = html_lib.unescape(_TAGS.sub(" ", source[match.end():match.end() + 300].split("</", 1)[0]))
        values.append(attrs.get("content") or attrs.get("datetime") or text)
    if not values:
        values = _TIME.findall(source)[:1]
    days, unread = set(), []
    for value in values:
        day = parse_date(value)
        if day:
            days.add(day)
        elif not re.fullmatch(r"\s*(0{1,4}-0{1,2}-0{1,2}|0001-01-01.*)?\s*", value):
            unread.append(value)
    return days, unread


def site_names(source: str, url: str | None) -> set[str]:
    """og:site_name and the host's main name, folded: what a title suffix must not be."""
    names = set()
    for tag in _META.findall(source):
        attrs = _attrs(tag)
        if (attrs.get("property") or attrs.get("name") or "").lower() == "og:site_name" and attrs.get("content"):
            names.add(_fold(attrs["content"]))
    if url:
        host = re.sub(r"^www\.", "", re.sub(r"^[a-z]+://", "", url).split("/")[0].lower())
        labels = host.split(".")
        if len(labels) >= 2:
            names.add(_fold(labels[-3] if len(labels) >= 3 and len(labels[-2]) <= 3 else labels[-2]))
    return names - {""}


def _fold(text: str) -> str:
    return _WORD.sub("", text.casefold())


def keeps_site_name(title: str, names: set[str]) -> bool:
    for sep in _SEPARATORS:
        if sep in title:
            head, tail = title.split(sep, 1)[0], title.rsplit(sep, 1)[-1]
            if _fold(tail) in names or _fold(head) in names:
                return True
    return False


def pages() -> list[tuple[str, str, str, dict]]:
    """(set, id, html, truth) for every page."""
    out = []
    ae = EVAL / "article-extraction"
    truth = json.loads((ae / "ground-truth.json").read_text())
    for path in sorted((ae / "html").glob("*.html")):
        out.append(("article-extraction", path.stem, path.read_text(errors="replace"), truth.get(path.stem, {})))
    wc = EVAL / "wcxb-articles"
    truth = json.loads((wc / "ground-truth.json").read_text())
    for key, value in truth.items():
        with gzip.open(wc / "html" / f"{key}.html.gz", "rt", errors="replace") as fh:
            out.append(("wcxb", key, fh.read(), value))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--htmldate", action="store_true", help="also measure htmldate (must be installed)")
    parser.add_argument("--verbose", action="store_true", help="list every page that misses a target")
    args = parser.parse_args()
    if not (EVAL / "wcxb-articles" / "ground-truth.json").exists():
        print(f"SKIP: {EVAL} has no evaluation pages")
        return 0
    today = dt.date.today()
    found = pages()
    stated_pages = matched = unread_values = placeholder = suffixes = dated = sourced = 0
    wc_total = wc_title = wc_dates = wc_date_ok = 0
    misses: list[str] = []
    for kind, key, source, truth in found:
        raw = read_html(source)
        days, unread = stated_dates(source)
        unread_values += len(unread)
        dated += raw.date is not None
        sourced += raw.source is not None
        if days:
            stated_pages += 1
            if raw.date in days:
                matched += 1
            else:
                misses.append(f"date {kind} {key}: read {raw.date}, stated {sorted(map(str, days))}")
        if raw.date and (raw.date.year < 1800 or raw.date == dt.date(1970, 1, 1)
                         or raw.date > today + dt.timedelta(days=2)):
            placeholder += 1
            misses.append(f"placeholder {kind} {key}: {raw.date}")
        if keeps_site_name(raw.title, site_names(source, truth.get("url") or raw.url)):
            suffixes += 1
            misses.append(f"title {kind} {key}: {raw.title!r}")
        if kind == "wcxb":
            wc_total += 1
            wc_title += _WORD.sub(" ", raw.title.casefold()).strip() == \
                _WORD.sub(" ", (truth.get("title") or "").casefold()).strip()
            if truth.get("publish_date"):
                wc_dates += 1
                wc_date_ok += str(raw.date) == truth["publish_date"][:10]
    cost = _meta_cost(found)
    print(f"== page metadata on {len(found)} pages (54 article-extraction + {wc_total} wcxb)")
    ok_dates = matched == stated_pages
    print(f"1. date is one the page's metadata states: {matched} of {stated_pages} pages that state one "
          f"(target: all)  {'PASS' if ok_dates else 'FAIL'}")
    print(f"   stated values no rule reads: {unread_values}; pages dated: {dated} of {len(found)}")
    print(f"2. placeholder or implausible dates kept: {placeholder} (target: 0)  "
          f"{'PASS' if not placeholder else 'FAIL'}")
    print(f"3. titles keeping the site's name around them: {suffixes} (target: 0)  "
          f"{'PASS' if not suffixes else 'FAIL'}")
    print(f"   wcxb titles equal to the truth title: {wc_title} of {wc_total} ({wc_title / wc_total:.1%})")
    print(f"   wcxb truth publish_date matched: {wc_date_ok} of {wc_dates} ({wc_date_ok / wc_dates:.1%}; the truth "
          "often holds the page's 'updated' date)")
    print(f"   pages with a source: {sourced} of {len(found)}")
    print(f"   metadata reading: {cost * 1000:.2f} ms a page (the page parse excluded)")
    if args.htmldate:
        _htmldate(found)
    if args.verbose or not (ok_dates and not placeholder and not suffixes):
        for line in misses[:60]:
            print("   " + line)
    return 0 if ok_dates and not placeholder and not suffixes else 1


def _meta_cost(found) -> float:
    """Seconds per page for read_page_meta on an already parsed page (best of two)."""
    import warnings

    from bs4 import BeautifulSoup

    from newsgrep.index.html import _Tree
    from newsgrep.index.pagemeta import read_page_meta

    trees = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _, _, source, _ in found[::4]:
            trees.append(_Tree(BeautifulSoup(source, "lxml")))
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        for tree in trees:
            read_page_meta(tree.found, tree.tags)
        best = min(best, time.perf_counter() - start)
    return best / len(trees)


def _htmldate(found) -> None:
    try:
        from htmldate import find_date
    except ImportError:
        print("   htmldate is not installed: pip install htmldate")
        return
    agree = stated = seconds = 0.0
    placeholder = 0
    for _, _, source, _ in found:
        days, _ = stated_dates(source)
        start = time.perf_counter()
        value = find_date(source, extensive_search=False, original_date=True)
        seconds += time.perf_counter() - start
        day = parse_date(value) if value else None
        if days:
            stated += 1
            agree += day in days
        if value and not day:
            placeholder += 1
    print(f"   htmldate (metadata only): stated date on {int(agree)} of {int(stated)} pages; "
          f"{seconds / len(found) * 1000:.1f} ms a page (its own parse included)")


if __name__ == "__main__":
    sys.exit(main())
