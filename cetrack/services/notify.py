"""Reminders by email: what `cetrack notify` sends, and the record that it was sent.

- A clinician gets one digest per run of the deadlines that crossed 90, 30 or 7 days left
  since the last run. Each credential's threshold has its own notice key,
  `clinician:{person}:{credential}:{deadline}:{threshold}`, so the same reminder is never sent
  twice and the next cycle's deadline starts afresh. Only the smallest threshold crossed is
  sent; the larger ones are recorded with it (a first run at 5 days left sends one reminder,
  not three).
- Each active HR member of an organization gets a weekly digest of its flags, keyed
  `hr:{organization}:{ISO year}-W{ISO week}:{person}` (one per recipient, so an HR member who
  joins mid-week still gets that week's). A week with nothing flagged sends nothing.
- Reminders go to people with an active membership (or none: single-user mode) whose account,
  if they have one, is not deactivated; only licenses entered as active are reminded of, up to
  their deadline day.

Only cetrack itself plans and sends them. The notice rows of a message are written just before
it is sent, in a savepoint of the caller's transaction, and kept only if the server accepts it;
a concurrent run that already wrote them makes this one skip the message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from cetrack.db.models import (
    Account,
    Credential,
    Evaluation,
    Membership,
    Notice,
    Organization,
    Person,
)
from cetrack.mail import MailError
from cetrack.notify_text import (
    THRESHOLDS,
    Due,
    clinician_body,
    clinician_subject,
    flag_count,
    hr_body,
    hr_subject,
    week_label,
)
from cetrack.rules.registry import Registry
from cetrack.services import audit, compliance, evaluation
from cetrack.services.actor import HR, Actor
from cetrack.services.evaluation import CredentialStatus
from cetrack.services.policy import Action, require
from cetrack.wording import dependency_line, requirement_line

CLINICIAN = "clinician"
HR_DIGEST = "hr"
_SUBJECT_MAX = 300  # Notice.subject
_CHUNK = 500  # keys looked up per query


@dataclass(frozen=True)
class PlannedNotice:
    """One message to send. `keys` are recorded when it is sent: the first names it; a
    clinician's digest has one key per credential and threshold it covers."""

    kind: str  # "clinician" or "hr"
    person_id: int
    to_address: str
    subject: str
    body: str
    keys: tuple[str, ...]
    organization_id: int | None = None


def clinician_key(person_id: int, credential_id: int, deadline: date, threshold: int) -> str:
    return f"{CLINICIAN}:{person_id}:{credential_id}:{deadline.isoformat()}:{threshold}"


def hr_key(organization_id: int, today: date, person_id: int) -> str:
    return f"{HR_DIGEST}:{organization_id}:{week_label(today)}:{person_id}"


def _require_system(actor: Actor) -> None:
    # a notice about nobody in particular: only cetrack itself may plan or send them
    require(actor, Action.CREATE, Notice())


def _sent_keys(session: Session, keys: Iterable[str]) -> set[str]:
    keys = sorted(set(keys))
    found: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        found.update(session.exec(select(Notice.key).where(Notice.key.in_(chunk))))
    return found


def _reachable(session: Session) -> dict[int, Person]:
    """The people reminders may go to: an email, an active membership or none at all, and no
    deactivated account."""
    memberships: dict[int, bool] = {}
    for person_id, active in session.exec(select(Membership.person_id, Membership.active)):
        memberships[person_id] = memberships.get(person_id, False) or active
    closed = set(session.exec(select(Account.person_id).where(Account.status == "deactivated")))
    return {
        person.id: person
        for person in session.exec(select(Person).order_by(Person.id))
        if "@" in (person.email or "")
        and memberships.get(person.id, True)
        and person.id not in closed
    }


def _due(status: CredentialStatus, today: date) -> Due | None:
    credential, result = status.credential, status.result
    deadline = result.deadline if result else credential.expires
    if credential.status != "active" or deadline is None:
        return None
    days_left = (deadline - today).days
    if not 0 <= days_left <= max(THRESHOLDS):
        return None
    if result is None:
        return Due(credential.rule_id, status.title, deadline, days_left, None, note=status.error)
    return Due(
        credential.rule_id,
        status.title,
        deadline,
        days_left,
        result.status,
        hours_missing=result.minimal_additional,
        short=tuple(
            requirement_line(item)
            for item in result.requirements
            if item.remaining > 1e-6 and not item.attested_on
        ),
        note=dependency_line(result.home) if result.home else None,
    )


def _candidates(session: Session, today: date) -> set[int]:
    """People with a license whose stored deadline or expiration falls in the window."""
    horizon = today + timedelta(days=max(THRESHOLDS))
    rows = session.exec(
        select(Credential.person_id, Credential.expires, Evaluation.deadline)
        .join(Evaluation, Evaluation.credential_id == Credential.id, isouter=True)
        .where(Credential.deleted_at.is_(None), Credential.status == "active")
    )
    return {
        person_id
        for person_id, expires, deadline in rows
        if any(day and today <= day <= horizon for day in (expires, deadline))
    }


