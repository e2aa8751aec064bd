"""Each rule mechanism on a fixture rule, with results worked out by hand.

The fixture license (ZZ/TEST, not a real rule) expires June 30 of odd years, needs 24 h with
6 h ethics; the cycle under test runs 2025-07-01 to 2027-06-30.
"""

from __future__ import annotations

from datetime import date

from cetrack.engine.ce import evaluate_ce
from cetrack.wording import note_text, reason_text
from tests.factories import activity, ce_data, facts, make_ce_rule, make_rule

AS_OF = date(2026, 11, 22)
LICENSE = facts(expires="2027-06-30", issued="2010-03-01")
ETHICS = {"id": "ethics", "title": "Ethics", "hours": 6, "categories": ["ethics"]}


def evaluate(rule, activities, license_facts=LICENSE, as_of=AS_OF):
    return evaluate_ce(rule, license_facts, activities, as_of)


def by_id(result):
    return {outcome.id: outcome for outcome in result.activities}


def requirement(result, requirement_id):
    return next(item for item in result.requirements if item.id == requirement_id)


def reason_messages(result, activity_id):
    return [reason_text(reason) for reason in by_id(result)[activity_id].reasons]


# --- totals, categories, caps --------------------------------------------------------------


def test_category_short_while_the_total_is_met():
    result = evaluate(
        make_ce_rule(),
        [activity("a", "2026-01-10", 21, "trauma"), activity("b", "2026-02-10", 3, "ethics")],
    )
    assert result.total.counted == 24 and result.total.remaining == 0
    assert requirement(result, "ethics").remaining == 3
    assert result.status == "incomplete"
    assert result.minimal_additional == 3


def test_absolute_format_cap_excludes_hours_with_a_reason():
    rule = make_ce_rule(
        caps=[
            {"id": "self_study", "title": "self-study", "max_hours": 12, "formats": ["self_study"]}
        ]
    )
    result = evaluate(
        rule,
        [
            activity("home", "2026-01-10", 20, "trauma", fmt="self_study"),
            activity("live", "2026-02-10", 6, "ethics", fmt="live_online"),
        ],
    )
    assert by_id(result)["home"].counted == 12
    assert by_id(result)["home"].excluded == 8
    assert reason_messages(result, "home") == ["over the 12 h self-study cap"]
    assert result.total.counted == 18
    assert result.minimal_additional == 6
    assert [item.formats for item in result.plan] == [("in_person", "live_online")]


def test_fraction_cap_is_a_share_of_the_required_total():
    rule = make_ce_rule(
        caps=[
            {
                "id": "self_study",
                "title": "self-study",
                "max_fraction": "1/3",
                "formats": ["self_study"],
            }
        ]
    )
    result = evaluate(rule, [activity("home", "2026-01-10", 20, "ethics", fmt="self_study")])
    assert by_id(result)["home"].counted == 8
    assert reason_messages(result, "home") == ["over the 8 h self-study cap"]


def test_category_and_type_caps():
    rule = make_ce_rule(
        caps=[
            {
                "id": "office",
                "title": "non-clinical",
                "max_hours": 6,
                "categories": ["practice_management"],
            },
            {"id": "teaching", "title": "presentation", "max_hours": 5, "types": ["presentation"]},
        ]
    )
    result = evaluate(
        rule,
        [
            activity("office", "2026-01-10", 8, "practice_management"),
            activity("talk", "2026-02-10", 9, "trauma", kind="presentation"),
        ],
    )
    assert (by_id(result)["office"].counted, by_id(result)["talk"].counted) == (6, 5)
    assert reason_messages(result, "talk") == ["over the 5 h presentation cap"]


def test_per_day_cap():
    rule = make_ce_rule(caps=[{"id": "daily", "title": "daily", "max_hours": 12, "per": "day"}])
    result = evaluate(
        rule,
        [
            activity("morning", "2026-03-02", 8, "ethics"),
            activity("evening", "2026-03-02", 8, "trauma"),
            activity("other", "2026-03-03", 8, "trauma"),
        ],
    )
    assert result.total.counted == 20
    assert by_id(result)["evening"].excluded == 4
    assert reason_messages(result, "evening") == ["over the 12 h daily cap for 2026-03-02"]
    assert by_id(result)["morning"].allocation == {"ethics": 6, "total": 2}


