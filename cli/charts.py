"""Text rendering of timelines (one series, or several side by side), comparisons and top words.

Bars fit the terminal's width; on a terminal (or with --color always) they are drawn with Unicode
eighth blocks, elsewhere with plain '#' so that logs and pipes stay ASCII.
"""

from __future__ import annotations

import shutil

from newsgrep.cli.common import safe, style

_EIGHTHS = " ▏▎▍▌▋▊▉"
DEFAULT_WIDTH = 80
MIN_BAR = 8
SERIES_COLORS = ("36", "33", "35", "32", "34", "31", "96", "93", "95")


def width() -> int:
    """Columns to fill: the terminal's, else 80 (a pipe or a file)."""
    return max(40, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def bar(value: float, top: float, cells: int, fancy: bool) -> str:
    """A bar of `value` out of `top` over `cells` characters, padded to `cells`."""
    if top <= 0 or value <= 0:
        return " " * cells
    if not fancy:
        n = max(1, round(cells * value / top))
        return ("#" * n).ljust(cells)
    eighths = max(1, round(8 * cells * value / top))
    full, part = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[part] if part else "")).ljust(cells)


def _value(period, normalized: bool) -> float:
    return period.share if normalized else period.count


def _tail(period, normalized: bool) -> str:
    if normalized:
        return f"{100 * period.share:.1f}% ({period.count}/{period.base})" if period.base else "(no articles)"
    return str(period.count)


def timeline_lines(timelines: list, names: list[str], fancy: bool, color: bool) -> list[str]:
    """The timeline(s) as lines: one row per period, one bar column per series, counts at bar ends."""
    first = timelines[0]
    normalized = first.normalized
    what = "share of all indexed articles" if normalized else "matching articles"
    lines = ["", style(f"Timeline ({first.interval}, {what})", "1", color)]
    if not first.periods:
        lines.append("  (no dated matches)")
    label_w = max([len(p.period) for p in first.periods] + [len("undated")])
    tails = [[_tail(p, normalized) for p in t.periods] for t in timelines]
    tail_w = max([len(x) for col in tails for x in col] + [1])
    column = (width() - label_w - 2) // len(timelines)
    cells = max(MIN_BAR, column - tail_w - 2)
    top = max([_value(p, normalized) for t in timelines for p in t.periods] + [0])
    if len(timelines) > 1:
        heads = [safe(n)[: cells + tail_w].ljust(cells + tail_w + 2) for n in names]
        header = "".join(style(h, SERIES_COLORS[i % 9], color) for i, h in enumerate(heads))
        lines.append((" " * (label_w + 2) + header).rstrip())
    for row, period in enumerate(first.periods):
        parts = []
        for i, t in enumerate(timelines):
            drawn = bar(_value(t.periods[row], normalized), top, cells, fancy)
            if len(timelines) > 1:
                text = f"{drawn} {tails[i][row].rjust(tail_w)}"
            else:
                text = f"{drawn.rstrip()} {tails[i][row]}".lstrip()
            parts.append(style(text, SERIES_COLORS[i % 9], color and len(timelines) > 1) + " ")
        lines.append(f"{period.period.ljust(label_w)}  " + "".join(parts).rstrip())
    if any(t.undated for t in timelines):
        lines.append("undated".ljust(label_w) + "  " + "".join(
            str(t.undated).rjust(cells + tail_w + 1) + " " for t in timelines).rstrip()
            if len(timelines) > 1 else "undated".ljust(label_w) + f"  {first.undated}")
    return lines


FACET_TITLES = {"people": "People", "places": "Places", "orgs": "Organisations", "sources": "Sources",
                "months": "Months"}


def comparison_lines(series: list, color: bool) -> list[str]:
    """Totals of the main query and each --vs query, then each one's top facet values."""
    lines = ["", style("Comparison", "1", color)]
    for i, s in enumerate(series):
        name = safe(s.query) or "(filters only)"
        lines.append(f"  {s.total:>7}  {style(name, SERIES_COLORS[i % 9], color)}")
    for i, s in enumerate(series):
        lines.append("")
        lines.append(style(safe(s.query) or "(filters only)", SERIES_COLORS[i % 9], color))
        for facet, values in (s.facets or {}).items():
            shown = ", ".join(f"{safe(v)} ({c})" for v, c in values) or "(none)"
            lines.append(f"  {FACET_TITLES.get(facet, facet)}: {shown}")
    return lines


def top_word_lines(words: list, color: bool) -> list[str]:
    """Distinctive words with their article counts in and outside the matches, and their G²."""
    lines = ["", style("Top words (articles with it: in matches, elsewhere; log-likelihood G²)", "1", color)]
    if not words:
        lines.append("  (none)")
        return lines
    term_w = max(len(w.term) for w in words)
    for w in words:
        lines.append(f"  {safe(w.term).ljust(term_w)}  {w.count_in:>7}  {w.count_out:>7}  {w.score:>9.1f}")
    return lines
