"""Facet tables against Whoosh's own grouping, on real indexes: same counts, through updates, deletions
and merges, and a clean fallback when a table is missing or damaged."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zlib
from collections import Counter
from pathlib import Path

import pytest
from conftest import SEEDS, SHARED, write_corpus

from newsgrep.index import facettable, store
from newsgrep.index.columns import TableColumns, WhooshColumns, open_columns
from newsgrep.search.facets import COUNTED, LISTED, _shape, count_facets
from newsgrep.search.filters import DocFilter
from newsgrep.search.query import parse_query
from newsgrep.search.rank import rank_all
from newsgrep.search.results import SearchRequest, run_search

QUERIES = ["peace talks", "", "Russia", "zzzz", "Ukraine OR Putin", "story"]


def _grouped_by_whoosh(searcher, q, filter_q: set[int] | None) -> dict:
    """The facets from Whoosh alone: its own matches of `q` under the filter, grouped by its FieldFacets."""
    from whoosh import sorting

    facets = sorting.Facets()
    for field in COUNTED:
        facets.add_facet(field, sorting.FieldFacet(field, allow_overlap=field in LISTED, maptype=sorting.Count))
    results = searcher.search(q, filter=filter_q, groupedby=facets, limit=1, scored=False)
    return _shape({field: {_text(k): n for k, n in results.groups(field).items() if k is not None}
                   for field in COUNTED}, 10)


def _text(key) -> str:
    return key.decode("utf-8") if isinstance(key, bytes) else str(key)


def _both(root: Path, words: str, filter_q=None) -> tuple[dict, dict]:
    """The facets of the ranking pass's matches counted from the tables, and Whoosh's own; the same
    matches counted by the fallback (WhooshColumns) must give Whoosh's too."""
    ix = store.open_index(root)
    gen = Path(ix.storage.folder)
    q = parse_query(words, ix.schema)
    with ix.searcher() as searcher:
        columns = open_columns(gen, searcher)
        assert isinstance(columns, TableColumns)
        keep = None if filter_q is None else DocFilter([set(filter_q)])
        docs = rank_all(searcher, q, keep, 10).docs
        whooshs = _grouped_by_whoosh(searcher, q, filter_q)
        assert count_facets(WhooshColumns(searcher), docs) == whooshs
        return count_facets(columns, docs), whooshs


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    write_corpus(folder / "more", 30, "story")
    return folder


