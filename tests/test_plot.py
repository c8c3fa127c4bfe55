"""`--plot FILE`: the timeline as an SVG or PNG image through matplotlib (the optional [plot] extra),
and a clear message when matplotlib is missing (issue 17)."""

from __future__ import annotations

import pytest
from conftest import assert_one_clear_error, run, run_script


def test_svg_and_png_of_a_timeline(seeded, tmp_path):
    pytest.importorskip("matplotlib")
    svg, png = tmp_path / "t.svg", tmp_path / "t.png"
    result = run("search", "talks", "--plot", str(svg), env=seeded)
    assert result.returncode == 0, result.stderr
    assert "5 matching articles" in result.stdout  # the usual output, and the chart beside it
    assert "timeline drawn in" in result.stderr
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    result = run("search", "talks", "--vs", "truss", "--plot", str(png), "--json", env=seeded)
    assert result.returncode == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_needs_a_known_suffix_and_a_writable_place(seeded, tmp_path):
    assert_one_clear_error(run("search", "talks", "--plot", str(tmp_path / "t.pdf"), env=seeded), 2, ".svg or .png")
    if pytest.importorskip("matplotlib"):
        result = run("search", "talks", "--plot", str(tmp_path / "missing" / "t.svg"), env=seeded)
        assert_one_clear_error(result, 2, "cannot write")


def test_missing_matplotlib_is_one_clear_line(seeded, tmp_path):
    hidden = tmp_path / "hide"
    (hidden / "matplotlib").mkdir(parents=True)
    (hidden / "matplotlib" / "__init__.py").write_text("raise ImportError('hidden for this test')\n")
    result = run_script("search", "talks", "--plot", str(tmp_path / "t.svg"), env={**seeded, "PYTHONPATH": str(hidden)})
    assert_one_clear_error(result, 2, "needs matplotlib", "pip install")
    assert result.stdout == "" and not (tmp_path / "t.svg").exists()


def test_a_search_without_plot_never_imports_matplotlib(seeded):
    result = run_script("search", "talks", "-n", "1", env={**seeded, "PYTHONPROFILEIMPORTTIME": "1"})
    assert result.returncode == 0 and "matplotlib" not in result.stderr
