"""Entity extraction on real news (issue 15): CoNLL-2003 dev score, agreement with Reuters-21578's own
tags, the top facet values over the corpus, determinism of the index, and throughput. PASS/FAIL each.

1. CoNLL-2003 dev F1 over PER/LOC/ORG and ORG alone, scored exactly as `shared/eval/ner/score_conll.py`
   scores (its own `conll.py`): in-process by default (the same extractor, the same text: tokens
   joined by single spaces, one sentence per line), or through `search-index entities --json` with
   `--cli` (one process per document, as the scorer runs it). Targets: F1 >= 0.88, ORG >= 0.80.
2. Reuters agreement: each article goes through the product as `search-index add` reads it (the
   JSON Lines reader, the cleaner, the extractor with the article's year). For the 30 most tagged
   people, places and organisations in the corpus's own (human, article-level) tags, the share of
   tagged articles whose facet of that kind holds the entity: a person by surname, a place or an
   organisation by its standard name or abbreviation. Target: mean >= 0.85. A second line, a
   diagnostic only, does the same on bodies whose hard-wrapped lines are first joined (a simple
   reflow here, not the product's): it shows what names broken across line breaks cost.
3. The 50 most frequent values of each facet over the corpus, as the product gives them.
4. Determinism: the corpus split into three JSON Lines files, indexed by one `search-index add` of
   all three and by three `add`s in turn (then a `rebuild`), through the installed command; every
   article must have identical people, places and organisations. (Skipped with --quick.)
5. Throughput in tokens per second (a token is a `\\w+` match) on one core, in CPU time of this
   process (the machine may be shared: wall time would count other processes' turns), the fastest
   of `--repeat` runs, against one `re.findall(r"\\w+")` pass over the same texts. Target >= 300,000
   tokens/s.

Usage: python benchmarks/bench_entities.py [--limit N] [--repeat N] [--cli] [--quick]
The data is found under SHARED_DIR or the `shared` folder beside the repository; without it the
benchmark says so and exits 0.
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
from collections import Counter
from pathlib import Path

WORD = re.compile(r"\w+")
TYPE_MAP = {"person": "PER", "place": "LOC", "org": "ORG"}
TOP_TAGS = 30
TOP_VALUES = 50
TARGET_F1, TARGET_ORG, TARGET_AGREEMENT, TARGET_TOKENS = 0.88, 0.80, 0.85, 300_000
# Reuters tags whose standard name is not the tag in title case.
PLACE_NAMES = {"usa": "United States", "uk": "United Kingdom", "ussr": "Soviet Union",
               "uae": "United Arab Emirates"}
ORG_NAMES = {"ec": ("EC",), "imf": ("IMF",), "opec": ("OPEC",), "worldbank": ("World Bank",),
             "gatt": ("GATT",), "oecd": ("OECD",), "un": ("UN",), "gcc": ("GCC",), "asean": ("ASEAN",),
             "ico-coffee": ("ICO", "International Coffee Organization", "International Coffee Organisation"),
             "icco": ("ICCO", "International Cocoa Organization", "International Cocoa Organisation"),
             "adb-asia": ("ADB", "Asian Development Bank"), "adb-africa": ("ADB", "African Development Bank"),
             "itc": ("ITC", "International Tin Council"), "unctad": ("UNCTAD",), "fao": ("FAO",),
             "inro": ("INRO", "International Natural Rubber Organization"),
             "eib": ("EIB", "European Investment Bank"), "iea": ("IEA", "International Energy Agency"),
             "ida": ("IDA", "International Development Association"),
             "atpc": ("ATPC", "Association of Tin Producing Countries"),
             "isa": ("ISA", "International Sugar Agreement", "International Sugar Organization"),
             "bis": ("BIS", "Bank for International Settlements"), "oapec": ("OAPEC",),
             "iwc-wheat": ("IWC", "International Wheat Council"), "escap": ("ESCAP",), "eca": ("ECA",),
             "efta": ("EFTA",), "comecon": ("Comecon", "COMECON"), "euratom": ("Euratom",),
             "iwcc": ("IWCC",), "imco": ("IMCO",)}


def shared_dir() -> Path:
    """SHARED_DIR if set, else the `shared` folder next to the repository."""
    env = os.environ.get("SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# ---------------------------------------------------------------- CoNLL

def conll_texts(docs) -> tuple[list[str], list[list[list[tuple[int, int]]]]]:
    """Each document as score_conll.py sends it, with every token's character offsets."""
    texts, offsets = [], []
    for doc in docs:
        pos, lines, doc_offsets = 0, [], []
        for sent in doc.sentences:
            sent_offsets = []
            for i, tok in enumerate(sent.tokens):
                pos += 1 if i else 0
                sent_offsets.append((pos, pos + len(tok)))
                pos += len(tok)
            pos += 1
            lines.append(" ".join(sent.tokens))
            doc_offsets.append(sent_offsets)
        texts.append("\n".join(lines) + "\n")
        offsets.append(doc_offsets)
    return texts, offsets


