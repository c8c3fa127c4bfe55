"""Shared fixtures: the installed console scripts, run for real, on a real index in a temp directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
BIN = Path(sys.executable).parent


def script(name: str) -> str:
    """The console script installed beside this interpreter (the venv's), else the one on PATH."""
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        pytest.fail(f"console script {name!r} is not installed; run the README's test command")
    return found


def run(name: str, *args: str, env: dict | None = None, input: str | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess:
    """Run an installed console script and capture its text output."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([script(name), *args], capture_output=True, text=True, env=full_env,
                          input=input, timeout=timeout, check=False)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    """A private copy of the five seed articles, free to change."""
    target = tmp_path / "articles"
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return target


@pytest.fixture
def index_env(tmp_path: Path) -> dict:
    """An environment whose SEARCH_INDEX_DIR is a fresh directory under tmp_path."""
    return {"SEARCH_INDEX_DIR": str(tmp_path / "index")}


@pytest.fixture
def seeded(seed_dir: Path, index_env: dict) -> dict:
    """An index of the five seeds, built with the installed `search-index add`."""
    result = run("search-index", "add", str(seed_dir), env=index_env)
    assert result.returncode == 0, result.stderr
    return index_env


# ---------------------------------------------------------------- helpers for fault and hostile-input tests

def write_corpus(folder: Path, n: int, marker: str, start: int = 0) -> list[Path]:
    """n small plain-text articles, each with the word `marker` once in its title and its body."""
    folder.mkdir(parents=True, exist_ok=True)
    words = ("harbour council budget river school market winter railway museum festival "
             "election hospital bridge factory orchard theatre").split()
    paths = []
    for i in range(start, start + n):
        body = " ".join(words[(i * 7 + k) % len(words)] for k in range(40))
        path = folder / f"story{i:05d}.txt"
        path.write_text(f"Story {i} {marker}\n\nThe {marker} report number {i}. {body}.\n\n"
                        f"Commoncorpus text follows here for story {i}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def search_json(env: dict, *args: str, timeout: float = 60) -> tuple[int, list[dict], dict, str]:
    """Run `search --json`; (exit code, hits, summary line, stderr). Exit codes other than 0/1 give no lines."""
    result = run("search", "--json", *args, env=env, timeout=timeout)
    lines = json_lines(result.stdout) if result.returncode in (0, 1) else []
    return result.returncode, lines[:-1], (lines[-1] if lines else {}), result.stderr


def total(env: dict, word: str) -> int:
    """How many articles match `word`; the search must succeed (0 or 1) with no error output."""
    code, _, summary, err = search_json(env, word, "-n", "1")
    assert code in (0, 1), f"search {word!r} exited {code}: {err}"
    assert "Traceback" not in err, err
    return summary["total"]


def descendants_using(text: str) -> list[int]:
    """Pids of live processes whose command line mentions `text` (a test's unique temp path)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry / "stat").read_text().split(")")[-1].split()[0]
        except OSError:
            continue
        if text in cmdline and state != "Z":
            pids.append(int(entry.name))
    return pids


def assert_one_clear_error(result: subprocess.CompletedProcess, code: int, *needles: str) -> None:
    """Exit `code`, no traceback, a short stderr, and each needle in it (case-insensitive)."""
    err = result.stderr
    assert result.returncode == code, (result.returncode, result.stdout[-500:], err[-2000:])
    assert "Traceback" not in err and "internal error" not in err, err
    assert 1 <= len(err.strip().splitlines()) <= 3, err
    for needle in needles:
        assert needle.lower() in err.lower(), (needle, err)


def run_unprivileged(name: str, *args: str, env: dict | None = None, timeout: float = 120
                     ) -> subprocess.CompletedProcess:
    """Run a console script so that file modes bind it even when the tests run as root.

    Root bypasses permission bits through CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH/CAP_FOWNER; `setpriv`
    removes those from the bounding set before exec, so the kernel checks modes as for any user.
    """
    if os.geteuid() != 0:
        return run(name, *args, env=env, timeout=timeout)
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("running as root without setpriv: cannot make file modes bind")
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    cmd = [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--", script(name), *args]
    probe = subprocess.run([setpriv, "--bounding-set", "-dac_override", "--", "true"], capture_output=True,
                           check=False)
    if probe.returncode != 0:
        pytest.skip(f"setpriv cannot drop capabilities here: {probe.stderr.decode()[:200]}")
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=timeout, check=False)


def index_of(base: Path, articles: dict[str, tuple[str, str]]) -> dict:
    """Text articles (name -> (title, body)) written under `base` and indexed with the installed
    `search-index add`; the environment that searches them."""
    folder = base / "articles"
    folder.mkdir()
    for name, (title, body) in articles.items():
        (folder / f"{name}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    env = {"SEARCH_INDEX_DIR": str(base / "index")}
    result = run("search-index", "add", str(folder), env=env)
    assert result.returncode == 0, result.stderr
    return env
