"""An associate's paths to licensure and their supervisors.

The associate keeps both: the rule they work toward (from when, with their associate
registration) and each supervisor over dates in a setting. A supervisor who is in cetrack is
linked by email, and their license is then read from their own records on every evaluation;
otherwise the license and supervisor credential entered here are what is checked.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from cetrack.db.models import (
    Credential,
    LicensurePath,
    Person,
    SupervisionRelationship,
)
from cetrack.engine.records import Supervisor
from cetrack.rules.registry import Registry
from cetrack.services.actor import Actor
from cetrack.services.errors import InputError
from cetrack.services.ownership import add_owned, change_owned, owned
from cetrack.services.people import find_person
from cetrack.services.policy import Action, require
from cetrack.supervision_inputs import (
    PathInput,
    RelationshipInput,
    validate_path,
    validate_relationship,
)


def supervised_by(session: Session, person_id: int) -> frozenset[int]:
    """The associates a person supervises or supervised (what the actor may read)."""
    rows = session.exec(
        select(SupervisionRelationship.person_id).where(
            SupervisionRelationship.supervisor_person_id == person_id,
            SupervisionRelationship.deleted_at.is_(None),
        )
    )
    return frozenset(rows)


def local_actor(session: Session, person: Person) -> Actor:
    """Single-user mode's actor, reading the associates the clinician supervises."""
    return Actor.local(person, supervised_by(session, person.id))


# --- paths -------------------------------------------------------------------------------------


def _checked_path(data: PathInput | dict, registry: Registry, today: date) -> PathInput:
    data = validate_path(data, today=today)
    if data.rule_id not in registry:
        raise InputError({"rule_id": f"no rule {data.rule_id}"})
    if not registry.get(data.rule_id).supervised_experience:
        raise InputError({"rule_id": f"{data.rule_id} has no supervised-experience rules"})
    return data


def add_path(
    session: Session,
    *,
    actor: Actor,
    person: Person,
    data: PathInput | dict,
    registry: Registry,
    today: date,
) -> LicensurePath:
    require(actor, Action.CREATE, LicensurePath(person_id=person.id))
    data = _checked_path(data, registry, today)
    taken = session.exec(
        select(LicensurePath.id).where(
            LicensurePath.person_id == person.id,
            LicensurePath.rule_id == data.rule_id,
            LicensurePath.deleted_at.is_(None),
        )
    ).first()
    if taken is not None:
        raise InputError({"rule_id": f"you already work toward {data.rule_id}"})
    return add_owned(
        session, LicensurePath(person_id=person.id, **data.model_dump()), actor=actor, data=data
    )


def get_path(
    session: Session, *, actor: Actor, path_id: int, action: Action = Action.READ
) -> LicensurePath:
    return owned(session, LicensurePath, actor=actor, record_id=path_id, action=action)


def update_path(
    session: Session,
    *,
    actor: Actor,
    path_id: int,
    data: PathInput | dict,
    registry: Registry,
    today: date,
    expected_version: int | None,
) -> LicensurePath:
    path = get_path(session, actor=actor, path_id=path_id, action=Action.UPDATE)
    data = _checked_path(data, registry, today)
    change_owned(session, path, actor=actor, data=data, expected_version=expected_version)
    return path


def list_paths(session: Session, *, actor: Actor, person: Person) -> list[LicensurePath]:
    require(actor, Action.READ, person)
    return list(
        session.exec(
            select(LicensurePath)
            .where(LicensurePath.person_id == person.id, LicensurePath.deleted_at.is_(None))
            .order_by(LicensurePath.id)
        )
    )


# --- supervisors -------------------------------------------------------------------------------


