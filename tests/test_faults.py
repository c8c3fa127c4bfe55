"""Faults and concurrency, for real: SIGKILLed writers, searches during writes, a second writer, damaged
indexes, and a hostile pickle. Every writer here is the installed console script on a real index; the
searches on a damaged index run the same main() in the test process (conftest.run)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pickle
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import (
    assert_one_clear_error,
    descendants_using,
    run,
    run_script,
    run_unprivileged,
    script,
    search_json,
    total,
    write_corpus,
)

N_BASE = 40


def _strays(root: Path, live: str) -> list[str]:
    """Leftovers of killed runs: half-built or old generations, temp files, Whoosh's temp folders."""
    found = []
    for entry in root.iterdir():
        if entry.name.startswith("tmp-") or (entry.name.startswith("gen-") and entry.name != live):
            found.append(entry.name)
        elif entry.name.endswith(".tmp"):
            found.append(entry.name)
    found += [f"{live}/{e.name}" for e in (root / live).iterdir() if e.name.endswith(".tmp")]
    return found


def _live(root: Path) -> str:
    return (root / "CURRENT").read_text(encoding="utf-8").strip()


def _reap(tag: str) -> list[int]:
    """Kill (by pid) anything still running that this test started; return what was found."""
    pids = descendants_using(tag)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return pids


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([script("search-index"), *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})


def _kill_at(proc: subprocess.Popen, delay: float) -> bool:
    """SIGKILL the writer after `delay` seconds; False if it had already finished."""
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return True