def test_live_minimum_overlaps_categories_and_plans_live_hours():
    live = {
        "id": "live",
        "title": "Live, interactive",
        "hours": 10,
        "overlap": True,
        "formats": ["in_person", "live_online"],
    }
    result = evaluate(
        make_ce_rule(requirements=[ETHICS, live]),
        [activity("home", "2026-01-10", 24, "ethics", fmt="self_study")],
    )
    assert result.total.remaining == 0
    assert requirement(result, "ethics").remaining == 0
    assert requirement(result, "live").remaining == 10
    assert result.minimal_additional == 10
    assert [(item.hours, item.formats) for item in result.plan] == [
        (10, ("in_person", "live_online"))
    ]


def test_a_category_counts_only_in_its_formats():
    synchronous_ethics = {**ETHICS, "formats": ["in_person", "live_online"]}
    result = evaluate(
        make_ce_rule(requirements=[synchronous_ethics]),
        [activity("home", "2026-01-10", 24, "ethics", fmt="self_study")],
    )
    assert by_id(result)["home"].allocation == {"total": 24}
    assert requirement(result, "ethics").remaining == 6
    assert result.plan[0].formats == ("in_person", "live_online")


def test_an_hour_tagged_twice_fills_the_gap_that_needs_it():
    cultural = {
        "id": "cultural",
        "title": "Cultural",
        "hours": 3,
        "categories": ["cultural_competency"],
    }
    result = evaluate(
        make_ce_rule(requirements=[ETHICS, cultural]),
        [
            activity("both", "2026-01-10", 3, "ethics", "cultural_competency"),
            activity("ethics", "2026-02-10", 6, "ethics"),
        ],
    )
    assert by_id(result)["both"].allocation == {"cultural": 3}
    assert result.minimal_additional == 15


def test_exclusions_and_dates_outside_the_cycle():
    rule = make_ce_rule(
        exclusions=[
            {
                "id": "office",
                "title": "office-management courses",
                "categories": ["practice_management"],
            }
        ],
        accept_before_issue=False,
    )
    result = evaluate(
        rule,
        [
            activity("office", "2026-01-10", 3, "practice_management"),
            activity("old", "2025-06-30", 3, "ethics"),
            activity("future", "2026-12-01", 3, "ethics"),
        ],
    )
    assert reason_messages(result, "office") == ["office-management courses are not accepted"]
    assert reason_messages(result, "old") == ["completed before the cycle began on 2025-07-01"]
    assert reason_messages(result, "future") == ["dated after the evaluation date (2026-11-22)"]
    early = evaluate(
        rule,
        [activity("early", "2025-07-02", 3, "ethics")],
        facts(expires="2027-06-30", issued="2025-08-01"),
    )
    assert reason_messages(early, "early") == [
        "completed before the license was issued on 2025-08-01"
    ]


def test_units_are_converted_by_the_rule():
    rule = make_ce_rule(units={"hour_minutes": 50, "increment": 0.5, "source": "src"})
    result = evaluate(
        rule,
        [
            activity("webinar", "2026-01-10", 150, "ethics", unit="minutes"),
            activity("course", "2026-01-11", 3, "trauma", unit="semester_credit"),
        ],
    )
    assert by_id(result)["webinar"].counted == 3
    assert reason_messages(result, "course") == [
        "semester credits are not a unit this rule converts to CE hours"
    ]


# --- frequencies and conditions -------------------------------------------------------------


def test_once_per_career_counts_an_earlier_cycle_and_not_toward_the_total():
    hiv = {
        "id": "hiv",
        "title": "HIV/AIDS (once)",
        "hours": 7,
        "categories": ["hiv_aids"],
        "frequency": "once",
        "counts_toward_total": False,
    }
    result = evaluate(
        make_ce_rule(requirements=[ETHICS, hiv]), [activity("hiv", "2019-05-01", 7, "hiv_aids")]
    )
    assert requirement(result, "hiv").remaining == 0
    assert by_id(result)["hiv"].allocation == {"hiv": 7}
    assert result.total.counted == 0


def test_every_nth_cycle_is_due_only_at_those_renewals():
    laws = {
        "id": "laws",
        "title": "Laws and rules",
        "hours": 3,
        "categories": ["jurisprudence"],
        "frequency": "every_nth_cycle",
        "n": 3,
    }
    rule = make_ce_rule(requirements=[ETHICS, laws])
    # issued 2020-01-10: renewals 2021 (1), 2023 (2), 2025 (3), 2027 (4)
    fourth = evaluate(rule, [], facts(expires="2027-06-30", issued="2020-01-10"))
    assert [item.id for item in fourth.requirements] == ["ethics"]
    third = evaluate(
        rule, [], facts(expires="2025-06-30", issued="2020-01-10"), as_of=date(2025, 1, 1)
    )
    assert [item.id for item in third.requirements] == ["ethics", "laws"]
    unknown = evaluate(rule, [], facts(expires="2027-06-30"))
    assert "laws" in [item.id for item in unknown.requirements]
    assert [note.code for note in unknown.notes] == ["due_every_nth_unknown_number"]
    assert "renewal number is unknown" in note_text(unknown.notes[0])


