"""Ctrl-C, SIGTERM and SIGHUP during `add` and `rebuild`: one line, the shell's exit code, no traceback
from any process, the writer tree gone within seconds, the lock free and the index as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import descendants_using, run_script, script, total, write_corpus


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)],
                         ids=["SIGINT", "SIGTERM", "SIGHUP"])
def test_an_interrupted_add_ends_its_whole_tree_and_loses_nothing(tmp_path: Path, sig: int, code: int) -> None:
    env = {**os.environ, "SEARCH_INDEX_DIR": str(tmp_path / "index"), "NO_COLOR": "1"}
    write_corpus(tmp_path / "first", 20, "firstbatch")
    assert run_script("search-index", "add", str(tmp_path / "first"), env=env).returncode == 0
    before = total(env, "firstbatch")
    # Enough files for the parallel loaders and Whoosh's two sub-writers (config.BULK_BATCH_MIN_DOCS).
    write_corpus(tmp_path / "big", 6000, "bigbatch")
    proc = subprocess.Popen([script("search-index"), "add", str(tmp_path / "big")], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(1.5)
    # Ctrl-C reaches the whole process group, as a terminal sends it; the others go to the main process.
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the interrupted add did not end within 20 s")
    if proc.returncode == 0:
        pytest.skip("the add finished before the signal arrived (a very fast machine)")
    assert proc.returncode == code, err
    assert err.strip().splitlines() == ["search-index: interrupted; the index keeps its last complete commit"], err
    deadline = time.monotonic() + 5
    while descendants_using(str(tmp_path / "big")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not descendants_using(str(tmp_path / "big")), "helpers of the interrupted add are still running"
    assert total(env, "firstbatch") == before
    assert total(env, "bigbatch") in (0, 6000)  # nothing half-committed
    again = run_script("search-index", "add", str(tmp_path / "big"), env=env, timeout=300)
    assert again.returncode == 0, again.stderr  # not "index busy": the lock is free
    assert total(env, "bigbatch") == 6000 and total(env, "firstbatch") == before
