"""Evaluation as a read model: each credential's typed result is stored with the columns a
many-person view needs, and recomputed only when it may have changed.

- Writes call `mark_dirty` / `mark_person_dirty` in their own transaction: the row turns
  dirty and its `generation` rises.
- A stored result is current while it is clean, its rule's content hash is the loaded one
  and the evaluation date lies in [evaluated_on, valid_until). Figures that change daily
  (days left, the pace) are computed when read.
- Storing a result is conditional on the generation it read, so a write that lands during an
  evaluation is never lost, and concurrent first evaluations never fail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import update
from sqlmodel import Session, select

from cetrack.db.models import Activity, Credential, Evaluation, Person, utcnow
from cetrack.db.statements import insert_ignore, lock_rows
from cetrack.engine.ce import evaluate_ce
from cetrack.engine.cycles import RuleInputError
from cetrack.engine.pace import OpenRequirement, Pace, project
from cetrack.engine.privilege import HomeRecord, evaluate_compact
from cetrack.engine.records import Activity as ActivityRecord
from cetrack.engine.records import LicenseFacts
from cetrack.engine.results import CEResult
from cetrack.rules.registry import Registry
from cetrack.rules.schema import RuleFile
from cetrack.services.actor import Actor
from cetrack.services.policy import Action, require
from cetrack.wording import rule_input_text


@dataclass(frozen=True)
class CredentialStatus:
    """A credential, its rule and its result on the day asked (or why it has none)."""

    credential: Credential
    rule: RuleFile
    result: CEResult | None
    pace: Pace | None = None
    error: str | None = None

    @property
    def title(self) -> str:
        return f"{self.rule.id} — {self.rule.title}"


# --- marking -------------------------------------------------------------------------------


def create_evaluation_row(session: Session, credential_id: int) -> None:
    """The credential's (dirty) read-model row, so every later write has a row to mark."""
    insert_ignore(
        session,
        Evaluation,
        {
            "credential_id": credential_id,
            "generation": 0,
            "dirty": True,
            "rule_hash": "",
            "status": "",
        },
        unique=["credential_id"],
    )


def _with_dependents(session: Session, credential_ids: Iterable[int]) -> list[int]:
    """The credentials and every compact credential standing on them, down the chain."""
    found = set(credential_ids)
    frontier = set(found)
    while frontier:
        standing_on = session.exec(
            select(Credential.id).where(Credential.home_credential_id.in_(frontier))
        ).all()
        frontier = set(standing_on) - found
        found |= frontier
    return sorted(found)


def mark_dirty(session: Session, credential_ids: Iterable[int]) -> None:
    """The credentials' results, and those of what stands on them, need evaluating."""
    ids = _with_dependents(session, credential_ids)
    if not ids:
        return
    owners = session.exec(select(Credential.person_id).where(Credential.id.in_(ids))).all()
    lock_rows(session, Person, *sorted(set(owners)))
    session.execute(
        update(Evaluation)
        .where(Evaluation.credential_id.in_(ids))
        .values(dirty=True, generation=Evaluation.generation + 1)
    )


def mark_person_dirty(session: Session, person_id: int) -> None:
    """Every credential of the person: one of their activities changed. Marking (like
    storing a result) first takes the person's lock, so the two never deadlock."""
    lock_rows(session, Person, person_id)
    owned = select(Credential.id).where(Credential.person_id == person_id)
    session.execute(
        update(Evaluation)
        .where(Evaluation.credential_id.in_(owned))
        .values(dirty=True, generation=Evaluation.generation + 1)
    )


# --- evaluating ----------------------------------------------------------------------------


def license_facts(credential: Credential, person: Person) -> LicenseFacts:
    return LicenseFacts(
        expires=credential.expires,
        issued=credential.issued,
        birth_date=person.birth_date,
        supervisor=credential.supervisor,
        flags=frozenset(credential.flags),
        attested=frozenset(
            (item["requirement"], date.fromisoformat(item["completed"]))
            for item in credential.attestations
        ),
    )


def is_current(row: Evaluation | None, rule_hash: str, today: date) -> bool:
    return (
        row is not None
        and not row.dirty
        and row.rule_hash == rule_hash
        and row.evaluated_on is not None
        and row.evaluated_on <= today < (row.valid_until or date.min)
    )


_MAX_HOME_DEPTH = 5