def conll_score(conll_dir: Path, cli: bool) -> dict | None:
    """P/R/F1 per type on the CoNLL dev set with the scorer's own reader and counter, or None if absent."""
    dev = conll_dir / "conll2003-dev.txt"
    if not dev.is_file():
        return None
    sys.path.insert(0, str(conll_dir))
    from conll import TYPES, read_conll, score  # type: ignore[import-not-found]

    from newsgrep.index.entities import extract_mentions

    docs = read_conll(str(dev))
    texts, offsets = conll_texts(docs)
    command = [str(Path(sys.executable).parent / "search-index"), "entities", "--json"]
    predicted = []
    for text, doc_offsets in zip(texts, offsets, strict=True):
        if cli:
            out = subprocess.run(command, input=text, capture_output=True, text=True, check=True)
            mentions = [(m["start"], m["end"], m["type"]) for m in map(json.loads, out.stdout.splitlines())]
        else:
            mentions = [(m.start, m.end, m.type) for m in extract_mentions(text)]
        doc_pred = []
        for sent_offsets in doc_offsets:
            spans = []
            for start, end, kind in mentions:
                covered = [i for i, (a, b) in enumerate(sent_offsets) if a >= start and b <= end]
                if covered and covered == list(range(covered[0], covered[-1] + 1)):
                    spans.append((covered[0], covered[-1] + 1, TYPE_MAP[kind]))
            doc_pred.append(spans)
        predicted.append(doc_pred)
    counts = score(docs, predicted)
    return {t: counts[t].prf() for t in (*TYPES, "ALL")}


# ---------------------------------------------------------------- Reuters

def fold(name: str) -> str:
    from newsgrep.search.filters import fold as product_fold

    return product_fold(name)


def tag_matcher(kind: str, tag: str):
    """A test of one article's facet values for one Reuters tag."""
    if kind == "people":
        surname = fold(tag.replace("-", " ")).split()[-1]
        return lambda values: any(fold(v).split()[-1] == surname for v in values)
    if kind == "places":
        wanted = {fold(PLACE_NAMES.get(tag, tag.replace("-", " ")))}
    else:
        wanted = {fold(n) for n in ORG_NAMES.get(tag, (tag.upper(),))}
    return lambda values: any(fold(v) in wanted for v in values)


def agreement(rows: list[dict], facets: list[dict[str, list[str]]]) -> dict[str, list[tuple[str, int, float]]]:
    """Per kind: (tag, tagged articles, share whose facet holds it) for the most tagged entities."""
    out = {}
    for kind in ("people", "places", "orgs"):
        tagged = Counter(t for row in rows for t in row.get(kind) or ())
        found = []
        for tag, n in tagged.most_common(TOP_TAGS):
            test = tag_matcher(kind, tag)
            hits = sum(1 for row, f in zip(rows, facets, strict=True) if tag in (row.get(kind) or ())
                       and test(f[kind]))
            found.append((tag, n, hits / n))
        out[kind] = found
    return out


def report_agreement(label: str, result: dict, headline: bool) -> None:
    shares = [s for found in result.values() for _, _, s in found]
    mean = sum(shares) / len(shares)
    parts = "  ".join(f"{kind} {sum(s for _, _, s in f) / len(f):.3f}" for kind, f in result.items())
    tail = f"(target >= {TARGET_AGREEMENT})  {verdict(mean >= TARGET_AGREEMENT)}" if headline else "(diagnostic)"
    print(f"{label:34} mean {mean:.3f}  {parts}  {tail}")


def reflow(body: str) -> str:
    """Join hard-wrapped lines: a Reuters paragraph starts with indentation or follows a blank line."""
    return re.sub(r"\n(?![ \t\n])", " ", body)


def product_facets(path: Path) -> list[dict[str, list[str]]]:
    """Each record's facets as `search-index add` computes them (reader, cleaner, extractor)."""
    from newsgrep.index.articles import load_file
    from newsgrep.index.model import Article

    return [{"people": a.entities.people, "places": a.entities.places, "orgs": a.entities.orgs}
            for a in load_file(path) if isinstance(a, Article)]


def reflowed_facets(rows: list[dict]) -> list[dict[str, list[str]]]:
    from newsgrep.index.clean import clean_text
    from newsgrep.index.entities import article_entities

    out = []
    for row in rows:
        title = " ".join((row.get("title") or "").split())
        year = int(row["date"][:4]) if row.get("date") else None
        ents = article_entities(title, clean_text(reflow(row.get("body") or ""), title), year)
        out.append({"people": ents.people, "places": ents.places, "orgs": ents.orgs})
    return out


