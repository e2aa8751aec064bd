"""What a person may enter: plain-word errors, US dates read unambiguously, bounded dates and
no control characters (issue 7, defects 10 and 12)."""

from __future__ import annotations

from datetime import date

import pytest

from cetrack.inputs import InputError, validate_activity

TODAY = date(2026, 11, 22)
GOOD = {"title": "Ethics", "completed": "2026-02-01", "amount": 3, "format": "in_person"}


def errors(**changes) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        validate_activity({**GOOD, **changes}, today=TODAY)
    return caught.value.errors


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("02/01/2026", date(2026, 2, 1)),
        ("2/1/2026", date(2026, 2, 1)),
        ("12/31/2025", date(2025, 12, 31)),
    ],
)
def test_us_dates_are_month_first(typed, expected):
    assert validate_activity({**GOOD, "completed": typed}, today=TODAY).completed == expected


@pytest.mark.parametrize(
    "typed, message",
    [
        ("2/1/26", "enter a date as YYYY-MM-DD or MM/DD/YYYY (four-digit year)"),
        ("31/12/2025", "31/12/2025 is not a real date (MM/DD/YYYY)"),
        ("2026-13-01", "enter a date as YYYY-MM-DD or MM/DD/YYYY"),
        ("1899-12-31", "the year must be between 1900 and 2200"),
    ],
)
def test_dates_that_are_ambiguous_or_impossible_are_refused_in_words(typed, message):
    assert errors(completed=typed) == {"completed": message}


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"amount": "three"}, {"amount": "enter a number, such as 1.5"}),
        ({"amount": 0}, {"amount": "enter a number above 0"}),
        ({"amount": 5000}, {"amount": "enter 1000 or less"}),
        ({"title": ""}, {"title": "this is required"}),
        ({"title": "x" * 301}, {"title": "keep it to 300 characters or fewer"}),
        (
            {"title": "Eth\x00ics"},
            {"title": "contains a control character (such as NUL); remove it"},
        ),
    ],
)
def test_errors_are_plain_sentences(changes, expected):
    assert errors(**changes) == expected
