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
