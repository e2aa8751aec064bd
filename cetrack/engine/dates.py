"""Calendar arithmetic on plain dates (no time zones: deadlines are calendar dates)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def clamped(year: int, month: int, day: int) -> date:
    """The date, or the month's last day when the month is shorter (Feb 29 -> Feb 28)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return clamped(index // 12, index % 12 + 1, day.day)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def months_inclusive(first: date, last: date) -> int:
    """Calendar months from `first`'s month through `last`'s month, both counted."""
    return month_index(last) - month_index(first) + 1


def whole_months(start: date, end: date) -> int:
    """Whole months from `start` to `end` (a month is whole when its day is reached again)."""
    months = month_index(end) - month_index(start)
    if add_months(start, months) > end + timedelta(days=1):
        months -= 1
    return max(months, 0)


def day_before(day: date) -> date:
    return day - timedelta(days=1)


def day_after(day: date) -> date:
    return day + timedelta(days=1)