def _wait_orphans_gone(tag: str, seconds: float = 5.0) -> list[int]:
    """Helpers of a killed writer must die with it; whatever outlives `seconds` is returned (and reaped)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not descendants_using(tag):
            return []
        time.sleep(0.1)
    return _reap(tag)


# ---------------------------------------------------------------- SIGKILL during rebuild and add

def _timed(*args: str) -> float:
    """Run `search-index ARGS` to completion; its wall time (it must succeed)."""
    t0 = time.monotonic()
    result = run_script("search-index", *args)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - t0


def _rebuild_kills(tmp_path: Path, kills: int, n_files: int, seed: int) -> dict:
    """Rebuild with new content each round and SIGKILL it at a random moment, until `kills` kills landed.

    The moment is drawn over the whole length of a rebuild (timed in the same run), so kills fall before
    the lock, while reading, while Whoosh writes, around the swap. After every kill the index must answer
    with exactly the old content or exactly the new (all n_files articles of one version, none of the
    other), and the next run must succeed and clean up.
    """
    rng = random.Random(seed)
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    env = {"SEARCH_INDEX_DIR": str(root)}
    write_corpus(corpus, n_files, "versionzero")
    assert run_script("search-index", "add", str(corpus), "--index-dir", str(root)).returncode == 0
    live_version = "versionzero"
    full = min(_timed("rebuild", "--index-dir", str(root)) for _ in range(2))
    stats = {"kills": 0, "finished_before_kill": 0, "swapped": 0}
    round_no = 0
    while stats["kills"] < kills and round_no < 3 * kills:
        round_no += 1
        new_version = f"version{round_no}x"
        write_corpus(corpus, n_files, new_version)
        t0 = time.monotonic()
        proc = _start("rebuild", str(corpus), "--index-dir", str(root))
        killed = _kill_at(proc, rng.uniform(0.05, full))
        if not killed:
            full = min(full, time.monotonic() - t0)
        stats["kills" if killed else "finished_before_kill"] += 1
        assert _wait_orphans_gone(str(root)) == [], "helpers outlived the killed rebuild"
        old_n, new_n = total(env, live_version), total(env, new_version)
        assert (old_n, new_n) in ((n_files, 0), (0, n_files)), f"round {round_no}: a mix {old_n=} {new_n=}"
        if new_n:
            live_version = new_version
            stats["swapped"] += 1
        assert total(env, "commoncorpus") == n_files
    # A rerun completes, leaves the newest content live and nothing half-built behind.
    result = run_script("search-index", "rebuild", "--index-dir", str(root))
    assert result.returncode == 0, result.stderr
    assert total(env, f"version{round_no}x") == n_files and total(env, "commoncorpus") == n_files
    assert _strays(root, _live(root)) == []
    return stats


def _add_kills(tmp_path: Path, kills: int, sizes: list[int], seed: int) -> dict:
    """Add a new folder each round and SIGKILL the add at a random moment, until `kills` kills landed.

    The base articles are always all there; the new batch is all there or not at all; a rerun of the
    same add completes with each article exactly once (no duplicates), and strays are cleaned. The
    rerun is a full add of the same size: its time bounds the next kill moment for that size.
    """
    rng = random.Random(seed)
    root = tmp_path / "index"
    env = {"SEARCH_INDEX_DIR": str(root)}
    write_corpus(tmp_path / "base", N_BASE, "basecorpus")
    assert run_script("search-index", "add", str(tmp_path / "base"), "--index-dir", str(root)).returncode == 0
    stats = {"kills": 0, "finished_before_kill": 0, "committed_before_kill": 0, "files": 0}
    expected, round_no = N_BASE, 0
    full = {size: 0.3 + size * 0.004 for size in sizes}
    while stats["kills"] < kills and round_no < 3 * kills:
        round_no += 1
        size = sizes[(round_no - 1) % len(sizes)]
        marker = f"batch{round_no}x"
        folder = tmp_path / f"batch{round_no}"
        write_corpus(folder, size, marker, start=round_no * 10000)
        proc = _start("add", str(folder), "--index-dir", str(root))
        killed = _kill_at(proc, rng.uniform(0.05, full[size]))
        stats["kills" if killed else "finished_before_kill"] += 1
        assert _wait_orphans_gone(str(root)) == [], "helpers outlived the killed add"
        n = total(env, marker)
        assert n in (0, size), f"round {round_no}: {n} of {size} articles of a killed add are visible"
        stats["committed_before_kill"] += bool(killed and n)
        assert total(env, "basecorpus") == N_BASE
        if n == 0:
            full[size] = _timed("add", str(folder), "--index-dir", str(root), "--wait", "10")
        else:
            assert run_script("search-index", "add", str(folder), "--index-dir", str(root)).returncode == 0
        expected += size
        stats["files"] += size
        assert total(env, marker) == size, "a rerun after a kill must not duplicate or lose articles"
        assert total(env, "commoncorpus") == expected
        assert _strays(root, _live(root)) == []
    return stats


def test_rebuild_killed_a_few_times(tmp_path: Path) -> None:
    try:
        stats = _rebuild_kills(tmp_path, kills=3, n_files=30, seed=1)
    finally:
        _reap(str(tmp_path))
    assert stats["kills"] == 3, stats


def test_add_killed_a_few_times(tmp_path: Path) -> None:
    try:
        stats = _add_kills(tmp_path, kills=3, sizes=[30, 250, 30], seed=2)
    finally:
        _reap(str(tmp_path))
    assert stats["kills"] == 3, stats


@pytest.mark.slow
@pytest.mark.parametrize("n_files", [60, 1100])
def test_rebuild_killed_twenty_times(tmp_path: Path, n_files: int) -> None:
    """1,100 files take the two-process Whoosh writer and the worker pool; 60 the one-process path."""
    try:
        stats = _rebuild_kills(tmp_path, kills=20, n_files=n_files, seed=n_files)
    finally:
        _reap(str(tmp_path))
    print(f"rebuild {n_files} files: {stats}")
    assert stats["kills"] == 20, stats


@pytest.mark.slow
def test_add_killed_twenty_times(tmp_path: Path) -> None:
    try:
        stats = _add_kills(tmp_path, kills=20, sizes=[40, 300, 1100], seed=20)
    finally:
        _reap(str(tmp_path))
    print(f"add: {stats}")
    assert stats["kills"] == 20, stats


def test_killed_writer_helpers_die_and_free_the_lock(tmp_path: Path) -> None:
    """A batch large enough for worker processes: killing the writer must not leave them holding the lock."""
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    write_corpus(corpus, 260, "helpers")
    proc = _start("add", str(corpus), "--index-dir", str(root))
    try:
        deadline = time.monotonic() + 30
        while len(descendants_using(str(root))) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        _kill_at(proc, 0.3)
        assert _wait_orphans_gone(str(root)) == []
        result = run_script("search-index", "add", str(corpus), "--index-dir", str(root), "--wait", "2")
        assert result.returncode == 0, result.stderr
        assert total({"SEARCH_INDEX_DIR": str(root)}, "helpers") == 260
    finally:
        _reap(str(tmp_path))


# ---------------------------------------------------------------- readers during writes

@contextlib.contextmanager
def _looping_searches(env: dict, *args: str, readers: int = 2) -> Iterator[tuple[list, list[str]]]:
    """`search --json ARGS` run in a loop by `readers` threads while the block runs.

    Yields the (hits, summary) answers and the failures (a non-zero exit or a traceback) as they come.
    """
    answers: list[tuple[list[dict], dict]] = []
    failures: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            code, hits, summary, err = search_json(env, *args)
            if code != 0 or "Traceback" in err:
                failures.append(f"exit {code}: {err}")
            else:
                answers.append((hits, summary))

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    for t in threads:
        t.start()
    try:
        yield answers, failures
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)


def test_searches_during_add_and_rebuild_never_fail(tmp_path: Path) -> None:
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    env = {"SEARCH_INDEX_DIR": str(root)}
    write_corpus(corpus, 60, "alphaversion")
    assert run_script("search-index", "add", str(corpus), "--index-dir", str(root)).returncode == 0
    with _looping_searches(env, "commoncorpus", "-n", "500") as (answers, failures):
        write_corpus(tmp_path / "more", 40, "alphaversion", start=500)
        assert run_script("search-index", "add", str(tmp_path / "more"), "--index-dir", str(root)).returncode == 0
        write_corpus(corpus, 60, "betaversion")
        for _ in range(2):
            result = run_script("search-index", "rebuild", str(corpus), str(tmp_path / "more"),
                                "--index-dir", str(root))
            assert result.returncode == 0, result.stderr
        time.sleep(0.5)
    assert not failures, failures[:3]
    seen = [(summary["total"], frozenset(w for h in hits for w in h["title"].split() if w.endswith("version")))
            for hits, summary in answers]
    allowed = {(60, frozenset({"alphaversion"})), (100, frozenset({"alphaversion"})),
               (100, frozenset({"alphaversion", "betaversion"}))}
    assert len(seen) >= 4
    assert set(seen) <= allowed, set(seen) - allowed
    # The rebuilt state: 60 beta articles and 40 alpha ones, in one consistent generation.
    assert total(env, "betaversion") == 60 and total(env, "alphaversion") == 40


def test_stats_during_adds_and_rebuilds_never_fail(tmp_path: Path) -> None:
    """`search-index stats` reads the live index as searches do: a commit under it starts it again."""
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    write_corpus(corpus, 60, "statsversion")
    assert run_script("search-index", "add", str(corpus), "--index-dir", str(root)).returncode == 0
    seen: list[int] = []
    failures: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            result = run_script("search-index", "stats", "--json", "--index-dir", str(root))
            if result.returncode != 0 or "Traceback" in result.stderr:
                failures.append(f"exit {result.returncode}: {result.stderr}")
            else:
                seen.append(json.loads(result.stdout)["articles"])

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for batch in range(3):
            write_corpus(tmp_path / f"more{batch}", 20, "statsversion", start=1000 + 100 * batch)
            more = tmp_path / f"more{batch}"
            assert run_script("search-index", "add", str(more), "--index-dir", str(root)).returncode == 0
        assert run_script("search-index", "rebuild", "--index-dir", str(root)).returncode == 0
        time.sleep(0.5)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert not failures, failures[:3]
    assert len(seen) >= 4 and set(seen) <= {60, 80, 100, 120}, sorted(set(seen))


@pytest.mark.slow
def test_searches_never_fail_through_many_adds_and_rebuilds(tmp_path: Path) -> None:
    """20 writes (an add of ten new articles, then a rebuild, ten times) under two looping readers:
    every search succeeds and sees a total that some committed state had."""
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    env = {"SEARCH_INDEX_DIR": str(root)}
    write_corpus(corpus / "base", 60, "loopcorpus")
    assert run_script("search-index", "add", str(corpus), "--index-dir", str(root)).returncode == 0
    with _looping_searches(env, "loopcorpus", "-n", "1") as (answers, failures):
        for round_no in range(1, 11):
            write_corpus(corpus / f"batch{round_no}", 10, "loopcorpus", start=1000 * round_no)
            for args in (["add", str(corpus)], ["rebuild"]):
                result = run_script("search-index", *args, "--index-dir", str(root))
                assert result.returncode == 0, result.stderr
    assert not failures, failures[:3]
    totals = [summary["total"] for _, summary in answers]
    assert len(totals) >= 20 and set(totals) <= {60 + 10 * k for k in range(11)}, sorted(set(totals))
    assert total(env, "loopcorpus") == 160


# ---------------------------------------------------------------- a second writer

def test_second_writer_waits_then_reports_busy(tmp_path: Path) -> None:
    """The lock is the real one (flock on write.lock), held here as another writer would hold it."""
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    write_corpus(corpus, 5, "busytest")
    assert run_script("search-index", "add", str(corpus), "--index-dir", str(root)).returncode == 0
    before = sorted(p.name for p in root.iterdir())
    with open(root / "write.lock", "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        for args in (["add", str(corpus)], ["rebuild"]):
            t0 = time.monotonic()
            result = run_script("search-index", *args, "--index-dir", str(root), "--wait", "1.0", timeout=30)
            waited = time.monotonic() - t0
            assert_one_clear_error(result, 3, "index busy")
            assert 0.9 <= waited < 8, waited
        # Readers are never blocked by the writer lock.
        assert total({"SEARCH_INDEX_DIR": str(root)}, "busytest") == 5
    assert sorted(p.name for p in root.iterdir()) == before
    # Released: the same command now goes through.
    assert run_script("search-index", "add", str(corpus), "--index-dir", str(root), "--wait", "0").returncode == 0


def _lock_held(root: Path) -> bool:
    """True when some process holds the writer lock (probed without keeping it)."""
    try:
        with open(root / "write.lock", "a+b") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
            return False
    except BlockingIOError:
        return True


def test_two_real_writers_at_once(tmp_path: Path) -> None:
    """A long rebuild and an impatient add: the add exits 3 "index busy"; the rebuild finishes intact."""
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    env = {"SEARCH_INDEX_DIR": str(root)}
    write_corpus(corpus, 5, "first")
    assert run_script("search-index", "add", str(corpus), "--index-dir", str(root)).returncode == 0
    write_corpus(tmp_path / "big", 2500, "second")
    proc = _start("rebuild", str(tmp_path / "big"), "--index-dir", str(root))
    try:
        deadline = time.monotonic() + 30
        while not _lock_held(root) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the rebuild ended before it was seen holding the lock"
        result = run_script("search-index", "add", str(corpus), "--index-dir", str(root), "--wait", "0.2")
        assert proc.poll() is None, "the rebuild ended while the second writer waited: nothing was tested"
        assert_one_clear_error(result, 3, "index busy")
        assert total(env, "first") == 5, "the old index answers until the swap"
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    finally:
        _reap(str(tmp_path))
    assert total(env, "second") == 2500 and total(env, "first") == 0


# ---------------------------------------------------------------- damaged indexes

def _damage_cases():
    def delete_segment(gen: Path) -> None:
        for f in gen.glob("*.seg"):
            f.unlink()

    def truncate_segment(gen: Path) -> None:
        for f in gen.glob("*.seg"):
            with f.open("r+b") as fh:
                fh.truncate(f.stat().st_size // 3)

    def garble_segment(gen: Path) -> None:
        for f in gen.glob("*.seg"):
            data = bytearray(f.read_bytes())
            rng = random.Random(3)
            for _ in range(len(data) // 20):
                data[rng.randrange(len(data))] = rng.randrange(256)
            f.write_bytes(bytes(data))

    def delete_toc(gen: Path) -> None:
        for f in gen.glob("*.toc"):
            f.unlink()

    def truncate_toc(gen: Path) -> None:
        for f in gen.glob("*.toc"):
            f.write_bytes(f.read_bytes()[:40])

    def garble_toc(gen: Path) -> None:
        for f in gen.glob("*.toc"):
            f.write_bytes(bytes(random.Random(4).randrange(256) for _ in range(f.stat().st_size)))

    def other_schema(gen: Path) -> None:
        meta = json.loads((gen / "meta.json").read_text())
        (gen / "meta.json").write_text(json.dumps({**meta, "schema_version": 999}))

    def no_meta(gen: Path) -> None:
        (gen / "meta.json").unlink()

    def garbled_meta(gen: Path) -> None:
        (gen / "meta.json").write_bytes(b"\xff\xfe{not json")

    def garbled_manifest(gen: Path) -> None:
        manifests = list(gen.glob("manifest*.json"))
        assert manifests, "no manifest to garble"
        for f in manifests:
            f.write_bytes(b"\x00\x01garbage")

    def garbled_current(gen: Path) -> None:
        (gen.parent / "CURRENT").write_bytes(b"\xff\xfe\x00garbage\n")

    def current_elsewhere(gen: Path) -> None:
        (gen.parent / "CURRENT").write_text("../../etc\n")

    def current_missing_gen(gen: Path) -> None:
        (gen.parent / "CURRENT").write_text("gen-19990101T000000000000-1\n")

    def empty_current(gen: Path) -> None:
        (gen.parent / "CURRENT").write_text("")

    def generation_deleted(gen: Path) -> None:
        shutil.rmtree(gen)

    def current_is_a_folder(gen: Path) -> None:
        (gen.parent / "CURRENT").unlink()
        (gen.parent / "CURRENT").mkdir()

    return {f.__name__: f for f in (
        delete_segment, truncate_segment, garble_segment, delete_toc, truncate_toc, garble_toc, other_schema,
        no_meta, garbled_meta, garbled_manifest, garbled_current, current_elsewhere, current_missing_gen,
        empty_current, generation_deleted, current_is_a_folder)}


DAMAGE = _damage_cases()


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_index_gives_one_line_and_rebuild_recovers(seed_index_copy: Path, seed_dir: Path,
                                                           damage: str) -> None:
    root = seed_index_copy
    env = {"SEARCH_INDEX_DIR": str(root)}
    assert total(env, "peace") > 0
    DAMAGE[damage](root / _live(root))
    outcomes = {}
    for name, args in (("search", ["peace"]), ("search", ["peace", "--facets"]),
                       ("search", ["peace", "--json", "--sort", "date"]),
                       ("search-index", ["stats"]), ("search-index", ["add", str(seed_dir)])):
        # The readers run in this process (conftest.run: an exception that escapes main() fails the
        # test outright, stricter than a process would); the add is a real process.
        result = run(name, *args, env=env, timeout=60)
        outcomes[(name, args[-1])] = result.returncode
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, (damage, args,
                                                                                               result.stderr)
        if damage == "garbled_manifest":
            # The manifest only saves work: losing it means re-reading files, not a broken index.
            assert result.returncode in (0, 1), (args, result.stderr)
            continue
        assert_one_clear_error(result, 3)
        assert "search-index rebuild" in result.stderr, (damage, args, result.stderr)
    # The advertised recovery works, with the paths named (the recorded ones may be what was damaged).
    result = run_script("search-index", "rebuild", str(seed_dir), "--index-dir", str(root))
    assert result.returncode == 0, (damage, result.stderr)
    assert total(env, "peace") > 0
    assert _strays(root, _live(root)) == []


def test_rebuild_without_paths_recovers_a_damaged_segment(seed_index_copy: Path) -> None:
    """The rebuild reads the recorded folder (the session's shared seeds: read, never changed)."""
    root = seed_index_copy
    env = {"SEARCH_INDEX_DIR": str(root)}
    DAMAGE["garble_segment"](root / _live(root))
    assert run_script("search", "peace", env=env).returncode == 3
    result = run_script("search-index", "rebuild", "--index-dir", str(root))
    assert result.returncode == 0, result.stderr
    assert total(env, "peace") > 0


def test_missing_index_directory(tmp_path: Path) -> None:
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "nowhere")}
    for name, args in (("search", ["peace"]), ("search-index", ["stats"])):
        result = run_script(name, *args, env=env)
        assert_one_clear_error(result, 3, "no index")
    assert not (tmp_path / "nowhere").exists(), "reading must not create the index directory"
    result = run_script("search-index", "rebuild", env=env)
    assert_one_clear_error(result, 3)


