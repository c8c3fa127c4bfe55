"""A real index of a slice of Reuters-21578, as the corpus comes, for the issue 17 tests (timeline,
export, counts, comparisons, top words), and independent counts over the same records.

The slice is every 12th record of ../shared/corpora/reuters21578/articles.jsonl (about 1,600 articles
spanning all its months), plus a second file of three undated articles. It is built once per test
session with the installed `search-index add`. The independent counts read the same JSON Lines with
the standard library only: a word matches a title where it stands in it as a whole word (or with a
plural s), as the index's stemmed search of `title:word` finds it. Titles, because the index holds
the *cleaned* body, which rightly differs from the raw text (sign-offs dropped), and for words whose
stem no other word shares (cocoa, oil: not trade, which also finds trading and traders).
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from conftest import SHARED, run

CORPUS = SHARED / "corpora" / "reuters21578" / "articles.jsonl"
STEP = 12
UNDATED = [
    {"id": "u1", "title": "Cocoa growers meet without a date", "body": "Cocoa growers met in Accra to talk "
     "about cocoa prices and the weather.\nThe meeting ended with no agreement."},
    {"id": "u2", "title": "Undated coffee note", "body": "Coffee exporters said quotas would be discussed.\n"
     "Brazil and Colombia sent delegates."},
    {"id": "u3", "title": "Undated cocoa and coffee", "body": "Traders compared cocoa and coffee futures.\n"
     "Both markets were quiet."},
]

_built: dict[str, object] = {}


def records() -> list[dict]:
    """The records indexed, as (id, date, title, body) dicts with ids as the index makes them."""
    if "records" in _built:
        return _built["records"]  # type: ignore[return-value]
    raise RuntimeError("build() first")


def build(tmp_path_factory) -> dict:
    """The environment of the slice's index (SEARCH_INDEX_DIR), built once per session."""
    if "env" in _built:
        return _built["env"]  # type: ignore[return-value]
    if not CORPUS.is_file():
        pytest.skip(f"no Reuters corpus at {CORPUS}")
    folder = tmp_path_factory.mktemp("reuters-slice")
    articles, undated = folder / "articles" / "reuters.jsonl", folder / "articles" / "undated.jsonl"
    articles.parent.mkdir()
    out = []
    with CORPUS.open(encoding="utf-8") as src, articles.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i % STEP == 0:
                dst.write(line)
                rec = json.loads(line)
                out.append({"id": f"{articles}#{rec['id']}", "date": (rec.get("date") or "")[:10] or None,
                            "title": rec.get("title") or "", "body": rec.get("body") or ""})
    with undated.open("w", encoding="utf-8") as dst:
        for rec in UNDATED:
            dst.write(json.dumps(rec) + "\n")
            out.append({"id": f"{undated}#{rec['id']}", "date": None, "title": rec["title"], "body": rec["body"]})
    env = {"SEARCH_INDEX_DIR": str(folder / "index")}
    result = run("search-index", "add", str(articles.parent), env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    _built.update(env=env, records=out)
    return env


def matching(word: str) -> list[dict]:
    """Records with `word` (or its plural) as a whole word in the title: what `title:word` matches."""
    pattern = re.compile(rf"\b{re.escape(word)}s?\b", re.IGNORECASE)
    return [r for r in records() if pattern.search(r["title"])]


def by_month(recs: list[dict]) -> Counter:
    return Counter(r["date"][:7] if r["date"] else "undated" for r in recs)
