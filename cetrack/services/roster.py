"""The staff roster: importing people and licenses from CSV, and adding, editing and
deactivating members. HR keeps it (staff roles only); an admin may grant any role.

Importing is a preview that writes nothing, with a report per row, then a commit that checks
every row again inside its own transaction, so committing one preview twice writes each person
and license once. A deactivated member's records stay; their account closes with their last
active membership.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, ValidationError
from sqlmodel import Session, select

from cetrack.db.models import Account, Membership, Organization, Person, utcnow
from cetrack.importers.csv_file import reasons
from cetrack.importers.roster_csv import RosterRow, parse_roster_csv
from cetrack.inputs import CredentialInput, InputError
from cetrack.rules.registry import Registry
from cetrack.services import audit, credentials, people
from cetrack.services.accounts import membership_in, refreshed
from cetrack.services.actor import Actor
from cetrack.services.errors import NotFound
from cetrack.services.ownership import check_version, flush_versioned, record_event
from cetrack.services.policy import Action, OrganizationView, allowed, require

READY, ALREADY, REJECTED = "ready", "already on file", "rejected"


@dataclass(frozen=True)
class RosterLine:
    """What importing one row of the file would do, in a sentence."""

    line: int
    email: str
    outcome: str  # READY, ALREADY or REJECTED
    message: str


@dataclass
class RosterPreview:
    organization_id: int
    lines: list[RosterLine] = field(default_factory=list)
    ready: list[tuple[int, RosterRow]] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)


@dataclass(frozen=True)
class RosterOutcome:
    people_added: int
    memberships_added: int
    licenses_added: int
    person_ids: list[int]


def _membership(session: Session, organization_id: int, person: Person | None) -> Membership | None:
    return membership_in(session, organization_id, person.id) if person else None


def _known(session: Session, email: str) -> Person | None:
    """The person with that email, whoever's roster they are on (the roster checks rights)."""
    return people.find_person(session, actor=Actor.system(), email=email)


def _credential_input(row: RosterRow) -> CredentialInput:
    license = row.license
    return CredentialInput(rule_id=license.rule_id, number=license.number, expires=license.expires)


def _check_row(
    session: Session,
    actor: Actor,
    organization: Organization,
    row: RosterRow,
    registry: Registry,
    today: date,
) -> tuple[str, str]:
    """The row's outcome and its sentence, checked against the database."""
    if not allowed(
        actor, Action.CREATE, Membership(organization_id=organization.id, roles=row.roles)
    ):
        return REJECTED, f"you may not grant the role(s) {', '.join(row.roles)}"
    person = _known(session, row.email)
    member = _membership(session, organization.id, person)
    who = "new person" if person is None else ("on the roster" if member else "joins the roster")
    if row.license is None:
        return (ALREADY, f"{who}, no license") if member else (READY, f"{who}, no license")
    if registry.get(row.license.rule_id).compact is not None:
        return REJECTED, f"{row.license.rule_id} stands on a home license: enter it in the app"
    held = person or Person(email=row.email, name=row.name)
    data = _credential_input(row)
    if person is not None and credentials.same_license(session, person, data):
        return ALREADY, f"{who}; {row.license.rule_id} {row.license.number} is already on file"
    try:
        entered = credentials.checked_new_credential(
            session, person=held, data=data, registry=registry, today=today
        )
    except InputError as error:
        return REJECTED, reasons(error)
    expires = entered.expires.isoformat() if entered.expires else "no expiration"
    return READY, f"{who}; adds {row.license.rule_id} {row.license.number} (expires {expires})"


