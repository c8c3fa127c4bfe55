"""index/whoosh_ext.py, the one module that reaches past Whoosh's public API: the Whoosh source it was
checked against, each patch against Whoosh's own code, the fast paths against plain Whoosh on a real
index, and the pickle guard under a Whoosh version other than the checked one."""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED, assert_one_clear_error

from newsgrep.index import store, whoosh_ext

REUTERS = SHARED / "corpora" / "reuters21578" / "articles.jsonl"

# What to re-check when Whoosh's source changes under a name (see the pin test).
STEM = "whoosh_ext._share_stemming_cache: the filter still sets its cache in clear(), called by __init__ and " \
       "__setstate__, and stems through self._stem"
OFFSETS = "whoosh_ext._derive_offsets_in_c: the column's layout (lengths, 'X', offsets) and the attributes it reads"
MISSES = "whoosh_ext._remember_missing_length_columns: _readers caches column readers by field name"
POSTINGS = "whoosh_ext.posting_bytes / length_column_bytes and index/postings.py: the matcher's and column's " \
           "private attributes and the posting-list layout it decodes"
RESULTS = "whoosh_ext.ranked_results: Results.__len__ still returns _total once set"
BM25 = "whoosh_ext.field_b: BM25F keeps per-field B in _field_B, and BM25FScorer uses it as self.B"
MPWRITER = "index/subwriters.py: WatchedMpWriter overrides _enqueue and _commit and copies what they do"
SIDE = "whoosh_ext._write_side_postings / posting_extent and index/postings.py _side: every segment's postings " \
       "(new and merged) go through W3FieldWriter and the postings writer's blocks, the term info's offset is " \
       "where its postings start, and the side file is a file of the segment (compound, cleaned with it)"
