"""Dates: --since/--until bounds (ISO days, months, years, relative spans; inclusive ends; clear errors) and
the dates of JSON records, with hypothesis properties for whatever is typed or stored."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import FAST

from newsgrep.index.read import parse_iso_date
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


# ------------------------------------------------ properties (hypothesis): whatever is typed or stored

today_dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


date_words = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"\A\s*[0-9]{1,6}(-[0-9]{0,3}){0,3}\s*\Z"),
    st.from_regex(r"\A\s*[0-9]{1,6}\s*[dwmyDWMY]\s*\Z"),
    st.sampled_from(["today", "TODAY", " yesterday ", "0d", "99999y", "99999d", "99999w", "2022-02-29",
                     "2024-02-29", "0000-01-01", "2022-00", "2022-13", "2022-1-1", "٢٠٢٢-٠٣", "𝟐𝟎𝟐𝟐", "2022\n"]),
)


@FAST
@given(date_words, st.booleans(), today_dates)
def test_parse_bound_raises_only_date_error(text: str, end: bool, today: dt.date) -> None:
    """parse_bound returns a date or raises DateError (its documented error), whatever is typed."""
    try:
        day = parse_bound(text, end=end, today=today)
    except DateError:
        return
    assert isinstance(day, dt.date)


@FAST
@given(today_dates, st.booleans())
def test_parse_bound_reads_iso_days(day: dt.date, end: bool) -> None:
    assert parse_bound(day.isoformat(), end=end) == day
    assert parse_bound(f" {day.isoformat()}\n", end=end) == day


@FAST
@given(today_dates)
def test_parse_bound_month_covers_first_to_last_day(day: dt.date) -> None:
    text = f"{day.year:04d}-{day.month:02d}"
    last = calendar.monthrange(day.year, day.month)[1]
    assert parse_bound(text, end=False) == dt.date(day.year, day.month, 1)
    assert parse_bound(text, end=True) == dt.date(day.year, day.month, last)


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | date_words,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=10,
)


@FAST
@given(json_like)
def test_parse_iso_date_never_raises(value: object) -> None:
    """parse_iso_date takes anything a JSON record may hold and returns a date or None."""
    result = parse_iso_date(value)
    assert result is None or isinstance(result, dt.date)


@FAST
@given(today_dates, st.sampled_from(["", "T10:00:00Z", "T25:99", " trailing", "+01:00"]))
def test_parse_iso_date_reads_the_leading_day(day: dt.date, rest: str) -> None:
    assert parse_iso_date(day.isoformat() + rest) == day