def test_within_years_looks_back_from_the_cycle_end():
    suicide = {
        "id": "suicide",
        "title": "Suicide prevention (every 6 years)",
        "hours": 6,
        "categories": ["suicide_prevention"],
        "frequency": "within_years",
        "years": 6,
    }
    rule = make_ce_rule(requirements=[ETHICS, suicide])
    recent = evaluate(rule, [activity("s", "2021-08-01", 6, "suicide_prevention")])
    assert requirement(recent, "suicide").remaining == 0
    assert recent.total.counted == 0
    stale = evaluate(rule, [activity("s", "2021-06-01", 6, "suicide_prevention")])
    assert requirement(stale, "suicide").remaining == 6


BIAS = {
    "id": "bias",
    "title": "Implicit bias",
    "hours": 1,
    "categories": ["implicit_bias"],
    "frequency": "per_year_of_cycle",
}


def test_per_year_of_cycle():
    result = evaluate(make_ce_rule(requirements=[BIAS]), [])
    assert requirement(result, "bias").required == 2


def test_per_year_of_cycle_on_an_anniversary_cycle_starting_on_the_first():
    """2025-06-01 to 2027-06-01 is two years, not three (MI implicit bias, R 338.7004)."""
    rule = make_rule(
        renewal=[
            {"cycle_months": 24, "expiration": {"model": "issue_anniversary"}, "source": "src"}
        ],
        ce=[ce_data(requirements=[BIAS])],
    )
    result = evaluate(rule, [], facts(issued="2025-06-01"), as_of=date(2026, 11, 22))
    assert (result.cycle.start, result.cycle.end) == (date(2025, 6, 1), date(2027, 6, 1))
    assert requirement(result, "bias").required == 2


def test_obligation_due_within_months_of_licensure():
    violence = {
        "id": "violence",
        "title": "Domestic violence (within 6 months of licensure)",
        "hours": 2,
        "categories": ["domestic_violence"],
        "frequency": "after_licensure",
        "months": 6,
    }
    rule = make_ce_rule(
        requirements=[ETHICS, violence], first_renewal={"mode": "exempt", "source": "src"}
    )
    license_facts = facts(issued="2026-02-15", expires="2027-06-30")
    late = evaluate(rule, [activity("dv", "2026-09-01", 2, "domestic_violence")], license_facts)
    assert [item.id for item in late.requirements] == ["violence"]
    assert requirement(late, "violence").due == date(2026, 8, 15)
    assert requirement(late, "violence").remaining == 2
    assert late.status == "incomplete"
    on_time = evaluate(rule, [activity("dv", "2026-05-01", 2, "domestic_violence")], license_facts)
    assert on_time.status == "exempt"


def test_supervisor_and_flag_conditions():
    supervision = {
        "id": "supervision",
        "title": "Supervision",
        "hours": 6,
        "categories": ["supervision"],
        "when": {"supervisor": True},
    }
    telehealth = {
        "id": "telehealth",
        "title": "Telehealth",
        "hours": 2,
        "categories": ["telehealth"],
        "when": {"flags": ["telehealth"]},
    }
    rule = make_ce_rule(requirements=[ETHICS, supervision, telehealth])
    plain = evaluate(rule, [])
    assert [item.id for item in plain.requirements] == ["ethics"]
    both = evaluate(rule, [], facts(expires="2027-06-30", supervisor=True, flags=["telehealth"]))
    assert [item.id for item in both.requirements] == ["ethics", "supervision", "telehealth"]


def test_requirement_for_cycles_starting_from_a_date():
    boundaries = {
        "id": "boundaries",
        "title": "Boundaries",
        "hours": 3,
        "categories": ["boundaries"],
        "when": {"cycle_starts_from": date(2025, 7, 1)},
    }
    rule = make_ce_rule(requirements=[ETHICS, boundaries])
    assert "boundaries" in [item.id for item in evaluate(rule, []).requirements]
    earlier = evaluate(rule, [], facts(expires="2025-06-30"), as_of=date(2025, 1, 1))
    assert "boundaries" not in [item.id for item in earlier.requirements]


