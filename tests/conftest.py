"""Shared fixtures: the installed console scripts, run for real, on a real index in a temp directory."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
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


def run_script(name: str, *args: str, env: dict | None = None, input: str | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess:
    """Run an installed console script as a real process and capture its text output.

    For what only a process shows: the installed entry points end to end, writers (they fork, lock
    and take signals), kills, permissions, start-up imports and the interpreter's environment.
    """
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([script(name), *args], capture_output=True, text=True, env=full_env,
                          input=input, timeout=timeout, check=False)


# `search-index` commands that only read: they run in the test process like `search`. The writers
# (add, rebuild, remove) always run as a real process.
_READING_INDEX_COMMANDS = frozenset({"stats", "clean", "show", "entities", "--version", "--help", "-h"})


class _ProcessExit(BaseException):
    """os._exit(code) of a command run in the test process (`search` ends that way to skip teardown)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _os_exit(code: int) -> None:
    raise _ProcessExit(code)


class _TimedOut(BaseException):
    """The in-process call ran past its timeout (a BaseException: the CLI's own handlers let it through)."""


def _time_out(signum: int, frame) -> None:
    raise _TimedOut


def run(name: str, *args: str, env: dict | None = None, input: str | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a console script's own `main()` in this process (typer's CliRunner isolation: argv, stdin,
    stdout, stderr and the environment swapped for the call) and give what a process would give: the
    exit code, stdout and stderr. About 20 ms a call against 240 ms for a process.

    `search-index` writers go to run_script, and so does a call from any thread but the main one (the
    readers that race writers in test_faults): the isolation swaps process-wide state, and only the
    main thread may set signal handlers. Past `timeout` seconds (SIGALRM) the call raises
    subprocess.TimeoutExpired, as subprocess.run does.
    """
    if (name == "search-index" and (not args or args[0] not in _READING_INDEX_COMMANDS)) \
            or threading.current_thread() is not threading.main_thread():
        return run_script(name, *args, env=env, input=input, timeout=timeout)
    from typer.testing import CliRunner

    if name == "search":
        from newsgrep.cli.search_cmd import main
    else:
        from newsgrep.cli.index_cmd import main
    saved_argv, saved_exit = sys.argv, os._exit
    saved_signals = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGALRM)}
    code = 0
    with CliRunner().isolation(input=input, env={"NO_COLOR": "1", **(env or {})}) as (out, err, _):
        sys.argv, os._exit = [name, *args], _os_exit
        signal.signal(signal.SIGALRM, _time_out)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            main()
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        except _ProcessExit as done:
            code = done.code
        except _TimedOut:
            raise subprocess.TimeoutExpired([name, *args], timeout) from None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            sys.argv, os._exit = saved_argv, saved_exit
            for sig, handler in saved_signals.items():
                signal.signal(sig, handler)
            sys.stdout.flush()
            sys.stderr.flush()
        stdout, stderr = out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace")
    return subprocess.CompletedProcess([name, *args], code, stdout, stderr)


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


def _index_files(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under an index directory with its size and modification time."""
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="session")
def shared_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the five seed articles for the whole session: read it, never change it."""
    target = tmp_path_factory.mktemp("shared-seeds") / "articles"
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return target


@pytest.fixture(scope="session")
def _seed_index(shared_seeds: Path, tmp_path_factory: pytest.TempPathFactory):
    """The index of shared_seeds, built once per session with the installed `search-index add`; at the
    end of the session it must be as it was built (a test that changes it must use own_seeded)."""
    env = {"SEARCH_INDEX_DIR": str(tmp_path_factory.mktemp("shared-seed-index") / "index")}
    result = run_script("search-index", "add", str(shared_seeds), env=env)
    assert result.returncode == 0, result.stderr
    root = Path(env["SEARCH_INDEX_DIR"])
    built = _index_files(root)
    yield env
    assert _index_files(root) == built, "a test changed the shared seed index: give it own_seeded"


@pytest.fixture
def seeded(_seed_index: dict) -> dict:
    """The environment that searches the session's read-only index of the five seeds (shared_seeds)."""
    return dict(_seed_index)


@pytest.fixture
def seed_index_copy(_seed_index: dict, tmp_path: Path) -> Path:
    """A private copy of the session's seed index at tmp_path/"index", free to damage or change (its
    recorded articles stay shared_seeds, which must only be read): a copy takes milliseconds, a build
    a search-index process. The index holds no path of its own, so a copy is an index like any other."""
    root = tmp_path / "index"
    shutil.copytree(_seed_index["SEARCH_INDEX_DIR"], root, symlinks=True)
    return root


@pytest.fixture
def own_seeded(seed_dir: Path, index_env: dict) -> dict:
    """A private index of a private copy of the seeds (seed_dir), for tests that change either."""
    result = run_script("search-index", "add", str(seed_dir), env=index_env)
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


def search_json(env: dict, *args: str, timeout: float = 60, process: bool = False
                ) -> tuple[int, list[dict], dict, str]:
    """Run `search --json` (in this process, or with `process` the installed script); (exit code, hits,
    summary line, stderr). Exit codes other than 0/1 give no lines."""
    result = (run_script if process else run)("search", "--json", *args, env=env, timeout=timeout)
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