def _home_record(
    lookup: Callable[[int], Credential | None],
    credential: Credential,
    registry: Registry,
    depth: int = 0,
) -> HomeRecord | None:
    """The credential a compact credential stands on (found by `lookup`), with its own home
    down the chain (a removed one counts as not linked)."""
    home_id = credential.home_credential_id
    home = lookup(home_id) if home_id is not None else None
    if home is None or home.deleted_at is not None or depth >= _MAX_HOME_DEPTH:
        return None
    rule = registry.rules.get(home.rule_id)
    return HomeRecord(
        rule_id=home.rule_id,
        rule=rule,
        expires=home.expires,
        status=home.status,
        home=_home_record(lookup, home, registry, depth + 1) if rule and rule.compact else None,
    )


def evaluate_credential(
    rule: RuleFile,
    credential: Credential,
    person: Person,
    activities: Sequence[ActivityRecord],
    registry: Registry,
    today: date,
    lookup: Callable[[int], Credential | None],
) -> tuple[CEResult | None, str | None]:
    """The credential's result on `today`, or why it has none; `lookup` finds the other
    credentials of the person (a compact credential's home)."""
    facts = license_facts(credential, person)
    try:
        if rule.compact is None:
            return evaluate_ce(rule, facts, activities, today), None
        if not rule.compact.operational:
            return None, f"{rule.id} is not issued yet: {rule.compact.status_note}"
        home = _home_record(lookup, credential, registry)
        remote_state = credential.remote_state or None
        return evaluate_compact(
            rule, facts, activities, today, home, remote_state=remote_state
        ), None
    except RuleInputError as error:
        return None, rule_input_text(error)


def stored_values(rule_hash: str, today: date, result: CEResult | None, error: str | None) -> dict:
    """The read-model columns of a result (or of why there is none)."""
    return {
        "dirty": False,
        "rule_hash": rule_hash,
        "evaluated_on": today,
        "valid_until": result.valid_until if result else date.max,
        "computed_at": utcnow(),
        "status": result.status if result else "error",
        "deadline": result.deadline if result else None,
        "cycle_start": result.cycle.start if result else None,
        "total_required": result.total.required if result else None,
        "total_counted": result.total.counted if result else None,
        "hours_remaining": result.total.remaining if result else None,
        "minimal_additional": result.minimal_additional if result else None,
        "error": error,
        "result": result.model_dump(mode="json") if result else None,
    }


def _store(
    session: Session,
    row: Evaluation,
    rule_hash: str,
    today: date,
    result: CEResult | None,
    error: str | None,
) -> None:
    """Keep the result unless the credential changed since `row` was read."""
    session.execute(
        update(Evaluation)
        .where(Evaluation.id == row.id, Evaluation.generation == row.generation)
        .values(**stored_values(rule_hash, today, result, error))
        .execution_options(synchronize_session=False)
    )


def _row(session: Session, credential_id: int) -> Evaluation:
    row = session.exec(select(Evaluation).where(Evaluation.credential_id == credential_id)).first()
    if row is None:  # a credential from before the read model
        create_evaluation_row(session, credential_id)
        row = session.exec(
            select(Evaluation).where(Evaluation.credential_id == credential_id)
        ).one()
    return row


def _stored_result(row: Evaluation, today: date) -> CEResult | None:
    return CEResult.model_validate(row.result).on(today) if row.result else None


def live_activities(person_ids: Sequence[int]):
    """The statement for the persons' live activities, each person's newest first."""
    return (
        select(Activity)
        .where(Activity.person_id.in_(person_ids), Activity.deleted_at.is_(None))
        .order_by(Activity.person_id, Activity.completed.desc(), Activity.id.desc())
    )


def activity_records(rows: Iterable) -> dict[int, list[ActivityRecord]]:
    """Engine records by person, from rows of `live_activities` (ORM objects or plain rows)."""
    found: dict[int, list[ActivityRecord]] = {}
    for row in rows:
        found.setdefault(row.person_id, []).append(
            ActivityRecord.from_attributes(row, id=str(row.id))
        )
    return found


def _activity_records(session: Session, person_id: int) -> list[ActivityRecord]:
    return activity_records(session.exec(live_activities([person_id]))).get(person_id, [])


def _pace(result: CEResult, completed: dict[str, date], today: date) -> Pace:
    counted_on = [
        (completed[item.id], item.counted)
        for item in result.activities
        if item.id in completed and item.counted
    ]
    open_requirements = [
        OpenRequirement(
            item.title,
            item.remaining,
            [
                (completed[key], hours)
                for key, hours in item.counted_from.items()
                if key in completed
            ],
        )
        for item in result.requirements
        if item.remaining > 0 and not item.due  # a dated requirement has its own deadline
    ]
    return project(
        counted_on,
        cycle_start=result.cycle.start,
        deadline=result.deadline,
        remaining=result.minimal_additional,
        today=today,
        requirements=open_requirements,
    )


