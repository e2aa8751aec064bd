"""The audit trail: who changed what, written in the same transaction as the change, then
sealed into one SHA-256 chain just after it commits.

Sealing gives each new event, in id order, the next `seq`, the previous event's hash as
`prev_hash`, and `hash` = SHA-256 over its canonical content and `prev_hash`. It runs in a
short transaction of its own under the chain's lock (a PostgreSQL advisory lock; SQLite's write
lock), so writers never wait on each other for the chain while holding other locks, and events
committed out of id order are still chained once. `verify_chain` recomputes the chain and names
the first event that breaks it, so a row changed or deleted directly in the database is found.
Nothing in the app edits or deletes an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, select
from sqlmodel.sql.sqltypes import UTCDateTime

from cetrack.db.models import AuditEvent
from cetrack.hashing import moment_text, sha256_of
from cetrack.services.actor import Actor
from cetrack.services.policy import Action, WholeDatabase, require

GENESIS = "0" * 64  # the `prev_hash` of the first event
_CHAIN_LOCK = 0x63657472_61756474  # "cetraudt": the PostgreSQL advisory lock of the chain
# the columns the chain covers, as a plain table (the migration that seals old events uses it)
_EVENTS = sa.table(
    "auditevent",
    sa.column("id", sa.Integer),
    sa.column("seq", sa.Integer),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
    sa.column("at", UTCDateTime),
    sa.column("person_id", sa.Integer),
    sa.column("actor_person_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("detail", sa.JSON),
)
_CONTENT = ("at", "person_id", "actor_person_id", "action", "entity", "entity_id", "detail")


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


# --- the chain -----------------------------------------------------------------------------


def event_hash(prev_hash: str, event: Any) -> str:
    """SHA-256 over an event's content and the previous event's hash (canonical JSON)."""
    content = {name: getattr(event, name) for name in _CONTENT}
    content["at"] = moment_text(content["at"])
    content["prev_hash"] = prev_hash
    return sha256_of(content)


def seal_rows(connection: Connection) -> int:
    """Seal every event not yet in the chain, oldest id first; returns how many. Runs inside
    the caller's transaction (the app's own, short one; or a migration's)."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    last = connection.execute(
        sa.select(_EVENTS.c.seq, _EVENTS.c.hash)
        .where(_EVENTS.c.seq.is_not(None))
        .order_by(_EVENTS.c.seq.desc())
        .limit(1)
    ).first()
    seq, prev_hash = (last.seq, last.hash) if last else (0, GENESIS)
    pending = connection.execute(
        sa.select(_EVENTS).where(_EVENTS.c.seq.is_(None)).order_by(_EVENTS.c.id)
    ).all()
    for event in pending:
        seq += 1
        digest = event_hash(prev_hash, event)
        connection.execute(
            sa.update(_EVENTS)
            .where(_EVENTS.c.id == event.id)
            .values(seq=seq, prev_hash=prev_hash, hash=digest)
        )
        prev_hash = digest
    return len(pending)


def seal_pending(engine: Engine) -> int:
    """Seal what committed transactions wrote (a cheap read when nothing is waiting)."""
    with engine.connect() as connection:
        waiting = connection.execute(
            sa.select(_EVENTS.c.id).where(_EVENTS.c.seq.is_(None)).limit(1)
        ).first()
    if waiting is None:
        return 0
    with engine.begin() as connection:
        return seal_rows(connection)


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    event_id: int
    at: datetime
    action: str
    entity: str
    why: str


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken: BrokenLink | None


def verify_chain(session: Session, *, actor: Actor) -> ChainReport:
    """Recompute the chain in `seq` order; the first event whose content, link or place
    does not fit is named. (Deleting the newest events leaves no trace in the chain itself.)"""
    require(actor, Action.READ, WholeDatabase())
    rows = session.connection().execute(
        sa.select(_EVENTS).where(_EVENTS.c.seq.is_not(None)).order_by(_EVENTS.c.seq)
    )
    expected_seq, prev_hash, count = 1, GENESIS, 0
    for event in rows:
        count += 1
        why = None
        if event.seq != expected_seq:
            why = f"the events numbered {expected_seq} to {event.seq - 1} are missing"
        elif event.prev_hash != prev_hash:
            why = "its link to the event before it does not match (that one was changed)"
        elif event_hash(event.prev_hash, event) != event.hash:
            why = "its content was changed after it was written"
        if why:
            broken = BrokenLink(event.seq, event.id, event.at, event.action, event.entity, why)
            return ChainReport(count, broken)
        expected_seq, prev_hash = event.seq + 1, event.hash
    return ChainReport(count, None)
