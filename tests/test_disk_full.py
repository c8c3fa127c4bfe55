"""A disk that fills during `add` and `rebuild`, for real: a small tmpfs mounted for the test, indexed
into with the installed `search-index` until it is full (issue 12, part 8).

Wanted each time: one line naming the file system and its mount point, exit 3, no traceback from any
process, every file the writer made removed (the index directory exactly as before, its free space
back), no helper left, the lock free, and searches answering exactly as before. A no-op `add` works
at once, even with the disk still full. Skipped where mounting is not permitted (not root, or no
`mount`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import SEEDS, SHARED, descendants_using, run_script, search_json, write_corpus

from newsgrep.index import config

REUTERS = SHARED / "corpora" / "reuters21578" / "articles.jsonl"
ONE_LINE = ("no space left on", "the index keeps its last complete commit")


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """mount(size) -> a fresh tmpfs of that size under tmp_path; unmounted at the end."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        if os.geteuid() != 0 or not shutil.which("mount"):
            pytest.skip("mounting a tmpfs needs root and mount(8)")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(point)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
        mounted.append(point)
        return point

    yield mount
    for pid in descendants_using(str(tmp_path)):
        os.kill(pid, 9)
    for point in reversed(mounted):
        if subprocess.run(["umount", str(point)], capture_output=True, check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)


def _free(point: Path) -> int:
    st = os.statvfs(point)
    return st.f_bavail * st.f_frsize


def _fill(point: Path, leave: int = 0) -> Path:
    """Fill the file system to `leave` bytes free (0: nothing at all) with a file outside the index."""
    filler = point / f"filler{len(list(point.glob('filler*')))}"
    with open(filler, "wb") as fh:
        for block in (1 << 16, 1 << 12, 1):
            try:
                while _free(point) - block >= leave:
                    fh.write(b"\0" * block)
                    fh.flush()
            except OSError:
                pass
    return filler


def _files(root: Path) -> dict[str, int]:
    """Every file and folder under the index directory, with its size: what a failed writer must leave."""
    return {str(p.relative_to(root)): (p.stat().st_size if p.is_file() else -1) for p in root.rglob("*")}


def _answers(env: dict) -> dict:
    """What the index answers: hits (ids, scores, order) of a few searches, and its stats."""
    got = {}
    for words in ("basecorpus", "peace talks"):
        code, hits, summary, err = search_json(env, words, "-n", "50")
        assert code in (0, 1) and "Traceback" not in err, err
        got[words] = ([(h["id"], h["score"]) for h in hits], summary["total"])
    stats = run_script("search-index", "stats", "--json", env=env)
    assert stats.returncode == 0, stats.stderr
    got["stats"] = json.loads(stats.stdout)
    return got


