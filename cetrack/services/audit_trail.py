"""The organization's audit trail, for its admins and HR: every change to its people's
records and accounts and to the organization itself, newest first, filtered and exported.
Read only: nothing in the app edits or deletes an event (see `audit.py` for the chain)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import and_, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from cetrack.db.models import AuditEvent, Membership, Organization, Person
from cetrack.exports.tables import to_csv
from cetrack.services.actor import Actor
from cetrack.services.policy import Action, OrganizationView, require

ORGANIZATION_ENTITIES = ("organization", "roster")  # events about the organization itself


@dataclass(frozen=True)
class TrailFilters:
    entities: tuple[str, ...] = ()  # e.g. credential, activity, verification, account
    email: str = ""  # whose record, or who acted
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class TrailEntry:
    event: AuditEvent
    owner: str  # the email of whose record it is ("" for the organization's own)
    actor: str  # who acted ("cetrack" for the system)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def trail(
    session: Session,
    *,
    actor: Actor,
    organization: Organization,
    filters: TrailFilters | None = None,
    limit: int = 1000,
) -> list[TrailEntry]:
    """The newest events about the organization's members and the organization itself."""
    require(actor, Action.READ, OrganizationView(organization.id, "audit"))
    filters = filters or TrailFilters()
    members = select(Membership.person_id).where(Membership.organization_id == organization.id)
    owner, doer = aliased(Person), aliased(Person)
    statement = (
        select(AuditEvent, owner.email, doer.email)
        .join(owner, owner.id == AuditEvent.person_id, isouter=True)
        .join(doer, doer.id == AuditEvent.actor_person_id, isouter=True)
        .where(
            or_(
                AuditEvent.person_id.in_(members),
                and_(
                    AuditEvent.entity.in_(ORGANIZATION_ENTITIES),
                    AuditEvent.entity_id == organization.id,
                ),
            )
        )
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    if filters.entities:
        statement = statement.where(AuditEvent.entity.in_(filters.entities))
    if filters.email.strip():
        email = filters.email.strip().lower()
        statement = statement.where(or_(owner.email == email, doer.email == email))
    if filters.since:
        statement = statement.where(AuditEvent.at >= _day_start(filters.since))
    if filters.until:
        statement = statement.where(AuditEvent.at < _day_start(filters.until + timedelta(days=1)))
    return [
        TrailEntry(event, owner_email or "", actor_email or "cetrack")
        for event, owner_email, actor_email in session.exec(statement)
    ]


def trail_frame(entries: list[TrailEntry]) -> pd.DataFrame:
    """The entries as a table: when, who acted, whose record, what, and before and after."""
    return pd.DataFrame(
        [
            {
                "seq": entry.event.seq,
                "when_utc": entry.event.at,
                "actor": entry.actor,
                "person": entry.owner,
                "action": entry.event.action,
                "record": entry.event.entity,
                "record_id": entry.event.entity_id,
                "before": json.dumps(entry.event.detail.get("before"), sort_keys=True),
                "after": json.dumps(entry.event.detail.get("after"), sort_keys=True),
                "detail": json.dumps(
                    {k: v for k, v in entry.event.detail.items() if k not in ("before", "after")},
                    sort_keys=True,
                ),
                "hash": entry.event.hash,
            }
            for entry in entries
        ],
        columns=[
            "seq",
            "when_utc",
            "actor",
            "person",
            "action",
            "record",
            "record_id",
            "before",
            "after",
            "detail",
            "hash",
        ],
    )


def trail_csv(
    session: Session,
    *,
    actor: Actor,
    organization: Organization,
    filters: TrailFilters | None = None,
) -> bytes:
    """The filtered trail as CSV (every event, not only the newest shown on the page)."""
    require(actor, Action.EXPORT, OrganizationView(organization.id, "audit"))
    entries = trail(
        session, actor=actor, organization=organization, filters=filters, limit=1_000_000
    )
    frame = trail_frame(entries)
    frame["when_utc"] = frame["when_utc"].astype(str)
    return to_csv(frame)
