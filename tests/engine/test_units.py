"""Unit conversion: 50- and 60-minute hours, increments, CEU and academic credit."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cetrack.engine.units import convert
from cetrack.rules.schema import Units
from cetrack.wording import reason_text

SIXTY = Units(source="src")
ILLINOIS = Units(hour_minutes=50, increment=0.5, first_hour_whole=True, source="src")
ACADEMIC = Units(ceu_hours=10, semester_credit_hours=15, quarter_credit_hours=10, source="src")


@pytest.mark.parametrize(
    "amount, unit, units, credited",
    [
        (150, "minutes", SIXTY, 2.5),
        (150, "minutes", ILLINOIS, 3.0),
        (140, "minutes", ILLINOIS, 2.5),
        (45, "minutes", ILLINOIS, 0.0),
        (1.75, "hours", ILLINOIS, 1.5),
        (2.2, "ceu", ACADEMIC, 22.0),
        (3, "semester_credit", ACADEMIC, 45.0),
        (4, "quarter_credit", ACADEMIC, 40.0),
    ],
)
def test_known_conversions(amount, unit, units, credited):
    assert convert(amount, unit, units).hours == credited


def test_a_unit_without_conversion_is_not_accepted_with_a_reason():
    converted = convert(3, "semester_credit", SIXTY)
    assert converted.hours == 0
    assert converted.reasons[0].code == "unit_not_accepted"
    assert reason_text(converted.reasons[0]) == (
        "semester credits are not a unit this rule converts to CE hours"
    )


def test_the_rounding_loss_is_explained():
    converted = convert(140, "minutes", ILLINOIS)
    assert converted.reasons[0].code == "rounding"
    assert math.isclose(converted.reasons[0].hours, 0.3)


minutes = st.integers(min_value=0, max_value=24 * 60)
increments = st.sampled_from([0.25, 0.5, 1.0])


@given(minutes, increments, st.booleans(), st.sampled_from([50, 60]))
def test_credit_never_exceeds_the_time_and_loses_less_than_one_step(amount, increment, whole, hour):
    units = Units(hour_minutes=hour, increment=increment, first_hour_whole=whole, source="src")
    converted = convert(amount, "minutes", units)
    raw = amount / hour
    assert converted.hours <= raw + 1e-9
    if raw >= 1 or not whole:
        assert raw - converted.hours < increment + 1e-9
        steps = (converted.hours - (1 if whole and converted.hours else 0)) / increment
        assert abs(steps - round(steps)) < 1e-6
    else:
        assert converted.hours == 0
    lost = sum(reason.hours for reason in converted.reasons)
    assert abs(converted.raw_hours - converted.hours - lost) < 1e-6


@given(minutes, minutes)
def test_more_minutes_never_earn_less(first, second):
    low, high = sorted((first, second))
    assert convert(low, "minutes", ILLINOIS).hours <= convert(high, "minutes", ILLINOIS).hours


@given(minutes)
def test_a_fifty_minute_hour_credits_at_least_a_sixty_minute_hour(amount):
    fifty = Units(hour_minutes=50, source="src")
    assert convert(amount, "minutes", fifty).hours >= convert(amount, "minutes", SIXTY).hours


@given(st.floats(min_value=0, max_value=20, allow_nan=False))
def test_ceu_is_ten_hours(ceus):
    assert math.isclose(convert(ceus, "ceu", ACADEMIC).hours, round(ceus * 10, 6), abs_tol=1e-6)