def preview_roster(
    session: Session,
    *,
    actor: Actor,
    organization: Organization,
    data: bytes,
    registry: Registry,
    today: date,
) -> RosterPreview:
    """What importing the file would do, row by row; nothing is written."""
    require(actor, Action.CREATE, Membership(organization_id=organization.id, roles=["clinician"]))
    parsed = parse_roster_csv(data, rules=registry)
    preview = RosterPreview(organization.id)
    found = [(line, "", REJECTED, reason) for line, reason in parsed.rejected]
    for line, row in parsed.rows:
        outcome, message = _check_row(session, actor, organization, row, registry, today)
        found.append((line, row.email, outcome, message))
        if outcome == READY:
            preview.ready.append((line, row))
    preview.lines = [RosterLine(*item) for item in sorted(found)]
    return preview


def _joined(
    session: Session, actor: Actor, organization: Organization, row: RosterRow, today: date
) -> tuple[Person, bool, bool]:
    """The row's person and membership (created when new); whether each was created."""
    require(actor, Action.CREATE, Membership(organization_id=organization.id, roles=row.roles))
    person = _known(session, row.email)
    new_person = person is None
    if new_person:
        person = people.create_person(
            session, actor=actor, email=row.email, name=row.name, today=today
        )
    membership = _membership(session, organization.id, person)
    if membership is not None:
        return person, new_person, False
    membership = Membership(
        organization_id=organization.id,
        person_id=person.id,
        roles=row.roles,
        department=row.department,
    )
    session.add(membership)
    session.flush()
    _membership_event(session, actor, membership, "create", None)
    return person, new_person, True


def commit_roster(
    session: Session,
    *,
    actor: Actor,
    organization: Organization,
    preview: RosterPreview,
    registry: Registry,
    today: date,
) -> RosterOutcome:
    """Write the preview's ready rows, each checked again, in the caller's transaction."""
    require(actor, Action.CREATE, Membership(organization_id=organization.id, roles=["clinician"]))
    if preview.organization_id != organization.id:
        raise InputError({"file": "this preview was made for another organization"})
    added_people, added_memberships, rows = 0, 0, []
    for _, row in preview.ready:
        person, new_person, new_membership = _joined(session, actor, organization, row, today)
        added_people += new_person
        added_memberships += new_membership
        rows.append((person, row))
    actor = refreshed(session, actor)  # the new members are now on its roster
    licenses = 0
    for person, row in rows:
        if row.license is None or credentials.same_license(session, person, _credential_input(row)):
            continue
        credentials.add_credential(
            session,
            actor=actor,
            person=person,
            data=_credential_input(row),
            registry=registry,
            today=today,
        )
        licenses += 1
    audit.record(
        session,
        actor=actor,
        person_id=None,
        action="import",
        entity="roster",
        entity_id=organization.id,
        detail={
            "people": added_people,
            "memberships": added_memberships,
            "licenses": licenses,
            "rejected": preview.count(REJECTED),
        },
    )
    return RosterOutcome(
        added_people, added_memberships, licenses, sorted({person.id for person, _ in rows})
    )


# --- members -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    membership_id: int
    person_id: int
    name: str
    email: str
    roles: tuple[str, ...]
    department: str
    active: bool
    account: str  # "none", "invited", "active" or "deactivated"
    version: int


class _MemberFields(BaseModel):
    """What the roster edits of a membership (and what the audit keeps of it)."""

    roles: list[str]
    department: str
    active: bool


def _member_values(membership: Membership) -> dict:
    return _MemberFields.model_validate(membership, from_attributes=True).model_dump()


def _membership_event(
    session: Session, actor: Actor, membership: Membership, action: str, before: dict | None
) -> None:
    after = _member_values(membership)
    detail = {"after": after, "organization": membership.organization_id}
    record_event(
        session,
        membership,
        actor=actor,
        action=action,
        detail={"before": before, **detail} if before else detail,
    )


def _account_state(account: Account | None) -> str:
    if account is None:
        return "none"
    if account.status != "active":
        return account.status
    return "active" if account.password_hash else "invited"