PICKLES = "whoosh_ext._guard_pickles: every pickle this module loads goes through a name the guard replaces"
PINNED: dict[str, tuple[str, str]] = {
    "whoosh.analysis.morph:StemFilter.clear": ("2b955b821b708876", STEM),
    "whoosh.analysis.morph:StemFilter.__init__": ("ea6c232ab1e192af", STEM),
    "whoosh.analysis.morph:StemFilter.__setstate__": ("9c18ffe0376fc41b", STEM),
    "whoosh.analysis.morph:StemFilter.__call__": ("f332dc92f9f1c254", STEM),
    "whoosh.columns:VarBytesColumn.Reader._read_offsets_and_lengths": ("9ec2fa8dfc518ef5", OFFSETS),
    "whoosh.columns:VarBytesColumn.Reader.__init__": ("cc15f232ca2aab94", OFFSETS),
    "whoosh.columns:VarBytesColumn.Writer.finish": ("0bcf876c136af80c", OFFSETS),
    "whoosh.codec.whoosh3:W3PerDocReader._cached_reader": ("2e27976f892aee8f", MISSES),
    "whoosh.codec.whoosh3:W3PerDocReader.__init__": ("78fcbd3fa57eae6e", MISSES),
    "whoosh.codec.whoosh3:W3PerDocReader.doc_field_length": ("c44aad866503de38", POSTINGS),
    "whoosh.columns:NumericColumn.Reader.__init__": ("8cd4a41868df794f", POSTINGS),
    "whoosh.codec.whoosh3:_lenfield": ("efa07a8a57fa9ce9", POSTINGS),
    "whoosh.codec.whoosh3:W3LeafMatcher.__init__": ("7693e6a94c56e224", POSTINGS),
    "whoosh.codec.whoosh3:W3PostingsWriter": ("75c61c01b7d9ea4d", POSTINGS),
    "whoosh.matching.wrappers:FilterMatcher.__init__": ("bf6b70b967922e38", POSTINGS),
    "whoosh.reading:SegmentReader.postings": ("5872dc1a2809e0fa", POSTINGS),
    "whoosh.searching:Results.__init__": ("0fa0f08e2ce40d81", RESULTS),
    "whoosh.searching:Results.__len__": ("17002c14bb570922", RESULTS),
    "whoosh.scoring:BM25F.__init__": ("693e61eaa8eaaec2", BM25),
    "whoosh.scoring:BM25F.scorer": ("543088b4fd43890c", BM25),
    "whoosh.scoring:BM25FScorer.__init__": ("c76d38846014f404", BM25),
    "whoosh.multiproc:MpWriter.__init__": ("45427e577e793fc8", MPWRITER),
    "whoosh.multiproc:MpWriter._new_task": ("2881c21f534d6699", MPWRITER),
    "whoosh.multiproc:MpWriter._enqueue": ("25e18a6beecaab43", MPWRITER),
    "whoosh.multiproc:MpWriter.commit": ("130c76c1380b44de", MPWRITER),
    "whoosh.multiproc:MpWriter._commit": ("2b4e30883be51fb7", MPWRITER),
    "whoosh.multiproc:MpWriter.cancel": ("3799589d69bc54d9", MPWRITER),
    "whoosh.multiproc:SubWriterTask.__init__": ("5ede84ea831e7726", MPWRITER),
    "whoosh.multiproc:SubWriterTask.run": ("901fe6b1f40cfaed", MPWRITER),
    "whoosh.codec.whoosh3:W3FieldWriter.start_field": ("14b57944c4aeaee6", SIDE),
    "whoosh.codec.whoosh3:W3FieldWriter.finish_term": ("ead26346d81433a0", SIDE),
    "whoosh.codec.whoosh3:W3FieldWriter.close": ("c7a4c194faed60b7", SIDE),
    "whoosh.codec.whoosh3:W3FieldWriter.__init__": ("385c65dcdaa448e9", SIDE),
    "whoosh.codec.whoosh3:W3PostingsWriter._write_block": ("1bb86c65818c17cb", SIDE),
    "whoosh.codec.whoosh3:W3TermInfo": ("bec46565692d9627", SIDE),
    "whoosh.reading:SegmentReader.term_info": ("57255dee793e1082", SIDE),
    "whoosh.reading:SegmentReader.__init__": ("960bfd925f5f8794", SIDE),
    "whoosh.filedb.compound:CompoundStorage.open_file": ("06f99bb3ffc069f8", SIDE),
    "whoosh.filedb.filestore:OverlayStorage": ("b59087b444fa3a50", SIDE),
    "whoosh.codec.base:Segment.list_files": ("5bd8a13ea3d06302", SIDE),
    "whoosh.codec.base:Segment.create_compound_file": ("4b0a1352d7e0f678", SIDE),
    "whoosh.index:TOC._segment_pattern": ("7de39af7a72ca282", SIDE),
    "whoosh.codec.base:FieldWriter.add_postings": ("002223cf9b4a237a", SIDE),
    "whoosh.filedb.structfile:BufferFile.get": ("2f961611ebcff5e2", SIDE),
    "whoosh.index:": ("c988d1f3c06cd8c6", PICKLES),
    "whoosh.filedb.structfile:": ("98cd9408ce7049d1", PICKLES),
    "whoosh.codec.whoosh3:": ("7748d17f77a293f5", PICKLES),
    "whoosh.columns:": ("314e1eec25189676", PICKLES),
    "whoosh.formats:": ("512bddc436e52e3d", PICKLES),
    "whoosh.codec.plaintext:": ("b0ebd63703fe95c9", PICKLES),
}


def _whooshs_own(name: str) -> object:
    """The Whoosh module, class or function `module:Class.attr` names, as Whoosh defines it (before
    any patch of whoosh_ext replaced it)."""
    module, _, path = name.partition(":")
    owner, obj = None, importlib.import_module(module)
    for part in filter(None, path.split(".")):
        owner, obj = obj, getattr(obj, part)
    if isinstance(owner, type):
        obj = whoosh_ext.whooshs(owner, path.rsplit(".", 1)[-1])
    return obj


@pytest.mark.parametrize("name", sorted(PINNED))
def test_whooshs_source_is_the_one_checked(name: str) -> None:
    """Every Whoosh function whoosh_ext replaces or relies on, and every module whose pickle loads the
    guard covers, is the source it was checked against: a new Whoosh fails here, naming what to re-read."""
    digest, recheck = PINNED[name]
    source = inspect.getsource(_whooshs_own(name))
    got = hashlib.sha256(source.encode()).hexdigest()[:16]
    assert got == digest, (f"Whoosh's {name} changed (Whoosh {whoosh_ext.whoosh_version()}): re-check {recheck}; "
                           f"then pin {got}")


