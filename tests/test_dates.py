"""--since/--until bounds: ISO days, months, years, relative spans; inclusive ends; clear errors."""

from __future__ import annotations

import datetime as dt

import pytest

from newsgrep.search.dates import DateError, parse_bound

TODAY = dt.date(2026, 3, 31)


@pytest.mark.parametrize(("text", "end", "expected"), [
    ("2022-03-18", False, dt.date(2022, 3, 18)),
    ("2022-03-18", True, dt.date(2022, 3, 18)),
    ("2022-03", False, dt.date(2022, 3, 1)),
    ("2022-03", True, dt.date(2022, 3, 31)),
    ("2024-02", True, dt.date(2024, 2, 29)),
    ("2022", False, dt.date(2022, 1, 1)),
    ("2022", True, dt.date(2022, 12, 31)),
    ("today", False, TODAY),
    ("Yesterday", True, dt.date(2026, 3, 30)),
    ("7d", False, dt.date(2026, 3, 24)),
    ("2w", False, dt.date(2026, 3, 17)),
    ("1m", False, dt.date(2026, 2, 28)),
    ("1y", False, dt.date(2025, 3, 31)),
])
def test_bounds(text: str, end: bool, expected: dt.date) -> None:
    assert parse_bound(text, end=end, today=TODAY) == expected


@pytest.mark.parametrize("text", ["2022-02-30", "2022-13", "March 2022", "7x", "", "-3d", "99999y"])
def test_bad_dates_raise_date_error(text: str) -> None:
    with pytest.raises(DateError):
        parse_bound(text, end=False, today=TODAY)