def _base(point: Path, tmp_path: Path) -> tuple[Path, dict, Path]:
    """An index of the seeds and 40 generated articles on the tmpfs: (index dir, env, its source folder)."""
    base = tmp_path / "base"
    shutil.copytree(SEEDS, base, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    write_corpus(base, 40, "basecorpus")
    root = point / "index"
    env = {"SEARCH_INDEX_DIR": str(root)}
    done = run_script("search-index", "add", str(base), env=env)
    assert done.returncode == 0, done.stderr
    return root, env, base


def _assert_disk_full_line(result: subprocess.CompletedProcess, point: Path, action: str) -> None:
    err = result.stderr
    assert result.returncode == 3, (result.returncode, result.stdout[-300:], err[-3000:])
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    for needle in (*ONE_LINE, f"tmpfs mounted on {point}", f"this {action}"):
        assert needle in err, (needle, err)


def _assert_as_before(root: Path, env: dict, point: Path, files: dict, answers: dict, free: int) -> None:
    """Nothing of the failed writer is left, nothing of the index is lost, no helper runs on."""
    # Every process of the run names the test's folder on its command line (the one it indexes).
    deadline = time.monotonic() + 5
    while descendants_using(str(point.parent)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert descendants_using(str(point.parent)) == [], "helpers of the failed writer are still running"
    assert _files(root) == files  # every partial segment, temp file and tmp- folder removed
    assert _free(point) == free  # and their space given back
    assert _answers(env) == answers


def _reuters_part(folder: Path, megabytes: float) -> Path:
    """The first records of the Reuters corpus, as it comes, up to about `megabytes`: one JSON Lines file."""
    if not REUTERS.is_file():
        pytest.skip(f"{REUTERS} is absent")
    folder.mkdir()
    target = folder / "reuters-part.jsonl"
    with open(REUTERS, "rb") as src, open(target, "wb") as out:
        for line in src:
            out.write(line)
            if out.tell() > megabytes * 1e6:
                break
    return folder


@pytest.mark.parametrize("source", [pytest.param("reuters", marks=pytest.mark.slow), "files"])
def test_a_disk_that_fills_during_add(tmpfs, tmp_path: Path, source: str) -> None:
    """Reuters: one JSON Lines file, Whoosh's one-process writer. Files: 1,000 files, the cleaning
    workers and Whoosh's two sub-writer processes (a full disk stops them as they write segments)."""
    point = tmpfs("1m")
    root, env, base = _base(point, tmp_path)
    files, answers, free = _files(root), _answers(env), _free(point)
    if source == "reuters":
        new = _reuters_part(tmp_path / "reuters", 2.5)
    else:
        new = tmp_path / "many"
        write_corpus(new, config.BULK_BATCH_MIN_DOCS, "manycorpus")
    result = run_script("search-index", "add", str(new), env=env, timeout=180)
    _assert_disk_full_line(result, point, "add")
    _assert_as_before(root, env, point, files, answers, free)
    # With the disk still full (a user's own file fills it), a no-op add works at once.
    filler = _fill(point)
    again = run_script("search-index", "add", str(base), "--wait", "0", env=env)
    assert again.returncode == 0 and again.stderr == "", again.stderr
    assert "unchanged 45" in again.stdout and _files(root) == files
    filler.unlink()


@pytest.mark.slow
def test_a_disk_that_fills_during_rebuild(tmpfs, tmp_path: Path) -> None:
    point = tmpfs("1m")
    root, env, _ = _base(point, tmp_path)
    _fill(point, leave=64 * 1024)  # less than the new generation needs
    files, answers, free = _files(root), _answers(env), _free(point)
    result = run_script("search-index", "rebuild", env=env, timeout=120)
    _assert_disk_full_line(result, point, "rebuild")
    _assert_as_before(root, env, point, files, answers, free)
    assert not [p.name for p in root.iterdir() if p.name.startswith("tmp-")]


@pytest.mark.slow
def test_a_disk_already_full_at_the_start(tmpfs, tmp_path: Path) -> None:
    point = tmpfs("1m")
    root, env, _ = _base(point, tmp_path)
    write_corpus(tmp_path / "new", 40, "newcorpus")
    _fill(point)
    files, answers, free = _files(root), _answers(env), _free(point)
    for action in ("add", "rebuild"):
        args = [str(tmp_path / "new")] if action == "add" else []
        result = run_script("search-index", action, *args, env=env, timeout=120)
        _assert_disk_full_line(result, point, action)
        _assert_as_before(root, env, point, files, answers, free)
    # A first index on a full disk: the same line, and no half-built generation behind.
    fresh = point / "fresh"
    result = run_script("search-index", "add", str(tmp_path / "new"), "--index-dir", str(fresh), timeout=120)
    _assert_disk_full_line(result, point, "add")
    assert not [p.name for p in fresh.iterdir() if p.name.startswith(("tmp-", "gen-", "."))]


# The disk fills at one chosen moment: another process takes the last free byte just as search-index
# opens the named file for writing (an audit hook in the real command), so that write gets a real ENOSPC.
_FILL_AT_OPEN = '''
import os, sys
target, point, done = os.environ["FILL_AT"], os.environ["FILL_DISK"], [False]

def fill():
    with open(os.path.join(point, "filler-hook"), "ab") as fh:
        for block in (1 << 16, 1 << 12, 1):
            try:
                while True:
                    fh.write(b"\\0" * block)
                    fh.flush()
            except OSError:
                pass

def hook(event, args):
    if done[0] or event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path, mode, flags = args
    writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
        mode is None and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
    if writing and target in os.path.basename(os.fsdecode(path)):
        done[0] = True
        fill()

sys.addaudithook(hook)
sys.argv = ["search-index", *sys.argv[1:]]
from newsgrep.cli.index_cmd import main
main()
'''


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["manifest-", ".toc", "facets-"])
def test_a_disk_that_fills_while_the_commit_is_written(tmpfs, tmp_path: Path, moment: str) -> None:
    """The manifest (written before Whoosh's commit), Whoosh's TOC (the commit itself), or the facet
    tables (after it: the add is committed and says what it could not write)."""
    point = tmpfs("2m")
    root, env, base = _base(point, tmp_path)
    write_corpus(tmp_path / "new", 60, "newcorpus")
    files, answers, free = _files(root), _answers(env), _free(point)
    hook = tmp_path / "fill_at_open.py"
    hook.write_text(_FILL_AT_OPEN)
    result = subprocess.run([sys.executable, str(hook), "add", str(tmp_path / "new")], capture_output=True,
                            text=True, timeout=120, check=False,
                            env={**os.environ, **env, "FILL_AT": moment, "FILL_DISK": str(point), "NO_COLOR": "1"})
    assert (point / "filler-hook").exists(), "the disk was never filled: no such write"
    if moment == "facets-":
        assert result.returncode == 0, result.stderr
        assert result.stderr.count("\n") == 1 and "no space left for the facet tables" in result.stderr
        hits, n = _answers(env)["basecorpus"]  # the same articles (their scores change with 60 more)
        assert n == answers["basecorpus"][1] and {i for i, _ in hits} == {i for i, _ in answers["basecorpus"][0]}
        code, _, summary, _ = search_json(env, "newcorpus", "--facets")
        assert code == 0 and summary["total"] == 60  # committed; facets counted without the tables
        (point / "filler-hook").unlink()
        again = run_script("search-index", "add", str(tmp_path / "new"), str(base), env=env)
        assert again.returncode == 0 and "unchanged 105" in again.stdout, again.stderr
        gen = root / (root / "CURRENT").read_text().strip()
        assert len(list(gen.glob("facets-*.bin"))) == len(list(gen.glob("*.seg")))  # the no-op add wrote them
        return
    _assert_disk_full_line(result, point, "add")
    (point / "filler-hook").unlink()
    _assert_as_before(root, env, point, files, answers, free)
    again = run_script("search-index", "add", str(tmp_path / "new"), "--wait", "0", env=env)
    assert again.returncode == 0, again.stderr
    code, _, summary, _ = search_json(env, "newcorpus")
    assert summary["total"] == 60