def test_tables_give_whoosh_counts(corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    store.add(root, [str(corpus)])
    gen = store.current_generation(root)
    assert list(gen.glob("facets-*.bin"))
    for words in QUERIES:
        fast, slow = _both(root, words)
        assert fast == slow, words
    fast, slow = _both(root, "", filter_q={0, 2, 4, 6})
    assert fast == slow and sum(n for _, n in fast["months"]) == 4


def test_counts_stay_right_through_updates_deletions_and_merges(corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    store.add(root, [str(corpus)])
    for round_no in range(12):  # many small commits: Whoosh merges segments along the way
        changed = corpus / "more" / f"story{round_no:05d}.txt"
        changed.write_text(f"Changed {round_no}\n\nThe Kremlin said Vladimir Putin story {round_no}.\n")
        (corpus / "more" / f"story{29 - round_no:05d}.txt").unlink()
        store.add(root, [str(corpus)])
        for words in QUERIES:
            fast, slow = _both(root, words)
            assert fast == slow, (round_no, words)
        with store.open_index(root).reader() as reader:
            every_third = set(range(0, reader.doc_count_all(), 3))  # deleted articles among them
        fast, slow = _both(root, "", filter_q=every_third)  # filters alone, no words
        assert fast == slow, round_no
    gen = store.current_generation(root)
    ix = store.open_index(root)
    with ix.reader() as reader:
        live = {facettable.table_path(gen, leaf.segment().segment_id()).name for leaf, _ in reader.leaf_readers()}
    assert {p.name for p in gen.glob("facets-*.bin")} == live  # tables of merged-away segments are gone
    assert {p.name for p in gen.glob("order-*.bin")} == {name.replace("facets-", "order-", 1) for name in live}


@pytest.mark.parametrize("damage", ["delete", "truncate", "garble", "flip", "older"])
def test_missing_or_damaged_table_falls_back_to_whoosh(corpus: Path, tmp_path: Path, damage: str) -> None:
    root = tmp_path / "index"
    store.add(root, [str(corpus)])
    # The counts of each search from the tables; the same searches must count the same without them.
    expected = {words: run_search(root, SearchRequest(words=words, facets=True)).facets for words in QUERIES}
    assert expected["peace talks"] is not None
    dated = [SearchRequest(words=w, since=dt.date(y, 1, 1), facets=True, timeline="auto", sort="date")
             for w in ("", "peace talks") for y in (2022, 2030)]  # 2030: a range that holds nothing
    expected_dated = [run_search(root, r) for r in dated]
    for table in store.current_generation(root).glob("facets-*.bin"):
        if damage == "delete":
            table.unlink()
        elif damage == "truncate":
            table.write_bytes(table.read_bytes()[:100])
        elif damage == "flip":  # one byte in the last part (ids): every length still fits
            data = bytearray(table.read_bytes())
            data[-8] ^= 0x40
            table.write_bytes(bytes(data))
        elif damage == "older":  # the format before the checksum: rebuilt by the next add
            table.write_bytes(b"NGFT2\n" + table.read_bytes()[len(facettable.MAGIC):-4])
        else:
            table.write_bytes(facettable.MAGIC + bytes(range(256)) * 4)
    facettable._loaded.clear()
    ix = store.open_index(root)
    with ix.searcher() as searcher:
        assert isinstance(open_columns(store.current_generation(root), searcher), WhooshColumns)
    for words in QUERIES:  # a search falls back to Whoosh's grouping, with the same counts
        assert run_search(root, SearchRequest(words=words, facets=True)).facets == expected[words], words
    for request, before in zip(dated, expected_dated, strict=True):  # and to Whoosh's days: the same response
        assert run_search(root, request) == before, request
    store.add(root, [str(corpus)])  # the next write puts back what is missing or damaged
    facettable._loaded.clear()
    ix = store.open_index(root)
    with ix.searcher() as searcher:
        assert isinstance(open_columns(store.current_generation(root), searcher), TableColumns)


def test_day_ranges_and_days_from_tables_match_the_date_postings_and_column(tmp_path: Path) -> None:
    import datetime as dt

    from newsgrep.search.filters import _day_bounds

    folder, root = tmp_path / "dated", tmp_path / "index"
    folder.mkdir()
    for i in range(40):
        day = dt.date(2022, 1, 1) + dt.timedelta(days=9 * i)
        head = f"date {day.isoformat()} " if i % 5 else ""  # every fifth article undated
        (folder / f"a{i:02d}.txt").write_text(f"{head}Story {i}\n\nBody of story {i}.\n")
    store.add(root, [str(folder)])
    ix = store.open_index(root)
    with ix.searcher() as searcher:
        tables = open_columns(store.current_generation(root), searcher)
        assert isinstance(tables, TableColumns)
        whoosh = WhooshColumns(searcher)
        every = list(range(searcher.doc_count_all()))
        day = dt.date.fromisoformat
        ranges = ((None, None), (day("2022-02-01"), day("2022-03-31")), (day("2022-03-10"), None),
                  (None, day("2022-01-10")), (day("2030-01-01"), None), (day("2022-01-10"), day("2022-01-10")))
        for since, until in ranges:
            bounds = _day_bounds(since, until)
            fast = tables.docs_in_days(*bounds)
            assert fast == whoosh.docs_in_days(*bounds), (since, until)
            assert tables.keep_in_days(*bounds, every) == whoosh.keep_in_days(*bounds, every) == sorted(fast)
        assert len(tables.docs_in_days(*_day_bounds(None, None))) == 32  # undated articles are outside any range
        assert tables.days(every) == whoosh.days(every) and whoosh.days(every).count(0) == 8
        for docs in (every, every[::3], every[5:6], []):
            assert tables.day_counts(docs) == whoosh.day_counts(docs) == Counter(whoosh.days(docs))
        assert tables.indexed_days() == whoosh.indexed_days() == Counter(whoosh.days(every))
        for field in ("people", "places", "orgs", "source"):
            assert tables.names(field) == whoosh.names(field)
    (folder / "late.txt").write_text("date 2022-03-20 Late story\n\nOne more.\n")
    store.add(root, [str(folder)])  # a segment of one article
    ix = store.open_index(root)
    with ix.searcher() as searcher:
        tables = open_columns(store.current_generation(root), searcher)
        assert isinstance(tables, TableColumns) and len(tables.tables[-1][1]["date"].ids) == 1
        whoosh = WhooshColumns(searcher)
        for since, until in ranges:
            bounds = _day_bounds(since, until)
            assert tables.docs_in_days(*bounds) == whoosh.docs_in_days(*bounds), (since, until)


def test_filter_only_query_matches_every_under_the_filter(corpus: Path, tmp_path: Path) -> None:
    """Across several segments and deleted articles, the same documents in the same order."""
    from whoosh import query

    from newsgrep.search.filters import FilterOnly

    root = tmp_path / "index"
    store.add(root, [str(corpus)])
    for round_no in range(4):  # more segments, and deletions in the older ones
        (corpus / "more" / f"story{round_no:05d}.txt").write_text(f"Changed {round_no}\n\nstory again {round_no}\n")
        store.add(root, [str(corpus)])
    ix = store.open_index(root)
    with ix.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) > 1 and searcher.reader().has_deletions()
        wanted = set(range(0, searcher.reader().doc_count_all(), 2))
        slow = [hit.docnum for hit in searcher.search(query.Every(), filter=wanted, limit=None)]
        fast = [hit.docnum for hit in searcher.search(FilterOnly(wanted), limit=None)]
        assert fast == slow and fast


REUTERS = SHARED / "corpora" / "reuters21578" / "articles.jsonl"


@pytest.fixture(scope="module")
def reuters_segments(tmp_path_factory) -> Path:
    """Every 12th Reuters article (about 1,800: names with real frequencies) in three files added one
    at a time (several segments), then one in thirty of one file changed (deletions inside a segment: too
    few for the writer to reclaim)."""
    if not REUTERS.is_file():
        pytest.skip(f"no Reuters corpus at {REUTERS}")
    base = tmp_path_factory.mktemp("names")
    folder, root = base / "corpus", base / "index"
    folder.mkdir()
    lines = REUTERS.read_text(encoding="utf-8").splitlines()[::12]
    for part in range(3):
        (folder / f"part{part}.jsonl").write_text("\n".join(lines[part::3]) + "\n", encoding="utf-8")
        store.add(root, [str(folder)])
    first = (folder / "part0.jsonl").read_text(encoding="utf-8").splitlines()
    changed = [line.replace('"body": "', '"body": "Changed. ', 1) if i % 30 == 0 else line
               for i, line in enumerate(first)]
    (folder / "part0.jsonl").write_text("\n".join(changed) + "\n", encoding="utf-8")
    store.add(root, [str(folder)])
    return root


@pytest.mark.parametrize("words", ["", "said", "oil", "bank trade", "zzzz"])
def test_names_counted_by_name_are_the_top_of_counting_every_match(reuters_segments: Path, words: str) -> None:
    """Counting name by name (most frequent first, stopping where no later name can reach the top)
    gives the top names and their ties that counting every match gives, over several segments with
    deletions, for small and large tops; and the facets equal Whoosh's own grouping either way."""
    ix = store.open_index(reuters_segments)
    with ix.searcher() as searcher:
        columns = open_columns(Path(ix.storage.folder), searcher)
        assert isinstance(columns, TableColumns) and len(columns.tables) >= 2 and searcher.reader().has_deletions()
        docs = rank_all(searcher, parse_query(words, ix.schema), None, 10).docs
        segments = list(facettable.by_segment(columns.tables, docs))
        matched = facettable._Matched(segments)
        by_name = 0
        for field in ("people", "places", "orgs"):
            every = facettable._doc_counts(segments, field)
            for top in (1, 3, 10, 40):
                found = facettable._top_counts(columns.tables, segments, matched, field, top)
                if found is not None:
                    by_name += 1
                    assert set(found) <= set(every) and all(every[name] == n for name, n in found.items())
                    assert _shape({**_empty(), "places": found}, top)["places"] == \
                           _shape({**_empty(), "places": every}, top)["places"], (field, top)
        whoosh = WhooshColumns(searcher)
        for top in (1, 10, 40):
            assert count_facets(columns, docs, top) == count_facets(whoosh, docs, top), top
        if len(docs) * facettable.BROAD_SHARE >= searcher.doc_count_all():
            assert by_name, "a broad search is counted name by name"


@pytest.mark.parametrize(("share", "few"), [(1, 0), (10**9, 64)])  # several names: never / always enough
def test_both_ways_of_gathering_each_matchs_names_count_as_whoosh(reuters_segments: Path, share: int, few: int,
                                                                 monkeypatch) -> None:
    """Counting from every match's slice of names, or from its only name first and slices for the
    rest (chosen per field by SPANS_SHARE), gives Whoosh's counts, over segments with deletions; and
    so does counting months by a Counter or by a byte per match (FEW_VALUES)."""
    monkeypatch.setattr(facettable, "SPANS_SHARE", share)
    monkeypatch.setattr(facettable, "FEW_VALUES", few)
    ix = store.open_index(reuters_segments)
    with ix.searcher() as searcher:
        columns = open_columns(Path(ix.storage.folder), searcher)
        assert isinstance(columns, TableColumns)
        for _, leaf in columns.tables:
            for table in leaf.values():
                monkeypatch.setattr(table, "_spans", None)  # the choice is made once per table: again here
        whoosh = WhooshColumns(searcher)
        for words in ("said", "oil", "bank trade", "zzzz"):
            docs = rank_all(searcher, parse_query(words, ix.schema), None, 10).docs
            assert columns.counts(COUNTED, docs) == whoosh.counts(COUNTED, docs), (words, share)


def test_tables_with_fewer_bitmaps_count_the_same(reuters_segments: Path, monkeypatch) -> None:
    """Tables written when only names held by one article in 32 had bitmaps (before 512) are read as
    they are: the same facets, name by name or not, as the current tables and Whoosh's grouping."""
    ix = store.open_index(reuters_segments)
    with ix.searcher() as searcher:
        columns = open_columns(Path(ix.storage.folder), searcher)
        assert isinstance(columns, TableColumns)
        monkeypatch.setattr(facettable, "BITMAP_SHARE", 32)
        older = [(offset, facettable._decode(facettable._encode(facettable.build(leaf)), leaf.doc_count_all()))
                 for (leaf, offset) in searcher.reader().leaf_readers()]
        size = [(len(leaf["places"].bitmaps), len(new["places"].bitmaps))
                for (_, leaf), (_, new) in zip(older, columns.tables, strict=True)]
        assert all(old <= new for old, new in size) and any(old < new for old, new in size), size
        whoosh = WhooshColumns(searcher)
        for words in ("said", "oil", "bank trade", ""):
            docs = rank_all(searcher, parse_query(words, ix.schema), None, 10).docs
            for top in (3, 10, 40):
                expected = count_facets(whoosh, docs, top)
                assert count_facets(TableColumns(older, searcher.reader()), docs, top) == expected, (words, top)
                assert count_facets(columns, docs, top) == expected, (words, top)


def test_the_next_add_rewrites_a_table_with_fewer_bitmaps(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    """An index whose tables were written with fewer bitmaps gets the current ones when the next add
    writes what is missing (facettable.write_missing, run after its commit); current tables stay."""
    root = tmp_path / "index"
    monkeypatch.setattr(facettable, "BITMAP_SHARE", 1)  # bitmaps only for names every article holds
    store.add(root, [str(corpus)])
    monkeypatch.undo()
    gen = store.current_generation(root)
    before = {p.name: p.read_bytes() for p in gen.glob("facets-*.bin")}
    with store.open_index(root).reader() as reader:
        def due(tables: dict[str, bytes]) -> list[bool]:
            return [facettable._has_due_bitmaps(facettable._decode(
                tables[facettable.table_path(gen, leaf.segment().segment_id()).name], leaf.doc_count_all()),
                leaf.doc_count_all()) for leaf, _ in reader.leaf_readers()]

        assert not all(due(before))
        facettable.write_missing(gen, reader)
        after = {p.name: p.read_bytes() for p in gen.glob("facets-*.bin")}
        assert set(after) == set(before) and after != before and all(due(after))
        stamps = {p.name: p.stat().st_mtime_ns for p in gen.glob("facets-*.bin")}
        facettable.write_missing(gen, reader)
        assert {p.name: p.stat().st_mtime_ns for p in gen.glob("facets-*.bin")} == stamps


def test_a_names_articles_from_the_tables_are_its_postings(reuters_segments: Path, corpus: Path,
                                                            tmp_path: Path) -> None:
    """Every name of every entity field and source: the live articles the tables list for it are the
    ones Whoosh's postings hold, over segments with deletions (what --person/--place/--org/--source
    filter on)."""
    root = tmp_path / "index"
    store.add(root, [str(corpus)])  # the seeds: sources, and names with accents
    for index in (reuters_segments, root):
        ix = store.open_index(index)
        with ix.searcher() as searcher:
            tables, whoosh = open_columns(Path(ix.storage.folder), searcher), WhooshColumns(searcher)
            assert isinstance(tables, TableColumns)
            assert index == root or searcher.reader().has_deletions()
            for field in ("people", "places", "orgs", "source"):
                for name in whoosh.names(field):
                    assert tables.docs_of(field, name) == whoosh.docs_of(field, name), (field, name)
                assert tables.docs_of(field, "No Such Name") == whoosh.docs_of(field, "No Such Name") == set()


def _empty() -> dict:
    return {field: {} for field in COUNTED}


def test_a_table_of_the_previous_format_falls_back_and_is_rebuilt(corpus: Path, tmp_path: Path) -> None:
    """Tables written before names had their documents (format 5) are refused whole, searched through
    Whoosh with the same facets, and rewritten by the next add."""
    root = tmp_path / "index"
    store.add(root, [str(corpus)])
    expected = run_search(root, SearchRequest(words="peace talks", facets=True)).facets
    for table in store.current_generation(root).glob("facets-*.bin"):
        data = table.read_bytes()
        with store.open_index(root).reader() as reader:
            n_docs = next(leaf.doc_count_all() for leaf, _ in reader.leaf_readers()
                          if facettable.table_path(table.parent, leaf.segment().segment_id()) == table)
        parts = [b"NGFT5\n"]
        for field, t in facettable._decode(data, n_docs).items():
            for blob in (json.dumps(t.names).encode(), t.offsets.tobytes(), t.ids.tobytes(), t.single.tobytes()):
                parts += [facettable._LEN.pack(len(blob)), blob]
            assert field in facettable.FIELDS
        body = b"".join(parts)
        table.write_bytes(body + facettable._CRC.pack(zlib.crc32(body)))
    facettable._loaded.clear()
    with store.open_index(root).searcher() as searcher:
        assert isinstance(open_columns(store.current_generation(root), searcher), WhooshColumns)
    assert run_search(root, SearchRequest(words="peace talks", facets=True)).facets == expected
    store.add(root, [str(corpus)])
    facettable._loaded.clear()
    with store.open_index(root).searcher() as searcher:
        assert isinstance(open_columns(store.current_generation(root), searcher), TableColumns)
    assert run_search(root, SearchRequest(words="peace talks", facets=True)).facets == expected
