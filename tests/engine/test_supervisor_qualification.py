"""Supervisor qualification on each log's dates, the limit on supervisors at once, triadic
supervision and the advice on what would bring eligibility closer (worked out by hand)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from cetrack.engine.records import SupervisionLog, Supervisor
from cetrack.wording import note_text
from tests.engine.test_supervision import START, evaluate, messages, outcome, rule_with, week

LPC_S = {"credential": "LPC-S", "concurrent_max": 2, "source": "src"}


def log(log_id: str, number: int, supervisor: str, direct: float = 10) -> SupervisionLog:
    return replace(week(number, direct=direct, supervisor=supervisor), id=log_id)


def test_a_log_outside_the_supervision_dates_does_not_count():
    rule = rule_with(total_hours=100)
    boss = Supervisor(id="Pat", start=START + timedelta(weeks=1), end=START + timedelta(weeks=3))
    logs = [week(n, direct=10, supervisor="Pat") for n in range(4)]
    result = evaluate(rule, logs, supervisors=[boss])
    outside = "outside the dates Pat supervised this associate (2025-01-13 to 2025-01-27)"
    assert messages(result, "w0") == [outside]
    assert [outcome(result, f"w{n}").counted for n in (1, 2)] == [10, 10]
    assert messages(result, "w3") == [outside]  # it ends on 2025-02-02


def test_the_license_must_be_active_and_the_credential_held_on_the_dates():
    rule = rule_with(total_hours=100, supervisor={"credential": "LPC-S", "source": "src"})
    supervisors = [
        Supervisor(id="Pat", start=START, license_until=START + timedelta(days=9)),
        Supervisor(id="Kim", start=START, credential_from=START + timedelta(weeks=1)),
        Supervisor(id="Lee", start=START, credential=False),
    ]
    logs = [
        log("pat-0", 0, "Pat"),
        log("pat-1", 1, "Pat"),
        log("kim-0", 0, "Kim", direct=5),
        log("kim-1", 1, "Kim"),
        log("lee-2", 2, "Lee"),
    ]
    result = evaluate(rule, logs, supervisors=supervisors)
    assert outcome(result, "pat-0").counted == 10
    assert messages(result, "pat-1") == ["Pat's license was not active on these dates"]
    assert messages(result, "kim-0") == ["Kim did not hold the LPC-S on these dates"]
    assert outcome(result, "kim-1").counted == 10
    assert messages(result, "lee-2") == ["Lee did not hold the LPC-S on these dates"]


def test_an_active_license_suffices_where_the_rule_asks_no_credential():
    rule = rule_with(total_hours=100)
    result = evaluate(
        rule,
        [week(0, direct=10, supervisor="Lee")],
        supervisors=[Supervisor(id="Lee", start=START, credential=False)],
    )
    assert outcome(result, "w0").counted == 10


def test_a_third_supervisor_at_once_is_one_too_many():
    rule = rule_with(total_hours=100, supervisor=LPC_S)
    supervisors = [
        Supervisor(id="Ann", start=START),
        Supervisor(id="Bo", start=START + timedelta(days=1)),
        Supervisor(id="Cy", start=START + timedelta(weeks=1), end=START + timedelta(weeks=3)),
    ]
    logs = [log("cy-1", 1, "Cy"), log("bo-1", 1, "Bo"), log("ann-4", 4, "Ann")]
    result = evaluate(rule, logs, supervisors=supervisors)
    assert messages(result, "cy-1") == ["more than 2 supervisors at one time; Cy is one too many"]
    assert outcome(result, "bo-1").counted == 10
    # once Cy's supervision ended, two remain: nothing more is refused
    assert outcome(result, "ann-4").counted == 10


def test_triadic_supervision_follows_the_rules_individual_session_size():
    logs = [week(0, direct=10, triadic_supervision=2, individual_supervision=1)]
    texas_like = evaluate(rule_with(supervision_hours=10, individual_size_max=2), logs)
    assert (outcome(texas_like, "w0").individual, outcome(texas_like, "w0").group) == (3, 0)
    silent = evaluate(rule_with(supervision_hours=10), logs)
    assert (outcome(silent, "w0").individual, outcome(silent, "w0").group) == (1, 2)
    assert note_text(silent.notes[0]).startswith("the rule does not say whether triadic")


def test_advice_names_the_hour_that_brings_eligibility_closest():
    rule = rule_with(total_hours=300, individual_supervision_hours=60)
    as_of = START + timedelta(weeks=12) - timedelta(days=1)
    logs = [week(n, direct=20, individual_supervision=1) for n in range(12)]
    result = evaluate(rule, logs, as_of=as_of)
    # 60 h of total left at 20 h/week: 3 weeks; 48 h of individual supervision left at
    # 1 h/week: 48 weeks, the binding one. One more hour a month of it: 48 / (1 + 12/52)
    assert result.projected_eligible == as_of + timedelta(weeks=48)
    (advice,) = [note for note in result.notes if note.code == "faster_with"]
    sooner = as_of + timedelta(days=-(-48 * 7 // (1 + 12 / 52)))
    assert note_text(advice) == (
        f"Individual supervision hours: 1 more hour a month would bring the date to "
        f"{sooner.isoformat()}"
    )
    assert sooner < result.projected_eligible