def test_requirement_at_a_given_renewal():
    training = {
        "id": "training",
        "title": "Supervision training at the second renewal",
        "hours": 9,
        "categories": ["supervision"],
        "when": {"renewal_numbers": [2]},
    }
    rule = make_ce_rule(requirements=[ETHICS, training])
    second = evaluate(rule, [], facts(expires="2027-06-30", issued="2024-01-05"))
    assert second.cycle.renewal_number == 2
    assert "training" in [item.id for item in second.requirements]
    third = evaluate(rule, [], facts(expires="2027-06-30", issued="2022-01-05"))
    assert "training" not in [item.id for item in third.requirements]


# --- carryover ------------------------------------------------------------------------------


def test_carryover_is_capped_and_counts_only_toward_the_total():
    rule = make_ce_rule(carryover={"max_hours": 10, "source": "src"})
    result = evaluate(
        rule,
        [
            activity("prior", "2024-05-01", 34, "ethics"),
            activity("now", "2026-01-10", 14, "trauma"),
        ],
    )
    assert result.carryover.carried_in == 10
    assert result.total.counted == 24
    assert requirement(result, "ethics").remaining == 6
    assert result.minimal_additional == 6
    assert reason_messages(result, "prior") == ["completed before the cycle began on 2025-07-01"]


def test_carryover_chains_through_consecutive_cycles():
    rule = make_ce_rule(carryover={"max_hours": 10, "source": "src"})
    result = evaluate(
        rule,
        [
            activity("c1", "2022-05-01", 40, "ethics"),  # 2021-07..2023-06: 16 over, 10 carried
            activity("c2", "2024-05-01", 20, "ethics"),  # 2023-07..2025-06: 20 + 10 = 30, 6 over
        ],
    )
    assert result.carryover.carried_in == 6


def test_no_carryover_when_the_rule_allows_none():
    result = evaluate(make_ce_rule(), [activity("prior", "2024-05-01", 40, "ethics")])
    assert result.carryover.carried_in == 0 and result.total.counted == 0


# --- first renewal --------------------------------------------------------------------------

NEW_LICENSE = facts(issued="2026-01-15", expires="2027-06-30")


def test_first_renewal_exempt():
    rule = make_ce_rule(first_renewal={"mode": "exempt", "source": "src"})
    result = evaluate(rule, [], NEW_LICENSE)
    assert result.status == "exempt"
    assert result.total.required == 0
    assert result.cycle.start == date(2026, 1, 15)


def prorated(**proration):
    return make_ce_rule(first_renewal={"mode": "prorate", "source": "src", "proration": proration})


def test_proration_per_month_inclusive():
    result = evaluate(prorated(method="per_month", hours_per_month=1), [], NEW_LICENSE)
    assert result.total.required == 18  # January 2026 through June 2027
    assert requirement(result, "ethics").required == 6


def test_proration_whole_months_with_a_requirement_rate():
    rule = prorated(
        method="whole_months",
        requirement_rates={"ethics": {"hours": 1, "per_months": 6}},
    )
    result = evaluate(rule, [], NEW_LICENSE)
    assert result.total.required == 17  # 24 / 24 per month x 17 whole months
    assert requirement(result, "ethics").required == 3


def test_proration_buckets_and_a_date_bucket_exemption():
    rule = prorated(
        method="buckets",
        buckets=[
            {
                "issued_from_month": 0,
                "issued_to_month": 12,
                "fraction": "1/2",
                "requirements": {"ethics": 3},
            },
            {"issued_from_month": 12, "issued_to_month": 24, "total_hours": 0},
        ],
    )
    first_year = evaluate(rule, [], facts(issued="2025-09-15", expires="2027-06-30"))
    assert first_year.total.required == 12
    assert requirement(first_year, "ethics").required == 3
    second_year = evaluate(rule, [], NEW_LICENSE)  # January 2026 is month 6
    assert second_year.total.required == 12
    late = evaluate(rule, [], facts(issued="2026-08-01", expires="2027-06-30"))
    assert late.status == "exempt"


def test_a_first_term_longer_than_a_cycle_falls_in_the_first_bucket():
    """A board-set first expiration 25 months after issue (CA BBS, B&P 4984) is still a first
    renewal: it takes the bucket of a license issued at the cycle's start, not the full total."""
    rule = prorated(
        method="buckets",
        buckets=[{"issued_from_month": 0, "issued_to_month": 24, "total_hours": 18}],
    )
    long_first_term = facts(issued="2025-05-20", expires="2027-06-30", first_renewal=True)
    result = evaluate(rule, [], long_first_term)
    assert result.cycle.first_renewal
    assert result.cycle.start == date(2025, 5, 20)
    assert result.total.required == 18


