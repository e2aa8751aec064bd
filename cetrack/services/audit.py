"""The audit trail: who changed what, written in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from cetrack.db.models import AuditEvent
from cetrack.services.actor import Actor
from cetrack.services.policy import Action, require


def record(
    session: Session,
    *,
    actor: Actor | None,
    person_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Write one event; `person_id` owns the record, `actor` acted (None: the system)."""
    session.add(
        AuditEvent(
            person_id=person_id,
            actor_person_id=actor.person_id if actor else None,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail or {},
        )
    )


def history(session: Session, *, actor: Actor, person, limit: int = 200) -> list[AuditEvent]:
    """The newest events on a person's records."""
    require(actor, Action.READ, person)
    statement = (
        select(AuditEvent)
        .where(AuditEvent.person_id == person.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return list(session.exec(statement))


def events_for(session: Session, *, entity: str, entity_id: int) -> list[AuditEvent]:
    """Every event of one record, oldest first (for reconstructing earlier versions)."""
    statement = (
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.id)
    )
    return list(session.exec(statement))
