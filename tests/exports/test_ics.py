"""The calendar: all-day deadlines and milestones, reminders, and UIDs that survive re-export."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from cetrack.db.models import Credential, Person
from cetrack.engine.ce import evaluate_ce
from cetrack.exports.ics import calendar_ics
from cetrack.exports.records import CredentialReport
from cetrack.scenario import parse_scenario
from cetrack.wording import hours
from tests.services.helpers import TODAY

STAMP = datetime(2026, 11, 22, 15, 30, tzinfo=UTC)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events_by_uid(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def triggers(event) -> list[timedelta]:
    return [alarm["TRIGGER"].dt for alarm in event.walk("VALARM")]


def deadline_event(calendar: Calendar, report: CredentialReport):
    (event,) = [
        event
        for uid, event in events_by_uid(calendar).items()
        if uid.startswith(f"credential-{report.credential.id}-deadline-")
    ]
    return event


def test_every_credential_has_an_all_day_deadline_with_default_reminders(demo):
    data = calendar_ics(demo.person, demo.reports, stamp=STAMP)
    calendar = parse(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert "cetrack" in str(calendar["PRODID"])
    assert data.count(b"DTSTART;VALUE=DATE:") == len(calendar.walk("VEVENT"))
    for report in demo.reports:
        event = deadline_event(calendar, report)
        deadline = report.result.deadline
        assert event.start == deadline and not isinstance(event.start, datetime)
        assert event.end == deadline + timedelta(days=1)
        assert event["DTSTAMP"].dt == STAMP
        assert report.rule.id in str(event["SUMMARY"])
        assert triggers(event) == [timedelta(days=-90), timedelta(days=-30), timedelta(days=-7)]


def test_reminders_follow_the_days_asked_for(demo):
    calendar = parse(calendar_ics(demo.person, demo.reports, stamp=STAMP, alarm_days=(1, 14, 14)))
    for event in calendar.walk("VEVENT"):
        assert triggers(event) == [timedelta(days=-14), timedelta(days=-1)]


def test_negative_reminder_days_are_refused(demo):
    with pytest.raises(ValueError, match="days before"):
        calendar_ics(demo.person, demo.reports, stamp=STAMP, alarm_days=(30, -1))


def test_an_incomplete_credential_says_what_is_missing(demo):
    incomplete = [report for report in demo.reports if report.result.minimal_additional]
    assert incomplete, "the demo should leave some CE to do"
    calendar = parse(calendar_ics(demo.person, demo.reports, stamp=STAMP))
    for report in incomplete:
        result = report.result
        event = deadline_event(calendar, report)
        summary = str(event["SUMMARY"])
        assert f"{hours(result.minimal_additional)} of CE still needed" in summary
        description = str(event["DESCRIPTION"])
        titles = {item.id: item.title for item in result.requirements}
        for item in result.plan:
            assert f"- {hours(item.hours)} " in description
            if item.requirement != "total":
                assert titles[item.requirement] in description


def test_a_check_in_comes_between_today_and_the_deadline_only_while_hours_remain(demo):
    calendar = parse(calendar_ics(demo.person, demo.reports, stamp=STAMP))
    uids = events_by_uid(calendar)
    for report in demo.reports:
        check_ins = [
            event
            for uid, event in uids.items()
            if uid.startswith(f"credential-{report.credential.id}-check-in-")
        ]
        if report.result.minimal_additional:
            (event,) = check_ins
            assert TODAY < event.start < report.result.deadline
        else:
            assert check_ins == []


def test_uids_are_unique_and_identical_across_exports(demo):
    first = parse(calendar_ics(demo.person, demo.reports, stamp=STAMP))
    later = parse(
        calendar_ics(demo.person, demo.reports, stamp=STAMP + timedelta(days=40), alarm_days=(5,))
    )
    uids = [str(event["UID"]) for event in first.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert uids == [str(event["UID"]) for event in later.walk("VEVENT")]
    for report in demo.reports:
        deadline = report.result.deadline.isoformat()
        assert not any(deadline in uid or deadline.replace("-", "") in uid for uid in uids)


def test_a_moved_deadline_keeps_its_uid(demo):
    """A re-import updates the event: the UID does not depend on the date."""
    report = demo.reports[0]
    cycle = report.result.cycle.model_copy(update={"end": date(2031, 1, 31)})
    moved = report.result.model_copy(update={"cycle": cycle})
    before = deadline_event(parse(calendar_ics(demo.person, [report], stamp=STAMP)), report)
    after_report = CredentialReport(report.credential, report.rule, moved)
    after = deadline_event(parse(calendar_ics(demo.person, [after_report], stamp=STAMP)), report)
    assert after["UID"] == before["UID"]
    assert after.start == date(2031, 1, 31) != before.start


def test_uids_differ_between_people_and_credentials(demo):
    other = Person(id=demo.person.id, email="someone.else@example.org", name="Someone Else")
    mine = set(events_by_uid(parse(calendar_ics(demo.person, demo.reports, stamp=STAMP))))
    theirs = set(events_by_uid(parse(calendar_ics(other, demo.reports, stamp=STAMP))))
    assert mine.isdisjoint(theirs)


FLORIDA_FIRST_RENEWAL = {
    "kind": "ce",
    "as_of": "2026-11-22",
    "rule": "FL/LMHC",
    "license": {"expires": "2027-03-31", "issued": "2026-08-01", "birth_date": "1980-04-12"},
    "activities": [],
}


@pytest.fixture
def florida(registry) -> CredentialReport:
    """A new FL license: a domestic-violence course is due 6 months after licensure. No CE rule
    has an associate registration yet, so its final expiry is added as the engine reports it."""
    scenario = parse_scenario(FLORIDA_FIRST_RENEWAL)
    result = evaluate_ce(registry.get("FL/LMHC"), scenario.license.record(), [], scenario.as_of)
    result = result.model_copy(update={"registration_final_expiry": date(2029, 1, 15)})
    credential = Credential(id=41, person_id=1, rule_id="FL/LMHC", number="MH 1234")
    return CredentialReport(credential, registry.get("FL/LMHC"), result)


def test_requirements_with_their_own_due_date_and_the_final_registration_expiry(florida):
    person = Person(id=1, email="new.counselor@example.org", name="Sam Ortiz")
    (due,) = [item for item in florida.result.requirements if item.due]
    events = events_by_uid(parse(calendar_ics(person, [florida], stamp=STAMP)))
    (due_event,) = [e for uid, e in events.items() if f"-due-{due.id}-" in uid]
    assert due_event.start == due.due
    assert due.title in str(due_event["SUMMARY"])
    assert f"{hours(due.remaining)} still needed" in str(due_event["SUMMARY"])
    # due 2027-02-01: its 90-day reminder (2026-11-03) would be before the export, so left out
    assert triggers(due_event) == [timedelta(days=-30), timedelta(days=-7)]
    (final,) = [e for uid, e in events.items() if "-registration-final-" in uid]
    assert final.start == date(2029, 1, 15)
    assert triggers(final) == [timedelta(days=-90), timedelta(days=-30), timedelta(days=-7)]


def test_a_requirement_already_met_keeps_its_event_without_reminders(florida):
    person = Person(id=1, email="new.counselor@example.org", name="Sam Ortiz")
    met = tuple(
        item.model_copy(update={"counted": item.required, "remaining": 0})
        for item in florida.result.requirements
    )
    result = florida.result.model_copy(update={"requirements": met})
    done = CredentialReport(florida.credential, florida.rule, result)
    events = events_by_uid(parse(calendar_ics(person, [done], stamp=STAMP)))
    (due_event,) = [e for uid, e in events.items() if "-due-" in uid]
    assert "(done)" in str(due_event["SUMMARY"])
    assert triggers(due_event) == []


def test_a_credential_that_could_not_be_evaluated_still_shows_its_expiry(registry):
    person = Person(id=1, email="pat@example.org", name="Pat Lee")
    credential = Credential(id=3, person_id=1, rule_id="TX/LPC", expires=date(2027, 6, 30))
    report = CredentialReport(
        credential, registry.get("TX/LPC"), None, error="the birth date is needed"
    )
    (event,) = parse(calendar_ics(person, [report], stamp=STAMP)).walk("VEVENT")
    assert event.start == date(2027, 6, 30)
    assert "the birth date is needed" in str(event["DESCRIPTION"])
    assert len(triggers(event)) == 3


def test_no_reminder_falls_before_the_day_the_calendar_is_made(demo):
    """Issue 7, defect 11: a reminder that would fire in the past is left out."""
    asked = (365, 180, 90, 30, 7)
    calendar = parse(calendar_ics(demo.person, demo.reports, stamp=STAMP, alarm_days=asked))
    dropped = 0
    for event in calendar.walk("VEVENT"):
        fired = [event.start + trigger for trigger in triggers(event)]
        assert all(day >= STAMP.date() for day in fired), (event["SUMMARY"], fired)
        if triggers(event):
            dropped += len(asked) - len(fired)
    assert dropped > 0
