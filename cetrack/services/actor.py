"""Who is acting: the signed-in account's person, roles and organizations.

Services take the actor apart from the record they act on, and ask the policy whether the
actor may. In single-user mode the actor is the database's one clinician (`Actor.local`);
accounts, log-in and organization memberships plug in here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cetrack.db.models import Person
from cetrack.roles import ADMIN, CLINICIAN, HR, ROLES, STAFF_ROLES, SUPERVISOR

__all__ = ["ADMIN", "CLINICIAN", "HR", "ROLES", "STAFF_ROLES", "SUPERVISOR", "Actor"]
SYSTEM = "system"


@dataclass(frozen=True)
class Membership:
    organization_id: int
    roles: frozenset[str]


@dataclass(frozen=True)
class Actor:
    person_id: int
    roles: frozenset[str] = frozenset({CLINICIAN})
    account_id: int | None = None
    memberships: tuple[Membership, ...] = field(default_factory=tuple)
    # people whose records the actor may read through a role (HR: its organizations' members)
    readable: frozenset[int] = frozenset()
    # people on the rosters the actor keeps (HR: its organizations' members), whose names,
    # departments and licenses it may enter
    rostered: frozenset[int] = frozenset()
    # associates the actor supervises (or did), whose supervised experience it may read
    supervised: frozenset[int] = frozenset()

    def roles_in(self, organization_id: int | None) -> frozenset[str]:
        """The actor's roles in one organization."""
        return frozenset().union(
            *(item.roles for item in self.memberships if item.organization_id == organization_id)
        )

    @classmethod
    def local(cls, person: Person, supervised: frozenset[int] = frozenset()) -> Actor:
        """Single-user mode: the one clinician, acting on their own records (and reading the
        supervised experience of the associates they supervise)."""
        return cls(person_id=person.id, supervised=supervised)

    @classmethod
    def system(cls) -> Actor:
        """cetrack itself, for what no person does: creating the first clinician, loading the
        demo, re-evaluating, backup and restore. Only the command line and first start use it."""
        return cls(person_id=0, roles=frozenset({SYSTEM}))
