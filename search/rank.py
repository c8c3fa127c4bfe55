"""Ranking in one pass: every match (for the total and the facets) and the top N (for the page).

Whoosh's TopCollector skips what cannot reach the top N, so the facets needed a second walk to learn
every match. Here one pass scores every match instead. Plain words and exact phrases (OR-ed over title
and body: the common queries) are scored from whole posting lists (index/postings.py) with the BM25F
arithmetic of Whoosh's BM25FScorer; anything else (AND, NOT, wildcards, fuzzy terms, phrases with
slop) goes through Whoosh's matchers, once. Either way the order is by score, and equal scores by
article id (Whoosh's document number would change with the order the files were indexed in).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, repeat
from operator import add, mul, neg, truediv

from whoosh import query, scoring
from whoosh.searching import Results
from whoosh.util.numeric import byte_to_length

from newsgrep.index import config, postings
from newsgrep.search.filters import DocFilter
from newsgrep.search.query import Clause, plain_clauses


@dataclass
class Ranked:
    """`results` holds the top hits (stored fields, highlighting); `docs` every allowed match, in order."""

    results: Results
    docs: list[int]
    partial: bool = False  # no article held enough of the words: these are the best of those with some


def rank_all(searcher, q: query.Query, keep: DocFilter | None, limit: int,
             days: Callable[[list[int]], list[int]] | None = None,
             groups: list[query.Query] | None = None, need: int = 0) -> Ranked:
    """The top `limit` matches of `q` that `keep` allows (None: all), and every such match.

    By relevance, or newest first when `days` is given: it maps documents to their days (YYYYMMDD,
    0 when undated); undated articles come last, and articles of one day go by relevance.
    With `groups`, a match must also hold at least `need` of the `groups` (the query's words,
    see search/query.py words_needed); when none does, every match of `q` is kept and ranked, and
    the result says it is partial. The scores stay BM25F over all the words either way.
    """
    key = _stable_key(searcher)
    if type(q) is query.Every and keep is None:
        docs = _live_docs(searcher)
        if days is None:
            if len(docs) <= config.MAX_TIE_KEYS:
                return _ranked(searcher, q, _top(dict.fromkeys(docs, 1.0), limit, key), docs)
            return _ranked(searcher, q, [(1.0, d) for d in docs[:limit]], docs)
        scores = dict.fromkeys(docs, 1.0)  # Whoosh's score for Every()
    else:
        scores = _scores(searcher, q)
        docs = sorted(scores)
        if keep is not None:
            docs = keep.restrict(docs)
        partial = False
        if groups and need and docs:
            holding = _holding(searcher, groups, need, docs)
            docs, partial = (holding, False) if holding else (docs, True)
        if len(docs) < len(scores):
            scores = {doc: scores[doc] for doc in docs}
        top = _top(scores, limit, key) if days is None else _newest(scores, docs, days(docs), limit, key)
        return _ranked(searcher, q, top, docs, partial)
    top = _top(scores, limit, key) if days is None else _newest(scores, docs, days(docs), limit, key)
    return _ranked(searcher, q, top, docs)


def _scores(searcher, q: query.Query) -> dict[int, float]:
    """Every match of `q` with its score. An exclusion (`oil -opec`, `NOT x`) keeps the scores of what
    it excludes from, as Whoosh's AndNot and Not matchers do (Not alone scores 1.0), so the words it
    excludes from still go through the one-pass path, and the excluded articles are a set."""
    if type(q) is query.AndNot and q.boost == 1.0:
        dropped = _group_docs(searcher, q.b)
        return {doc: s for doc, s in _scores(searcher, q.a).items() if doc not in dropped}
    if type(q) is query.Not and q.boost == 1.0:
        dropped = _group_docs(searcher, q.query)
        return {doc: 1.0 for doc in _live_docs(searcher) if doc not in dropped}
    clauses = plain_clauses(q)
    if clauses is not None and type(searcher.weighting) is scoring.BM25F:
        scores = _clause_scores(searcher, clauses)
        if scores is not None:
            return scores
    return _whoosh_scores(searcher, q)


def _ranked(searcher, q, top: list[tuple[float, int]], docs: list[int], partial: bool = False) -> Ranked:
    results = Results(searcher, q, top)
    results._total = len(docs)  # len(results) would otherwise ask a collector there is none of
    return Ranked(results, docs, partial)


def _holding(searcher, groups: list[query.Query], need: int, docs: list[int]) -> list[int]:
    """Those of `docs` (in order) that hold at least `need` of the groups."""
    sets = sorted((_group_docs(searcher, g) for g in groups), key=len)
    if need >= len(sets):
        common = sets[0].intersection(*sets[1:])
        return [d for d in docs if d in common]
    held = Counter(chain.from_iterable(sets))
    return [d for d in docs if held[d] >= need]


def _group_docs(searcher, group: query.Query) -> set[int]:
    """The documents one word (or phrase, or group) of a query matches: a word's posting lists
    over title and body when they can be read whole (index/postings.py), else Whoosh's matchers."""
    if type(group) is query.Not:
        return set(_live_docs(searcher)) - _group_docs(searcher, group.query)
    clauses = plain_clauses(group)
    if clauses is not None and all(len(words) == 1 for _, words in clauses):
        found: set[int] = set()
        for fieldname, (word,) in clauses:
            ids = postings.doc_ids(searcher.reader(), fieldname, word)
            if ids is None:
                break
            found.update(ids)
        else:
            return found
    return set(searcher.docs_for_query(group))


