"""A helper process of `add` lost (issue 12, part 5): one of Whoosh's sub-writers or of the cleaning
workers SIGKILLed, as the OOM killer does, and a hostile record at the end of a batch large enough for
all of them. The add must end at once with one line, leave no process behind, free the lock, and
keep the index at its last commit; a rerun completes."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import descendants_using, run_script, script, search_json, total, write_corpus

from newsgrep.index import config


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _started(pid: int) -> int:
    """A process's start time in clock ticks since boot (field 22 of /proc/PID/stat)."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])


@pytest.mark.parametrize("victim", ["sub-writer", pytest.param("cleaning worker", marks=pytest.mark.slow)])
def test_a_helper_killed_during_add_ends_it_in_one_line(tmp_path: Path, victim: str) -> None:
    if not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists():
        pytest.skip("needs /proc/PID/task/TID/children (Linux)")
    env = {**os.environ, "SEARCH_INDEX_DIR": str(tmp_path / "index"), "NO_COLOR": "1"}
    write_corpus(tmp_path / "first", 20, "firstbatch")
    assert run_script("search-index", "add", str(tmp_path / "first"), env=env).returncode == 0
    stats = run_script("search-index", "stats", "--json", env=env).stdout
    write_corpus(tmp_path / "big", 1200, "bigbatch")
    proc = subprocess.Popen([script("search-index"), "add", str(tmp_path / "big")], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        # The cleaning workers start when the batch is read, Whoosh's two sub-writers once it has its
        # first 100 articles: wait for all of them.
        wanted = config.WORKERS + 2
        deadline = time.monotonic() + 60
        while len(_children(proc.pid)) < wanted and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        kids = sorted(_children(proc.pid), key=_started)
        if proc.poll() is not None or len(kids) < wanted:
            pytest.skip(f"the add ended or never had {wanted} helpers ({len(kids)})")
        time.sleep(0.3)
        os.kill(kids[-1] if victim == "sub-writer" else kids[0], signal.SIGKILL)
        try:
            out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the add hung after its {victim} was killed")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    if proc.returncode == 0:
        pytest.skip("the add finished before the kill landed (a very fast machine)")
    assert proc.returncode == 3, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert "killed by SIGKILL" in err and "committed nothing" in err, err
    deadline = time.monotonic() + 5
    while descendants_using(str(tmp_path / "big")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert descendants_using(str(tmp_path / "big")) == [], "helpers of the failed add are still running"
    assert total(env, "bigbatch") == 0 and total(env, "firstbatch") == 20  # its last commit, whole
    assert run_script("search-index", "stats", "--json", env=env).stdout == stats
    again = run_script("search-index", "add", str(tmp_path / "big"), "--wait", "0", env=env, timeout=300)
    assert again.returncode == 0, again.stderr  # the lock is free at once
    assert total(env, "bigbatch") == 1200 and total(env, "firstbatch") == 20


HOSTILE_LAST = [  # (record, why it is hostile); the file's last record is the 200,000-level one
    ('{"id": "good1", "title": "Good first", "body": "The lastfile record about the harbour council budget."}', ""),
    ('{"id": "good2", "title": "Lone \\ud800 surrogate", "body": "lastfile text, a lone surrogate \\udfff in it."}',
     ""),
    ('{"id": "good3", "title": "Long", "body": "lastfile ' + "x" * 300_000 + ' long word"}', ""),
    ('{"title": ["not", "a", "string"], "body": {"x": 1}}', "must be strings"),
    ('{"title": "Big", "date": ' + "9" * 5000 + ', "body": "lastfile big number"}', "not valid JSON"),
    ('{"title": "Deep", "body": ' + "[" * 200_000 + "]" * 200_000 + "}", "nested too deeply"),
]


@pytest.mark.slow
def test_a_hostile_record_at_the_end_of_a_large_batch(tmp_path: Path) -> None:
    """1,000 files (the cleaning workers and Whoosh's two sub-writers), then a JSON Lines file, last in
    the batch, whose last records are hostile: each bad one is skipped with its line number, the
    rest is indexed, and nothing hangs or is left running."""
    env = {"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    folder = tmp_path / "batch"
    write_corpus(folder, config.BULK_BATCH_MIN_DOCS, "bulkcorpus")
    (folder / "zzz-last.jsonl").write_text("\n".join(record for record, _ in HOSTILE_LAST) + "\n")
    result = run_script("search-index", "add", str(folder), env=env, timeout=300)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr[-2000:]
    said = result.stderr.strip().splitlines()
    bad = [(n, why) for n, (_, why) in enumerate(HOSTILE_LAST, 1) if why]
    assert len(said) == len(bad), said
    for line, (n, why) in zip(said, bad, strict=True):
        assert f"zzz-last.jsonl:{n}:" in line and why in line, line
    assert total(env, "bulkcorpus") == config.BULK_BATCH_MIN_DOCS
    assert total(env, "lastfile") == 2  # the first two; the third's one 300,000-letter word is no prose
    for n in (1, 2, 3):  # but all three good records are indexed
        assert run_script("search-index", "show", f"{folder / 'zzz-last.jsonl'}#good{n}", env=env).returncode == 0
    assert descendants_using(str(folder)) == []
    again = run_script("search-index", "add", str(folder), "--wait", "0", env=env)
    assert again.returncode == 0 and f"unchanged {config.BULK_BATCH_MIN_DOCS + 1}" in again.stdout, again.stderr
    # The lone surrogates became U+FFFD: shown, the article no longer makes `search` fail (it did, exit 70).
    code, hits, _, _ = search_json(env, "surrogate")
    assert code == 0 and len(hits) == 1 and hits[0]["title"] == "Lone \ufffd surrogate"
    shown = run_script("search", "lastfile", env=env)
    assert shown.returncode == 0 and "\ufffd" in shown.stdout, shown.stderr
