"""Deadlines and CE milestones as an iCalendar file, with reminders before each.

Every event's UID is derived from the person, the credential and the kind of milestone, never
from a date, so importing a newer export updates the events instead of duplicating them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from cetrack.db.models import Person
from cetrack.engine.joint_plan import JointPlan
from cetrack.engine.results import CEResult
from cetrack.exports.records import CredentialReport
from cetrack.wording import (
    deadline_title,
    dependency_line,
    hours,
    joint_plan_headline,
    joint_plan_line,
    plan_line,
    requirement_line,
    status_line,
)

DEFAULT_ALARM_DAYS = (90, 30, 7)
PRODID = "-//cetrack//CE and licensure tracker//EN"


@dataclass(frozen=True)
class Milestone:
    key: str  # names the milestone within its credential; part of the UID, so never a date
    day: date
    summary: str
    description: str
    remind: bool = True


def calendar_ics(
    person: Person,
    reports: Sequence[CredentialReport],
    *,
    stamp: datetime,
    alarm_days: Sequence[int] = DEFAULT_ALARM_DAYS,
    joint: JointPlan | None = None,
) -> bytes:
    """One all-day event per deadline and milestone, each with reminders `alarm_days` before
    (those that would fall before `stamp`'s day are left out)."""
    days = sorted(set(alarm_days), reverse=True)
    if any(day < 0 for day in days):
        raise ValueError("reminders are whole days before an event (0 or more)")
    calendar = Calendar.new(
        prodid=PRODID,
        name=f"CE and licensure deadlines: {person.name}",
        uid=f"calendar-{owner_token(person)}@cetrack",
        calscale="GREGORIAN",
    )
    owner = owner_token(person)
    for report in reports:
        for milestone in _milestones(report):
            uid = f"credential-{report.credential.id}-{milestone.key}-{owner}@cetrack"
            calendar.add_component(milestone_event(uid, milestone, stamp, days))
    milestone = _joint_milestone(reports, joint)
    if milestone:
        calendar.add_component(
            milestone_event(f"joint-plan-{owner}@cetrack", milestone, stamp, days)
        )
    return calendar.to_ical()


def _joint_milestone(
    reports: Sequence[CredentialReport], joint: JointPlan | None
) -> Milestone | None:
    """The plan across every credential, on the earliest deadline of those it serves."""
    if not joint or not joint.items:
        return None
    served = {name for item in joint.items for name in item.serves}
    deadlines = [
        report.result.deadline
        for report in reports
        if report.result
        and (
            report.rule.id in served
            or any(name.startswith(f"{report.rule.id} No.") for name in served)
        )
    ]
    if not deadlines:
        return None
    return Milestone(
        "joint-plan",
        min(deadlines),
        f"CE plan: {joint_plan_headline(joint)}",
        _bullets(
            "One course counts toward every credential it fits:", map(joint_plan_line, joint.items)
        ),
    )


def milestone_event(uid: str, milestone: Milestone, stamp: datetime, days: Sequence[int]) -> Event:
    """An all-day event with a reminder `days` before it (none that would be in the past)."""
    event = Event.new(
        uid=uid,
        start=milestone.day,
        end=milestone.day + timedelta(days=1),
        stamp=stamp,
        summary=milestone.summary,
        description=milestone.description,
        transparency="TRANSPARENT",
    )
    if milestone.remind:
        for day in days:
            if milestone.day - timedelta(days=day) >= stamp.date():
                event.add_component(_alarm(milestone.summary, day))
    return event


def owner_token(person: Person) -> str:
    """A stable token for the person, so UIDs stay distinct when calendars exported from
    several cetrack databases (whose credential ids overlap) meet in one calendar app."""
    return hashlib.sha256(person.email.encode()).hexdigest()[:12]


def _alarm(summary: str, days_before: int) -> Alarm:
    alarm = Alarm.new(description=summary)
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(days=-days_before))
    return alarm


def _milestones(report: CredentialReport) -> Iterator[Milestone]:
    rule, credential, result = report.rule, report.credential, report.result
    if result is None:
        if credential.expires:
            yield Milestone(
                "deadline",
                credential.expires,
                f"{rule.id} expires",
                f"{_heading(report)}\ncetrack could not evaluate its CE: {report.error}",
            )
        return
    missing = result.minimal_additional
    yield Milestone("deadline", result.deadline, deadline_title(result), _overview(report, result))
    for requirement in result.requirements:
        if requirement.due:
            remaining = requirement.remaining
            yield Milestone(
                f"due-{requirement.id}",
                requirement.due,
                f"{rule.id}: {requirement.title} due"
                + (f", {hours(remaining)} still needed" if remaining else " (done)"),
                f"{_heading(report)}\n{requirement_line(requirement)}",
                remind=remaining > 0,
            )
    check_in = _check_in_day(result)
    if missing > 1e-6 and check_in:
        yield Milestone(
            "check-in",
            check_in,
            f"{rule.id} CE check-in: {hours(missing)} still needed by {result.deadline}",
            _overview(report, result),
        )
    if final := result.registration_final_expiry:
        yield Milestone(
            "registration-final",
            final,
            f"{rule.id}: registration cannot be renewed past this day",
            f"{_heading(report)}\nThe registration expires for good on {final}; "
            "the license must be granted before then.",
        )


def _check_in_day(result: CEResult) -> date | None:
    """Halfway through the cycle or, once that has passed, halfway to the deadline."""
    start, deadline, as_of = result.cycle.start, result.deadline, result.as_of
    day = max(start + (deadline - start) // 2, as_of + (deadline - as_of) // 2)
    return day if as_of < day < deadline else None


def _heading(report: CredentialReport) -> str:
    number = f", number {report.credential.number}" if report.credential.number else ""
    return f"{report.rule.title} ({report.rule.id}){number}\nBoard: {report.rule.board}"


def _overview(report: CredentialReport, result: CEResult) -> str:
    cycle = result.cycle
    parts = [
        f"{_heading(report)}\nCE cycle {cycle.start} to {cycle.end}, "
        f"deadline {result.deadline}\n{status_line(result)}"
    ]
    if result.home:
        parts.append(dependency_line(result.home))
    if result.plan:
        parts.append(_bullets("Still needed:", [plan_line(item, result) for item in result.plan]))
    if result.requirements:
        parts.append(_bullets("Requirements:", map(requirement_line, result.requirements)))
    if result.not_evaluated:
        parts.append(_bullets("Not checked by cetrack, confirm yourself:", result.not_evaluated))
    parts.append(f"Verify the license: {report.rule.verification_url}")
    return "\n\n".join(parts)


def _bullets(heading: str, lines: Iterable[str]) -> str:
    return "\n".join([heading, *(f"- {line}" for line in lines)])