def _whoosh_scores(searcher, q: query.Query) -> dict[int, float]:
    """Every match of `q` with its score, from Whoosh's matchers, none skipped: for queries that are
    not plain words or phrases. (Imported here: plain searches never load Whoosh's collectors.)"""
    from whoosh.collectors import UnlimitedCollector

    collector = UnlimitedCollector()
    searcher.search_with_collector(q, collector)
    return {doc: score for score, doc in collector.items}


def _live_docs(searcher) -> list[int]:
    """Every document not deleted, in order."""
    docs: list[int] = []
    for leaf, offset in searcher.reader().leaf_readers():
        numbers = range(offset, offset + leaf.doc_count_all())
        if leaf.has_deletions():
            docs.extend(d for d in numbers if not leaf.is_deleted(d - offset))
        else:
            docs.extend(numbers)
    return docs


def _clause_scores(searcher, clauses: list[Clause]) -> dict[int, float] | None:
    """Each document's summed BM25F score over the clauses (terms and exact phrases); None if the
    index is not laid out as index/postings.py expects (Whoosh then scores).

    Per word it is BM25FScorer's expression, operation for operation, run through map() over C
    functions because it runs for every posting. A phrase matches where its words stand at
    consecutive positions and scores, as in Whoosh, the sum of its words' scores. Whoosh adds a
    document's scores in the order of its matcher tree, this in the order of the clauses: sums may
    differ in the last bit.
    """
    weighting = searcher.weighting
    k1 = weighting.K1
    k1p1 = k1 + 1
    scores: dict[int, float] = {}
    norms: dict[str, list[float]] = {}
    for leaf, offset in searcher.reader().leaf_readers():
        for fieldname, words in clauses:
            if fieldname not in searcher.schema or not searcher.schema[fieldname].scorable:
                return None
            lists = [postings.read(leaf, fieldname, word, with_values=len(words) > 1) for word in words]
            lengths = postings.lengths(leaf, fieldname)
            if lengths is None or any(found is None for found in lists):
                return None
            if not all(found.ids for found in lists):
                continue
            if fieldname not in norms:  # the length part of the denominator, per length byte
                b = weighting._field_B.get(fieldname, weighting.B)
                avgfl = searcher.avg_field_length(fieldname) or 1
                norms[fieldname] = [k1 * ((1 - b) + b * byte_to_length(i) / avgfl) for i in range(256)]
            norm = norms[fieldname]
            docs = lists[0].ids if len(words) == 1 else _phrase_docs(lists)
            these: dict[int, float] = {}
            for word, found in zip(words, lists, strict=True):
                weights = found.weights
                if len(words) > 1:
                    weight_of = dict(zip(found.ids, weights, strict=True))
                    weights = list(map(weight_of.__getitem__, docs))
                denominators = map(add, weights, map(norm.__getitem__, map(lengths.__getitem__, docs)))
                idf = searcher.idf(fieldname, word)
                word_scores = map(mul, repeat(idf), map(truediv, map(mul, weights, repeat(k1p1)), denominators))
                if these:
                    these = dict(zip(these, map(add, these.values(), word_scores), strict=True))
                else:
                    these = dict(zip(map(offset.__add__, docs) if offset else docs, word_scores, strict=True))
            for doc in list(filter(scores.__contains__, these)):
                these[doc] = scores[doc] + these[doc]
            scores.update(these)
    return scores