# --- versions -------------------------------------------------------------------------------


def test_the_version_is_chosen_by_the_cycle_end():
    rule = make_rule(
        ce=[
            ce_data(total_hours=20, effective_until=date(2025, 7, 1)),
            ce_data(total_hours=24, effective_from=date(2025, 7, 1)),
        ]
    )
    assert evaluate(rule, []).total.required == 24
    earlier = evaluate(rule, [], facts(expires="2025-06-30"), as_of=date(2025, 1, 1))
    assert earlier.total.required == 20


def test_whole_month_proration_counts_the_expiration_month():
    """AZ psychologists: 40/24 h per whole month. Licensed 2025-07-01, expiring 2027-06-30,
    is 24 whole months: the full 40 h, not 38.33."""
    rule = make_rule(
        renewal=[
            {
                "cycle_months": 24,
                "expiration": {"model": "fixed_date", "month": 6, "day": 30, "parity": "odd"},
                "source": "src",
            }
        ],
        ce=[
            ce_data(
                total_hours=40,
                first_renewal={
                    "mode": "prorate",
                    "source": "src",
                    "proration": {"method": "whole_months"},
                },
            )
        ],
    )
    result = evaluate(
        rule, [], facts(issued="2025-07-01", expires="2027-06-30", first_renewal=True)
    )
    assert result.total.required == 40


def test_an_exempt_first_cycle_carries_only_hours_beyond_a_full_total():
    """NJ psychologists carry credits beyond the 40 h; an exempt first period carries nothing
    unless it earned more than 40."""
    rule = make_ce_rule(
        first_renewal={"mode": "exempt", "source": "src"},
        carryover={"max_hours": 10, "source": "src"},
    )
    few = evaluate(rule, [activity("a", "2026-02-01", 3, "ethics")], NEW_LICENSE)
    assert (few.status, few.carryover.carried_out) == ("exempt", 0)
    many = evaluate(rule, [activity("a", "2026-02-01", 30, "ethics")], NEW_LICENSE)
    assert many.carryover.carried_out == 6


# --- a CE window apart from the expiration date ----------------------------------------------


def test_ce_window_is_the_calendar_years_before_the_renewal_year():
    """TN psychologists: CE is earned in "the two calendar years prior to the licensure renewal
    year". Renewal 2027-06-30: the window is 2025-01-01 to 2026-12-31, so a course from March
    2025 (before the expiration cycle began) counts and one from January 2027 does not."""
    rule = make_ce_rule(window_calendar_years_before_renewal_year=2)
    activities = [
        activity("early", "2025-03-01", 18, "trauma"),
        activity("ethics", "2026-05-01", 6, "ethics"),
        activity("late", "2027-01-15", 6, "trauma"),
    ]
    result = evaluate(rule, activities, as_of=date(2027, 2, 1))
    assert (result.cycle.start, result.cycle.end) == (date(2025, 1, 1), date(2026, 12, 31))
    assert by_id(result)["early"].counted == 18
    assert result.total.counted == 24 and result.status == "compliant"
    assert reason_messages(result, "late") == [
        "completed after the cycle ended on 2026-12-31 (counts toward the next cycle)"
    ]
    assert [note_text(note) for note in result.notes] == [
        "CE for the renewal due 2027-06-30 counts only if earned from 2025-01-01 to 2026-12-31"
    ]


def test_without_a_window_the_cycle_is_the_expiration_cycle():
    result = evaluate(make_ce_rule(), [activity("early", "2025-03-01", 18, "trauma")])
    assert result.cycle.start == date(2025, 7, 1)
    assert reason_messages(result, "early") == ["completed before the cycle began on 2025-07-01"]


def test_reminders_for_associates_are_not_on_a_licensees_ce_result():
    """Issue 7, defect 8: "Also check" on a fully licensed clinician's card listed associate
    items ("LPC Associate may have no more than two supervisors")."""
    rule = make_rule(
        not_evaluated=[
            {
                "applies_to": "associate",
                "title": "Associates keep a supervision log",
                "source": "src",
            },
            {
                "applies_to": "licensee",
                "title": "Half the CE from listed providers",
                "source": "src",
            },
        ]
    )
    licensed = facts(expires=date(2027, 6, 30), issued=date(2015, 6, 15))
    result = evaluate_ce(rule, licensed, [], date(2026, 11, 22))
    assert list(result.not_evaluated) == ["Half the CE from listed providers"]