def _clinician_notices(
    session: Session, actor: Actor, people: dict[int, Person], registry, today, base_url
) -> list[PlannedNotice]:
    planned = []
    for person_id in sorted(_candidates(session, today) & people.keys()):
        person = people[person_id]
        statuses = evaluation.credential_statuses(
            session, actor=actor, person=person, registry=registry, today=today
        )
        found = [(status, due) for status in statuses if (due := _due(status, today))]
        keys_of = {}
        for status, due in found:
            crossed = [limit for limit in sorted(THRESHOLDS) if due.days_left <= limit]
            keys_of[status.credential.id] = [
                clinician_key(person.id, status.credential.id, due.deadline, limit)
                for limit in crossed
            ]
        sent = _sent_keys(session, (key for keys in keys_of.values() for key in keys))
        items, keys = [], []
        for status, due in found:
            own = keys_of[status.credential.id]
            if own[0] in sent:  # the reminder for the smallest threshold crossed went out
                continue
            items.append(due)
            keys += [key for key in own if key not in sent]
        if not items:
            continue
        planned.append(
            PlannedNotice(
                kind=CLINICIAN,
                person_id=person.id,
                to_address=person.email,
                subject=clinician_subject(items),
                body=clinician_body(person.name, items, base_url),
                keys=tuple(keys),
            )
        )
    return planned


def _hr_notices(
    session: Session, actor: Actor, people: dict[int, Person], registry, today, base_url
) -> list[PlannedNotice]:
    planned = []
    for organization in session.exec(select(Organization).order_by(Organization.id)):
        recipients = [
            people[membership.person_id]
            for membership in session.exec(
                select(Membership)
                .where(Membership.organization_id == organization.id, Membership.active)
                .order_by(Membership.person_id)
            )
            if HR in membership.roles and membership.person_id in people
        ]
        keys = {person.id: hr_key(organization.id, today, person.id) for person in recipients}
        sent = _sent_keys(session, keys.values())
        recipients = [person for person in recipients if keys[person.id] not in sent]
        if not recipients:
            continue
        rows = compliance.compliance_rows(
            session, actor=actor, organization=organization, registry=registry, today=today
        )
        summary = compliance.summarize(rows, today)
        if not flag_count(summary):
            continue
        subject = hr_subject(organization.name, summary, today)
        body = hr_body(organization.name, rows, summary, today, base_url)
        planned += [
            PlannedNotice(
                kind=HR_DIGEST,
                person_id=person.id,
                to_address=person.email,
                subject=subject,
                body=body,
                keys=(keys[person.id],),
                organization_id=organization.id,
            )
            for person in recipients
        ]
    return planned


def plan_notices(
    session: Session,
    *,
    actor: Actor,
    registry: Registry,
    today: date,
    base_url: str = "http://localhost:8501",
) -> list[PlannedNotice]:
    """Every message due today that was not sent yet; results that are out of date are
    evaluated first (and stored), so the digests read current ones. Nothing is recorded."""
    _require_system(actor)
    stale = evaluation.needing_evaluation(session, actor=actor, registry=registry, today=today)
    evaluation.evaluate_persons(
        session, actor=actor, person_ids=stale, registry=registry, today=today
    )
    people = _reachable(session)
    return _clinician_notices(session, actor, people, registry, today, base_url) + _hr_notices(
        session, actor, people, registry, today, base_url
    )


def send_notices(
    session: Session,
    *,
    actor: Actor,
    planned: Iterable[PlannedNotice],
    send: Callable[[PlannedNotice], None],
    now: datetime,
    failed: Callable[[PlannedNotice, MailError], None] | None = None,
) -> int:
    """Send each message with `send` and record its notices; returns how many were sent.

    A message whose keys are already recorded (by another run) is skipped. When `send`
    raises MailError nothing is recorded for that message, `failed` is told, and the rest go
    on. For the record to be durable message by message, give one message per transaction
    (as `cetrack notify` does)."""
    _require_system(actor)
    count = 0
    for notice in planned:
        savepoint = session.begin_nested()
        rows = [
            Notice(
                key=key,
                person_id=notice.person_id,
                kind=notice.kind,
                to_address=notice.to_address,
                subject=notice.subject[:_SUBJECT_MAX],
                sent_at=now,
            )
            for key in notice.keys
        ]
        session.add_all(rows)
        try:
            session.flush()
        except IntegrityError:
            savepoint.rollback()  # a concurrent run recorded it first, and sends it
            continue
        try:
            send(notice)
        except MailError as error:
            savepoint.rollback()
            if failed is not None:
                failed(notice, error)
            continue
        audit.record(
            session,
            actor=actor,
            person_id=notice.person_id,
            action="notify",
            entity="notice",
            entity_id=rows[0].id if rows else None,
            detail={
                "kind": notice.kind,
                "to": notice.to_address,
                "keys": list(notice.keys),
                "organization": notice.organization_id,
            },
        )
        session.flush()
        savepoint.commit()
        count += 1
    return count
