"""The audit trail: who changed what, written in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from cetrack.db.models import AuditEvent


def record(
    session: Session,
    *,
    person_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(
            person_id=person_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail or {},
        )
    )


def history(session: Session, *, person_id: int, limit: int = 200) -> list[AuditEvent]:
    statement = (
        select(AuditEvent)
        .where(AuditEvent.person_id == person_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return list(session.exec(statement))
