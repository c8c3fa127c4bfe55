"""Our own date parser for --since/--until: ISO days, months and years, and relative spans.

Whoosh's date syntax is not exposed (it reads `2024-03-05` as all of 2024 and crashes on some input),
so bounds are parsed here into days and applied as a filter.
"""

from __future__ import annotations

import datetime as dt
import re

_RELATIVE = re.compile(r"^(\d{1,5})\s*(d|w|m|y)$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class DateError(ValueError):
    """A date a user typed that we cannot read; the message says what is accepted."""


ACCEPTED = "use YYYY-MM-DD, YYYY-MM, YYYY, today, yesterday, or a span like 7d, 2w, 3m, 1y"


def _last_day(year: int, month: int) -> int:
    """Days in a month (the calendar module costs a one-shot search a millisecond to import)."""
    return (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day


def _months_back(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return dt.date(year, month, min(day.day, _last_day(year, month)))


def parse_bound(value: str, *, end: bool, today: dt.date | None = None) -> dt.date:
    """The first (or, with end=True, the last) day a user's date bound covers; bounds are inclusive.

    `--until 2022-03` therefore means up to 31 March 2022, and `--since 7d` the last seven days.
    """
    today = today or dt.date.today()
    text = value.strip().lower()
    if text == "today":
        return today
    if text == "yesterday":
        return today - dt.timedelta(days=1)
    rel = _RELATIVE.match(text)
    if rel:
        n, unit = int(rel[1]), rel[2]
        try:
            if unit == "d":
                return today - dt.timedelta(days=n)
            if unit == "w":
                return today - dt.timedelta(weeks=n)
            return _months_back(today, n * (12 if unit == "y" else 1))
        except (OverflowError, ValueError):
            raise DateError(f"date span too large: {value!r}") from None
    iso = _ISO.match(text)
    if not iso:
        raise DateError(f"cannot read date {value!r}: {ACCEPTED}")
    year = int(iso[1])
    try:
        if iso[3]:
            return dt.date(year, int(iso[2]), int(iso[3]))
        if iso[2]:
            month = int(iso[2])
            last = _last_day(year, month) if 1 <= month <= 12 else 0
            return dt.date(year, month, last if end else 1)
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    except ValueError:
        raise DateError(f"no such date: {value!r}") from None
