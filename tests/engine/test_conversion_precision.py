"""Hours converted from minutes keep their six decimals through the exact path: a 60-minute
course under 55-minute CE hours (1.090909 h) used to come out of the solver rounded to four
decimals, and the engine stopped on the 0.000009 h it could not explain (found by the
synthetic organization, KY psychologist)."""

from __future__ import annotations

from datetime import date

from cetrack.engine.ce import evaluate_ce
from cetrack.engine.records import Activity, LicenseFacts


def test_a_minutes_course_under_55_minute_hours_counts_in_full_on_the_exact_path(registry):
    rule = registry.get("KY/PSYCHOLOGIST")
    activities = [
        Activity(
            "dv", date(2026, 3, 11), 6, categories=("domestic_violence",), format="self_study"
        ),
        Activity("bounds", date(2026, 7, 29), 6, categories=("boundaries",), format="self_study"),
        Activity(
            "suicide",
            date(2026, 10, 27),
            60,
            unit="minutes",
            categories=("suicide_prevention", "crisis_management"),
            format="live_online",
        ),
        Activity("eating", date(2026, 11, 19), 3, categories=("clinical",), format="self_study"),
    ]
    facts = LicenseFacts(expires=date(2028, 4, 30), issued=date(2022, 4, 30), supervisor=True)
    result = evaluate_ce(rule, facts, activities, date(2026, 12, 4))
    assert result.exact  # the self-study cap binds: the solver's path
    by_id = {item.id: item for item in result.activities}
    assert (by_id["suicide"].counted, by_id["suicide"].excluded) == (round(60 / 55, 6), 0)
    assert by_id["suicide"].reasons == ()
    for item in result.activities:  # every hour counted, or set aside with a reason
        assert item.excluded == 0 or item.reasons, item
