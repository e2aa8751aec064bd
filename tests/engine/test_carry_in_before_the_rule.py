"""A cycle whose previous cycle ended before the rule file's first CE version carries nothing
in: the engine used to stop with "no version of the CE rule applies" on any license holding
an activity that old (found by the synthetic organization: NY psychologists, IL and MI social
workers and counselors)."""

from __future__ import annotations

from datetime import date, timedelta

from cetrack.engine.ce import evaluate_ce
from cetrack.engine.records import Activity, LicenseFacts


def test_an_activity_from_before_the_rule_is_set_aside_and_nothing_is_carried(registry):
    rule = registry.get("NY/PSYCHOLOGIST")
    first_version = min(version.effective_from for version in rule.ce if version.effective_from)
    old = Activity("old", date(2019, 1, 2), 2, categories=("practice_management",))
    facts = LicenseFacts(
        expires=date(2026, 11, 30), issued=date(2011, 3, 10), birth_date=date(1972, 12, 20)
    )
    result = evaluate_ce(rule, facts, [old], date(2026, 11, 22))
    previous_end = result.cycle.start - timedelta(days=1)
    assert old.completed < previous_end < first_version  # no CE version for the cycle before
    (outcome,) = result.activities
    assert (outcome.counted, outcome.excluded) == (0, 2) and outcome.reasons
    assert result.total.counted == 0 and result.status == "incomplete"
