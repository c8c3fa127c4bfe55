"""index/sideposts.py, the raw posting lists of title and body written beside Whoosh's: the same lists
as Whoosh's matchers on a real index of several segments with deletions, merged segments too; a
damaged or truncated side file, and an index without side files, search the same."""

from __future__ import annotations

import dataclasses
import json
import shutil
from array import array
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import SHARED

from newsgrep.index import postings, sideposts, store, whoosh_ext
from newsgrep.index.schema import TEXT_FIELDS
from newsgrep.search.results import SearchRequest, run_search

REUTERS = SHARED / "corpora" / "reuters21578" / "articles.jsonl"
REQUESTS = [
    {"words": "oil prices", "facets": True, "limit": 20},
    {"words": '"trade deficit"', "facets": True},
    {"words": '"interest rates" bank', "facets": True, "limit": 30},
    {"words": "oil -opec", "facets": True},
    {"words": "wheat export corn shipments", "facets": True, "limit": 30},
    {"words": "dollar", "timeline": "month", "top_words": 5},
    {"words": "title:oil prices"},
]


def _corpus(folder: Path, files: int, per_file: int) -> list[Path]:
    """`files` JSON Lines files of `per_file` Reuters records each, as the corpus has them."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with REUTERS.open(encoding="utf-8") as lines:
        for i in range(files):
            path = folder / f"reuters-{i}.jsonl"
            path.write_text("".join(next(lines) for _ in range(per_file)), encoding="utf-8")
            paths.append(path)
    return paths


@contextmanager
def _whoosh_writes_alone():
    """Whoosh's own field writer while the block runs: segments as an index of before side files."""
    from whoosh.codec import whoosh3

    whoosh_ext.install()
    names = [(whoosh3.W3FieldWriter, "start_field"), (whoosh3.W3FieldWriter, "finish_term"),
             (whoosh3.W3FieldWriter, "close"), (whoosh3.W3PostingsWriter, "_write_block")]
    ours = {(cls, name): getattr(cls, name) for cls, name in names}
    for cls, name in names:
        setattr(cls, name, whoosh_ext.whooshs(cls, name))
    try:
        yield
    finally:
        for (cls, name), function in ours.items():
            setattr(cls, name, function)


def _build(root: Path, corpus: Path) -> None:
    """Three segments, then 20 records of the second file changed (deletions and a fourth segment)."""
    paths = _corpus(corpus, 3, 120)
    for path in paths:
        store.add(root, [str(path)])
    records = paths[1].read_text(encoding="utf-8").splitlines(keepends=True)
    paths[1].write_text("".join(records[:80]) + "".join(records[100:]).replace("said", "stated"), encoding="utf-8")
    store.add(root, [str(corpus)])


def _answers(root: Path) -> list[dict]:
    return [dataclasses.asdict(run_search(root, SearchRequest(**spec))) for spec in REQUESTS]


def _whooshs_lists(leaf, fieldname: str, word: str) -> tuple[list[int], list[float], list[list[int]]]:
    matcher = leaf.postings(fieldname, word)  # leaves out deleted documents
    ids, weights, places = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        places.append(list(matcher.value_as("positions")))
        matcher.next()
    return ids, weights, places


def _check_every_list(root: Path, every: int = 1) -> int:
    """Every (`every`-th) title and body term of every segment: the side file's lists are Whoosh's.
    Gives how many."""
    checked = 0
    with store.open_index(root).reader() as reader:
        for leaf, _ in reader.leaf_readers():
            assert postings._side(leaf) is not None, leaf.segment().segment_id()
            for fieldname in TEXT_FIELDS:
                for word in list(leaf.lexicon(fieldname))[::every]:
                    word = word.decode("utf-8")
                    assert postings._raw(leaf, fieldname, word) is not None, word
                    found = postings.read(leaf, fieldname, word)
                    places = postings.places_at(leaf, fieldname, word, found.ids)
                    ours = found.ids, found.weights, [places[doc] for doc in found.ids]
                    assert ours == _whooshs_lists(leaf, fieldname, word), (fieldname, word)
                    checked += 1
    return checked