def members(session: Session, *, actor: Actor, organization: Organization) -> list[MemberRow]:
    """Everyone on the organization's roster, the deactivated included, by name."""
    rows = session.exec(
        select(Membership, Person, Account)
        .join(Person, Person.id == Membership.person_id)
        .join(Account, Account.person_id == Person.id, isouter=True)
        .where(Membership.organization_id == organization.id)
        .order_by(Person.name, Person.email)
    ).all()
    require(actor, Action.READ, OrganizationView(organization.id, "roster"))
    return [
        MemberRow(
            membership.id,
            person.id,
            person.name,
            person.email,
            tuple(membership.roles),
            membership.department,
            membership.active,
            _account_state(account),
            membership.version,
        )
        for membership, person, account in rows
    ]


def add_member(
    session: Session,
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    email: str,
    roles: list[str],
    department: str = "",
    today: date,
) -> Person:
    """Add one person to the roster (a person already known elsewhere joins it)."""
    try:
        row = RosterRow.model_validate(
            {"name": name, "email": email, "roles": roles, "department": department}
        )
    except ValidationError as error:
        raise InputError.from_validation(error) from None
    if _membership(session, organization.id, _known(session, row.email)) is not None:
        raise InputError({"email": f"{row.email} is already on the roster"})
    person, _, _ = _joined(session, actor, organization, row, today)
    return person


def _stored_membership(session: Session, actor: Actor, membership_id: int) -> Membership:
    membership = session.get(Membership, membership_id)
    if membership is None:
        raise NotFound(f"no membership {membership_id}")
    require(actor, Action.UPDATE, membership)
    return membership


def update_member(
    session: Session,
    *,
    actor: Actor,
    membership_id: int,
    name: str,
    roles: list[str],
    department: str,
    expected_version: int | None,
    today: date,
) -> Membership:
    """Change a member's name, roles and department (HR grants staff roles only)."""
    membership = _stored_membership(session, actor, membership_id)
    check_version(session, membership, expected=expected_version, fields=_MemberFields)
    person = session.get(Person, membership.person_id)
    try:
        row = RosterRow.model_validate(
            {"name": name, "email": person.email, "roles": roles, "department": department}
        )
    except ValidationError as error:
        raise InputError.from_validation(error) from None
    require(
        actor,
        Action.UPDATE,
        Membership(organization_id=membership.organization_id, roles=row.roles),
    )
    if row.name != person.name:
        people.update_person(
            session,
            actor=actor,
            person=person,
            name=row.name,
            birth_date=person.birth_date,
            expected_version=None,
            today=today,
        )
    before = _member_values(membership)
    membership.roles, membership.department = row.roles, row.department
    session.add(membership)
    flush_versioned(session, membership)
    _membership_event(session, actor, membership, "update", before)
    return membership


def set_member_active(
    session: Session,
    *,
    actor: Actor,
    membership_id: int,
    active: bool,
    expected_version: int | None = None,
) -> Membership:
    """Deactivate (or reactivate) a member; their records stay. With no active membership
    left, their account is deactivated too (and reactivated with the membership)."""
    membership = _stored_membership(session, actor, membership_id)
    check_version(session, membership, expected=expected_version, fields=_MemberFields)
    if not active and membership.person_id == actor.person_id:
        raise InputError({"member": "you cannot deactivate yourself"})
    before = _member_values(membership)
    membership.active = active
    session.add(membership)
    flush_versioned(session, membership)
    _membership_event(session, actor, membership, "update", before)
    other_active = session.exec(
        select(Membership.id).where(
            Membership.person_id == membership.person_id,
            Membership.active,
            Membership.id != membership.id,
        )
    ).first()
    account = session.exec(select(Account).where(Account.person_id == membership.person_id)).first()
    if account is not None and other_active is None:
        account.status = "active" if active else "deactivated"
        account.updated_at = utcnow()
        session.add(account)
        session.flush()
        audit.record(
            session,
            actor=actor,
            person_id=account.person_id,
            action="activate" if active else "deactivate",
            entity="account",
            entity_id=account.id,
            detail={"membership": membership.id},
        )
    return membership
