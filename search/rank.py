"""Ranking in one pass: every match (for the total and the facets) and the top N (for the page).

Whoosh's TopCollector skips what cannot reach the top N, so the facets needed a second walk to learn
every match. Here one pass scores every match instead. Plain words and exact phrases (OR-ed over title
and body: the common queries) are scored from whole posting lists (index/postings.py) with the BM25F
arithmetic of Whoosh's BM25FScorer; anything else (AND, NOT, wildcards, fuzzy terms, phrases with
slop) goes through Whoosh's matchers, once. Either way the order is by score, and equal scores by
article id (Whoosh's document number would change with the order the files were indexed in). The best
NEAR_WINDOW matches of a plain-word query are then rescored for how near their words stand as typed
(_nearness), as Elasticsearch rescores its top hits with a phrase query.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, chain, compress, repeat
from operator import add, mul, neg, not_, truediv
from pathlib import Path

from whoosh import query, scoring
from whoosh.searching import Results
from whoosh.util.numeric import byte_to_length

from newsgrep.index import config, postings, whoosh_ext
from newsgrep.index.columns import live_docs
from newsgrep.index.config import NEAR_WINDOW
from newsgrep.index.facettable import load_order, pick
from newsgrep.search.filters import DocFilter, FilterOnly
from newsgrep.search.query import Clause, plain_clauses

# A pair of query words found as typed adds this share of the two words' body scores. The sequential
# dependence model (Metzler and Croft 2005) weighs exact pairs at about a tenth of the words; here the
# words are BM25-scored in two fields, so a pair's share of its own words is larger. On Cranfield it
# gives +0.004 nDCG@10 (benchmarks/bench_query.py; +0.008 in a plain-Whoosh experiment).
NEAR_WEIGHT = 0.25
# _length_norms' tables by (K1, B, average field length): 256 numbers each field of each search computed
# again, the same while the index is unchanged. Callers never change them.
_NORMS: dict[tuple[float, float, float], list[float]] = {}


@dataclass
class Ranked:
    """`results` holds the top hits (stored fields, highlighting); `docs` every allowed match, in order."""

    results: Results
    docs: list[int]
    partial: bool = False  # no article held enough of the words: these are the best of those with some


def rank_all(searcher, q: query.Query, keep: DocFilter | None, limit: int,
             days: Callable[[list[int]], list[int]] | None = None,
             groups: list[query.Query] | None = None, need: int = 0,
             near: list[tuple[str, str, int]] | None = None,
             moments: Callable[[list[int]], list[int]] | None = None, folder: Path | None = None) -> Ranked:
    """The top `limit` matches of `q` that `keep` allows (None: all), and every such match.

    By relevance, or newest first when `days` is given: it maps documents to their days (YYYYMMDD,
    0 when undated); undated articles come last, and articles of one day go by relevance, or first
    by `moments` when given (their publication moments, 0 when only the day is known; see _newest).
    With `groups`, a match must also hold at least `need` of the `groups` (the query's words,
    see search/query.py words_needed); when none does, every match of `q` is kept and ranked, and
    the result says it is partial. The scores stay BM25F over all the words either way. With `near`
    (search/query.py near_pairs) and by relevance, the best matches are rescored for nearness.
    """
    key = _stable_key(searcher, folder)
    if type(q) is query.Every and keep is None:
        docs = _live_docs(searcher)
        if days is None:
            if len(docs) <= config.MAX_TIE_KEYS:
                return _ranked(searcher, q, _top(dict.fromkeys(docs, 1.0), limit, key), docs)
            return _ranked(searcher, q, [(1.0, d) for d in docs[:limit]], docs)
        scores = dict.fromkeys(docs, 1.0)  # Whoosh's score for Every()
    else:
        held = _holding_set(searcher, groups, need) if groups and need else None
        within = _within(keep, held if groups and len(groups) >= 2 else None)
        scores, docs, partial = _matches(searcher, q, keep, held, within)
        if within is not None and (partial or not docs):  # no article holds enough words: rank them all
            scores, docs, partial = _matches(searcher, q, keep, held, None)
        if days is not None:
            top = _newest(scores, docs, days(docs), limit, moments, key)
        elif near:  # the best NEAR_WINDOW whatever the page size, so a page's order never depends on it
            best = _top(scores, max(limit, NEAR_WINDOW), key)
            top = (_nearness(searcher, near, best[:NEAR_WINDOW], key) + best[NEAR_WINDOW:])[:limit]
        else:
            top = _top(scores, limit, key)
        return _ranked(searcher, q, top, docs, partial)
    top = _top(scores, limit, key) if days is None else _newest(scores, docs, days(docs), limit, moments, key)
    return _ranked(searcher, q, top, docs)


def _matches(searcher, q: query.Query, keep: DocFilter | None, held: set[int] | None,
             within: set[int] | None) -> tuple[dict[int, float], list[int], bool]:
    """The scores of the matches `keep` allows that are `held` (hold enough of the words; None: no
    such rule), or, partial, of all those `keep` allows when none is; the matches in order; and
    whether they are partial. `within` (see _within) may leave out of the scoring documents that
    could not be kept anyway."""
    scores = _scores(searcher, q, within)
    docs = sorted(scores)
    if keep is not None:
        docs = keep.restrict(docs)
    partial = False
    if held is not None and docs:
        holding = list(filter(held.__contains__, docs))
        docs, partial = (holding, False) if holding else (docs, True)
    if len(docs) < len(scores):
        scores = dict(zip(docs, map(scores.__getitem__, docs), strict=True))
    return scores, docs, partial


def _within(keep: DocFilter | None, held: set[int] | None) -> set[int] | None:
    """The only documents a ranking can keep when some of them hold enough of the words: those
    `held` (given for two words or more: one word's holders are its matches), and those every
    --person/--place/--org/--source filter allows; None when nothing is ruled out before scoring.

    Scoring is most of a search's time and each document's score depends on that document alone,
    so scoring only these gives the same scores to the same matches ("trade place=Japan" scores the
    few articles on Japan, not every article with "trade"). When none of them matches, the
    caller ranks without it (the partial case)."""
    sets = list(keep.sets) if keep is not None else []
    if held is not None:
        sets.append(held)
    if not sets:
        return None
    sets.sort(key=len)
    return sets[0].intersection(*sets[1:])


def _scores(searcher, q: query.Query, within: set[int] | None = None) -> dict[int, float]:
    """Every match of `q` with its score (with `within`, at least those of its documents). An
    exclusion (`oil -opec`, `NOT x`) keeps the scores of what it excludes from, as Whoosh's AndNot
    and Not matchers do (Not alone scores 1.0), so the words it excludes from still go through the
    one-pass path, and the excluded articles are a set. Filters without words (FilterOnly) score 1.0
    each, as through Whoosh's collector, which cost a collect() call per match (20 ms for a month's
    6,215 articles)."""
    if type(q) is FilterOnly and not searcher.weighting.use_final:
        return dict.fromkeys(q.live(searcher.reader()), 1.0)  # Whoosh's score of its list matcher: 1.0
    if type(q) is query.AndNot and q.boost == 1.0:
        dropped = _group_docs(searcher, q.b)
        return {doc: s for doc, s in _scores(searcher, q.a, within).items() if doc not in dropped}
    if type(q) is query.Not and q.boost == 1.0:
        dropped = _group_docs(searcher, q.query)
        return {doc: 1.0 for doc in _live_docs(searcher) if doc not in dropped}
    clauses = plain_clauses(q)
    if clauses is not None and type(searcher.weighting) is scoring.BM25F:
        scores = _clause_scores(searcher, clauses, within)
        if scores is not None:
            return scores
    return _whoosh_scores(searcher, q)


def _ranked(searcher, q, top: list[tuple[float, int]], docs: list[int], partial: bool = False) -> Ranked:
    return Ranked(whoosh_ext.ranked_results(searcher, q, top, len(docs)), docs, partial)


def _holding_set(searcher, groups: list[query.Query], need: int) -> set[int]:
    """The documents that hold at least `need` of the groups."""
    sets = sorted((_group_docs(searcher, g) for g in groups), key=len)
    if need >= len(sets):
        return sets[0].intersection(*sets[1:])
    held = Counter(chain.from_iterable(sets))
    return {d for d, n in held.items() if n >= need}


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
    return live_docs(searcher.reader())


def _clause_scores(searcher, clauses: list[Clause], within: set[int] | None = None) -> dict[int, float] | None:
    """Each document's summed BM25F score over the clauses (terms and exact phrases); None if the
    index is not laid out as index/postings.py expects (Whoosh then scores).

    Per word it is BM25FScorer's expression, operation for operation, run through map() over C
    functions because it runs for every posting. A phrase matches where its words stand at
    consecutive positions and scores, as in Whoosh, the sum of its words' scores. Whoosh adds a
    document's scores in the order of its matcher tree, this in the order of the clauses: sums may
    differ in the last bit. With `within`, documents outside it may be left out.
    """
    weighting = searcher.weighting
    k1 = weighting.K1
    k1p1 = k1 + 1
    scores: dict[int, float] = {}
    norms: dict[str, list[float]] = {}
    for leaf, offset in searcher.reader().leaf_readers():
        local = None if within is None else _local(within, offset, leaf.doc_count_all())
        for fieldname, words in clauses:
            if fieldname not in searcher.schema or not searcher.schema[fieldname].scorable:
                return None
            with_values = len(words) > 1 and not postings.has_side_file(leaf)  # see has_side_file
            lists = [postings.read(leaf, fieldname, word, with_values) for word in words]
            lengths = postings.lengths(leaf, fieldname)
            if lengths is None or any(found is None for found in lists):
                return None
            if not all(found.ids for found in lists):
                continue
            if fieldname not in norms:
                norms[fieldname] = _length_norms(searcher, fieldname)
            norm = norms[fieldname]
            docs = lists[0].ids if len(words) == 1 else _phrase_docs(leaf, fieldname, words, lists, local)
            if docs is None:  # a field without positions: Whoosh scores
                return None
            single_weights = lists[0].weights
            if local is not None and len(words) == 1:
                kept = list(map(local.__contains__, docs))
                docs, single_weights = list(compress(docs, kept)), list(compress(single_weights, kept))
            if not docs:
                continue
            these: dict[int, float] = {}
            for word, found in zip(words, lists, strict=True):
                weights = single_weights if len(words) == 1 else found.weights
                if len(words) > 1:  # the phrase's documents are a few of the word's: a bisect each
                    weights = list(map(weights.__getitem__, map(bisect_left, repeat(found.ids), docs)))
                denominators = map(add, weights, map(norm.__getitem__, pick(lengths, docs)))
                idf = searcher.idf(fieldname, word)
                word_scores = map(mul, repeat(idf), map(truediv, map(mul, weights, repeat(k1p1)), denominators))
                if these:
                    these = dict(zip(these, map(add, these.values(), word_scores), strict=True))
                else:
                    these = dict(zip(map(offset.__add__, docs) if offset else docs, word_scores, strict=True))
            scores = _summed(scores, these)
    return scores


def _summed(scores: dict[int, float], these: dict[int, float]) -> dict[int, float]:
    """`scores` with `these` added: one addition for a document in both, as before, done by map()
    over C functions, and the smaller dict merged into the larger (a body's thousands of matches are
    not copied into the title's few). The sums are the same: one addition of two numbers is."""
    small, large = (these, scores) if len(these) < len(scores) else (scores, these)
    both = list(filter(large.__contains__, small))
    small.update(zip(both, map(add, map(scores.__getitem__, both), map(these.__getitem__, both)), strict=True))
    large.update(small)
    return large


def _local(docs: set[int], offset: int, count: int) -> set[int]:
    """Those of `docs` (global numbers) in the segment at `offset` of `count` documents, as its own
    numbers (by map() over C functions: `docs` may be thousands; the first segment's are `docs`)."""
    if offset == 0 and (not docs or max(docs) < count):
        return docs
    return set(map(offset.__rsub__, filter(range(offset, offset + count).__contains__, docs)))


def _length_norms(searcher, fieldname: str) -> list[float]:
    """The length part of BM25F's denominator for each length byte of a field, as Whoosh's BM25FScorer
    computes it (K1 and the field's B)."""
    weighting = searcher.weighting
    b = whoosh_ext.field_b(searcher, fieldname)
    avgfl = searcher.avg_field_length(fieldname) or 1
    key = (weighting.K1, b, avgfl)  # the table is a function of these three numbers alone
    norms = _NORMS.get(key)
    if norms is None:
        if len(_NORMS) >= 64:
            _NORMS.clear()
        norms = _NORMS[key] = [weighting.K1 * ((1 - b) + b * byte_to_length(i) / avgfl) for i in range(256)]
    return norms


def _phrase_docs(leaf, fieldname: str, words: tuple[str, ...], lists: list[postings.Postings],
                 local: set[int] | None = None) -> list[int] | None:
    """The documents (segment-local, in order) where the words stand next to each other, in order
    (with `local`, of those documents only); None when the field keeps no positions.

    A document matches where some position p of the first word has the k-th word at p + k: the
    first word's positions as a set against each later word's, shifted back by k. Only the
    positions of the documents holding every word are read (postings.places_at; from Whoosh's blocks,
    the lists `lists` read with positions), and the sets are made and compared by map() over C
    functions: a phrase of common words checks thousands.
    """
    common = set(lists[0].ids).intersection(*(found.ids for found in lists[1:]))
    if local is not None:
        common &= local
    docs = sorted(common)
    if not docs:
        return []
    held = []
    for word, listed in zip(words, lists, strict=True):
        if listed.values is not None:  # read with positions from Whoosh's blocks (no side file): unpickled at once
            values = pick(dict(zip(listed.ids, listed.values, strict=True)), docs)
            held.append(map(accumulate, postings.deltas_of(values)))
            continue
        places = postings.places_at(leaf, fieldname, word, docs)
        if places is None:
            return None
        held.append(pick(places, docs))
    starts = map(set, held[0])
    later = [map(partial(map, k.__rsub__), held[k]) for k in range(1, len(words))]
    if len(later) == 1:
        found = map(not_, map(set.isdisjoint, starts, later[0]))
    else:
        found = map(set.intersection, starts, *later)
    return list(compress(docs, found))


def _nearness(searcher, near: list[tuple[str, str, int]], top: list[tuple[float, int]],
              key: Callable[[int], str] | None = None) -> list[tuple[float, int]]:
    """`top` rescored: each pair of query words that an article has as typed (the second word `gap`
    places after the first, in its body) adds NEAR_WEIGHT of the two words' BM25F body scores there.
    Scores only rise, so these stay above every match outside the window. Unchanged when the index
    is not laid out as index/postings.py reads it."""
    weighting = searcher.weighting
    if not top or type(weighting) is not scoring.BM25F or "body" not in searcher.schema:
        return top
    k1 = weighting.K1
    norm = _length_norms(searcher, "body")
    idf = {word: searcher.idf("body", word) for pair in near for word in pair[:2]}
    bonus: dict[int, float] = {}
    docs = sorted(doc for _, doc in top)
    for leaf, offset in searcher.reader().leaf_readers():
        local = [d - offset for d in docs if offset <= d < offset + leaf.doc_count_all()]
        if not local:
            continue
        lengths = postings.lengths(leaf, "body")
        if lengths is None:
            return top
        for first, second, gap in near:
            lists = [postings.read(leaf, "body", word) for word in (first, second)]
            places = [postings.places_at(leaf, "body", word, local) for word in (first, second)]
            if None in lists or None in places:
                return top
            for doc in local:
                va, vb = places[0].get(doc), places[1].get(doc)
                if not va or not vb:
                    continue
                wa, wb = _weight(lists[0], doc), _weight(lists[1], doc)
                after = set(vb)
                if any(p + gap in after for p in va):
                    length = norm[lengths[doc]]
                    pair = idf[first] * wa * (k1 + 1) / (wa + length) + idf[second] * wb * (k1 + 1) / (wb + length)
                    bonus[doc + offset] = bonus.get(doc + offset, 0.0) + NEAR_WEIGHT * pair
    rescored = [(-(score + bonus.get(doc, 0.0)), doc) for score, doc in top]
    rescored.sort()
    return [(-negated, doc) for negated, doc in _ties_in_order(rescored, len(rescored), key)]


def _weight(found: postings.Postings, doc: int) -> float:
    """The weight of one document in a posting list (0 when absent)."""
    i = bisect_left(found.ids, doc)
    return found.weights[i] if i < len(found.ids) and found.ids[i] == doc else 0.0


def _top(scores: dict[int, float], limit: int, key: Callable[[int], str] | None = None
         ) -> list[tuple[float, int]]:
    """(score, doc) of the best `limit`, best first; equal scores in the order of `key` (see _stable_key),
    else of the document number (as Whoosh)."""
    if len(scores) > limit:
        threshold = heapq.nlargest(limit, scores.values())[-1]
        kept = compress(scores.items(), map(threshold.__le__, scores.values()))  # every tie at the threshold too
        chosen = [(-s, doc) for doc, s in kept]
    else:
        chosen = [(-s, doc) for doc, s in scores.items()]
    chosen.sort()
    return [(-negated, doc) for negated, doc in _ties_in_order(chosen, limit, key)]


def _newest(scores: dict[int, float], docs: list[int], days: list[int], limit: int,
            moments: Callable[[list[int]], list[int]] | None = None, key: Callable[[int], str] | None = None
            ) -> list[tuple[float, int]]:
    """(score, doc) of the `limit` latest: by day (undated, 0, last), then by `moments` within a day
    (larger first; 0, no time known, after the timed ones), then score, then `key` (or the document
    number).

    Moments are read only for the articles that can make the page: those of the days from the newest
    down to the day of the `limit`-th article (reading every match's would cost a broad query more
    than ranking it).
    """
    if moments is None:
        rows = list(zip(map(neg, days), map(neg, map(scores.__getitem__, docs)), docs, strict=True))
    else:
        cutoff = heapq.nlargest(limit, days)[-1] if 0 < limit < len(days) else min(days, default=0)
        near = [(day, doc) for day, doc in zip(days, docs, strict=True) if day >= cutoff]
        dated = [doc for day, doc in near if day]
        when = dict(zip(dated, moments(dated), strict=True))
        rows = [(-day, -when.get(doc, 0), -scores[doc], doc) for day, doc in near]
    chosen = heapq.nsmallest(limit, rows)
    if key is not None and chosen and len(chosen) == limit:  # every row tied with the last one shown
        last = chosen[-1][:-1]
        chosen = sorted(set(chosen).union(row for row in rows if row[:-1] == last))
    return [(scores[row[-1]], row[-1]) for row in _ties_in_order(chosen, limit, key)]


def _ties_in_order(rows: list[tuple], limit: int, key: Callable[[int], str] | None) -> list[tuple]:
    """The first `limit` of `rows` (sorted tuples ending in the document number, holding every row
    tied with one of the first `limit`), each run of equal rows ordered by `key` (then number).

    The document number depends on the order files were added and on which of Whoosh's sub-writers
    took them, so the same files indexed again would list equal hits in another order. A tie larger
    than config.MAX_TIE_KEYS keeps the document order: reading that many keys would cost more than
    the search (a filter-only search over most of the index). An _ArticleOrder key orders a run from
    its segments' article orders (index/facettable.py), without reading each article's id.
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
            if isinstance(key, _ArticleOrder):
                run = key.ordered(run, limit - len(out))
            else:
                run.sort(key=lambda row: (key(row[-1]), row[-1]))
        out.extend(run)
        start = end
    return out[:limit]


class _ArticleOrder:
    """An article's id (its path, or file.jsonl#id), the same however and whenever it was indexed:
    called with a document number, its stored id; `ordered` puts a run of ties in that order.

    Each id is read once per search: the best matches' ties are ordered before the nearness rescoring
    and again after it, and a stored-field read costs more than the rest of a tie's ordering. Where
    the index keeps each segment's article order (facettable.load_order), a run is sorted by it with
    no read at all, except, for a run over several segments, of the few ids that can make the page."""

    def __init__(self, searcher, folder: Path | None = None) -> None:
        self.folder = folder
        self.reader = searcher.reader()
        self.known: dict[int, str] = {}
        self._ranks: list[tuple[int, array]] | None = None
        self._looked = False

    def __call__(self, doc: int) -> str:
        found = self.known.get(doc)
        if found is None:
            found = self.known[doc] = self.reader.stored_fields(doc).get("id", "")
        return found

    def ranks(self) -> list[tuple[int, array]] | None:
        """(doc offset, article order) of each segment, read at the first tie; None for an index
        that has none (written before they were, or held in memory)."""
        if not self._looked:
            self._looked = True
            if self.folder is not None:
                self._ranks = load_order(self.folder, self.reader)
        return self._ranks

    def ordered(self, run: list[tuple], need: int) -> list[tuple]:
        """`run` (rows ending in a document number) by article id, then number; with several
        segments, only the first `need` are sure to be in that order (the caller keeps no more)."""
        ranks = self.ranks()
        if ranks is None:
            return sorted(run, key=lambda row: (self(row[-1]), row[-1]))
        starts = [offset for offset, _ in ranks]
        by_segment: dict[int, list[tuple]] = {}
        for row in run:
            by_segment.setdefault(bisect_right(starts, row[-1]) - 1, []).append(row)
        for segment, rows in by_segment.items():
            offset, order = ranks[segment]
            rows.sort(key=lambda row: order[row[-1] - offset])  # a place each: equal ids by number already
        if len(by_segment) == 1:
            return next(iter(by_segment.values()))
        heads = sorted(chain.from_iterable(rows[:need] for rows in by_segment.values()),
                       key=lambda row: (self(row[-1]), row[-1]))
        return heads + [row for rows in by_segment.values() for row in rows[need:]]


def _stable_key(searcher, folder: Path | None = None) -> Callable[[int], str]:
    """The key equal scores go by: the article id (see _ArticleOrder; `folder`, the index generation's
    folder, holds the segments' article orders)."""
    return _ArticleOrder(searcher, folder)