def test_the_checked_version_turns_the_fast_paths_on() -> None:
    whoosh_ext.install()
    assert whoosh_ext.whoosh_version() == whoosh_ext.CHECKED_VERSION and whoosh_ext.fast_paths()


def test_importing_patches_nothing_until_an_index_is_opened(tmp_path: Path, seed_dir: Path) -> None:
    """Importing the modules that use Whoosh (the schema, the writer, the ranking) leaves Whoosh as it
    is; opening an index is what installs the patches and the pickle guard."""
    store.add(tmp_path / "index", [str(seed_dir)])
    code = ("import sys\n"
            "from newsgrep.index import schema, store, whoosh_ext, postings\n"
            "from newsgrep.search import rank, results\n"
            "from whoosh.analysis.morph import StemFilter\n"
            "from whoosh.filedb import structfile\n"
            "before = (StemFilter.clear.__module__, structfile.load_pickle.__module__, whoosh_ext.fast_paths())\n"
            "store.open_index(__import__('pathlib').Path(sys.argv[1]))\n"
            "print(before, (StemFilter.clear.__module__, structfile.load_pickle.__module__, whoosh_ext.fast_paths()))")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "index")], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["('whoosh.analysis.morph',", "'_pickle',", "False)",
                                   "('newsgrep.index.whoosh_ext',", "'newsgrep.index.safe_pickle',", "True)"]


# ---------------------------------------------------------------- each patch against Whoosh's own code

def _reuters_text(n: int) -> str:
    with REUTERS.open(encoding="utf-8") as lines:
        return "\n".join(json.loads(next(lines))["body"] for _ in range(n))


def test_the_shared_stemming_cache_stems_as_whoosh() -> None:
    """The patched StemFilter.clear gives English filters one shared C cache; the words of 300 Reuters
    stories come out of the analyzer exactly as with Whoosh's own per-filter cache, the second time
    (from the cache) too, and a filter for another language or without a cache keeps Whoosh's."""
    from whoosh.analysis import RegexTokenizer, StemFilter

    from newsgrep.index.schema import FoldFilter

    whoosh_ext.install()
    text = _reuters_text(300)
    ours = RegexTokenizer() | FoldFilter() | StemFilter(cachesize=50000)
    theirs_filter = StemFilter(cachesize=50000)
    whoosh_ext.whooshs(StemFilter, "clear")(theirs_filter)  # Whoosh's own cache on this one
    theirs = RegexTokenizer() | FoldFilter() | theirs_filter
    assert ours[-1]._stem is not theirs_filter._stem and hasattr(ours[-1]._stem, "cache_info")
    expected = [t.text for t in theirs(text)]
    assert len(expected) > 30_000 and any(w != s for w, s in zip(text.lower().split(), expected, strict=False))
    for _ in range(2):
        assert [t.text for t in ours(text)] == expected
    assert StemFilter(cachesize=50000)._stem is ours[-1]._stem  # one cache for every filter
    for other in (StemFilter(lang="fr"), StemFilter(cachesize=0)):
        assert not hasattr(other._stem, "cache_info") or other._stem is not ours[-1]._stem


def test_the_length_column_miss_cache_reads_as_whoosh(tmp_path: Path) -> None:
    """The patched W3PerDocReader._cached_reader remembers that a field has no length column (names,
    ids, months) instead of asking the file system again; every field's length of every document is
    what Whoosh's own method gives, the first time and from the cache."""
    import types

    from whoosh.codec import whoosh3

    whoosh_ext.install()
    root = tmp_path / "index"
    store.add(root, [str(_reuters_slice(tmp_path / "corpus", 1, 120)[0])])
    whooshs = whoosh_ext.whooshs(whoosh3.W3PerDocReader, "_cached_reader")
    assert whoosh3.W3PerDocReader._cached_reader is not whooshs
    with store.open_index(root).reader() as reader:
        leaf = reader.leaf_readers()[0][0]
        ours, theirs = leaf._perdoc, whoosh3.W3PerDocReader(leaf._storage, leaf.segment())
        theirs._cached_reader = types.MethodType(whooshs, theirs)  # Whoosh's own method on this reader
        asked: list[str] = []
        has_column = ours.has_column
        ours.has_column = lambda name: asked.append(name) or has_column(name)
        fields, docs = list(leaf.schema.names()), range(leaf.doc_count_all())
        for round_ in range(2):
            for name in fields:
                assert [ours.doc_field_length(d, name) for d in docs] == [
                    theirs.doc_field_length(d, name) for d in docs], name
            if round_ == 0:
                assert len(asked) == len(fields)  # each field's column looked up once, found or not
        assert len(asked) == len(fields)  # the second round asked nothing: misses are remembered too
        missing = [n for n in fields if ours._readers[whoosh3._lenfield(n)] is None]
        assert {"people", "id", "month"} <= set(missing) and "body" not in missing
        assert not any(whoosh3._lenfield(n) in theirs._readers for n in missing)  # Whoosh forgets them
        theirs.close()


