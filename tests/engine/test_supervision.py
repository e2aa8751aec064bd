"""Supervised-experience validators on fixture rules, with results worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

from cetrack.engine.records import SupervisionLog
from cetrack.engine.supervision import evaluate_supervision
from cetrack.wording import note_text, reason_text
from tests.factories import make_rule

START = date(2025, 1, 6)  # a Monday


def rule_with(**experience):
    section = {"title": "Experience", "associate_title": "Associate", "source": "src", **experience}
    return make_rule(supervised_experience=[section])


def week(number: int, **hours) -> SupervisionLog:
    start = START + timedelta(weeks=number)
    fields = {"signed": True, **hours}
    return SupervisionLog(id=f"w{number}", start=start, end=start + timedelta(days=6), **fields)


def evaluate(rule, logs, as_of=date(2026, 11, 22), **options):
    return evaluate_supervision(rule, START, logs, as_of, **options)


def outcome(result, log_id):
    return next(item for item in result.logs if item.id == log_id)


def messages(result, log_id):
    return [reason_text(reason) for reason in outcome(result, log_id).reasons]


def progress(result):
    return {item.id: (item.required, item.counted) for item in result.requirements}


def test_unsigned_and_future_logs_do_not_count():
    rule = rule_with(total_hours=100)
    result = evaluate(
        rule,
        [week(0, direct=20, signed=False), week(1, direct=20)],
        as_of=START + timedelta(days=10),
    )
    assert messages(result, "w0") == ["not signed by the supervisor"]
    assert messages(result, "w1") == ["the log ends after the evaluation date (2025-01-16)"]
    assert progress(result)["total_hours"] == (100, 0)


def test_weekly_cap_cuts_indirect_hours_first():
    result = evaluate(rule_with(weekly_hours_max=40), [week(0, direct=30, indirect=15)])
    assert (outcome(result, "w0").direct, outcome(result, "w0").indirect) == (30, 10)
    assert messages(result, "w0") == ["over the 40 h per week maximum"]


def test_an_averaged_ratio_lets_later_supervision_cover_earlier_hours():
    """Ohio: supervision "averages" 1 h per 20 h of work. 40 h then 2 h of supervision later:
    every hour counts (the forward ratio would drop the first week); with too little
    supervision overall, the latest hours go first."""
    rule = rule_with(
        ratios=[
            {
                "kind": "min",
                "supervision_hours": 1,
                "per_hours": 20,
                "basis": "total",
                "average": True,
            }
        ]
    )
    covered = evaluate(rule, [week(0, direct=40), week(1, individual_supervision=2)])
    assert [outcome(covered, log).counted for log in ("w0", "w1")] == [40, 0]
    assert all(not outcome(covered, log).reasons for log in ("w0", "w1"))
    short = evaluate(
        rule, [week(0, direct=30), week(1, direct=20, individual_supervision=2), week(2, direct=10)]
    )
    assert [outcome(short, log).counted for log in ("w0", "w1", "w2")] == [30, 10, 0]
    assert messages(short, "w2") == [
        "not covered by supervision: supervision must average 1 h per 20 h of experience "
        "hours over the whole experience"
    ]
    forward = rule_with(
        ratios=[{"kind": "min", "supervision_hours": 1, "per_hours": 20, "basis": "total"}]
    )
    assert (
        outcome(
            evaluate(forward, [week(0, direct=40), week(1, individual_supervision=2)]), "w0"
        ).counted
        == 0
    )


def test_minimum_supervision_ratio_is_cumulative():
    rule = rule_with(ratios=[{"kind": "min", "supervision_hours": 1, "per_hours": 15}])
    result = evaluate(
        rule,
        [
            week(0, direct=20, individual_supervision=1),
            week(1, direct=10, individual_supervision=2),
        ],
    )
    assert outcome(result, "w0").direct == 15
    assert messages(result, "w0") == [
        "not covered by supervision: at least 1 h of supervision are required per 15 h of "
        "direct-contact hours"
    ]
    assert outcome(result, "w1").direct == 10  # 3 h cover 45; 25 counted so far


def test_maximum_supervision_ratio():
    rule = rule_with(
        ratios=[{"kind": "max", "supervision_hours": 4, "per_hours": 40, "basis": "total"}]
    )
    result = evaluate(
        rule, [week(0, direct=30, indirect=10, individual_supervision=3, group_supervision=3)]
    )
    assert outcome(result, "w0").supervision == 4
    assert outcome(result, "w0").excluded_supervision == 2


def test_monthly_minimum_excludes_a_short_month():
    rule = rule_with(period_minimums=[{"period": "month", "supervision_hours": 4}])
    logs = [
        SupervisionLog(
            "jan",
            date(2025, 1, 6),
            date(2025, 1, 31),
            direct=60,
            individual_supervision=4,
            signed=True,
        ),
        SupervisionLog(
            "feb",
            date(2025, 2, 1),
            date(2025, 2, 28),
            direct=60,
            individual_supervision=2,
            signed=True,
        ),
    ]
    result = evaluate(rule, logs)
    assert outcome(result, "jan").direct == 60
    assert outcome(result, "feb").direct == 0
    assert messages(result, "feb") == [
        "2025-02 had 2 h of supervision; 4 h were required (4 h every month), so the period does "
        "not count"
    ]


def test_group_rules_size_share_and_individual_reclassification():
    rule = rule_with(group_size_max=6, individual_size_max=2, group_supervision_max_fraction="1/2")
    result = evaluate(
        rule,
        [
            week(0, direct=20, individual_supervision=1, group_supervision=2, group_size=8),
            week(1, direct=20, group_supervision=2, group_size=2),
            week(2, direct=20, individual_supervision=1, group_supervision=3, group_size=4),
        ],
    )
    assert messages(result, "w0") == ["a group of 8 is larger than the maximum of 6"]
    assert (outcome(result, "w1").individual, outcome(result, "w1").group) == (2, 0)
    # individual so far 1 + 2 + 1 = 4, so at most 4 group hours: 3 counted
    assert outcome(result, "w2").group == 3


def test_group_share_cut():
    rule = rule_with(group_supervision_max_fraction="1/2")
    result = evaluate(rule, [week(0, direct=20, individual_supervision=1, group_supervision=3)])
    assert outcome(result, "w0").group == 1
    assert messages(result, "w0") == ["group supervision over the 1/2 share of supervision hours"]


def test_telehealth_cap_and_couples_minimum():
    rule = rule_with(direct_hours=40, telehealth_max_hours=30, couples_family_hours=10)
    result = evaluate(
        rule,
        [
            week(0, direct=20, telehealth=20, couples_family=5),
            week(1, direct=20, telehealth=20, couples_family=2),
        ],
    )
    assert outcome(result, "w1").direct == 10
    assert messages(result, "w1") == ["over the 30 h maximum of telehealth hours"]
    assert progress(result)["couples_family_hours"] == (10, 7)


def test_duration_limits_and_age():
    rule = rule_with(months_min=18, months_max=24, max_age_years=1)
    old = SupervisionLog("old", START, START + timedelta(days=6), direct=10, signed=True)
    late = SupervisionLog("late", date(2027, 2, 1), date(2027, 2, 7), direct=10, signed=True)
    result = evaluate(rule, [old, late], as_of=date(2027, 3, 1))
    assert messages(result, "old") == ["more than 1 years before the application date (2026-03-01)"]
    assert messages(result, "late") == ["after the 24-month maximum period (ended 2027-01-05)"]


def test_eligible_on_the_day_the_last_requirement_is_met():
    rule = rule_with(total_hours=100, supervision_hours=4, months_min=1)
    logs = [week(n, direct=25, individual_supervision=1) for n in range(6)]
    result = evaluate(rule, logs)
    assert result.eligible
    # 100 h after week 3 (ends 2025-02-02); the month from 2025-01-06 runs to 2025-02-05
    assert result.projected_eligible == date(2025, 2, 5)


def test_projection_at_the_recent_pace():
    rule = rule_with(total_hours=1000, months_min=6)
    as_of = START + timedelta(weeks=12) - timedelta(days=1)
    logs = [week(n, direct=20, indirect=5) for n in range(12)]
    result = evaluate(rule, logs, as_of=as_of)
    assert not result.eligible
    assert result.pace_per_week["total_hours"] == 25
    # 700 h left at 25 h a week = 28 weeks, later than the 6 months (2025-07-05)
    assert result.projected_eligible == as_of + timedelta(weeks=28)
    longer = evaluate(rule_with(total_hours=1000, months_min=18), logs, as_of=as_of)
    assert longer.projected_eligible == date(2026, 7, 5)


def test_no_projection_without_recent_hours():
    rule = rule_with(total_hours=1000)
    result = evaluate(rule, [week(0, direct=20)], as_of=date(2026, 11, 22))
    assert result.projected_eligible is None
    assert [note_text(note) for note in result.notes] == [
        "no projection: the recent pace does not add the missing hours"
    ]


def test_registration_lifetime_is_reported():
    registration = {
        "title": "AMFT",
        "valid_months": 12,
        "anchor": "end_of_issue_month",
        "max_renewals": 5,
        "max_years": 6,
        "source": "src",
    }
    rule = rule_with(total_hours=3000, registration=registration)
    logs = [week(n, direct=5) for n in range(8)]
    result = evaluate(
        rule, logs, as_of=START + timedelta(weeks=8), registration_issued=date(2024, 12, 20)
    )
    assert result.registration_final_expiry == date(2030, 12, 31)
    assert any("cannot be renewed beyond 2030-12-31" in note_text(note) for note in result.notes)


def test_monthly_supervision_maximum():
    rule = rule_with(period_maximums=[{"period": "month", "supervision_hours": 10}])
    logs = [
        SupervisionLog(
            "a",
            date(2025, 1, 6),
            date(2025, 1, 12),
            direct=20,
            individual_supervision=6,
            signed=True,
        ),
        SupervisionLog(
            "b",
            date(2025, 1, 13),
            date(2025, 1, 19),
            direct=20,
            individual_supervision=2,
            group_supervision=4,
            signed=True,
        ),
    ]
    result = evaluate(rule, logs)
    assert outcome(result, "b").supervision == 4
    assert (outcome(result, "b").individual, outcome(result, "b").group) == (2, 2)
    assert messages(result, "b") == ["supervision over 10 h in 2025-01 does not count"]


def test_average_supervision_is_a_requirement_not_an_exclusion():
    rule = rule_with(period_minimums=[{"period": "month", "supervision_hours": 4, "average": True}])
    logs = [
        SupervisionLog(
            "jan",
            date(2025, 1, 6),
            date(2025, 2, 5),
            direct=60,
            individual_supervision=6,
            signed=True,
        ),
        SupervisionLog(
            "feb",
            date(2025, 2, 6),
            date(2025, 3, 5),
            direct=60,
            individual_supervision=1,
            signed=True,
        ),
    ]
    result = evaluate(rule, logs)
    assert outcome(result, "feb").direct == 60
    # 2025-01-06 to 2025-03-05 is two whole months: 8 h
    assert progress(result)["average_supervision_per_month"] == (8, 7)
    assert not result.eligible


def test_weekly_minimum_and_indirect_maximum():
    rule = rule_with(weekly_hours_min=15, indirect_hours_max=12)
    result = evaluate(
        rule,
        [
            week(0, direct=5, indirect=5),
            week(1, direct=10, indirect=8),
            week(2, direct=10, indirect=8),
        ],
    )
    assert messages(result, "w0") == ["under the 15 h per week minimum; such weeks do not count"]
    assert outcome(result, "w2").indirect == 4
    assert messages(result, "w2") == ["over the 12 h maximum of indirect hours"]


def test_a_period_short_of_its_minimum_does_not_count_at_all():
    """NJ: supervision of a week that falls short is not counted toward the total either."""
    rule = rule_with(
        total_hours=100,
        supervision_counts_toward_total=True,
        period_minimums=[{"period": "week", "supervision_hours": 1}],
    )
    result = evaluate(
        rule,
        [week(0, direct=30, group_supervision=0.5), week(1, direct=30, individual_supervision=1)],
    )
    assert (outcome(result, "w0").counted, outcome(result, "w0").supervision) == (0, 0)
    assert progress(result)["total_hours"] == (100, 31)
    assert messages(result, "w0") == [
        "the week from 2025-01-06 had 0.5 h of supervision; 1 h were required (1 h every week), "
        "so the period does not count"
    ]


def test_no_projection_while_the_duration_has_no_recent_hours():
    """Every hour is met, but months remain and nothing was logged in the last 12 weeks."""
    rule = rule_with(total_hours=40, months_min=24)
    result = evaluate(rule, [week(0, direct=40)], as_of=date(2026, 11, 22))
    assert not result.eligible
    assert result.projected_eligible is None


def test_weekly_direct_cap_cuts_only_direct_hours():
    """MS: direct hours over the weekly maximum do not count; indirect hours are untouched."""
    result = evaluate(rule_with(weekly_direct_hours_max=20), [week(0, direct=26, indirect=10)])
    assert (outcome(result, "w0").direct, outcome(result, "w0").indirect) == (20, 10)
    assert outcome(result, "w0").excluded == 6
    assert messages(result, "w0") == ["direct hours over the 20 h per week maximum"]


def test_group_supervision_counts_at_its_weight():
    """Group supervision at half weight: 4 h of group count as 2 h; individual counts whole."""
    rule = rule_with(supervision_hours=10, group_supervision_weight="1/2")
    result = evaluate(rule, [week(0, direct=20, individual_supervision=3, group_supervision=4)])
    log = outcome(result, "w0")
    assert (log.individual, log.group, log.excluded_supervision) == (3, 2, 2)
    assert messages(result, "w0") == ["group supervision counts at 1/2 of its hours"]
    assert progress(result)["supervision_hours"] == (10, 5)
