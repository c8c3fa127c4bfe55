"""Typer's shell completion for both commands (issue 17). Its cost to a one-shot search, measured in
process: building the command takes 0.1 to 0.3 ms longer with it (typer imports its completion
modules either way)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from conftest import run_script, script


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_completion_script_and_answers():
    # `--show-completion` shows the script of the shell it runs under (typer asks the process tree),
    # so the script runs under bash here whatever shell started the suite (under sh typer refuses).
    shown = subprocess.run(["bash", "-c", f"'{script('search')}' --show-completion; exit $?"], capture_output=True,
                           text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=120, check=False)
    assert shown.returncode == 0 and "_SEARCH_COMPLETE" in shown.stdout
    answer = run_script("search", env={"_SEARCH_COMPLETE": "complete_bash", "COMP_WORDS": "search --time",
                                       "COMP_CWORD": "1"})
    assert answer.stdout.split() == ["--timeline"]
    answer = run_script("search-index", env={"_SEARCH_INDEX_COMPLETE": "complete_bash",
                                             "COMP_WORDS": "search-index sta", "COMP_CWORD": "1"})
    assert answer.stdout.split() == ["stats"]


def test_help_lists_completion():
    for name in ("search", "search-index"):
        assert "--install-completion" in run_script(name, "--help").stdout

