"""Accounts: who signs in, with which roles in which organization.

A database without any account is in single-user mode (one clinician, no sign-in).
Creating the first admin turns accounts on; from then on every page needs a signed-in
account. Passwords are hashed with argon2id and never stored, logged or audited in clear.
Failed sign-ins lock an account for a delay that doubles with each failure past the first
few; a deactivated account cannot sign in, and its person's records stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from cetrack.db.models import Account, Membership, Organization, Person, utcnow
from cetrack.services.actor import ADMIN, HR, ROLES, SYSTEM, Actor
from cetrack.services.actor import Membership as ActorMembership
from cetrack.services.audit import record
from cetrack.services.errors import InputError, NotFound
from cetrack.services.people import create_person, find_person
from cetrack.services.policy import Action, OrganizationView, require
from cetrack.services.supervision import supervised_by

MIN_PASSWORD_LENGTH = 12
FREE_FAILURES = 3  # failed sign-ins before the lockout starts
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(hours=1)
_HASHER = PasswordHasher()  # argon2id with the library's current parameters
WRONG = "the email or the password is not right"


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the actor, or why not (one sentence)."""

    actor: Actor | None = None
    refused: str | None = None


def accounts_enabled(session: Session) -> bool:
    """Whether the database has accounts, so every page needs a signed-in one (asked before
    there is an actor). Deactivating every account does not turn them off again."""
    return session.exec(select(Account.id)).first() is not None


def checked_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError({"password": f"use at least {MIN_PASSWORD_LENGTH} characters"})
    if len(password) > 1024:
        raise InputError({"password": "use at most 1,024 characters"})
    return _HASHER.hash(password)


def _checked_roles(roles: list[str]) -> list[str]:
    unknown = sorted(set(roles) - set(ROLES))
    if unknown or not roles:
        known = ", ".join(ROLES)
        raise InputError(
            {
                "roles": f"choose one or more of {known}"
                + (f" (not {', '.join(unknown)})" if unknown else "")
            }
        )
    return sorted(set(roles))


def organization_named(session: Session, *, actor: Actor, name: str) -> Organization:
    """The organization of that name, created by cetrack itself when there is none (the first
    admin's, from the command line or the first-admin form)."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InputError({"organization": "give the organization a name of 1 to 200 characters"})
    found = session.exec(select(Organization).where(Organization.name == name)).first()
    if found is not None:
        require(actor, Action.READ, found)
        return found
    require(actor, Action.CREATE, Organization())
    organization = Organization(name=name)
    session.add(organization)
    session.flush()
    record(
        session,
        actor=actor,
        person_id=None,
        action="create",
        entity="organization",
        entity_id=organization.id,
        detail={"name": name},
    )
    return organization


def add_account(
    session: Session,
    *,
    actor: Actor,
    organization: Organization,
    email: str,
    name: str,
    roles: list[str],
    password: str,
    department: str = "",
    today: date | None = None,
) -> Account:
    """An account for a person (created if the email is new) with roles in `organization`."""
    roles = _checked_roles(roles)
    require(actor, Action.CREATE, Membership(organization_id=organization.id, roles=roles))
    password_hash = checked_password(password)
    person = find_person(session, actor=Actor.system(), email=email)
    if person is None:
        person = create_person(session, actor=Actor.system(), email=email, name=name, today=today)
    existing = session.exec(select(Account).where(Account.person_id == person.id)).first()
    if existing is not None:
        raise InputError({"email": f"{person.email} already has an account"})
    membership = membership_in(session, organization.id, person.id)
    if membership is None:
        membership = Membership(organization_id=organization.id, person_id=person.id)
    membership.roles = sorted(set(membership.roles) | set(roles))
    membership.department = department.strip()[:200] or membership.department
    membership.active = True
    account = Account(person_id=person.id, password_hash=password_hash)
    session.add_all([membership, account])
    session.flush()
    record(
        session,
        actor=actor,
        person_id=person.id,
        action="create",
        entity="account",
        entity_id=account.id,
        detail={"organization": organization.id, "roles": membership.roles},
    )
    return account


def membership_in(session: Session, organization_id: int, person_id: int) -> Membership | None:
    """The person's membership of the organization, active or not (read inside a checked
    use case)."""
    return session.exec(
        select(Membership).where(
            Membership.organization_id == organization_id, Membership.person_id == person_id
        )
    ).first()


def first_admin(
    session: Session,
    *,
    email: str,
    name: str,
    password: str,
    organization: str,
    roles: tuple[str, ...] = (ADMIN, "clinician"),
    department: str = "",
    today: date | None = None,
) -> Account:
    """The first account, an admin's, which turns accounts on; refused once any exists."""
    if session.exec(select(Account.id)).first() is not None:
        raise InputError({"email": "accounts are already on: an admin adds the next ones"})
    if ADMIN not in roles:
        raise InputError({"roles": "the first account must be an admin's"})
    system = Actor.system()
    home = organization_named(session, actor=system, name=organization)
    return add_account(
        session,
        actor=system,
        organization=home,
        email=email,
        name=name,
        roles=list(roles),
        password=password,
        department=department,
        today=today,
    )