def determinism(corpus: Path) -> tuple[int, int]:
    """(articles compared, articles whose facets differ) between one add, three adds and a rebuild."""
    tool = str(Path(sys.executable).parent / "search-index")
    with tempfile.TemporaryDirectory() as tmp:
        lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
        third = len(lines) // 3 + 1
        folders = []
        for k in range(3):
            folder = Path(tmp, "news", f"part{k}")
            folder.mkdir(parents=True)
            (folder / "articles.jsonl").write_text("".join(lines[k * third:(k + 1) * third]), encoding="utf-8")
            folders.append(str(folder))

        def build(name: str, batches: list[list[str]], rebuild: bool = False) -> dict:
            env = {**os.environ, "SEARCH_INDEX_DIR": str(Path(tmp, name))}
            for batch in batches:
                subprocess.run([tool, "add", *batch], env=env, check=True, capture_output=True)
            if rebuild:
                subprocess.run([tool, "rebuild"], env=env, check=True, capture_output=True)
            from newsgrep.index.store import open_index

            ix = open_index(Path(tmp, name))
            with ix.searcher() as searcher:
                return {f["id"]: (f.get("people"), f.get("places"), f.get("orgs"))
                        for f in searcher.all_stored_fields()}

        once = build("once", [folders])
        steps = build("steps", [[f] for f in folders])
        rebuilt = build("steps", [], rebuild=True)
        differ = sum(1 for key, value in once.items() if steps.get(key) != value or rebuilt.get(key) != value)
        return len(once), differ + abs(len(steps) - len(once))


# ---------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--limit", type=int, default=5000, help="articles timed for throughput (default 5000)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per side; the fastest counts")
    ap.add_argument("--cli", action="store_true", help="score CoNLL through `search-index entities --json`")
    ap.add_argument("--quick", action="store_true", help="skip the determinism build")
    ap.add_argument("--no-conll", action="store_true", help="skip the CoNLL dev score")
    args = ap.parse_args()
    shared = shared_dir()
    corpus = shared / "corpora" / "reuters21578" / "articles.jsonl"
    if not corpus.is_file():
        print(f"no Reuters corpus at {corpus}: benchmark skipped")
        return 0

    if not args.no_conll:
        scores = conll_score(shared / "eval" / "ner", args.cli)
        if scores is None:
            print("no CoNLL dev set: score skipped")
        else:
            for t, (p, r, f) in scores.items():
                print(f"CoNLL dev {t:4} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
            f1, org = scores["ALL"][2], scores["ORG"][2]
            print(f"CoNLL dev F1 {f1:.3f} (target >= {TARGET_F1})  {verdict(f1 >= TARGET_F1)}")
            print(f"CoNLL dev ORG F1 {org:.3f} (target >= {TARGET_ORG})  {verdict(org >= TARGET_ORG)}")

    rows = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    started = time.perf_counter()
    facets = product_facets(corpus)
    took = time.perf_counter() - started
    if len(facets) != len(rows):
        print(f"Reuters: {len(rows)} records but {len(facets)} articles read: agreement skipped")
        return 1
    print(f"Reuters: {len(rows)} articles through the product in {took:.1f} s")
    result = agreement(rows, facets)
    report_agreement("Reuters agreement with own tags", result, headline=True)
    for kind, found in result.items():
        print(f"  {kind}: " + ", ".join(f"{tag} {share:.2f}/{n}" for tag, n, share in found))
    reflowed = reflowed_facets(rows)
    report_agreement("same, bodies reflowed (diagnostic)", agreement(rows, reflowed), headline=False)
    for label, values in (("", facets), (" (reflowed, diagnostic)", reflowed)):
        for kind in ("people", "places", "orgs"):
            top = Counter(v for f in values for v in f[kind]).most_common(TOP_VALUES)
            print(f"top {TOP_VALUES} {kind}{label}: " + ", ".join(f"{v} ({n})" for v, n in top))

    if not args.quick:
        compared, differ = determinism(corpus)
        print(f"determinism: one add vs three adds vs rebuild, {compared} articles, {differ} differ  "
              f"{verdict(differ == 0 and compared == len(rows))}")

    from newsgrep.index.entities import extract_mentions

    texts = [f"{row.get('title') or ''}\n{row.get('body') or ''}" for row in rows[:args.limit]]
    n_tokens = sum(len(WORD.findall(t)) for t in texts)
    base_best = ext_best = float("inf")
    for _ in range(args.repeat):
        t0 = time.process_time()
        for t in texts:
            WORD.findall(t)
        base_best = min(base_best, time.process_time() - t0)
        t0 = time.process_time()
        for t in texts:
            extract_mentions(t)
        ext_best = min(ext_best, time.process_time() - t0)
    rate = n_tokens / ext_best
    print(f"throughput: {len(texts)} articles, {n_tokens} tokens; "
          f"baseline re.findall {n_tokens / base_best:,.0f} tokens/s")
    print(f"extract_mentions {rate:,.0f} tokens/s, {ext_best / base_best:.1f}x the baseline time "
          f"(target >= {TARGET_TOKENS:,})  {verdict(rate >= TARGET_TOKENS)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
