"""What the wheel installs: everything under one import name, so no other distribution can collide with it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                           "-w", str(out), str(ROOT)], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return next(out.glob("newsgrep-*.whl"))


def test_the_wheel_installs_only_the_newsgrep_import_name(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/", 1)[0] for name in names if not name.split("/", 1)[0].endswith(".dist-info")}
    assert tops == {"newsgrep"}
    assert not any(name == "newsgrep/__init__.py" for name in names)  # a namespace: no file two could claim
    for module in ("index/store.py", "search/results.py", "cli/search_cmd.py", "index/data/places.tsv"):
        assert f"newsgrep/{module}" in names
    assert len([n for n in names if n.startswith("newsgrep/seeds/") and n.endswith(".txt")]) == 5


def test_the_console_scripts_point_into_newsgrep(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        entry = next(n for n in zf.namelist() if n.endswith("entry_points.txt"))
        text = zf.read(entry).decode()
    assert "search = newsgrep.cli.startup:search" in text
    assert "search-index = newsgrep.cli.startup:search_index" in text