def test_index_path_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "index").write_text("not a folder")
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    for name, args in (("search", ["peace"]), ("search-index", ["stats"]), ("search-index", ["add", "."])):
        assert_one_clear_error(run_script(name, *args, env=env), 3)


def test_read_only_index_directory(seed_dir: Path, tmp_path: Path) -> None:
    """Root ignores file modes, so as root the commands run without the capabilities that let it
    (setpriv drops CAP_DAC_OVERRIDE and friends): the kernel then enforces the modes as for anyone."""
    root = tmp_path / "index"
    assert run_script("search-index", "add", str(seed_dir), "--index-dir", str(root)).returncode == 0
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    for path in (root, *root.rglob("*")):
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        searched = run_unprivileged("search", "peace", env={"SEARCH_INDEX_DIR": str(root)})
        assert searched.returncode == 0, searched.stderr  # reading needs no write access
        for args in (["add", str(seed_dir)], ["rebuild", str(seed_dir)], ["rebuild"]):
            result = run_unprivileged("search-index", *args, env={"SEARCH_INDEX_DIR": str(root)})
            assert_one_clear_error(result, 3)
        assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == before
    finally:
        for path in (root, *root.rglob("*")):
            if path.is_dir():
                path.chmod(0o755)


# ---------------------------------------------------------------- strays

