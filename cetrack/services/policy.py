"""Who may do what: one answer for every service, below the UI.

`allowed(actor, action, subject)` decides; `require` raises `Forbidden` and logs the refused
attempt. A subject is anything a person owns (it has `person_id`), a `Person`, or what an
organization holds (a `Membership` or `Account` in it, the `Organization` itself).

- A person may do anything to their own records (whatever their roles) and, without a role
  that says otherwise, nothing to anyone else's.
- An organization's admin manages its memberships, and through them its people's accounts;
  its members may read the organization, and each member their own membership.
- cetrack itself (`Actor.system`) may do anything; the single-user clinician may back up the
  whole database.
- HR reads and exports (never changes) the records of every member of its organizations:
  the actor's `readable` people, worked out from the memberships when the actor is read.
Supervisors' reading rule (their associates) joins `readable` with supervision.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from cetrack.db.models import Membership, Organization, Person
from cetrack.services.actor import ADMIN, CLINICIAN, SYSTEM, Actor

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
    name = type(subject).__name__.lower()
    record_id = getattr(subject, "id", None)
    return f"{name} {record_id}" if record_id is not None else name


def allowed(actor: Actor, action: Action, subject: object) -> bool:
    if SYSTEM in actor.roles:
        return True
    if isinstance(subject, WholeDatabase):
        # single-user mode: the local clinician's database is theirs to back up
        return actor.account_id is None and CLINICIAN in actor.roles
    if isinstance(subject, Organization):
        roles = actor.roles_in(subject.id)
        return ADMIN in roles if action != Action.READ else bool(roles)
    if isinstance(subject, Membership):
        own = subject.person_id == actor.person_id and action == Action.READ
        return own or ADMIN in actor.roles_in(subject.organization_id)
    owner = owner_of(subject)
    if owner is not None and owner == actor.person_id:
        return True
    return action in _READING and owner is not None and owner in actor.readable


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
