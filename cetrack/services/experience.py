"""An associate's progress toward licensure, from their stored logs and supervisors, with the
same engine `cetrack check` runs (`scenario_of` writes the very scenario it would read).

Logs count for every path of the associate: signed ones (a signed amendment replaces the log
it amends), while pending and returned ones are shown as not signed yet. Each log's supervisor
is checked against the rule's supervisor qualification on the log's dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from cetrack.db.models import LicensurePath, Membership, Organization, Person, SupervisionLog
from cetrack.engine.cycles import select_version
from cetrack.engine.dates import add_months, day_before
from cetrack.engine.records import SupervisionLog as LogRecord
from cetrack.engine.results import SupervisionResult
from cetrack.engine.supervision import evaluate_supervision
from cetrack.rules.registry import Registry
from cetrack.services.actor import Actor
from cetrack.services.policy import Action, OrganizationView, require
from cetrack.services.supervision import list_supervisors, supervisor_record
from cetrack.services.supervision_logs import PENDING, SIGNED, list_logs, superseded_ids
from cetrack.supervision_inputs import HOUR_FIELDS

ENDS_SOON_DAYS = 180  # a qualifying period ending within this is flagged
_LATE = ("projected_past_maximum", "registration_ends_first")


def counted_logs(session: Session, *, actor: Actor, person: Person) -> list[SupervisionLog]:
    """The logs the engine sees: every live log but those a signed amendment replaced."""
    replaced = superseded_ids(session, actor=actor, person=person)
    return [
        log
        for log in reversed(list_logs(session, actor=actor, person=person))
        if log.id not in replaced
    ]


def log_record(log: SupervisionLog) -> LogRecord:
    hours = {name: getattr(log, name) for name in HOUR_FIELDS}
    return LogRecord(
        id=str(log.id),
        start=log.start,
        end=log.end,
        signed=log.status == SIGNED,
        group_size=log.group_size,
        supervisor=str(log.relationship_id),
        **hours,
    )


def progress(
    session: Session,
    *,
    actor: Actor,
    path: LicensurePath,
    registry: Registry,
    today: date,
) -> SupervisionResult:
    require(actor, Action.READ, path)
    person = session.get(Person, path.person_id)
    supervisors = list_supervisors(session, actor=actor, person=person)
    return evaluate_supervision(
        registry.get(path.rule_id),
        path.started_on,
        [log_record(log) for log in counted_logs(session, actor=actor, person=person)],
        today,
        registration_issued=path.registration_issued,
        supervisors=[supervisor_record(session, item) for item in supervisors],
    )


def scenario_of(session: Session, *, actor: Actor, path: LicensurePath, today: date) -> dict:
    """The path as a `cetrack check` scenario (kind supervision): what `progress` evaluates."""
    require(actor, Action.EXPORT, path)
    person = session.get(Person, path.person_id)
    logs = [log_record(log) for log in counted_logs(session, actor=actor, person=person)]
    supervisors = [
        supervisor_record(session, item)
        for item in list_supervisors(session, actor=actor, person=person)
    ]
    return {
        "kind": "supervision",
        "description": f"{person.name}'s supervised experience toward {path.rule_id}",
        "as_of": today.isoformat(),
        "rule": path.rule_id,
        "start": path.started_on.isoformat(),
        "registration_issued": (
            path.registration_issued.isoformat() if path.registration_issued else None
        ),
        "logs": [_json(log) for log in logs],
        "supervisors": [_json(item) for item in supervisors],
    }


def _json(record) -> dict:
    fields = dict(vars(record))
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in fields.items()
    }


# --- many associates at once -----------------------------------------------------------------


@dataclass(frozen=True)
class AssociateRow:
    """One associate's standing on one path, for a supervisor's or HR's table."""

    person_id: int
    name: str
    email: str
    rule_id: str
    eligible: bool
    behind: bool
    projected_eligible: date | None
    remaining: tuple[tuple[str, float], ...]  # (requirement title, hours or months left)
    awaiting_signature: int
    returned: int
    period_ends: date | None  # the last day the experience or registration may run
    ends_soon: bool


def _period_end(path: LicensurePath, result: SupervisionResult, registry: Registry) -> date | None:
    rule = registry.get(path.rule_id)
    experience = select_version(rule.supervised_experience, result.as_of, "supervised-experience")
    ends = [result.registration_final_expiry] if result.registration_final_expiry else []
    if experience.months_max:
        ends.append(day_before(add_months(path.started_on, experience.months_max)))
    return min(ends, default=None)


def _counts(session: Session, person_id: int) -> dict[str, int]:
    statuses = session.exec(
        select(SupervisionLog.status).where(
            SupervisionLog.person_id == person_id, SupervisionLog.deleted_at.is_(None)
        )
    ).all()
    return {status: statuses.count(status) for status in set(statuses)}


def associate_rows(
    session: Session,
    *,
    actor: Actor,
    person_ids: set[int] | frozenset[int],
    registry: Registry,
    today: date,
) -> list[AssociateRow]:
    """Every path of these associates, evaluated now, behind ones first."""
    rows = []
    paths = session.exec(
        select(LicensurePath)
        .where(LicensurePath.person_id.in_(person_ids), LicensurePath.deleted_at.is_(None))
        .order_by(LicensurePath.person_id, LicensurePath.id)
    ).all()
    for path in paths:
        if path.rule_id not in registry:
            continue
        person = session.get(Person, path.person_id)
        result = progress(session, actor=actor, path=path, registry=registry, today=today)
        counts = _counts(session, path.person_id)
        ends = _period_end(path, result, registry)
        late = any(note.code in _LATE for note in result.notes)
        rows.append(
            AssociateRow(
                person_id=person.id,
                name=person.name,
                email=person.email,
                rule_id=path.rule_id,
                eligible=result.eligible,
                behind=not result.eligible and (result.projected_eligible is None or late),
                projected_eligible=result.projected_eligible,
                remaining=tuple(
                    (item.title, item.remaining)
                    for item in result.requirements
                    if item.remaining > 0
                ),
                awaiting_signature=counts.get(PENDING, 0),
                returned=counts.get("returned", 0),
                period_ends=ends,
                ends_soon=bool(ends and ends <= today + timedelta(days=ENDS_SOON_DAYS)),
            )
        )
    return sorted(rows, key=lambda row: (not row.behind, row.name, row.rule_id))


def associates_behind(
    session: Session,
    *,
    actor: Actor,
    organization: Organization,
    registry: Registry,
    today: date,
) -> list[AssociateRow]:
    """The organization's associates not on pace to qualify in time (HR's dashboard)."""
    require(actor, Action.READ, OrganizationView(organization.id, "compliance"))
    members = session.exec(
        select(Membership.person_id).where(
            Membership.organization_id == organization.id, Membership.active
        )
    ).all()
    rows = associate_rows(
        session, actor=actor, person_ids=set(members), registry=registry, today=today
    )
    return [row for row in rows if row.behind]