def _account_by_email(session: Session, email: str) -> Account | None:
    person = find_person(session, actor=Actor.system(), email=email)
    if person is None:
        return None
    return session.exec(select(Account).where(Account.person_id == person.id)).first()


def account_of(session: Session, *, actor: Actor, email: str) -> Account:
    """The account of the person with that email, for an actor who may manage it."""
    account = _account_by_email(session, email)
    if account is None:
        raise NotFound(f"no account for {email.strip().lower()}")
    return _account_in_organization(session, actor, account.id, Action.READ)


def actor_for(session: Session, account_id: int) -> Actor | None:
    """The actor of a signed-in account, read afresh (a deactivated account has none)."""
    account = session.get(Account, account_id)
    if account is None or account.status != "active":
        return None
    memberships = session.exec(
        select(Membership).where(Membership.person_id == account.person_id, Membership.active)
    ).all()
    roles = frozenset(role for item in memberships for role in item.roles)
    hr_of = [item.organization_id for item in memberships if HR in item.roles]
    readable = (
        session.exec(
            select(Membership.person_id).where(Membership.organization_id.in_(hr_of))
        ).all()
        if hr_of
        else []
    )
    return Actor(
        readable=frozenset(readable),
        rostered=frozenset(readable),
        supervised=supervised_by(session, account.person_id),
        person_id=account.person_id,
        roles=roles,
        account_id=account.id,
        memberships=tuple(
            ActorMembership(item.organization_id, frozenset(item.roles)) for item in memberships
        ),
    )


def refreshed(session: Session, actor: Actor) -> Actor:
    """The actor read again (after its organizations gained members); cetrack stays itself,
    and an account deactivated meanwhile keeps no role."""
    if actor.account_id is None:
        return actor
    fresh = actor_for(session, actor.account_id)
    return fresh or Actor(person_id=actor.person_id, roles=frozenset(), account_id=actor.account_id)


def _lock_for(failures: int) -> timedelta:
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_LOCK * 2 ** (failures - FREE_FAILURES), LONGEST_LOCK)


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def sign_in(session: Session, *, email: str, password: str, now: datetime | None = None) -> SignIn:
    """Check an email and password. The outcome is returned, not raised, so the failure count
    it writes is committed with the caller's transaction."""
    now = now or utcnow()
    account = _account_by_email(session, email)
    if account is None or account.status != "active" or not account.password_hash:
        _HASHER.hash(password[:1024])  # as slow as a real check, so timing tells nothing
        return SignIn(refused=WRONG)
    if account.locked_until and _as_utc(account.locked_until) > now:
        wait = int((_as_utc(account.locked_until) - now).total_seconds()) + 1
        return SignIn(refused=f"too many failed attempts: try again in {wait} seconds")
    try:
        _HASHER.verify(account.password_hash, password[:1024])
    except (VerificationError, InvalidHashError):
        account.failed_sign_ins += 1
        lock = _lock_for(account.failed_sign_ins)
        account.locked_until = now + lock if lock else None
        _saved(session, account, None, "sign_in_failed", {"failures": account.failed_sign_ins})
        return SignIn(refused=WRONG)
    if _HASHER.check_needs_rehash(account.password_hash):
        account.password_hash = _HASHER.hash(password)
    account.failed_sign_ins, account.locked_until, account.last_sign_in_at = 0, None, now
    session.add(account)
    session.flush()
    return SignIn(actor=actor_for(session, account.id))


