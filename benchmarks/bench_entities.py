"""Throughput of the entity extractor on the Reuters-21578 corpus, and its CoNLL-2003 dev score.

Speed is reported in tokens per second (a token is a `\\w+` match, the same count for both sides) on one
core, and as a ratio against a baseline measured in the same run over the same texts: one
`re.findall(r"\\w+")` pass, the cheapest tokenisation there is. Each side runs `--repeat` times,
interleaved, and the fastest run of each counts, so load from other processes hits both alike. Data
load (the first call) is timed on its own. The CoNLL score runs in-process, scored exactly as
`shared/eval/ner/score_conll.py` scores (its own `conll.py`), without one process per document.

Usage: python benchmarks/bench_entities.py [--limit N] [--repeat N] [--no-conll]
The data is found under SHARED_DIR or the `shared` folder beside the repository; without it the
benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

WORD = re.compile(r"\w+")
TYPE_MAP = {"person": "PER", "place": "LOC", "org": "ORG"}


def shared_dir() -> Path:
    """SHARED_DIR if set, else the `shared` folder next to the repository."""
    env = os.environ.get("SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def load_texts(path: Path, limit: int) -> list[str]:
    texts = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            texts.append(f"{row.get('title') or ''}\n{row.get('body') or ''}")
            if len(texts) >= limit:
                break
    return texts


def conll_score(conll_dir: Path) -> dict | None:
    """P/R/F1 per type on the CoNLL dev set with the scorer's own reader and counter, or None if absent."""
    dev = conll_dir / "conll2003-dev.txt"
    if not dev.is_file():
        return None
    from newsgrep.index.entities import extract_mentions

    sys.path.insert(0, str(conll_dir))
    from conll import TYPES, read_conll, score  # type: ignore[import-not-found]

    docs = read_conll(str(dev))
    predicted = []
    for doc in docs:
        pos, lines, offsets = 0, [], []
        for sent in doc.sentences:
            sent_offsets = []
            for i, tok in enumerate(sent.tokens):
                pos += 1 if i else 0
                sent_offsets.append((pos, pos + len(tok)))
                pos += len(tok)
            pos += 1
            lines.append(" ".join(sent.tokens))
            offsets.append(sent_offsets)
        mentions = extract_mentions("\n".join(lines) + "\n")
        doc_pred = []
        for sent_offsets in offsets:
            spans = []
            for m in mentions:
                covered = [i for i, (a, b) in enumerate(sent_offsets) if a >= m.start and b <= m.end]
                if covered and covered == list(range(covered[0], covered[-1] + 1)):
                    spans.append((covered[0], covered[-1] + 1, TYPE_MAP[m.type]))
            doc_pred.append(spans)
        predicted.append(doc_pred)
    counts = score(docs, predicted)
    return {t: counts[t].prf() for t in (*TYPES, "ALL")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--limit", type=int, default=5000, help="articles to read (default 5000)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per side; the fastest counts")
    ap.add_argument("--no-conll", action="store_true", help="skip the CoNLL dev score")
    args = ap.parse_args()
    shared = shared_dir()
    corpus = shared / "corpora" / "reuters21578" / "articles.jsonl"
    if not corpus.is_file():
        print(f"no Reuters corpus at {corpus}: benchmark skipped")
        return 0

    started = time.perf_counter()
    from newsgrep.index.entities import _gaz, extract_mentions

    _gaz()
    load = time.perf_counter() - started
    texts = load_texts(corpus, args.limit)
    n_tokens = sum(len(WORD.findall(t)) for t in texts)
    base_best = ext_best = float("inf")
    n_mentions = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for t in texts:
            WORD.findall(t)
        base_best = min(base_best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        n_mentions = sum(len(extract_mentions(t)) for t in texts)
        ext_best = min(ext_best, time.perf_counter() - t0)
    print(f"articles {len(texts)}  tokens {n_tokens}  mentions {n_mentions}")
    print(f"import + data load        {load * 1000:8.1f} ms")
    print(f"baseline re.findall(\\w+)  {n_tokens / base_best:12,.0f} tokens/s")
    print(f"extract_mentions          {n_tokens / ext_best:12,.0f} tokens/s  (target >= 100,000)")
    print(f"ratio extractor/baseline  {base_best / ext_best:.4f}"
          f"  (the extractor takes {ext_best / base_best:.1f}x the baseline time)")
    if not args.no_conll:
        scores = conll_score(shared / "eval" / "ner")
        if scores is None:
            print("no CoNLL dev set: score skipped")
        else:
            for t, (p, r, f) in scores.items():
                print(f"CoNLL dev {t:4} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