def _linked(session: Session, data: RelationshipInput, state: str | None) -> dict:
    """The supervisor's person and license in cetrack, found by their email."""
    person = find_person(session, actor=Actor.system(), email=data.supervisor_email)
    if person is None or not data.supervisor_email:
        return {"supervisor_person_id": None, "supervisor_credential_id": None}
    licenses = session.exec(
        select(Credential)
        .where(Credential.person_id == person.id, Credential.deleted_at.is_(None))
        .order_by(Credential.id)
    ).all()
    in_state = [item for item in licenses if state and item.rule_id.startswith(f"{state}/")]
    chosen = next(iter(in_state), None)
    return {
        "supervisor_person_id": person.id,
        "supervisor_credential_id": chosen.id if chosen else None,
    }


def add_supervisor(
    session: Session,
    *,
    actor: Actor,
    person: Person,
    data: RelationshipInput | dict,
    state: str | None = None,
) -> SupervisionRelationship:
    """A supervisor of `person` (the associate); `state` is where the supervised experience
    is gained, whose license of the supervisor is read when they are in cetrack."""
    require(actor, Action.CREATE, SupervisionRelationship(person_id=person.id))
    data = validate_relationship(data)
    linked = _linked(session, data, state)
    if linked["supervisor_person_id"] == person.id:
        raise InputError({"supervisor_email": "you cannot supervise yourself"})
    relationship = SupervisionRelationship(person_id=person.id, **data.model_dump(), **linked)
    return add_owned(session, relationship, actor=actor, data=data)


def get_supervisor(
    session: Session, *, actor: Actor, relationship_id: int, action: Action = Action.READ
) -> SupervisionRelationship:
    return owned(
        session, SupervisionRelationship, actor=actor, record_id=relationship_id, action=action
    )


def update_supervisor(
    session: Session,
    *,
    actor: Actor,
    relationship_id: int,
    data: RelationshipInput | dict,
    expected_version: int | None,
    state: str | None = None,
) -> SupervisionRelationship:
    """Change a supervision's details or dates (ending it is giving `ends_on`). Signed logs
    keep what was signed: their content, supervisor included, is sealed in the chain."""
    relationship = get_supervisor(
        session, actor=actor, relationship_id=relationship_id, action=Action.UPDATE
    )
    data = validate_relationship(data)
    change_owned(
        session,
        relationship,
        actor=actor,
        data=data,
        expected_version=expected_version,
        extra=_linked(session, data, state),
    )
    return relationship


def list_supervisors(
    session: Session, *, actor: Actor, person: Person
) -> list[SupervisionRelationship]:
    """The associate's supervisors, earliest first."""
    require(actor, Action.READ, person)
    return list(
        session.exec(
            select(SupervisionRelationship)
            .where(
                SupervisionRelationship.person_id == person.id,
                SupervisionRelationship.deleted_at.is_(None),
            )
            .order_by(SupervisionRelationship.starts_on, SupervisionRelationship.id)
        )
    )


def relationship_label(relationship: SupervisionRelationship) -> str:
    setting = f", {relationship.setting}" if relationship.setting else ""
    return f"{relationship.supervisor_name}{setting} (from {relationship.starts_on.isoformat()})"


def supervisor_record(session: Session, relationship: SupervisionRelationship) -> Supervisor:
    """The supervisor as the engine checks them: their license in cetrack when linked (active,
    from its issue to its expiration, a supervisor while marked so), else what was entered."""
    common = {
        "id": str(relationship.id),
        "name": relationship.supervisor_name,
        "start": relationship.starts_on,
        "end": relationship.ends_on,
        "credential_from": relationship.supervisor_credential_since,
        "credential_until": relationship.supervisor_credential_until,
    }
    license_row = (
        session.get(Credential, relationship.supervisor_credential_id)
        if relationship.supervisor_credential_id
        else None
    )
    if license_row is not None:
        standing = license_row.status == "active" and license_row.deleted_at is None
        return Supervisor(
            **common,
            license_from=license_row.issued if standing else date.max,
            license_until=license_row.expires if standing else date.min,
            credential=license_row.supervisor,
        )
    return Supervisor(
        **common,
        license_until=relationship.supervisor_license_expires,
        credential=bool(relationship.supervisor_credential),
    )