def sign_in_with_identity(
    session: Session, *, email: str | None, email_verified: bool, now: datetime | None = None
) -> SignIn:
    """An OpenID Connect sign-in (`st.login`): the provider's identity maps to the account of
    its email, and only when the provider says the email is verified. A locked or deactivated
    account is refused as with a password."""
    if not email or not email_verified:
        return SignIn(refused="your identity provider did not confirm your email address")
    now = now or utcnow()
    account = _account_by_email(session, email)
    if account is None or account.status != "active":
        return SignIn(refused=f"{email.strip().lower()} has no active cetrack account")
    if account.locked_until and _as_utc(account.locked_until) > now:
        return SignIn(refused="too many failed attempts: try again later")
    account.last_sign_in_at = now
    _saved(session, account, None, "sign_in_identity", {"provider_email": email.strip().lower()})
    return SignIn(actor=actor_for(session, account.id))


def _saved(
    session: Session, account: Account, actor: Actor | None, action: str, detail: dict | None = None
) -> Account:
    """Write a changed account and its audit event (never its password or hash)."""
    session.add(account)
    session.flush()
    record(
        session,
        actor=actor,
        person_id=account.person_id,
        action=action,
        entity="account",
        entity_id=account.id,
        detail=detail,
    )
    return account


def _account_in_organization(
    session: Session, actor: Actor, account_id: int, action: Action
) -> Account:
    """The account, if the actor administers an organization its person belongs to."""
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"no account {account_id}")
    memberships = session.exec(
        select(Membership).where(Membership.person_id == account.person_id)
    ).all()
    managed = [item for item in memberships if ADMIN in actor.roles_in(item.organization_id)]
    require(actor, action, managed[0] if managed else Membership(person_id=account.person_id))
    return account


def reset_password(session: Session, *, actor: Actor, account_id: int, password: str) -> Account:
    """An admin sets a new password; the lockout is cleared."""
    account = _account_in_organization(session, actor, account_id, Action.UPDATE)
    account.password_hash = checked_password(password)
    account.failed_sign_ins, account.locked_until, account.updated_at = 0, None, utcnow()
    return _saved(session, account, actor, "reset_password")


def set_status(session: Session, *, actor: Actor, account_id: int, active: bool) -> Account:
    """Deactivate (or reactivate) an account; the person's records stay. An admin cannot
    deactivate their own account, so an organization is never left without one by mistake."""
    account = _account_in_organization(session, actor, account_id, Action.UPDATE)
    if not active and account.person_id == actor.person_id and SYSTEM not in actor.roles:
        raise InputError({"account": "you cannot deactivate your own account"})
    account.status = "active" if active else "deactivated"
    account.updated_at = utcnow()
    return _saved(session, account, actor, "activate" if active else "deactivate")


@dataclass(frozen=True)
class AccountRow:
    account_id: int
    email: str
    name: str
    organization: str
    roles: tuple[str, ...]
    status: str
    last_sign_in_at: datetime | None


def list_accounts(session: Session, *, actor: Actor) -> list[AccountRow]:
    """The accounts of every organization the actor administers (everyone's, for cetrack)."""
    administered = [item.organization_id for item in actor.memberships if ADMIN in item.roles]
    if SYSTEM not in actor.roles and not administered:
        require(actor, Action.READ, OrganizationView(None, "accounts"))
    rows = session.exec(
        select(Account, Person, Membership, Organization)
        .join(Person, Person.id == Account.person_id)
        .join(Membership, Membership.person_id == Person.id)
        .join(Organization, Organization.id == Membership.organization_id)
        .order_by(Organization.name, Person.email)
    ).all()
    found = []
    for account, person, membership, organization in rows:
        if ADMIN not in actor.roles_in(organization.id) and SYSTEM not in actor.roles:
            continue
        require(actor, Action.READ, membership)
        found.append(
            AccountRow(
                account.id,
                person.email,
                person.name,
                organization.name,
                tuple(membership.roles),
                account.status,
                account.last_sign_in_at,
            )
        )
    return found


def organizations_where(session: Session, *, actor: Actor, roles: set[str]) -> list[Organization]:
    """The organizations in which the actor holds one of `roles`, by name."""
    ids = [item.organization_id for item in actor.memberships if item.roles & roles]
    if not ids:
        return []
    found = session.exec(
        select(Organization).where(Organization.id.in_(ids)).order_by(Organization.name)
    ).all()
    for organization in found:
        require(actor, Action.READ, organization)
    return list(found)
