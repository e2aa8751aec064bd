"""One-time set-password links. An invite opens an account (without a password) for a member
of the roster; its link works once, before it expires. Only the SHA-256 of the token is
stored, so the database never holds a working link; the link is shown once, to whoever
created it, and emailed when mail is configured."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from cetrack.db.models import Account, Invite, Organization, Person, utcnow
from cetrack.services import audit
from cetrack.services.accounts import checked_password, membership_in
from cetrack.services.actor import Actor
from cetrack.services.errors import InputError, NotFound
from cetrack.services.policy import Action, require

LIFETIME = timedelta(days=7)
EXPIRED = "this link has expired or was already used: ask for a new one"


@dataclass(frozen=True)
class IssuedInvite:
    invite: Invite
    email: str
    token: str  # shown once; never stored

    def link(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/?invite={self.token}"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def invite(
    session: Session,
    *,
    actor: Actor,
    organization: Organization,
    person_id: int,
    now: datetime | None = None,
) -> IssuedInvite:
    """A new link for a roster member to set their password (earlier links stop working)."""
    now = now or utcnow()
    membership = membership_in(session, organization.id, person_id)
    if membership is None:
        raise NotFound(f"person {person_id} is not on the roster")
    require(actor, Action.UPDATE, membership)
    if not membership.active:
        raise InputError({"member": "reactivate the member before inviting them"})
    person = session.get(Person, person_id)
    account = session.exec(select(Account).where(Account.person_id == person_id)).first()
    if account is not None and account.password_hash:
        raise InputError({"member": f"{person.email} already has a password; an admin resets it"})
    if account is None:
        account = Account(person_id=person_id, password_hash="")
        session.add(account)
        session.flush()
    for earlier in session.exec(
        select(Invite).where(Invite.account_id == account.id, Invite.used_at.is_(None))
    ):
        earlier.expires_at = now
        session.add(earlier)
    token = secrets.token_urlsafe(32)
    issued = Invite(
        account_id=account.id,
        token_hash=_digest(token),
        created_by_person_id=actor.person_id,
        created_at=now,
        expires_at=now + LIFETIME,
    )
    session.add(issued)
    session.flush()
    audit.record(
        session,
        actor=actor,
        person_id=person_id,
        action="invite",
        entity="account",
        entity_id=account.id,
        detail={"invite": issued.id, "expires_at": issued.expires_at.isoformat()},
    )
    return IssuedInvite(issued, person.email, token)


def invited_email(session: Session, token: str, now: datetime | None = None) -> str:
    """Whose account a still-valid link opens (InputError when it does not work)."""
    found = _valid(session, token, now or utcnow())
    account = session.get(Account, found.account_id)
    return session.get(Person, account.person_id).email


def _valid(session: Session, token: str, now: datetime) -> Invite:
    found = session.exec(select(Invite).where(Invite.token_hash == _digest(token))).first()
    if found is None or found.used_at is not None or _as_utc(found.expires_at) <= now:
        raise InputError({"invite": EXPIRED})
    return found


def redeem(session: Session, *, token: str, password: str, now: datetime | None = None) -> Account:
    """Set the password through a link; the link then stops working. Returns the account."""
    now = now or utcnow()
    found = _valid(session, token, now)
    account = session.get(Account, found.account_id)
    if account.status != "active":
        raise InputError({"invite": EXPIRED})
    account.password_hash = checked_password(password)
    account.updated_at = now
    found.used_at = now
    session.add_all([account, found])
    session.flush()
    audit.record(
        session,
        actor=None,
        person_id=account.person_id,
        action="set_password",
        entity="account",
        entity_id=account.id,
        detail={"invite": found.id},
    )
    return account
