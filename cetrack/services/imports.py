"""Imports: the duplicate check against the person's log and the committing transaction.

The preview writes nothing. Committing re-checks every row against the log inside its own
transaction, under the person's lock, so committing one preview twice (two tabs, a double
click) writes each row once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from cetrack.db.models import Activity, Person
from cetrack.db.statements import lock_rows
from cetrack.engine.units import clock_hours
from cetrack.importers.ce_csv import parse_ce_csv
from cetrack.inputs import ActivityInput
from cetrack.services import audit
from cetrack.services.activities import logged_keys
from cetrack.services.actor import Actor
from cetrack.services.evaluation import mark_person_dirty
from cetrack.services.ownership import record_event
from cetrack.services.policy import Action, require


@dataclass
class ImportPreview:
    """Rows ready to import; rows already in the log (skipped, not an error); rows rejected
    with their reason (a committing command refuses the file while there are any)."""

    accepted: list[tuple[int, ActivityInput]] = field(default_factory=list)
    already_logged: list[int] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)

    @property
    def hours(self) -> float:
        """The accepted rows' total in clock hours (whatever unit each row is in)."""
        return sum(clock_hours(row.amount, row.unit) for _, row in self.accepted)


@dataclass(frozen=True)
class ImportOutcome:
    created: list[Activity]
    already_logged: int


def preview_ce_import(
    session: Session, *, actor: Actor, person: Person, data: bytes, today: date
) -> ImportPreview:
    """Check every row of a CE CSV against the file and the person's log; nothing is written."""
    require(actor, Action.CREATE, Activity(person_id=person.id))
    parsed = parse_ce_csv(data, today=today)
    logged = logged_keys(session, actor=actor, person=person)
    preview = ImportPreview(rejected=list(parsed.rejected))
    for line, row in parsed.rows:
        if row.duplicate_key() in logged:
            preview.already_logged.append(line)
        else:
            preview.accepted.append((line, row))
    return preview


def commit_ce_import(
    session: Session, *, actor: Actor, person: Person, preview: ImportPreview
) -> ImportOutcome:
    """Write the accepted rows not logged meanwhile, all in the caller's transaction."""
    require(actor, Action.CREATE, Activity(person_id=person.id))
    lock_rows(session, Person, person.id)
    logged = logged_keys(session, actor=actor, person=person)
    fresh = [row for _, row in preview.accepted if row.duplicate_key() not in logged]
    created = [Activity(person_id=person.id, **row.model_dump()) for row in fresh]
    session.add_all(created)
    session.flush()
    for activity, row in zip(created, fresh, strict=True):
        after = row.model_dump(mode="json")
        record_event(
            session, activity, actor=actor, action="create", detail={"after": after, "import": True}
        )
    skipped = len(preview.accepted) - len(created)
    audit.record(
        session,
        actor=actor,
        person_id=person.id,
        action="import",
        entity="activity",
        entity_id=None,
        detail={
            "rows": len(created),
            "already_logged": skipped + len(preview.already_logged),
            "rejected": len(preview.rejected),
        },
    )
    if created:
        mark_person_dirty(session, person.id)
    return ImportOutcome(created=created, already_logged=skipped)
