"""Start-up: what a one-shot `search` imports (the console scripts' light imports, cli/startup.py) and that
importing the packages does nothing on the side. Real interpreters: only a fresh process shows its imports."""

from __future__ import annotations

import pytest


def test_a_search_imports_no_module_it_does_not_use(seeded: dict) -> None:
    """The console script's start-up (cli/startup.py) keeps Whoosh and typer from importing what a
    search never uses; each module is still there, whole, for whoever imports it later."""
    import os
    import subprocess
    import sys

    if "COVERAGE_PROCESS_CONFIG" in os.environ:
        pytest.skip("under coverage (patch = subprocess) the child imports hashlib and html for coverage itself")

    code = """
import sys
sys.argv = ["search", "peace", "--json", "--index-dir", sys.argv[1]]
from newsgrep.cli.startup import light_imports
light_imports()  # what the `search` script does first
from newsgrep.cli.search_cmd import app
try:
    app(standalone_mode=False)
except SystemExit:
    pass
unused = ("hashlib", "urllib.request", "whoosh.lang.morph_en", "html", "calendar", "subprocess", "difflib",
          "gettext", "shellingham", "qparser")
print([name for name in sys.modules if name in unused or name.endswith(".qparser")])
import hashlib, html, difflib, calendar, subprocess, gettext, urllib.request
assert hashlib.sha256(b"x").hexdigest().startswith("2d711642")
assert html.unescape("&lt;") == "<" and difflib.get_close_matches("limt", ["limit"]) == ["limit"]
assert calendar.monthrange(2024, 2)[1] == 29 and subprocess.run(["true"]).returncode == 0
assert gettext.gettext("x") == "x" and callable(urllib.request.urlopen)
from whoosh.query import terms
assert "rendering" in set(terms.variations("render"))
"""
    done = subprocess.run([sys.executable, "-c", code, seeded["SEARCH_INDEX_DIR"]], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert '"total": ' in lines[-2], done.stdout  # the search ran and found articles
    assert lines[-1] == "[]", done.stdout


def test_importing_the_packages_does_nothing_on_the_side() -> None:
    """The packages' __init__s import nothing: the start-up trick is the console scripts' alone."""
    import subprocess
    import sys

    code = ("import sys, newsgrep.index, newsgrep.search, newsgrep.cli\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('whoosh', 'typer', 'click')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
