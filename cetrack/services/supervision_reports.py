"""An associate's supervised experience going out (the verification packet, the reminders
calendar) and coming in (a CSV of weeks from another tracker).

An import is previewed first: every row is checked on its own, against the other rows and
against the weeks already logged, and nothing is written. Committing checks the file again
inside its own transaction, under the associate's lock, and writes every row or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session

from cetrack.db.models import (
    LicensurePath,
    Person,
    SupervisionLog,
    SupervisionRelationship,
    utcnow,
)
from cetrack.db.statements import lock_rows
from cetrack.exports.ics import DEFAULT_ALARM_DAYS
from cetrack.exports.supervision_ics import supervision_ics
from cetrack.exports.supervision_packet import ExperienceRecords, supervision_packet
from cetrack.importers.supervision_csv import ImportReport, parse_supervision_csv
from cetrack.services import audit, experience, signoff, supervision, supervision_logs
from cetrack.services.actor import Actor
from cetrack.services.errors import InputError
from cetrack.services.policy import Action, require
from cetrack.services.workspace import Workspace


def _records(
    session: Session,
    workspace: Workspace,
    actor: Actor,
    person: Person,
    path: LicensurePath,
    today: date,
) -> ExperienceRecords:
    require(actor, Action.EXPORT, person)
    if path.person_id != person.id or path.deleted_at is not None:
        raise InputError({"path": f"{person.email} does not work toward this license"})
    if path.rule_id not in workspace.registry:
        raise InputError({"path": f"no rule {path.rule_id}"})
    return ExperienceRecords(
        person=person,
        path=path,
        rule=workspace.registry.get(path.rule_id),
        result=experience.progress(
            session, actor=actor, path=path, registry=workspace.registry, today=today
        ),
        supervisors=supervision.list_supervisors(session, actor=actor, person=person),
        logs=supervision_logs.list_logs(session, actor=actor, person=person),
        superseded=frozenset(supervision_logs.superseded_ids(session, actor=actor, person=person)),
        signatures=signoff.signatures_of(session, actor=actor, person=person),
    )


def packet_bytes(
    session: Session,
    workspace: Workspace,
    *,
    actor: Actor,
    person: Person,
    path: LicensurePath,
    today: date,
) -> bytes:
    """The verification packet (ZIP): the form as a PDF, the logs, the chain, a manifest."""
    records = _records(session, workspace, actor, person, path, today)
    return supervision_packet(records, as_of=today)


def reminders_ics(
    session: Session,
    workspace: Workspace,
    *,
    actor: Actor,
    person: Person,
    path: LicensurePath,
    today: date,
    alarms: Sequence[int] = DEFAULT_ALARM_DAYS,
) -> bytes:
    """The path's reminders (.ics), the dated ones with reminders `alarms` days before."""
    records = _records(session, workspace, actor, person, path, today)
    pending = sum(log.status == supervision_logs.PENDING for log in records.current_logs)
    return supervision_ics(
        person,
        path,
        records.rule,
        records.result,
        pending=pending,
        stamp=utcnow(),
        alarm_days=alarms,
    )


def _own_supervisor(session: Session, actor: Actor, person: Person, relationship_id: int) -> None:
    relationship = session.get(SupervisionRelationship, relationship_id)
    if (
        relationship is None
        or relationship.person_id != person.id
        or relationship.deleted_at is not None
    ):
        raise InputError({"relationship_id": "choose one of the associate's supervisors"})
    require(actor, Action.READ, relationship)


def preview_log_import(
    session: Session,
    *,
    actor: Actor,
    person: Person,
    content: bytes,
    relationship_id: int,
    today: date,
) -> ImportReport:
    """Every row of the file checked on its own, against the other rows and against the
    associate's logged weeks; nothing is written. InputError for a file that cannot be read."""
    require(actor, Action.CREATE, SupervisionLog(person_id=person.id))
    _own_supervisor(session, actor, person, relationship_id)
    report = parse_supervision_csv(content, relationship_id=relationship_id, today=today)
    logged = experience.counted_logs(session, actor=actor, person=person)
    rows = []
    for row in report.rows:
        clash = row.data and next(
            (log for log in logged if log.start <= row.data.end and row.data.start <= log.end),
            None,
        )
        if clash:
            row = row.rejected(
                {
                    "start": f"overlaps the log of {clash.start.isoformat()} to "
                    f"{clash.end.isoformat()} already logged"
                }
            )
        rows.append(row)
    return ImportReport(tuple(rows))


def commit_log_import(
    session: Session,
    *,
    actor: Actor,
    person: Person,
    content: bytes,
    relationship_id: int,
    today: date,
) -> list[SupervisionLog]:
    """Write every row of the file, checked again in the caller's transaction, or none:
    InputError (keys `line N: field`) while any row is rejected."""
    require(actor, Action.CREATE, SupervisionLog(person_id=person.id))
    lock_rows(session, Person, person.id)  # no log of the associate lands between check and write
    report = preview_log_import(
        session,
        actor=actor,
        person=person,
        content=content,
        relationship_id=relationship_id,
        today=today,
    )
    if report.rejected:
        raise InputError(
            {
                f"line {row.line}: {field}": message
                for row in report.rejected
                for field, message in row.errors.items()
            }
        )
    rows = [row.data.model_dump() for row in report.ready]
    added = supervision_logs.add_logs(session, actor=actor, person=person, rows=rows, today=today)
    audit.record(
        session,
        actor=actor,
        person_id=person.id,
        action="import",
        entity="supervisionlog",
        entity_id=None,
        detail={"rows": len(added)},
    )
    return added
