"""Who may do what: one answer for every service, below the UI.

`allowed(actor, action, subject)` decides; `require` raises `Forbidden` and logs the refused
attempt. A subject is anything a person owns (it has `person_id`), a `Person`, what an
organization holds (a `Membership` or `Account` in it, the `Organization` itself, a
`Verification` it made) or an `OrganizationView` (its compliance dashboard, its audit trail).

- A person may do anything to their own records (whatever their roles) and, without a role
  that says otherwise, nothing to anyone else's. Nobody verifies their own license.
- An organization's admin manages its memberships, and through them its people's accounts;
  its members may read the organization, and each member their own membership.
- HR reads and exports (never changes) the records of every member of its organizations
  (the actor's `readable` people, worked out from the memberships when the actor is read). It
  keeps the roster: adds people, grants the staff roles (clinician, supervisor), edits their
  names and departments, enters their licenses (`rostered`), and records verifications. It
  sets the organization's re-verification interval and reads its dashboard and audit trail;
  an admin reads the audit trail too.
- cetrack itself (`Actor.system`) may do anything; the single-user clinician may back up the
  whole database.
- A supervisor reads the supervised experience (paths, supervisors, logs, signatures) of the
  associates they supervise or supervised (`supervised`), and signs or returns an associate's
  log (`SignOff`) only as that log's supervisor and inside the supervision's dates; nobody
  signs their own log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cetrack.db.models import (
    Credential,
    LicensurePath,
    Membership,
    Organization,
    Person,
    Signature,
    SupervisionLog,
    SupervisionRelationship,
    Verification,
)
from cetrack.services.actor import ADMIN, CLINICIAN, HR, STAFF_ROLES, SYSTEM, Actor

log = logging.getLogger("cetrack.policy")


class Action(StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"


_READING = frozenset({Action.READ, Action.EXPORT})


class WholeDatabase:
    """The subject of backup and restore: every table and file."""

    id = None


@dataclass(frozen=True)
class OrganizationView:
    """A view over a whole organization: its compliance dashboard or its audit trail."""

    organization_id: int | None
    what: str  # "compliance", "audit", "roster" or "accounts"

    @property
    def id(self) -> int | None:
        return self.organization_id


_VIEWERS = {
    "compliance": frozenset({HR}),
    "audit": frozenset({HR, ADMIN}),
    "roster": frozenset({HR, ADMIN}),
    "accounts": frozenset({ADMIN}),
}


@dataclass(frozen=True)
class SignOff:
    """A supervisor's review of one log (signing it or returning it): the log's associate and
    dates, and the supervision it was logged under."""

    id: int  # the log's
    person_id: int  # the associate
    start: date
    end: date
    supervisor_person_id: int | None
    starts_on: date
    ends_on: date | None


# what a supervisor may read of their associates' records
_SUPERVISED_RECORDS = (
    Person,
    LicensurePath,
    SupervisionRelationship,
    SupervisionLog,
    Signature,
)


class Forbidden(PermissionError):
    """The actor may not do this; the message says what was refused, not why in detail."""

    def __init__(self, actor: Actor, action: Action, subject: object):
        self.actor, self.action, self.subject = actor, action, subject
        super().__init__(f"you may not {action} {describe(subject)}")


def owner_of(subject: object) -> int | None:
    if isinstance(subject, Person):
        return subject.id
    return getattr(subject, "person_id", None)


def describe(subject: object) -> str:
    if isinstance(subject, OrganizationView):
        return f"the {subject.what} view of organization {subject.organization_id}"
    name = type(subject).__name__.lower()
    record_id = getattr(subject, "id", None)
    return f"{name} {record_id}" if record_id is not None else name


def _membership_allowed(actor: Actor, action: Action, subject: Membership) -> bool:
    roles = actor.roles_in(subject.organization_id)
    if ADMIN in roles:
        return True
    if HR in roles:
        return action == Action.READ or set(subject.roles) <= STAFF_ROLES
    return subject.person_id == actor.person_id and action == Action.READ


def _organization_allowed(actor: Actor, action: Action, subject: Organization) -> bool:
    roles = actor.roles_in(subject.id)
    if action == Action.READ:
        return bool(roles)
    return ADMIN in roles or (action == Action.UPDATE and HR in roles)


def _verification_allowed(actor: Actor, action: Action, subject: Verification) -> bool:
    if action in _READING:
        return subject.person_id == actor.person_id or subject.person_id in actor.readable
    hr_there = HR in actor.roles_in(subject.organization_id)
    mine = subject.person_id == actor.person_id
    return action == Action.CREATE and hr_there and subject.person_id in actor.rostered and not mine


def _roster_allowed(actor: Actor, action: Action, subject: object) -> bool:
    """HR's roster: a new person, a member's name, a member's new license."""
    if isinstance(subject, Person) and subject.id is None:
        return action == Action.CREATE and any(HR in item.roles for item in actor.memberships)
    if isinstance(subject, Person):
        return action == Action.UPDATE and subject.id in actor.rostered
    if isinstance(subject, Credential):
        return action == Action.CREATE and subject.person_id in actor.rostered
    return False


def _sign_off_allowed(actor: Actor, action: Action, subject: SignOff) -> bool:
    return (
        action == Action.UPDATE
        and subject.supervisor_person_id == actor.person_id
        and subject.person_id != actor.person_id
        and subject.starts_on <= subject.start
        and (subject.ends_on is None or subject.end <= subject.ends_on)
    )


def allowed(actor: Actor, action: Action, subject: object) -> bool:
    if SYSTEM in actor.roles:
        return True
    if isinstance(subject, WholeDatabase):
        # single-user mode: the local clinician's database is theirs to back up
        return actor.account_id is None and CLINICIAN in actor.roles
    if isinstance(subject, OrganizationView):
        return action in _READING and bool(
            actor.roles_in(subject.organization_id) & _VIEWERS[subject.what]
        )
    if isinstance(subject, Organization):
        return _organization_allowed(actor, action, subject)
    if isinstance(subject, Membership):
        return _membership_allowed(actor, action, subject)
    if isinstance(subject, Verification):
        return _verification_allowed(actor, action, subject)
    if isinstance(subject, SignOff):
        return _sign_off_allowed(actor, action, subject)
    owner = owner_of(subject)
    if owner is not None and owner == actor.person_id:
        return True
    if _roster_allowed(actor, action, subject):
        return True
    if action not in _READING or owner is None:
        return False
    supervising = isinstance(subject, _SUPERVISED_RECORDS) and owner in actor.supervised
    return owner in actor.readable or supervising


def require(actor: Actor, action: Action, subject: object) -> None:
    """Return if the actor may; otherwise log the attempt and raise Forbidden."""
    if allowed(actor, action, subject):
        return
    log.warning(
        "refused: person %s (roles %s) asked to %s %s owned by person %s",
        actor.person_id,
        ",".join(sorted(actor.roles)),
        action,
        describe(subject),
        owner_of(subject),
    )
    raise Forbidden(actor, action, subject)