# ---------------------------------------------------------------- the fast paths against plain Whoosh

def _reuters_slice(folder: Path, files: int, per_file: int, skip: int = 0) -> list[Path]:
    """`files` JSON Lines files of `per_file` Reuters records each, as the corpus has them."""
    folder.mkdir(parents=True, exist_ok=True)
    with REUTERS.open(encoding="utf-8") as lines:
        for _ in range(skip):
            next(lines)
        paths = []
        for i in range(files):
            path = folder / f"reuters-{i}.jsonl"
            path.write_text("".join(next(lines) for _ in range(per_file)), encoding="utf-8")
            paths.append(path)
    return paths


REQUESTS = [
    {"words": "oil prices", "facets": True, "limit": 20},
    {"words": "bank rate", "facets": True, "page": 2},
    {"words": '"trade deficit"', "facets": True},
    {"words": "oil -opec", "facets": True},
    {"words": "pric*", "facets": True},
    {"words": "wheat export corn shipments", "facets": True, "limit": 30},
    {"words": "oil OR gold", "sort": "date"},
    {"words": "title:oil", "since": "1987-03-01"},
    {"words": "company shares profit", "places": ["japan"], "facets": True},
    {"words": "dollar", "timeline": "month", "top_words": 5},
    {"words": "", "people": ["reagan"], "facets": True},
]
RAW = ["oil prices", '"trade deficit"', "wheat export corn shipments", "bank OR rate"]

CHILD = r"""
import dataclasses, datetime as dt, json, sys
from pathlib import Path
import whoosh
if sys.argv[1] == "plain":
    whoosh.__version__ = (2, 7, 99)  # any version but the checked one
from newsgrep.index import store, whoosh_ext
from newsgrep.search.query import parse_query
from newsgrep.search.rank import rank_all
from newsgrep.search.results import SearchRequest, run_search

root = Path(sys.argv[2])
answers = []
for spec in json.loads(sys.argv[3]):
    spec = {k: dt.date.fromisoformat(v) if k in ("since", "until") else v for k, v in spec.items()}
    answers.append(dataclasses.asdict(run_search(root, SearchRequest(**spec))))
ix = store.open_index(root)
with ix.searcher() as searcher:
    raw = []
    for words in json.loads(sys.argv[4]):
        results = rank_all(searcher, parse_query(words, ix.schema), None, 40).results
        raw.append([len(results)] + [[repr(results.score(i)), searcher.stored_fields(results.docnum(i))["id"]]
                                     for i in range(results.scored_length())])
writer = whoosh_ext.bulk_writer(ix)
kind = type(writer).__name__
writer.cancel()
print(json.dumps({"fast": whoosh_ext.fast_paths(), "writer": kind, "answers": answers, "raw": raw}, default=str))
"""


