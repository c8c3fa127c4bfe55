"""JSON Lines files that grow (issue 13, part 2): records appended, edited and deleted are the only ones
re-indexed, replaced articles' space is reclaimed, a killed record-level add is as safe as a file-level
one, and one day's articles sort by their time. Real files, a real index, the installed commands."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
from pathlib import Path

from conftest import json_lines, run
from test_index_safety import killable_add

WORDS = ("harbour council budget river school market winter railway museum festival election hospital "
         "bridge factory orchard theatre ferry tunnel library stadium").split()


def story(n: int, **fields: object) -> dict:
    """A wire-style record: a title and a few paragraphs of plain words, with word{n} to find it by."""
    body = "\n".join(
        " ".join(WORDS[(n * 7 + p * 3 + k) % len(WORDS)] for k in range(30)).capitalize()
        + f", officials said of item{n}." for p in range(4))
    return {"id": f"r{n}", "title": f"Council report {n} item{n}", "date": "2021-03-04T09:30:00Z",
            "body": body, **fields}


def write(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def append(path: Path, *records: dict) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in records)


def add(path: Path, root: Path) -> tuple[int, ...]:
    """`search-index add`; (files added, updated, removed, unchanged, records added, updated, removed,
    unchanged, articles written) from its summary line."""
    result = run("search-index", "add", str(path), "--index-dir", str(root))
    assert result.returncode == 0, result.stderr
    m = re.search(r"added (\d+), updated (\d+), removed (\d+), unchanged (\d+), skipped 0 files; "
                  r"(?:records: added (\d+), updated (\d+), removed (\d+), unchanged (\d+); )?(\d+) articles",
                  result.stdout)
    assert m, result.stdout
    return tuple(int(g) if g is not None else None for g in m.groups())


def ids(root: Path, *words: str) -> list[str]:
    return run("search", *words, "-l", "--index-dir", str(root)).stdout.split()


def size(root: Path) -> int:
    gen = root / (root / "CURRENT").read_text().strip()
    return sum(f.stat().st_size for f in gen.iterdir() if f.is_file())


def test_appended_edited_and_deleted_records_are_the_only_ones_reindexed(tmp_path: Path) -> None:
    feed, root = tmp_path / "feed.jsonl", tmp_path / "index"
    write(feed, [story(n) for n in range(30)])
    assert add(feed, root) == (1, 0, 0, 0, 30, 0, 0, 0, 30)

    append(feed, story(30), story(31))
    assert add(feed, root) == (0, 1, 0, 0, 2, 0, 0, 30, 2)
    assert ids(root, "item31") == [f"{feed}#r31"]

    lines = feed.read_text(encoding="utf-8").splitlines()
    lines[5] = json.dumps(story(5, title="Council report 5 quokka"))
    del lines[7]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert add(feed, root) == (0, 1, 0, 0, 0, 1, 1, 30, 1)
    assert ids(root, "quokka") == [f"{feed}#r5"]
    assert ids(root, "item7") == []
    assert ids(root, "item8") == [f"{feed}#r8"]
    stats = json.loads(run("search-index", "stats", "--json", "--index-dir", str(root)).stdout)
    assert stats["articles"] == 31

    os.utime(feed)  # touched, the same bytes: nothing is re-indexed
    assert add(feed, root) == (0, 0, 0, 1, None, None, None, None, 0)
    assert add(feed, root) == (0, 0, 0, 1, None, None, None, None, 0)


def test_a_record_is_keyed_by_id_else_url_else_its_hash(tmp_path: Path) -> None:
    feed, root = tmp_path / "feed.jsonl", tmp_path / "index"
    by_url = story(1, url="https://example.com/news/1")
    by_url.pop("id")
    by_hash = story(2)
    by_hash.pop("id")
    write(feed, [story(0), by_url, by_hash])
    add(feed, root)
    found = {h["id"] for h in json_lines(run("search", "officials", "--json", "--index-dir", str(root)).stdout)
             if h["type"] == "hit"}
    digest = hashlib.blake2b(json.dumps(by_hash).encode(), digest_size=8).hexdigest()
    assert found == {f"{feed}#r0", f"{feed}#https://example.com/news/1", f"{feed}#{digest}"}

    # A record inserted before the others, and one without id or url edited: only those are read.
    edited = dict(by_hash, title="Council report 2 quokka")
    write(feed, [story(9), story(0), by_url, edited])
    assert add(feed, root)[4:] == (2, 0, 1, 2, 2)  # the edited keyless record is a new one, the old gone
    assert ids(root, "quokka") == [f"{feed}#{hashlib.blake2b(json.dumps(edited).encode(), digest_size=8).hexdigest()}"]
    assert ids(root, "item2") == ids(root, "quokka")


def test_a_later_record_with_the_same_key_replaces_the_earlier(tmp_path: Path) -> None:
    feed, root = tmp_path / "feed.jsonl", tmp_path / "index"
    write(feed, [story(0), story(1)])
    add(feed, root)
    append(feed, story(0, title="Council report 0 corrected"))
    assert add(feed, root)[4:] == (0, 1, 0, 1, 1)
    assert ids(root, "corrected") == [f"{feed}#r0"]
    assert ids(root, "item0") == [f"{feed}#r0"]  # once, not twice


def test_ten_appends_keep_the_index_near_a_fresh_build_and_edits_are_reclaimed(tmp_path: Path) -> None:
    """600 records: enough that Whoosh's fixed cost per segment (about 14 KB; it merges small segments
    once five of them are there) is not what is measured."""
    feed, root, fresh = tmp_path / "feed.jsonl", tmp_path / "index", tmp_path / "fresh"
    write(feed, [story(n) for n in range(600)])
    add(feed, root)
    for n in range(600, 610):
        append(feed, story(n))
        assert add(feed, root)[4:] == (1, 0, 0, n, 1)
    add(feed, fresh)
    assert size(root) <= 1.1 * size(fresh), (size(root), size(fresh))

    # Half the records replaced: their dead copies are merged away, not kept beside the new ones.
    write(feed, [story(n, title=f"Council report {n} revised") if n % 2 else story(n) for n in range(610)])
    assert add(feed, root)[4:] == (0, 305, 0, 305, 305)
    shutil.rmtree(fresh)
    add(feed, fresh)
    assert size(root) <= 1.1 * size(fresh), (size(root), size(fresh))
    assert len(ids(root, "revised")) == 305


def test_the_manifest_lost_the_records_are_read_again_from_the_index(tmp_path: Path) -> None:
    """Without the manifest (damage), the index's own records and hashes stand in for it: the next add
    reads the file and re-indexes nothing that did not change."""
    feed, root = tmp_path / "feed.jsonl", tmp_path / "index"
    write(feed, [story(n) for n in range(20)])
    add(feed, root)
    gen = root / (root / "CURRENT").read_text().strip()
    for manifest in gen.glob("manifest-*.json"):
        manifest.unlink()
    append(feed, story(20))
    assert add(feed, root)[4:] == (1, 0, 0, 20, 1)
    assert len(ids(root, "officials")) == 21


def _records_indexed(root: Path) -> dict[str, str]:
    from newsgrep.index.store import open_index

    found: dict[str, str] = {}
    with open_index(root).reader() as reader:
        for _, stored in reader.iter_docs():
            assert stored["id"] not in found, f"{stored['id']} indexed twice"
            found[stored["id"]] = stored["hash"]
    return found


def test_a_record_level_add_killed_at_each_write_leaves_a_whole_commit(tmp_path: Path) -> None:
    """SIGKILL at each file a record-level add writes (manifest, word list, segment, TOC, facet tables):
    the index and its manifest's record table agree after the kill, and the rerun indexes each record
    once, as it is now."""
    from newsgrep.index.manifest import load_state
    from newsgrep.index.read import record_digest
    from newsgrep.index.store import current_generation

    corpus, root = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    feed = corpus / "feed.jsonl"
    write(feed, [story(n) for n in range(8)])

    def change() -> None:
        records = [story(n) for n in range(8) if n != 2]  # r2 deleted
        records[3] = story(4, title="Council report 4 revised")  # r4 edited
        write(feed, [*records, story(8)])  # r8 appended

    change_and_add = killable_add(tmp_path, corpus, root, change)

    def agree() -> None:
        state = load_state(current_generation(root))
        assert state.agrees
        table = state.files[str(feed)][3]
        assert {f"{feed}#{k}": h for k, h in table.items()} == _records_indexed(root)

    listing = change_and_add(0)
    assert listing.returncode == 0, listing.stderr
    writes = listing.stderr.splitlines()
    points = [k for k, line in enumerate(writes, 1)
              if any(name in line for name in ("manifest-", "words.tsv", ".seg", ".toc", "facets-"))]
    assert len(points) >= 6, writes
    expected = {f"{feed}#{json.loads(line)['id']}": record_digest(line.encode())
                for line in feed.read_text(encoding="utf-8").splitlines()}
    for k in points:
        result = change_and_add(k)
        assert result.returncode == -signal.SIGKILL, (k, writes[k - 1], result.stderr)
        agree()
        result = run("search-index", "add", str(corpus), "--index-dir", str(root))
        assert result.returncode == 0, (k, writes[k - 1], result.stderr)
        agree()
        assert _records_indexed(root) == expected, (k, writes[k - 1])
        leftovers = [p.name for p in root.rglob("*") if p.name.endswith(".tmp") or ".toc." in p.name]
        assert leftovers == [], (k, writes[k - 1], leftovers)


def test_progress_of_one_large_file_moves_as_it_is_read(tmp_path: Path) -> None:
    from newsgrep.index.writer import add as add_files

    feed = tmp_path / "feed.jsonl"
    write(feed, [story(n) for n in range(400)])
    calls: list[tuple[int, int]] = []
    add_files(tmp_path / "index", [str(feed)], progress=lambda done, total: calls.append((done, total)))
    total = feed.stat().st_size
    assert all(t == total for _, t in calls) and calls[-1] == (total, total)
    assert len([d for d, _ in calls if 0 < d < total]) >= 3, calls  # the bar moves within the one file
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_one_days_articles_sort_by_their_time_when_it_is_known(tmp_path: Path) -> None:
    feed, root = tmp_path / "feed.jsonl", tmp_path / "index"
    write(feed, [
        story(1, id="morning", date="2021-03-04T08:15:00"),
        story(2, id="evening", date="2021-03-04T21:40:00"),
        story(3, id="noon", date="2021-03-04T12:00:00+00:00"),
        story(4, id="dayonly", date="2021-03-04"),
        story(5, id="nextday", date="2021-03-05"),
        story(6, id="earlier", date="2021-03-03T23:59:00"),
    ])
    add(feed, root)

    def order(*options: str) -> list[str]:
        return [i.rsplit("#", 1)[1] for i in ids(root, "officials", *options)]

    assert order("--sort", "date") == ["nextday", "evening", "noon", "morning", "dayonly", "earlier"]
    assert order("--sort", "date-asc") == ["earlier", "morning", "noon", "evening", "dayonly", "nextday"]
    assert order("--sort", "date", "-n", "2") == order("--sort", "date")  # -l lists every match in order
    hits = json_lines(run("search", "officials", "--sort", "date", "-n", "2", "--json", "--index-dir",
                          str(root)).stdout)
    assert [h["id"].rsplit("#", 1)[1] for h in hits if h["type"] == "hit"] == ["nextday", "evening"]
