"""An associate's supervised-experience logs: entered, corrected while unsigned, amended once
signed.

A log is `pending` until its supervisor signs it or returns it with a comment; the associate
may change or delete it until it is signed (a change to a returned log resubmits it). A signed
log never changes: an amendment is a new log (`amends_id`) that replaces it once the supervisor
signs that one. No two logs of an associate cover the same day, except an amendment and the
log it amends.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlmodel import Session, select

from cetrack.db.models import Person, SupervisionLog, SupervisionRelationship
from cetrack.db.statements import lock_rows
from cetrack.services.actor import Actor
from cetrack.services.errors import InputError
from cetrack.services.ownership import add_owned, change_owned, owned, set_deleted
from cetrack.services.policy import Action, require
from cetrack.supervision_inputs import LogInput, validate_log

PENDING, RETURNED, SIGNED = "pending", "returned", "signed"
STATUSES = (PENDING, RETURNED, SIGNED)


class SignedLogLocked(InputError):
    """A signed log cannot change; amend it instead."""

    def __init__(self, log: SupervisionLog):
        self.log_id = log.id
        super().__init__(
            {
                "log": f"the log of {log.start.isoformat()} to {log.end.isoformat()} is signed "
                "and cannot change; amend it instead (the supervisor signs the amendment)"
            }
        )


def _relationship_of(
    session: Session, actor: Actor, person: Person, relationship_id: int
) -> SupervisionRelationship:
    relationship = session.get(SupervisionRelationship, relationship_id)
    if (
        relationship is None
        or relationship.person_id != person.id
        or relationship.deleted_at is not None
    ):
        raise InputError({"relationship_id": "choose one of your supervisors"})
    require(actor, Action.READ, relationship)
    return relationship


def _superseded_ids(session: Session, person_id: int) -> set[int]:
    """Logs replaced by a signed amendment."""
    rows = session.exec(
        select(SupervisionLog.amends_id).where(
            SupervisionLog.person_id == person_id,
            SupervisionLog.status == SIGNED,
            SupervisionLog.amends_id.is_not(None),
            SupervisionLog.deleted_at.is_(None),
        )
    )
    return set(rows)


def _overlap(
    session: Session, person_id: int, data: LogInput, *, ignore: Iterable[int | None]
) -> SupervisionLog | None:
    """A live log of the person covering one of the days of `data`, if any."""
    skip = {item for item in ignore if item is not None} | _superseded_ids(session, person_id)
    rows = session.exec(
        select(SupervisionLog).where(
            SupervisionLog.person_id == person_id,
            SupervisionLog.deleted_at.is_(None),
            SupervisionLog.start <= data.end,
            SupervisionLog.end >= data.start,
        )
    )
    return next((row for row in rows if row.id not in skip), None)


def _refuse_overlap(session: Session, person_id: int, data: LogInput, *, ignore) -> None:
    other = _overlap(session, person_id, data, ignore=ignore)
    if other is not None:
        raise InputError(
            {
                "start": f"overlaps the log of {other.start.isoformat()} to "
                f"{other.end.isoformat()}; change that one instead"
            }
        )


def add_log(
    session: Session,
    *,
    actor: Actor,
    person: Person,
    data: LogInput | dict,
    today: date,
    amends: SupervisionLog | None = None,
) -> SupervisionLog:
    """Log a period (pending the supervisor's signature)."""
    require(actor, Action.CREATE, SupervisionLog(person_id=person.id))
    data = validate_log(data, today=today)
    _relationship_of(session, actor, person, data.relationship_id)
    lock_rows(session, Person, person.id)  # one writer per associate: no overlapping rows
    ignore = (amends.id, amends.amends_id) if amends else ()
    _refuse_overlap(session, person.id, data, ignore=ignore)
    log = SupervisionLog(
        person_id=person.id, amends_id=amends.id if amends else None, **data.model_dump()
    )
    return add_owned(session, log, actor=actor, data=data)


def get_log(
    session: Session, *, actor: Actor, log_id: int, action: Action = Action.READ
) -> SupervisionLog:
    return owned(session, SupervisionLog, actor=actor, record_id=log_id, action=action)


def _unsigned(log: SupervisionLog) -> SupervisionLog:
    if log.status == SIGNED:
        raise SignedLogLocked(log)
    return log


def update_log(
    session: Session,
    *,
    actor: Actor,
    log_id: int,
    data: LogInput | dict,
    today: date,
    expected_version: int | None,
) -> SupervisionLog:
    """Correct an unsigned log; a returned log goes back to its supervisor (pending)."""
    log = _unsigned(get_log(session, actor=actor, log_id=log_id, action=Action.UPDATE))
    data = validate_log(data, today=today)
    person = session.get(Person, log.person_id)
    _relationship_of(session, actor, person, data.relationship_id)
    lock_rows(session, Person, person.id)
    _refuse_overlap(session, person.id, data, ignore=(log.id, log.amends_id))
    change_owned(
        session,
        log,
        actor=actor,
        data=data,
        expected_version=expected_version,
        extra={"status": PENDING},
    )
    return log


def delete_log(session: Session, *, actor: Actor, log_id: int) -> SupervisionLog:
    """Delete an unsigned log (softly: the audit trail keeps it)."""
    log = _unsigned(get_log(session, actor=actor, log_id=log_id, action=Action.DELETE))
    set_deleted(session, log, actor=actor, deleted=True)
    return log


def amend_log(
    session: Session, *, actor: Actor, log_id: int, data: LogInput | dict, today: date
) -> SupervisionLog:
    """A new log replacing a signed one once the supervisor signs it; the signed one stays
    as it was, and counts until then."""
    original = get_log(session, actor=actor, log_id=log_id, action=Action.UPDATE)
    if original.status != SIGNED:
        raise InputError({"log": "only a signed log is amended; change this one directly"})
    pending = session.exec(
        select(SupervisionLog.id).where(
            SupervisionLog.amends_id == original.id, SupervisionLog.deleted_at.is_(None)
        )
    ).first()
    if pending is not None:
        raise InputError({"log": "this log already has an amendment; change that one"})
    person = session.get(Person, original.person_id)
    return add_log(session, actor=actor, person=person, data=data, today=today, amends=original)


def list_logs(
    session: Session, *, actor: Actor, person: Person, status: str | None = None
) -> list[SupervisionLog]:
    """The associate's live logs, newest first (`status` narrows them)."""
    require(actor, Action.READ, person)
    statement = select(SupervisionLog).where(
        SupervisionLog.person_id == person.id, SupervisionLog.deleted_at.is_(None)
    )
    if status:
        statement = statement.where(SupervisionLog.status == status)
    return list(
        session.exec(statement.order_by(SupervisionLog.start.desc(), SupervisionLog.id.desc()))
    )


def superseded_ids(session: Session, *, actor: Actor, person: Person) -> set[int]:
    """The person's logs that a signed amendment replaced."""
    require(actor, Action.READ, person)
    return _superseded_ids(session, person.id)


def next_week(session: Session, *, actor: Actor, person: Person) -> dict | None:
    """The form for the week after the latest log, prefilled from it ("copy last week"); None
    before the first log."""
    logs = list_logs(session, actor=actor, person=person)
    if not logs:
        return None
    last = max(logs, key=lambda log: (log.end, log.id))
    length = (last.end - last.start).days + 1
    start = last.end + timedelta(days=1)
    fields = LogInput.model_validate(last, from_attributes=True).model_dump()
    return {**fields, "start": start, "end": start + timedelta(days=length - 1)}


def add_logs(
    session: Session, *, actor: Actor, person: Person, rows: list[dict], today: date
) -> list[SupervisionLog]:
    """Many periods at once (the weeks table, an import): every row is checked, against the
    others too, and nothing is written unless all pass. Errors are keyed `row N: field`."""
    require(actor, Action.CREATE, SupervisionLog(person_id=person.id))
    errors: dict[str, str] = {}
    checked: list[tuple[int, LogInput]] = []
    for number, row in enumerate(rows, start=1):
        try:
            data = validate_log(row, today=today)
            _relationship_of(session, actor, person, data.relationship_id)
        except InputError as error:
            errors.update({f"row {number}: {key}": text for key, text in error.errors.items()})
            continue
        clash = next(
            (other for other, seen in checked if seen.start <= data.end and data.start <= seen.end),
            None,
        )
        if clash:
            errors[f"row {number}: start"] = f"overlaps row {clash}"
        checked.append((number, data))
    if errors:
        raise InputError(errors)
    lock_rows(session, Person, person.id)
    added = []
    for number, data in checked:
        try:
            _refuse_overlap(session, person.id, data, ignore=())
        except InputError as error:
            raise InputError({f"row {number}: start": error.errors["start"]}) from None
        log = SupervisionLog(person_id=person.id, **data.model_dump())
        added.append(add_owned(session, log, actor=actor, data=data))
    return added