def _child(mode: str, root: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(root), json.dumps(REQUESTS), json.dumps(RAW)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_plain_whoosh_gives_what_the_fast_paths_give(tmp_path: Path) -> None:
    """Under another Whoosh version every fast path is off (posting lists and lengths read through
    Whoosh's public matchers and per-document lengths, a Collector for the total, BM25F's B through a
    scorer, one-process bulk writes), and the answers are the same: totals, pages, scores, facets,
    timelines and top words, and the raw scores to the last bit, on Reuters in three segments with
    deleted and replaced records."""
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    paths = _reuters_slice(corpus, 3, 150)
    for path in paths:  # one segment each
        store.add(root, [str(path)])
    records = paths[1].read_text(encoding="utf-8").splitlines(keepends=True)
    paths[1].write_text("".join(records[:100]) + "".join(records[120:]).replace("said", "stated"), encoding="utf-8")
    store.add(root, [str(corpus)])
    with store.open_index(root).reader() as reader:
        assert len(reader.leaf_readers()) >= 3 and reader.has_deletions()
    fast, plain = _child("fast", root), _child("plain", root)
    assert (fast["fast"], fast["writer"]) == (True, "WatchedMpWriter")
    assert (plain["fast"], plain["writer"]) == (False, "SegmentWriter")
    for request, ours, theirs in zip(REQUESTS, fast["answers"], plain["answers"], strict=True):
        assert ours == theirs, request
        assert ours["total"] > 0, request
    assert fast["raw"] == plain["raw"]
    assert any(answer["facets"] for answer in fast["answers"]) and fast["answers"][-2]["top_words"]


# ---------------------------------------------------------------- the pickle guard under another Whoosh

class _System:
    """Unpickling this runs a shell command: what a forged index would do."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def _plant(root: Path, command: str) -> None:
    """A new TOC, written by Whoosh itself, whose schema's title field carries a pickle that runs
    `command`: the index looks like ours in every other way."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    gen = root / (root / "CURRENT").read_text().strip()
    storage = FileStorage(str(gen))
    toc = TOC.read(storage, "MAIN")
    toc.schema["title"].planted = _System(command)
    toc.generation += 1
    toc.write(storage, "MAIN")


def _search_under(version: str, root: Path, before: str = "") -> subprocess.CompletedProcess:
    """`search peace` as the console script runs it, with Whoosh claiming `version`, after `before`."""
    code = ("import sys, whoosh\n"
            f"whoosh.__version__ = tuple(int(n) for n in {version!r}.split('.'))\n"
            f"{before}\n"
            "sys.argv = ['search', 'peace', '--index-dir', sys.argv[1]]\n"
            "from newsgrep.cli.startup import search\n"
            "search()\n")
    return subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, timeout=120,
                          check=False, env={**os.environ, "NO_COLOR": "1"})


def test_the_pickle_guard_still_installs_under_another_whoosh(tmp_path: Path, seed_dir: Path) -> None:
    """The guard is no fast path: under Whoosh 2.7.99 (same module names) it is installed as under
    2.7.4, so a planted pickle is refused in one line and never runs; plain Whoosh runs it."""
    root, proof = tmp_path / "index", tmp_path / "PWNED"
    store.add(root, [str(seed_dir)])
    searched = _search_under("2.7.99", root)
    assert searched.returncode == 0 and "peace" in searched.stdout.lower(), searched.stderr
    _plant(root, f"touch {proof}")
    gen = root / (root / "CURRENT").read_text().strip()
    subprocess.run([sys.executable, "-c", "import sys; from whoosh import index; index.open_dir(sys.argv[1])",
                    str(gen)], capture_output=True, timeout=60, check=False)
    assert proof.exists(), "the planted pickle is not a working attack"
    proof.unlink()
    for version in ("2.7.99", whoosh_ext.CHECKED_VERSION):
        assert_one_clear_error(_search_under(version, root), 3, "refusing the index")
        assert not proof.exists(), version


def test_a_whoosh_the_guard_cannot_cover_is_refused_in_one_line(tmp_path: Path, seed_dir: Path) -> None:
    """A Whoosh without one of the names the guard replaces is refused before anything is unpickled,
    in one line that names the version to install; the index is left as it was."""
    root = tmp_path / "index"
    store.add(root, [str(seed_dir)])
    before = sorted(p.name for p in root.rglob("*"))
    result = _search_under("2.8.0", root, "import whoosh.filedb.structfile as s; del s.load_pickle")
    assert_one_clear_error(result, 3, "Whoosh 2.8.0", "load_pickle", f"whoosh=={whoosh_ext.CHECKED_VERSION}")
    assert sorted(p.name for p in root.rglob("*")) == before