def test_side_lists_are_whooshs_in_segments_with_deletions_and_merged(tmp_path: Path) -> None:
    """Each segment (three added, one replacing records: deletions) has a side file whose ids, weights
    and positions are exactly what Whoosh's matchers give; after Whoosh merges them all into one
    segment (its merge writes through the same field writer) and deletes again, still."""
    root = tmp_path / "index"
    _build(root, tmp_path / "corpus")
    with store.open_index(root).reader() as reader:
        assert len(reader.leaf_readers()) >= 3 and reader.has_deletions()
    assert _check_every_list(root) > 5000
    ix = store.open_index(root)
    writer = ix.writer()
    writer.commit(optimize=True)  # one merged segment
    writer = ix.writer()
    for doc in (3, 50, 200):
        writer.delete_document(doc)
    writer.commit(merge=False)
    with store.open_index(root).reader() as reader:
        assert len(reader.leaf_readers()) == 1 and reader.has_deletions()
    assert _check_every_list(root) > 5000


def test_the_sub_writers_segments_have_side_files(tmp_path: Path) -> None:
    """A large add goes through Whoosh's two sub-writer processes (whoosh_ext.bulk_writer): their
    segments, and any the commit merges, have side files with Whoosh's lists too."""
    from newsgrep.index import config

    _corpus(tmp_path / "corpus", config.BULK_BATCH_MIN_DOCS + 50, 1)  # a large add: 1,050 files
    root = tmp_path / "index"
    store.add(root, [str(tmp_path / "corpus")])
    with store.open_index(root).reader() as reader:
        assert len(reader.leaf_readers()) >= 2  # each sub-writer's segment
    assert _check_every_list(root, every=5) > 1000


def _side_range(root: Path) -> tuple[Path, int, int]:
    """The first segment's compound file, and where in it the side file starts and how long it is."""
    ix = store.open_index(root)
    with ix.reader() as reader:
        leaf = reader.leaf_readers()[0][0]
        name = leaf.segment().make_filename(sideposts.EXT)
        start, length = leaf.storage().a.range(name)  # the compound file's directory
        seg = Path(ix.storage.folder) / leaf.segment().make_filename(".seg")
    return seg, start, length


def _damage(seg: Path, start: int, end: int) -> None:
    data = bytearray(seg.read_bytes())
    for i in range(start, end):
        data[i] ^= 0x5A
    seg.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, list[dict], Path]:
    """An index of four segments with deletions, its answers to REQUESTS, and its articles' folder."""
    tmp = tmp_path_factory.mktemp("side")
    root = tmp / "index"
    _build(root, tmp / "corpus")
    return root, _answers(root), tmp / "corpus"