def _phrase_docs(lists: list[postings.Postings]) -> list[int]:
    """The documents (segment-local, in order) where the words stand next to each other, in order."""
    common = set(lists[0].ids).intersection(*(found.ids for found in lists[1:]))
    values = [dict(zip(found.ids, found.values, strict=True)) for found in lists]
    matched = []
    for doc in sorted(common):
        starts = set(postings.positions(values[0][doc]))
        for k in range(1, len(lists)):
            starts.intersection_update(p - k for p in postings.positions(values[k][doc]))
            if not starts:
                break
        if starts:
            matched.append(doc)
    return matched


def _top(scores: dict[int, float], limit: int, key: Callable[[int], str] | None = None
         ) -> list[tuple[float, int]]:
    """(score, doc) of the best `limit`, best first; equal scores in the order of `key` (see _stable_key),
    else of the document number (as Whoosh)."""
    if len(scores) > limit:
        threshold = heapq.nlargest(limit, scores.values())[-1]
        chosen = [(-s, doc) for doc, s in scores.items() if s >= threshold]  # every tie at the threshold too
    else:
        chosen = [(-s, doc) for doc, s in scores.items()]
    chosen.sort()
    return [(-negated, doc) for negated, doc in _ties_in_order(chosen, limit, key)]


def _newest(scores: dict[int, float], docs: list[int], days: list[int], limit: int,
            key: Callable[[int], str] | None = None) -> list[tuple[float, int]]:
    """(score, doc) of the `limit` latest: by day (undated, 0, last), then score, then `key` (or the
    document number)."""
    rows = list(zip(map(neg, days), map(neg, map(scores.__getitem__, docs)), docs, strict=True))
    chosen = heapq.nsmallest(limit, rows)
    if key is not None and chosen and len(chosen) == limit:  # every row tied with the last one shown
        last = chosen[-1][:2]
        chosen = sorted(set(chosen).union(row for row in rows if row[:2] == last))
    return [(scores[doc], doc) for _, _, doc in _ties_in_order(chosen, limit, key)]


def _ties_in_order(rows: list[tuple], limit: int, key: Callable[[int], str] | None) -> list[tuple]:
    """The first `limit` of `rows` (sorted tuples ending in the document number, holding every row
    tied with one of the first `limit`), each run of equal rows ordered by `key`.

    The document number depends on the order files were added and on which of Whoosh's sub-writers
    took them, so the same files indexed again would list equal hits in another order. A tie larger
    than config.MAX_TIE_KEYS keeps the document order: reading that many keys would cost more than
    the search (a filter-only search over most of the index).
    """
    if key is None:
        return rows[:limit]
    out: list[tuple] = []
    start = 0
    while start < len(rows) and len(out) < limit:
        end = start + 1
        while end < len(rows) and rows[end][:-1] == rows[start][:-1]:
            end += 1
        run = rows[start:end]
        if 1 < len(run) <= config.MAX_TIE_KEYS:
            run.sort(key=lambda row: (key(row[-1]), row[-1]))
        out.extend(run)
        start = end
    return out[:limit]


def _stable_key(searcher) -> Callable[[int], str]:
    """An article's id (its path, or file.jsonl#id), the same however and whenever it was indexed."""
    reader = searcher.reader()
    return lambda doc: reader.stored_fields(doc).get("id", "")