def _statuses(
    session: Session,
    person: Person,
    credentials: Sequence[Credential],
    registry: Registry,
    today: date,
) -> list[CredentialStatus]:
    records: list[ActivityRecord] | None = None
    found = []
    for credential in credentials:
        if credential.rule_id not in registry:
            continue
        rule, rule_hash = registry.get(credential.rule_id), registry.hash_of(credential.rule_id)
        row = _row(session, credential.id)
        if records is None and not is_current(row, rule_hash, today):
            # writers lock the person before marking rows; storing takes the same lock first
            # (no deadlock on PostgreSQL), and the log is read under it, so no write can land
            # between reading the inputs and storing the result
            lock_rows(session, Person, person.id)
            session.refresh(row)
            records = _activity_records(session, person.id)
        if is_current(row, rule_hash, today):
            result, error = _stored_result(row, today), row.error
        else:
            result, error = evaluate_credential(
                rule,
                credential,
                person,
                records,
                registry,
                today,
                lambda home_id: session.get(Credential, home_id),
            )
            _store(session, row, rule_hash, today, result, error)
        found.append((credential, rule, result, error))
    if records is None and found:
        records = _activity_records(session, person.id)  # for the pace
    completed = {record.id: record.completed for record in records or []}
    return [
        CredentialStatus(
            credential,
            rule,
            result,
            pace=_pace(result, completed, today) if result else None,
            error=error,
        )
        for credential, rule, result, error in found
    ]


def credential_statuses(
    session: Session, *, actor: Actor, person: Person, registry: Registry, today: date
) -> list[CredentialStatus]:
    """Every credential of the person that has a loaded rule, with its current result."""
    require(actor, Action.READ, person)
    credentials = session.exec(
        select(Credential)
        .where(Credential.person_id == person.id, Credential.deleted_at.is_(None))
        .order_by(Credential.rule_id, Credential.id)
    ).all()
    return _statuses(session, person, credentials, registry, today)


def credential_status(
    session: Session, *, actor: Actor, credential: Credential, registry: Registry, today: date
) -> CredentialStatus:
    """One credential's current result."""
    require(actor, Action.READ, credential)
    person = session.get(Person, credential.person_id)
    found = _statuses(session, person, [credential], registry, today)
    if not found:
        raise RuleInputError(f"the rule file for {credential.rule_id} is not loaded")
    return found[0]


def without_rule(credentials: list[Credential], registry: Registry) -> list[Credential]:
    """Credentials whose rule file is not loaded (missing, or rejected by the lint): they
    cannot be evaluated or exported until the file is fixed."""
    return [credential for credential in credentials if credential.rule_id not in registry]


# --- batch ---------------------------------------------------------------------------------


def needing_evaluation(
    session: Session, *, actor: Actor, registry: Registry, today: date, everything: bool = False
) -> list[int]:
    """Ids of the persons whose credentials need evaluating (all, with `everything`)."""
    require(actor, Action.UPDATE, Evaluation())
    rows = session.exec(
        select(Credential.person_id, Credential.rule_id, Evaluation)
        .join(Evaluation, Evaluation.credential_id == Credential.id, isouter=True)
        .where(Credential.deleted_at.is_(None))
    ).all()
    persons = {
        person_id
        for person_id, rule_id, row in rows
        if rule_id in registry
        and (everything or not is_current(row, registry.hash_of(rule_id), today))
    }
    return sorted(persons)


def evaluate_persons(
    session: Session,
    *,
    actor: Actor,
    person_ids: Sequence[int],
    registry: Registry,
    today: date,
    everything: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Re-evaluate the persons' credentials that need it (all, with `everything`); returns
    how many credentials were evaluated."""
    require(actor, Action.UPDATE, Evaluation())
    evaluated = 0
    for person_id in person_ids:
        person = session.get(Person, person_id)
        if everything:
            mark_person_dirty(session, person_id)
            session.flush()
            session.expire_all()
        credentials = session.exec(
            select(Credential).where(
                Credential.person_id == person_id, Credential.deleted_at.is_(None)
            )
        ).all()
        stale = [
            credential
            for credential in credentials
            if credential.rule_id in registry
            and not is_current(
                _row(session, credential.id), registry.hash_of(credential.rule_id), today
            )
        ]
        _statuses(session, person, stale, registry, today)
        evaluated += len(stale)
        if progress:
            progress(1)
    return evaluated