@pytest.mark.parametrize("where", ["entries", "table", "footer"])
def test_a_damaged_side_file_searches_the_same(built, tmp_path: Path, where: str) -> None:
    """Garbled bytes in the side file (in its terms' postings: their checksums; in its table; in its
    footer) are noticed, and Whoosh's own postings answer: the same totals, pages, scores and facets."""
    source, answers, _ = built
    root = tmp_path / "index"
    shutil.copytree(source, root)
    seg, start, length = _side_range(root)
    span = {"entries": (start + 16, start + length // 2), "table": (start + length - 100, start + length - 30),
            "footer": (start + length - 8, start + length)}[where]
    _damage(seg, *span)
    postings._side_tables.clear()  # the intact copy's table, kept by segment id, is not this one's
    if where == "footer":
        with store.open_index(root).reader() as reader:
            assert postings._side(reader.leaf_readers()[0][0]) is None
    assert _answers(root) == answers


def test_a_truncated_side_file_is_not_read(built) -> None:
    """A side file cut short anywhere reads as no side file (or as entries it still holds whole),
    never as an error: its footer, table and each entry's length are checked against its size."""
    from whoosh.filedb.structfile import BufferFile

    root, _, _ = built
    seg, start, length = _side_range(root)
    data = seg.read_bytes()[start:start + length]
    whole = sideposts.read_table(BufferFile(memoryview(data)), length)
    assert whole is not None and len(whole.keys) > 1000
    for cut in sorted({*range(0, length, max(1, length // 200)), length - 1, length - 8, length - 17}):
        assert sideposts.read_table(BufferFile(memoryview(data[:cut])), cut) is None
        f = BufferFile(memoryview(data[:cut]))
        for key, at in zip(whole.keys[:50], whole.starts[:50], strict=True):
            entry = sideposts.find(f, whole, key, int.from_bytes(data[at + 8:at + 12], "little"))
            if entry is not None and at + sideposts._HEAD.size + sideposts._head_length(entry.count, entry.flags) > cut:
                assert entry.ids_and_weights() is None


def test_an_index_without_side_files_searches_the_same(built, tmp_path: Path) -> None:
    """Segments written by Whoosh's field writer alone (an index of before side files, or of
    another Whoosh version) hold no side file, and search the same: Whoosh's blocks answer."""
    _, answers, corpus = built
    root = tmp_path / "index"
    with _whoosh_writes_alone():
        _build(root, tmp_path / "corpus")
    with store.open_index(root).reader() as reader:
        leaves = reader.leaf_readers()
        assert all(postings._side(leaf) is None for leaf, _ in leaves)
        assert not any(name.endswith(sideposts.EXT) for leaf, _ in leaves for name in leaf.storage().list())
    ours = json.dumps(_answers(root), default=str).replace(str(tmp_path / "corpus"), str(corpus))
    assert ours == json.dumps(answers, default=str)


@pytest.mark.parametrize("kind", ["whole", "fractional", "heavy", "long", "no positions"])
def test_a_side_entry_reads_back_what_was_written(kind: str) -> None:
    """Each layout an entry can take (weights as bytes or float32, starts as uint16 or uint32,
    positions as uint16 or uint32, none at all) reads back as written: the weights as the same
    numbers Whoosh keeps (float32), the positions as Whoosh's Positions format encoded them."""
    from io import BytesIO

    from whoosh.filedb.structfile import BufferFile, StructFile
    from whoosh.formats import Positions

    ids = list(range(0, 3000, 3))
    weights = {"whole": [float(1 + i % 7) for i in range(len(ids))],
               "fractional": [0.5 + i % 3 for i in range(len(ids))],
               "heavy": [300.0] + [2.0] * (len(ids) - 1),
               "long": [70.0] * len(ids), "no positions": [1.0] * len(ids)}[kind]
    places = [sorted({(i * 7919 + j * 104729) % (70000 if kind == "long" else 900) for j in range(int(w))})
              for i, w in enumerate(weights)]
    values = [] if kind == "no positions" else [Positions().encode(p) for p in places]

    class Kept(BytesIO):
        def close(self) -> None:  # the writer closes its file: keep the bytes
            pass

    out = Kept()
    writer = sideposts.SideWriter(StructFile(out))
    writer.block(ids[:500], weights[:500], values[:500])  # as Whoosh's postings writer hands its blocks
    writer.block(ids[500:], weights[500:], values[500:])
    writer.finish_term(100)
    writer.close()
    data = out.getvalue()
    f = BufferFile(memoryview(data))
    table = sideposts.read_table(f, len(data))
    entry = sideposts.find(f, table, 100, len(ids))
    got_ids, got_weights = entry.ids_and_weights()
    assert got_ids == ids
    assert got_weights == list(array("f", weights))
    if kind == "no positions":
        assert not entry.has_positions()
    else:
        assert entry.positions(list(range(len(ids)))) == places
        assert entry.positions([5, 2]) == [places[5], places[2]]
    assert sideposts.find(f, table, 100, len(ids) + 1) is None and sideposts.find(f, table, 99, len(ids)) is None
