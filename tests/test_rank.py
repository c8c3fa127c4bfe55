"""One-pass ranking (search/rank.py) and whole-list postings (index/postings.py) against Whoosh's own
matchers and collectors, on real indexes with several segments and deletions."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS, SHARED, assert_one_clear_error, run
from whoosh import collectors

from newsgrep.index import postings, sideposts, store, whoosh_ext
from newsgrep.index.columns import TableColumns, WhooshColumns, open_columns
from newsgrep.search.filters import filter_docs
from newsgrep.search.query import parse_query, plain_clauses
from newsgrep.search.rank import rank_all

VOCABULARY = ("oil price market bank rate trade talks peace minister council harbour wheat export "
              "dollar yen gold coffee tax stock deficit reserve income crude budget river school").split()
PLAIN = ["oil", "oil prices", "bank rate trade", "peace talks minister", "zzzz", "oil OR gold", "Kyiv",
         "wheat wheat", "title:oil body:bank", '"oil prices"', '"peace talks"', '"oil price" gold',
         '"bank rate trade"', '"oil oil"', '"zzzz oil"', 'title:"oil price" bank']
OTHER = ['"oil prices"~3', "oil AND bank", "oil -bank", "pric*", "oil NOT gold", "(oil OR gold) AND trade",
         "peace~", "oil^3 bank", 'oil -"oil price"', "(oil OR gold) -trade", "oil gold -bank"]


def _write_varied(folder: Path, n: int, seed: int) -> None:
    """Articles of varied length and word counts, so that BM25 lengths and weights all differ."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        words = [rng.choice(VOCABULARY[: rng.randint(3, len(VOCABULARY))]) for _ in range(rng.randint(5, 400))]
        title = " ".join(rng.sample(VOCABULARY, rng.randint(1, 4)))
        day = dt.date(1987, 1, 1) + dt.timedelta(days=rng.randrange(300))
        (folder / f"a{seed}-{i:04d}.txt").write_text(f"date {day} {title}\n{' '.join(words)}.\n", encoding="utf-8")


