"""Records a person owns: fetched, created, changed and deleted (softly, so it can be undone)
through the policy, with an audit event in the same transaction and a version check that
refuses a save from a stale form."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel

from cetrack.db.models import utcnow
from cetrack.services import audit
from cetrack.services.actor import Actor
from cetrack.services.errors import NotFound, StaleEdit
from cetrack.services.policy import Action, owner_of, require

Owned = TypeVar("Owned", bound=SQLModel)


def noun(record: SQLModel | type[SQLModel]) -> str:
    model = record if isinstance(record, type) else type(record)
    return model.__name__.lower()


def owned(
    session: Session,
    model: type[Owned],
    *,
    actor: Actor,
    record_id: int,
    deleted: bool = False,
    action: Action = Action.READ,
) -> Owned:
    """The record, if the actor may `action` it and it is in the given deleted state."""
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(f"no {noun(model)} {record_id}")
    require(actor, action, record)
    if (getattr(record, "deleted_at", None) is not None) != deleted:
        raise NotFound(f"{noun(model)} {record_id} is {'not ' if deleted else ''}deleted")
    return record


def record_event(
    session: Session, record: SQLModel, *, actor: Actor, action: str, detail: dict[str, Any]
) -> None:
    """The audit event of a change to an owned record (its version included)."""
    audit.record(
        session,
        actor=actor,
        person_id=owner_of(record),
        action=action,
        entity=noun(record),
        entity_id=record.id,
        detail={**detail, "version": record.version},
    )


def add_owned(session: Session, record: Owned, *, actor: Actor, data: BaseModel) -> Owned:
    """Insert a new record, with an audit event holding what was entered."""
    require(actor, Action.CREATE, record)
    session.add(record)
    session.flush()
    record_event(
        session,
        record,
        actor=actor,
        action="create",
        detail={"after": data.model_dump(mode="json")},
    )
    return record


def _values(record: SQLModel, fields: type[BaseModel]) -> dict[str, Any]:
    return fields.model_validate(record, from_attributes=True).model_dump(mode="json")


def values_at_version(session: Session, record: SQLModel, version: int) -> dict[str, Any] | None:
    """The record's entered values as they were at `version`, from its audit trail."""
    state = None
    for event in audit.events_for(session, entity=noun(record), entity_id=record.id):
        state = event.detail.get("after", state)
        if event.detail.get("version") == version:
            return state
    return None


def check_version(
    session: Session, record: SQLModel, *, expected: int | None, fields: type[BaseModel]
) -> None:
    """Refuse (StaleEdit) a save made from a form opened at another version."""
    if expected is None or expected == record.version:
        return
    then = values_at_version(session, record, expected) or {}
    now = _values(record, fields)
    changed = {
        name: (then.get(name), value) for name, value in now.items() if then.get(name) != value
    }
    raise StaleEdit(noun(record), record.id, changed)


def change_owned(
    session: Session,
    record: SQLModel,
    *,
    actor: Actor,
    data: BaseModel,
    expected_version: int | None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Apply validated fields (and `extra` ones) if the form saw the current version,
    keeping the values before and after in the audit."""
    require(actor, Action.UPDATE, record)
    check_version(session, record, expected=expected_version, fields=type(data))
    before = _values(record, type(data))
    for field, value in {**data.model_dump(), **(extra or {})}.items():
        setattr(record, field, value)
    record.updated_at = utcnow()
    session.add(record)
    flush_versioned(session, record)
    after = _values(record, type(data))
    record_event(
        session, record, actor=actor, action="update", detail={"before": before, "after": after}
    )


def flush_versioned(session: Session, record: SQLModel) -> None:
    """Write the record now; a concurrent save of the same version becomes a StaleEdit."""
    record_id = record.id
    try:
        session.flush()
    except StaleDataError:
        raise StaleEdit(noun(record), record_id, {}) from None


def set_deleted(session: Session, record: SQLModel, *, actor: Actor, deleted: bool) -> None:
    """Delete (or restore) softly, with an audit event."""
    require(actor, Action.DELETE, record)
    record.deleted_at = utcnow() if deleted else None
    session.add(record)
    flush_versioned(session, record)
    record_event(session, record, actor=actor, action="delete" if deleted else "restore", detail={})