def test_strays_of_killed_runs_are_removed_by_the_next_run(seed_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    assert run_script("search-index", "add", str(seed_dir), "--index-dir", str(root)).returncode == 0
    live = _live(root)
    (root / "tmp-20200101T000000000000-1").mkdir()
    (root / "tmp-20200101T000000000000-1" / "MAIN_x.seg").write_bytes(b"half")
    shutil.copytree(root / live, root / "gen-20000101T000000000000-1")
    (root / ".CURRENT.123.tmp").write_text("gen-x")
    (root / live / ".manifest.json.9.tmp").write_text("{")
    (root / live / "MAIN.tmp").mkdir()
    (root / live / "MAIN.tmp" / "abc.doclist").write_bytes(b"x")
    assert run_script("search-index", "add", str(seed_dir), "--index-dir", str(root)).returncode == 0
    assert _strays(root, _live(root)) == []
    assert not (root / live / ".manifest.json.9.tmp").exists()
    assert total({"SEARCH_INDEX_DIR": str(root)}, "peace") > 0


# ---------------------------------------------------------------- security

class _Marker:
    """Unpickling this creates a file: proof that a pickle was loaded."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def _hostile_generation(gen: Path, marker: Path) -> None:
    """A Whoosh TOC with a valid header whose pickled schema creates `marker` when loaded."""
    from whoosh import __version__
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import _CURRENT_TOC_VERSION, _FLOAT_SIZE, _INT_SIZE, _LONG_SIZE

    gen.mkdir(parents=True)
    stream = FileStorage(str(gen)).create_file("_MAIN_1.toc")
    stream.write_varint(_INT_SIZE)
    stream.write_varint(_LONG_SIZE)
    stream.write_varint(_FLOAT_SIZE)
    stream.write_int(-12345)
    stream.write_int(_CURRENT_TOC_VERSION)
    for num in __version__[:3]:
        stream.write_varint(num)
    stream.write_string(pickle.dumps(_Marker(str(marker)), 2))
    stream.close()


def test_hostile_pickle_is_never_loaded(tmp_path: Path, seed_dir: Path) -> None:
    root, marker = tmp_path / "index", tmp_path / "PWNED"
    gen = root / "gen-20200101T000000000000-1"
    _hostile_generation(gen, marker)
    (root / "CURRENT").write_text(gen.name + "\n")
    # Control: Whoosh itself would run the payload (in a child, so this test process stays clean).
    control = subprocess.run([sys.executable, "-c", "import sys; from whoosh import index; "
                              "index.open_dir(sys.argv[1])", str(gen)], capture_output=True, timeout=60,
                             check=False)
    assert marker.exists(), control.stderr
    marker.unlink()
    env = {"SEARCH_INDEX_DIR": str(root)}
    for name, args in (("search", ["peace"]), ("search-index", ["stats"]), ("search-index", ["add", str(seed_dir)]),
                       ("search-index", ["rebuild"])):
        result = run_script(name, *args, env=env)
        assert_one_clear_error(result, 3)
        assert not marker.exists(), f"{name} {args} unpickled the hostile schema"
    # The folder is not marked as an index: writing into it is refused and nothing in it is touched.
    assert_one_clear_error(run_script("search-index", "rebuild", str(seed_dir), env=env), 3, "not a newsgrep index")
    assert gen.exists()
    # The same with a meta.json that is ours in form but of another schema version.
    (gen / "meta.json").write_text(json.dumps({"tool": "newsgrep", "schema_version": 0, "roots": []}))
    assert_one_clear_error(run_script("search", "peace", env=env), 3, "schema version")
    assert not marker.exists()
    # With the marker forged too, rebuilding with paths replaces the hostile generation without loading it.
    (root / "NEWSGREP-INDEX").write_text("forged\n")
    result = run_script("search-index", "rebuild", str(seed_dir), env=env)
    assert result.returncode == 0, result.stderr
    assert not marker.exists() and not gen.exists()
    assert total(env, "peace") > 0


def test_nothing_is_written_outside_the_index_directory(tmp_path: Path, seed_dir: Path) -> None:
    home, work = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    work.mkdir()
    root = tmp_path / "index"
    env = {**os.environ, "NO_COLOR": "1", "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "TMPDIR": str(tmp_path / "tmp"), "SEARCH_INDEX_DIR": str(root)}
    (tmp_path / "tmp").mkdir()
    seeds_before = {p: p.stat().st_mtime_ns for p in seed_dir.rglob("*")}
    kw = {"capture_output": True, "text": True, "env": env, "cwd": str(work), "timeout": 120, "check": False}
    write_corpus(tmp_path / "bulk", 250, "bulkcorpus")  # enough for the worker pool
    for cmd in (["search-index", "add", str(seed_dir)], ["search-index", "add", str(tmp_path / "bulk")],
                ["search", "peace", "--facets"], ["search-index", "rebuild"], ["search-index", "stats"]):
        result = subprocess.run([script(cmd[0]), *cmd[1:]], **kw)
        assert result.returncode == 0, (cmd, result.stderr)
    assert list(home.rglob("*")) == [] and list(work.rglob("*")) == []
    assert list((tmp_path / "tmp").rglob("*")) == []
    assert {p: p.stat().st_mtime_ns for p in seed_dir.rglob("*")} == seeds_before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles", "bulk", "cwd", "home", "index", "tmp"]


@pytest.mark.parametrize("as_json", [False, True])
def test_terminal_control_sequences_never_reach_the_output(tmp_path: Path, as_json: bool) -> None:
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    nasty = "Escapes \x1b[2J\x1b]0;owned title\x07 and \x1b[31mred\x1b[0m \x9b2J \x07bell"
    (corpus / "esc.txt").write_text(f"Terminal {nasty} headline\n\nThe zanzibar story. {nasty} body text.\n")
    (corpus / "esc.jsonl").write_text(json.dumps({"title": f"J {nasty}", "body": f"zanzibar json {nasty}",
                                                  "url": "http://x/\x1b[2J"}) + "\n")
    (corpus / "esc.html").write_text(f"<html><head><title>H {nasty}</title></head><body><article><p>zanzibar "
                                     f"html {nasty} " + "words " * 40 + "</p></article></body></html>")
    (corpus / "name\x1b[2J.txt").write_text("Zanzibar in a file name\n\nzanzibar body of it.\n")
    assert run_script("search-index", "add", str(corpus), "--index-dir", str(root)).returncode == 0
    env = {"SEARCH_INDEX_DIR": str(root)}
    args = ["zanzibar", "-n", "50", "--facets", "--color", "always"] + (["--json"] if as_json else [])
    for extra in ([], ["escapes"], ["owned title"]):
        result = subprocess.run([script("search"), *args, *extra], capture_output=True, env={**os.environ, **env},
                                timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        out = result.stdout + result.stderr
        for bad in (b"\x1b[2J", b"\x1b]", b"\x07", "\x9b".encode()):
            assert bad not in out, (bad, out[:2000])
        if as_json:
            # JSON escapes would turn back into the same bytes in whoever prints the decoded text; only
            # the file path itself is kept exactly as on disk (it is needed to open the file).
            for line in result.stdout.decode().splitlines():
                record = json.loads(line)
                record.pop("path", None), record.pop("id", None)
                assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", json.dumps(record, ensure_ascii=False)
                                     .encode().decode("unicode_escape", "replace")), line
        else:
            # With colour on, the only escapes are our own SGR codes.
            for chunk in out.split(b"\x1b")[1:]:
                assert chunk[:1] == b"[" and chunk[1:].split(b"m")[0].replace(b";", b"").isdigit(), chunk[:20]
    assert total(env, "zanzibar") == 4


def test_damage_under_an_unchanged_index_is_reported_after_one_read(seed_index_copy: Path) -> None:
    """read_live starts a read again only when a writer committed under it (CURRENT or Whoosh's table
    of contents changed); a segment that is simply gone is damage, reported after the first read."""
    from newsgrep.index.errors import IndexProblem
    from newsgrep.index.live import open_index, read_live

    root = seed_index_copy
    DAMAGE["delete_segment"](root / _live(root))
    calls = []

    def read() -> int:
        calls.append(1)
        with open_index(root).searcher() as searcher:
            return sum(1 for _ in searcher.all_stored_fields())

    with pytest.raises(IndexProblem):
        read_live(root, read)
    assert len(calls) == 1


def test_a_read_that_meets_a_rebuilds_swap_starts_again_on_the_new_generation(seed_index_copy: Path) -> None:
    """CURRENT read, then a rebuild swaps in a new generation and deletes the old one before the read
    opens it (the race `stats` met under load): whatever the vanished generation raises, the read
    starts again, because the committed state changed, and answers from the new generation."""
    from newsgrep.index.layout import check_meta, swap_in
    from newsgrep.index.live import open_whoosh, read_live

    root = seed_index_copy
    calls = []

    def read() -> int:
        calls.append(1)
        old = root / _live(root)
        if len(calls) == 1:
            tmp = root / "tmp-20991231T000000000000-1"
            shutil.copytree(old, tmp)
            swap_in(root, tmp)
            shutil.rmtree(old)
        check_meta(old)
        with open_whoosh(old).searcher() as searcher:
            return searcher.doc_count()

    assert read_live(root, read) == 5
    assert len(calls) == 2