@pytest.fixture(scope="module")
def index_root(tmp_path_factory) -> Path:
    """Seeds and 400 varied articles, added in four batches (four segments), then a fifth of the
    varied ones changed or removed (deletions inside segments)."""
    base = tmp_path_factory.mktemp("rank")
    corpus = base / "corpus"
    shutil.copytree(SEEDS, corpus / "seeds", ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    root = base / "index"
    for batch in range(4):
        _write_varied(corpus / f"batch{batch}", 100, batch)
        store.add(root, [str(corpus)])
    rng = random.Random(9)
    for path in sorted(corpus.glob("batch*/*.txt")):
        roll = rng.random()
        if roll < 0.1:
            path.unlink()
        elif roll < 0.2:
            path.write_text(path.read_text(encoding="utf-8") + " oil oil bank\n", encoding="utf-8")
    store.add(root, [str(corpus)])
    with store.open_index(root).reader() as reader:
        assert len(reader.leaf_readers()) >= 2 and reader.has_deletions()
    return root


def _whoosh(searcher, q, allowed: set[int] | None) -> tuple[list[tuple[float, int]], int]:
    """Whoosh's exact ranking of every match: (score, doc) best first, and the number of matches."""
    collector = collectors.TopCollector(100_000, usequality=False, replace=0)
    if allowed is not None:
        collector = collectors.FilterCollector(collector, allowed)
    searcher.search_with_collector(q, collector)
    results = collector.results()
    return [(results.score(i), results.docnum(i)) for i in range(len(results))], len(results)


def _ours(searcher, q, keep, limit: int = 100_000) -> tuple[list[tuple[float, int]], list[int]]:
    ranked = rank_all(searcher, q, keep, limit)
    results = ranked.results
    return [(results.score(i), results.docnum(i)) for i in range(results.scored_length())], ranked.docs


def _same_ranking(ours: list[tuple[float, int]], theirs: list[tuple[float, int]]) -> None:
    """Equal scores (to the last few bits: sums are added in another order) and the same order, where
    documents whose scores are equal to those bits go by document number."""
    assert [d for _, d in sorted(ours, key=lambda sd: (-round(sd[0], 9), sd[1]))] == \
           [d for _, d in sorted(theirs, key=lambda sd: (-round(sd[0], 9), sd[1]))]
    assert [s for s, _ in ours] == pytest.approx([s for s, _ in theirs], rel=1e-12)


@pytest.mark.parametrize("words", PLAIN + OTHER)
def test_ranking_and_matches_are_whooshs(index_root: Path, words: str) -> None:
    ix = store.open_index(index_root)
    q = parse_query(words, ix.schema)
    assert (plain_clauses(q) is not None) == (words in PLAIN), "the fast path must cover plain words and phrases"
    with ix.searcher() as searcher:
        ours, docs = _ours(searcher, q, None)
        theirs, count = _whoosh(searcher, q, None)
        _same_ranking(ours, theirs)
        assert docs == sorted(searcher.docs_for_query(q)) and len(docs) == count
        assert not any(searcher.reader().is_deleted(d) for d in docs)
        if "zzzz" not in words:
            assert docs, words


@pytest.mark.parametrize("words", ["NOT gold", "-gold -bank"])
def test_an_exclusion_alone_matches_every_live_article_without_the_words(index_root: Path, words: str) -> None:
    """Whoosh's Not at the top of a search over several segments also returned deleted documents."""
    ix = store.open_index(index_root)
    q = parse_query(words, ix.schema)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        live = {d for d in range(searcher.doc_count_all()) if not reader.is_deleted(d)}
        excluded = set().union(*(searcher.docs_for_query(parse_query(w.strip("-"), ix.schema))
                                 for w in words.replace("NOT ", "").split()))
        ours, docs = _ours(searcher, q, None)
        assert docs == sorted(live - excluded) and {s for s, _ in ours} == {1.0}
        assert excluded and docs


@pytest.mark.parametrize("words", ["oil prices", '"oil prices"', "bank -oil", ""])
def test_filters_allow_what_whoosh_allows(index_root: Path, words: str) -> None:
    ix = store.open_index(index_root)
    gen = Path(ix.storage.folder)
    q = parse_query(words, ix.schema)
    with ix.searcher() as searcher:
        tables = open_columns(gen, searcher)
        assert isinstance(tables, TableColumns)
        for since, until in ((dt.date(1987, 3, 1), dt.date(1987, 6, 30)), (None, dt.date(1987, 2, 1)),
                             (dt.date(1987, 9, 1), None), (dt.date(1990, 1, 1), None)):
            for columns in (tables, WhooshColumns(searcher)):
                keep = filter_docs(searcher, columns, [], since, until)
                allowed = keep.docs()
                assert keep.days is not None and not keep.sets  # a range, tested on the matches
                if words:
                    ours, docs = _ours(searcher, q, keep)
                    theirs, count = _whoosh(searcher, q, allowed)
                    _same_ranking(ours, theirs)
                    assert len(docs) == count and set(docs) <= allowed
                day_docs = {d for d in range(searcher.doc_count_all()) if not searcher.reader().is_deleted(d)
                            and _day(searcher, d) is not None  # undated articles are outside any range
                            and (since or dt.date.min) <= _day(searcher, d) <= (until or dt.date.max)}
                assert allowed - _deleted(searcher) == day_docs, (since, until)


def _day(searcher, doc: int) -> dt.date | None:
    value = searcher.stored_fields(doc).get("date")
    return dt.date(value // 10000, value // 100 % 100, value % 100) if value else None


def _deleted(searcher) -> set[int]:
    return {d for d in range(searcher.doc_count_all()) if searcher.reader().is_deleted(d)}


def test_the_top_n_is_the_head_of_the_full_ranking(index_root: Path) -> None:
    ix = store.open_index(index_root)
    q = parse_query("oil bank", ix.schema)
    with ix.searcher() as searcher:
        full, docs = _ours(searcher, q, None)
        for limit in (1, 3, 10, 50):
            top, same_docs = _ours(searcher, q, None, limit)
            assert top == full[:limit] and same_docs == docs
        scores = [s for s, _ in full]
        assert scores == sorted(scores, reverse=True)
        for (s1, d1), (s2, d2) in zip(full, full[1:], strict=False):
            assert s1 > s2 or d1 < d2, "equal scores go to the lower document number, as in Whoosh"


def test_postings_read_whole_lists_as_whoosh_reads_them(index_root: Path) -> None:
    ix = store.open_index(index_root)
    with ix.searcher() as searcher:
        checked = 0
        for leaf, _ in searcher.reader().leaf_readers():
            for fieldname in ("title", "body", "people", "places", "date"):
                for text in list(leaf.lexicon(fieldname))[:400]:
                    fast = postings.read(leaf, fieldname, text)
                    assert fast is not None
                    matcher = leaf.postings(fieldname, text)
                    ids, weights = [], []
                    while matcher.is_active():
                        ids.append(matcher.id())
                        weights.append(matcher.weight())
                        matcher.next()
                    assert (fast.ids, fast.weights) == (ids, weights), (fieldname, text)
                    checked += 1
            assert postings.read(leaf, "body", b"not-a-word-here") == postings.Postings([], [])
        assert checked > 1000


def test_positions_of_some_documents_are_whooshs(index_root: Path) -> None:
    """postings.positions_at decodes only the blocks that hold the asked documents: the positions it
    gives are Whoosh's matcher's, and documents without the word are absent."""
    ix = store.open_index(index_root)
    with ix.searcher() as searcher:
        checked = 0
        for leaf, _ in searcher.reader().leaf_readers():
            asked = list(range(0, leaf.doc_count_all(), 3))
            for text in list(leaf.lexicon("body"))[:300]:
                found = postings.positions_at(leaf, "body", text, asked)
                assert found is not None
                matcher = leaf.postings("body", text)
                expected = {}
                while matcher.is_active():
                    if matcher.id() in asked:
                        expected[matcher.id()] = list(matcher.value_as("positions"))
                    matcher.next()
                assert {doc: postings.positions(v) for doc, v in found.items()} == expected, text
                checked += len(expected)
            assert postings.positions_at(leaf, "body", b"not-a-word-here", asked) == {}
        assert checked > 100


def test_lengths_are_whooshs(index_root: Path) -> None:
    ix = store.open_index(index_root)
    with ix.searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            for fieldname in ("title", "body"):
                data = postings.lengths(leaf, fieldname)
                assert data is not None and len(data) == leaf.doc_count_all()
                from whoosh.util.numeric import byte_to_length

                for doc in range(0, leaf.doc_count_all(), 7):
                    if data[doc]:
                        assert byte_to_length(data[doc]) == leaf.doc_field_length(doc, fieldname)


def test_every_document_without_words_or_filters(index_root: Path) -> None:
    ix = store.open_index(index_root)
    q = parse_query("", ix.schema)
    with ix.searcher() as searcher:
        ranked = rank_all(searcher, q, None, 5)
        assert ranked.docs == sorted(searcher.reader().all_doc_ids())
        # All score 1.0: the tie goes by article id, whatever order the articles were indexed in.
        by_id = sorted(ranked.docs, key=lambda d: (searcher.stored_fields(d)["id"], d))
        assert [ranked.results.docnum(i) for i in range(5)] == by_id[:5]


@pytest.mark.skipif(not (SHARED / "corpora" / "reuters21578" / "articles.jsonl").is_file(),
                    reason="no Reuters corpus in ../shared")
def test_same_ranking_on_real_news(tmp_path: Path) -> None:
    """1,500 Reuters articles: real lengths, repeated words, titles, names."""
    source = SHARED / "corpora" / "reuters21578" / "articles.jsonl"
    sample = tmp_path / "reuters.jsonl"
    with source.open(encoding="utf-8") as fh, sample.open("w", encoding="utf-8") as out:
        for i, line in enumerate(fh):
            if i % 12 == 0:
                out.write(line)
    root = tmp_path / "index"
    store.add(root, [str(sample)])
    ix = store.open_index(root)
    with ix.searcher() as searcher:
        for words in ("oil prices", "interest rates", "bank", "trade deficit japan", "opec production quota",
                      '"oil prices"', '"interest rates" bank', '"the company said"'):
            q = parse_query(words, ix.schema)
            ours, docs = _ours(searcher, q, None)
            theirs, count = _whoosh(searcher, q, None)
            _same_ranking(ours, theirs)
            assert len(docs) == count > 0, words


def test_a_damaged_posting_list_is_reported_as_damage(seed_dir: Path, tmp_path: Path) -> None:
    """Garbled bytes inside one posting list (read by index/postings.py, not by Whoosh) give the
    damaged-index message, not an internal error: in Whoosh's blocks and in their raw copy beside
    them (index/sideposts.py; a damaged copy alone is not an error: Whoosh's blocks answer)."""
    root = tmp_path / "index"
    store.add(root, [str(seed_dir)])
    ix = store.open_index(root)
    with ix.searcher() as searcher:
        leaf = searcher.reader().leaf_readers()[0][0]
        matcher = leaf.postings("body", "peac")
        sub = matcher._postfile.file  # the postings file: a part of the segment's compound file
        start = sub._offset + matcher._startoffset
        size = matcher._length[0] if isinstance(matcher._length, tuple) else matcher._length
        seg = Path(ix.storage.folder) / f"{leaf.segment().make_filename('.seg')}"
        entry = postings._raw(leaf, "body", "peac")[0]
        side_at = leaf.storage().a.range(leaf.segment().make_filename(sideposts.EXT))[0] + entry.start
    data = bytearray(seg.read_bytes())
    for i in [*range(start + size // 2, start + size), *range(side_at + 40, side_at + 48)]:
        data[i] ^= 0x5A
    seg.write_bytes(bytes(data))
    result = run("search", "peace", "--index-dir", str(root))
    assert_one_clear_error(result, 3)
    assert "search-index rebuild" in result.stderr


@pytest.mark.parametrize("words", ["oil bank", '"oil prices"', ""])
def test_newest_first_by_day_then_relevance(index_root: Path, words: str) -> None:
    """--sort date: newest day first, undated last, one day's articles by score; the facet tables
    and Whoosh's date column (the fallback) give the same days."""
    ix = store.open_index(index_root)
    q = parse_query(words, ix.schema)
    with ix.searcher() as searcher:
        tables = open_columns(Path(ix.storage.folder), searcher)
        assert isinstance(tables, TableColumns)
        by_score, docs = _ours(searcher, q, None)
        score = {d: s for s, d in by_score}
        day = {d: _day(searcher, d) for d in docs}
        article = {d: searcher.stored_fields(d)["id"] for d in docs}  # equal day and score: by article id
        expected = sorted(docs, key=lambda d: (day[d] is None, -(day[d] or dt.date.min).toordinal(), -score[d],
                                               article[d], d))
        for columns in (tables, WhooshColumns(searcher)):
            assert columns.days(docs) == [int((day[d] or dt.date.min).strftime("%Y%m%d")) if day[d]
                                          else 0 for d in docs]
            ranked = rank_all(searcher, q, None, 40, columns.days)
            got = [ranked.results.docnum(i) for i in range(ranked.results.scored_length())]
            assert got == expected[:40] and ranked.docs == docs
            assert [ranked.results.score(i) for i in range(len(got))] == [score[d] for d in got]
        assert any(day[d] is None for d in docs) or words  # the seeds include undated articles


@pytest.mark.parametrize("cutoff", [0, 2**15])
def test_column_offsets_are_whooshs(cutoff: int) -> None:
    """index/whoosh_ext.py derives variable-length column offsets in C: the same arrays as Whoosh's
    loop, for columns with offsets written (large segments, "X" layout) and without (small ones)."""
    from io import BytesIO

    from whoosh.columns import VarBytesColumn
    from whoosh.filedb.structfile import StructFile

    whoosh_ext.install()
    assert whoosh_ext.fast_paths()
    rng = random.Random(cutoff)
    values = [bytes(rng.randrange(256) for _ in range(rng.choice([0, 0, 1, 5, 300]))) for _ in range(2000)]
    buffer = BytesIO()
    writer = VarBytesColumn(write_offsets_cutoff=cutoff).writer(StructFile(buffer))
    for doc, value in enumerate(values):
        writer.add(doc, value)
    writer.finish(len(values))
    data = buffer.getvalue()
    column = VarBytesColumn(write_offsets_cutoff=cutoff)
    ours = column.reader(StructFile(BytesIO(data)), 0, len(data), len(values))
    theirs = column.reader(StructFile(BytesIO(data)), 0, len(data), len(values))
    whoosh_ext.whooshs(VarBytesColumn.Reader, "_read_offsets_and_lengths")(theirs)
    assert ours.had_stored_offsets == theirs.had_stored_offsets == (cutoff == 0)
    assert list(ours._offsets) == list(theirs._offsets) and list(ours._lengths) == list(theirs._lengths)
    assert [ours[d] for d in range(len(values))] == values


def test_filters_without_words_score_as_whooshs_collector(index_root: Path) -> None:
    """A filter-only search (FilterOnly) is scored directly: the same documents (not the deleted ones
    nor numbers past the index) with the same scores as Whoosh's collector over its matcher."""
    from newsgrep.search.filters import FilterOnly
    from newsgrep.search.rank import _scores, _whoosh_scores

    ix = store.open_index(index_root)
    with ix.searcher() as searcher:
        n = searcher.reader().doc_count_all()
        assert searcher.reader().has_deletions()
        for docs in (set(range(0, n, 3)), set(range(n)) | {n, n + 5}, {0}, set()):
            q = FilterOnly(docs)
            ours = _scores(searcher, q)
            assert ours == _whoosh_scores(searcher, q) and list(ours) == sorted(ours)
            assert set(ours) == {d for d in docs if d < n} - _deleted(searcher)


def _by_id(searcher, docs) -> list[int]:
    return sorted(docs, key=lambda d: (searcher.stored_fields(d)["id"], d))


def test_ties_go_by_article_id_from_the_segments_order_files_or_without_them(index_root: Path,
                                                                            tmp_path: Path) -> None:
    """Ties (filter-only searches: every match scores 1.0) go by article id: from the order files the
    writer keeps beside each segment, the same as from stored ids, over several segments with
    deletions and for pages cut inside the tie; and the same again in a copy of the index whose order
    files are missing (an index written before them) or damaged."""
    from newsgrep.index import facettable
    from newsgrep.search.filters import FilterOnly
    from newsgrep.search.rank import _stable_key

    copy = tmp_path / "index"
    shutil.copytree(index_root, copy)
    gen = store.current_generation(copy)
    ix = store.open_index(copy)
    with ix.searcher() as searcher:
        segments = [leaf.segment().segment_id() for leaf, _ in searcher.reader().leaf_readers()]
        assert {p.name for p in gen.glob("order-*.bin")} == {f"order-{s}.bin" for s in segments}
        assert facettable.load_order(gen, searcher.reader()) is not None
        live = [d for d in range(searcher.doc_count_all()) if not searcher.reader().is_deleted(d)]
        expected = {}
        for name, docs in (("all", set(live)), ("thirds", set(live[::3])), ("first segment", set(live[:40]))):
            expected[name] = _by_id(searcher, docs)
            for limit in (1, 7, 50, len(docs)):
                top = rank_all(searcher, FilterOnly(docs), None, limit, folder=gen).results.top_n
                assert [doc for _, doc in top] == expected[name][:limit], (name, limit)
                assert {score for score, _ in top} == {1.0}
        key = _stable_key(searcher, gen)
        assert key.ranks() is not None  # ties above were ordered from the files
        assert key(live[0]) == searcher.stored_fields(live[0])["id"]  # the key still gives the id itself

    orders = sorted(gen.glob("order-*.bin"))
    orders[0].write_bytes(orders[0].read_bytes()[:-3])  # damaged: cut short
    orders[1].unlink()  # missing
    facettable._orders.clear()
    with store.open_index(copy).searcher() as searcher:
        assert facettable.load_order(gen, searcher.reader()) is None
        assert _stable_key(searcher, gen).ranks() is None
        for name, docs in (("all", set(live)), ("thirds", set(live[::3]))):
            top = rank_all(searcher, FilterOnly(docs), None, 50, folder=gen).results.top_n
            assert [doc for _, doc in top] == expected[name][:50]
    store.add(copy, [str(index_root.parent / "corpus")])  # the next add writes them again
    assert len(list(store.current_generation(copy).glob("order-*.bin"))) == len(segments)
