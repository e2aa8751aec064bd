"""An associate's supervised-experience reminders as an iCalendar file: a weekly "log this
week's hours", the logs awaiting the supervisor's signature, the projected eligibility date
and the associate registration's expiration (and the last day it can be renewed to).

UIDs are derived from the person, the path and the kind of reminder, never from a date, so
importing a newer export updates the events.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from cetrack.db.models import LicensurePath, Person
from cetrack.engine.cycles import registration_final_expiry, select_version
from cetrack.engine.dates import add_months, end_of_month
from cetrack.engine.results import ExperienceRequirement, SupervisionResult
from cetrack.exports.ics import DEFAULT_ALARM_DAYS, PRODID, Milestone, milestone_event, owner_token
from cetrack.rules.schema import Registration, RuleFile
from cetrack.wording import note_text, number

LOG_REMINDER_AT = timedelta(hours=16)  # 4 pm on the last day of each logging week


def supervision_ics(
    person: Person,
    path: LicensurePath,
    rule: RuleFile,
    result: SupervisionResult,
    *,
    pending: int,
    stamp: datetime,
    alarm_days: Sequence[int] = DEFAULT_ALARM_DAYS,
) -> bytes:
    """`pending`: how many of the associate's logs await their supervisor's signature."""
    days = sorted(set(alarm_days), reverse=True)
    owner = owner_token(person)
    calendar = Calendar.new(
        prodid=PRODID,
        name=f"Supervised experience: {person.name} ({rule.id})",
        uid=f"supervision-calendar-{path.id}-{owner}@cetrack",
        calscale="GREGORIAN",
    )

    def uid(key: str) -> str:
        return f"supervision-{path.id}-{key}-{owner}@cetrack"

    if not result.eligible:
        calendar.add_component(_weekly_log(uid("log-week"), path, rule, result, stamp))
    if pending:
        calendar.add_component(
            milestone_event(uid("awaiting"), _awaiting(pending, stamp.date()), stamp, [0])
        )
    for milestone in _milestones(path, rule, result):
        calendar.add_component(milestone_event(uid(milestone.key), milestone, stamp, days))
    return calendar.to_ical()


def _weekly_log(
    uid: str, path: LicensurePath, rule: RuleFile, result: SupervisionResult, stamp: datetime
) -> Event:
    """Every week on the last day of the associate's logging week (the day before the weekday
    the experience began), until the projected eligibility date when there is one."""
    last_weekday = (path.started_on.weekday() + 6) % 7
    first = stamp.date() + timedelta(days=(last_weekday - stamp.weekday()) % 7)
    summary = f"{rule.id}: log this week's supervised-experience hours"
    event = Event.new(
        uid=uid,
        start=first,
        end=first + timedelta(days=1),
        stamp=stamp,
        summary=summary,
        description=_standing(result),
        transparency="TRANSPARENT",
    )
    weekly = {"freq": "weekly"}
    if result.projected_eligible and result.projected_eligible > first:
        weekly["until"] = result.projected_eligible
    event.add("rrule", weekly)
    alarm = Alarm.new(description=summary)
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", LOG_REMINDER_AT)
    event.add_component(alarm)
    return event


def _awaiting(pending: int, day: date) -> Milestone:
    logs = "1 log awaits" if pending == 1 else f"{pending} logs await"
    return Milestone(
        "awaiting",
        day,
        f"{logs} your supervisor's signature",
        "Unsigned logs do not count. Ask your supervisor to review them in cetrack.",
    )


def _milestones(
    path: LicensurePath, rule: RuleFile, result: SupervisionResult
) -> Iterator[Milestone]:
    if result.projected_eligible:
        title = "eligible to apply" if result.eligible else "projected eligibility to apply"
        yield Milestone(
            "eligible",
            result.projected_eligible,
            f"{rule.id}: {title}",
            _standing(result),
            remind=not result.eligible,
        )
    experience = select_version(rule.supervised_experience, result.as_of, "supervised-experience")
    registration = experience.registration
    if registration and path.registration_issued:
        yield from _registration(registration, path, rule, result.as_of)


def _registration(
    registration: Registration, path: LicensurePath, rule: RuleFile, today: date
) -> list[Milestone]:
    issued = path.registration_issued
    final = registration_final_expiry(registration, issued)
    ends = _term_ends(registration, issued, final)
    current = next((day for day in ends if day >= today), ends[-1])
    number_text = f" No. {path.registration_number}" if path.registration_number else ""
    about = (
        f"{registration.title}{number_text}, issued {issued.isoformat()}, for {rule.id}.\n"
        f"{_renewals_text(registration, final)}"
    )
    renewable = final is None or current < final
    milestones = [
        Milestone(
            "registration-expires",
            current,
            f"{registration.title} expires" + (": renew it" if renewable else ""),
            about,
        )
    ]
    if final and final != current:
        milestones.append(
            Milestone(
                "registration-final",
                final,
                f"{registration.title} cannot be renewed past this day",
                f"{about}\nThe license must be granted before then.",
            )
        )
    return milestones


def _term_ends(registration: Registration, issued: date, final: date | None) -> list[date]:
    """The registration's expirations, term by term, up to the last renewal the rule allows
    (for a rule without a limit, through the next 50 terms)."""
    anchor = (
        end_of_month(issued.year, issued.month)
        if registration.anchor == "end_of_issue_month"
        else issued
    )
    renewal = registration.renewal_valid_months or registration.valid_months
    terms = registration.max_renewals if registration.max_renewals is not None else 50
    ends = [add_months(anchor, registration.valid_months + renewal * n) for n in range(terms + 1)]
    return [day for day in ends if final is None or day <= final] or [final]


def _renewals_text(registration: Registration, final: date | None) -> str:
    if registration.max_renewals == 0:
        limit = "It cannot be renewed"
    elif registration.max_renewals is not None:
        limit = f"It may be renewed at most {registration.max_renewals} times"
    else:
        limit = "The rule sets no limit on renewals"
    if registration.max_years:
        limit += f", nor held more than {number(registration.max_years)} years"
    until = f"; it cannot be held past {final.isoformat()}" if final else ""
    return f"{limit}{until}."


def _standing(result: SupervisionResult) -> str:
    lines = [f"{result.experience} ({result.rule}), as of {result.as_of.isoformat()}:"]
    lines += [f"- {_requirement_line(item)}" for item in result.requirements]
    lines += [f"- {note_text(note)}" for note in result.notes]
    return "\n".join(lines)


def _requirement_line(item: ExperienceRequirement) -> str:
    unit = f" {item.id}" if item.id in ("months", "weeks") else " h"
    left = f"{number(item.remaining)}{unit} remaining" if item.remaining else "met"
    return f"{item.title}: {number(item.counted)} of {number(item.required)}{unit}, {left}"
