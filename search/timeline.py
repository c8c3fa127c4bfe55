"""Attention over time: matching articles per day, week, month or year, from each article's day.

The days come from the search's columns (index/columns.py: the facet tables' one YYYYMMDD per article,
0 when undated), so a timeline over ten thousand matches is a count over a list of ints, not a read of
stored fields.
Every period between the first and the last dated match is listed, empty ones with 0, so a chart's
gaps are real gaps. Undated matches are counted apart: they belong to no period.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

INTERVALS = ("day", "week", "month", "year")
# Automatic interval: the finest whose number of periods over the span of the matches stays readable
# as one bar per line (about a screenful).
MAX_AUTO_PERIODS = 60


@dataclass
class Period:
    """One bar: the period's label, its matching articles, and their share.

    `share` is count / all matches (undated included), or, normalised, count / all indexed articles
    of that period (`base`), as Media Cloud's "normalized attention".
    """

    period: str
    count: int
    share: float
    base: int | None = None


@dataclass
class Timeline:
    interval: str
    periods: list[Period]
    undated: int
    normalized: bool = False


@dataclass
class Series:
    """One query's side of a comparison (`--vs`): its total, timeline and top facet values."""

    query: str
    total: int
    timeline: Timeline | None = None
    facets: dict[str, list[tuple[str, int]]] | None = None
    days: list[int] = field(default_factory=list, repr=False)


def _date(day: int) -> dt.date:
    return dt.date(day // 10000, day // 100 % 100, day % 100)


def period_of(day: dt.date, interval: str) -> str:
    """The label of the period holding `day`: 2022-03-18, 2022-W11 (ISO week), 2022-03 or 2022."""
    if interval == "day":
        return day.isoformat()
    if interval == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if interval == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def _start(day: dt.date, interval: str) -> dt.date:
    if interval == "week":
        return day - dt.timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    if interval == "year":
        return day.replace(month=1, day=1)
    return day


def _next(day: dt.date, interval: str) -> dt.date:
    """The first day of the period after the one that starts on `day`."""
    if interval == "day":
        return day + dt.timedelta(days=1)
    if interval == "week":
        return day + dt.timedelta(days=7)
    if interval == "month":
        return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return day.replace(year=day.year + 1)


def periods_between(low: int, high: int, interval: str) -> list[str]:
    """Every period label from the one holding day `low` to the one holding `high` (YYYYMMDD ints)."""
    out, day, last = [], _start(_date(low), interval), _date(high)
    while day <= last:
        out.append(period_of(day, interval))
        day = _next(day, interval)
    return out


def count_periods(low: int, high: int, interval: str) -> int:
    """How many periods periods_between(low, high, interval) lists, by date arithmetic: choosing the
    interval of a year's matches no longer builds the 365 day labels it then drops."""
    first, last = _start(_date(low), interval), _date(high)
    if last < first:
        return 0
    if interval == "day":
        return (last - first).days + 1
    if interval == "week":
        return (last - first).days // 7 + 1
    if interval == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    return last.year - first.year + 1


def pick_interval(low: int, high: int) -> str:
    """The finest interval giving at most MAX_AUTO_PERIODS periods between days `low` and `high`."""
    for interval in INTERVALS[:-1]:
        if count_periods(low, high, interval) <= MAX_AUTO_PERIODS:
            return interval
    return "year"


def by_period(day_counts: Counter, interval: str) -> Counter:
    """Counts per day (YYYYMMDD, 0 undated left out) summed into periods."""
    out: Counter = Counter()
    for day, n in day_counts.items():
        if day:
            out[_label(day, interval)] += n
    return out


@lru_cache(maxsize=1 << 16)
def _label(day: int, interval: str) -> str:
    """period_of a YYYYMMDD day: the same few hundred days are labelled by every search of an archive
    (a date object and an ISO calendar each: a third of a timeline's cost)."""
    return period_of(_date(day), interval)


def span(*day_lists: list[int]) -> tuple[int, int] | None:
    """The first and last dated day over all the lists; None when nothing is dated."""
    dated = list(filter(None, chain.from_iterable(day_lists)))  # C-level: once per match of every series
    return (min(dated), max(dated)) if dated else None


def span_of_counts(*day_counts: Counter) -> tuple[int, int] | None:
    """span() of articles counted per day (Columns.day_counts): over the distinct days only."""
    return span(*(list(counts) for counts in day_counts))


def build(days: list[int], interval: str, bounds: tuple[int, int] | None,
          base: Counter | None = None) -> Timeline:
    """The timeline of articles with these days (0 undated) over the periods of `bounds`.

    `base`, counts per period of every indexed article, makes each share the normalised one.
    """
    return build_from_counts(Counter(days), interval, bounds, base)


def build_from_counts(day_counts: Counter, interval: str, bounds: tuple[int, int] | None,
                      base: Counter | None = None) -> Timeline:
    """build() from the number of articles of each day (0 undated), as Columns.day_counts gives them:
    a search's matches are counted per day once, by their day ids, not listed day by day first."""
    day_counts = Counter(day_counts)
    total = sum(day_counts.values())
    undated = day_counts.pop(0, 0)
    counts = by_period(day_counts, interval)
    labels = periods_between(*bounds, interval) if bounds else []
    rows = []
    for label in labels:
        n = counts.get(label, 0)
        if base is not None:
            of = base.get(label, 0)
            rows.append(Period(label, n, round(n / of, 6) if of else 0.0, of))
        else:
            rows.append(Period(label, n, round(n / total, 6) if total else 0.0))
    return Timeline(interval, rows, undated, normalized=base is not None)
