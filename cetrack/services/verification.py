"""Primary-source verification: HR looks a license up at its board and records what it found.

A verification is never edited. Recording another for the same license supersedes the one
that was current (`supersedes_id`; the database allows one successor each), so the history
stays whole. Its look-up URL is the rule file's `verification_url`; its evidence (a PDF or a
screenshot) is a certificate file owned by the verifier, checked like every upload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from cetrack.db.models import Credential, Membership, Organization, Person, Verification
from cetrack.db.statements import lock_rows
from cetrack.inputs import EnteredDate, InputError, plain_text
from cetrack.rules.registry import Registry
from cetrack.services import audit, certificates
from cetrack.services.actor import HR, Actor
from cetrack.services.errors import NotFound
from cetrack.services.policy import Action, require

METHODS = {
    "online_lookup": "the board's online look-up",
    "phone": "a phone call to the board",
    "board_letter": "a letter or email from the board",
}
RESULTS = {
    "active": "active",
    "expired": "expired",
    "disciplined": "active with discipline on record",
    "not_found": "not found at the board",
}
LONGEST_INTERVAL = 3 * 365


class VerificationInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    verified_on: EnteredDate
    method: str
    result: str
    note: str = Field(default="", max_length=2000)

    @field_validator("method", "result")
    @classmethod
    def _known(cls, value: str, info: ValidationInfo) -> str:
        vocabulary = METHODS if info.field_name == "method" else RESULTS
        if value not in vocabulary:
            raise ValueError(f"choose one of {', '.join(vocabulary)}")
        return value

    @field_validator("note")
    @classmethod
    def _text(cls, value: str) -> str:
        return plain_text(value)


def lookup_url(registry: Registry, rule_id: str) -> str | None:
    """Where the board lets anyone look the license up (from its rule file)."""
    return registry.get(rule_id).verification_url if rule_id in registry else None


def _organization_for(session: Session, actor: Actor, person_id: int) -> int | None:
    """An organization where the actor is HR and the licensee an active member."""
    mine = [item.organization_id for item in actor.memberships if HR in item.roles]
    return (
        session.exec(
            select(Membership.organization_id)
            .where(
                Membership.person_id == person_id,
                Membership.active,
                Membership.organization_id.in_(mine),
            )
            .order_by(Membership.organization_id)
        ).first()
        if mine
        else None
    )


def _current_verification(session: Session, credential_id: int) -> Verification | None:
    """The verification nothing supersedes yet."""
    successor = aliased(Verification)
    return session.exec(
        select(Verification)
        .join(successor, successor.supersedes_id == Verification.id, isouter=True)
        .where(Verification.credential_id == credential_id, successor.id.is_(None))
    ).first()


def record_verification(
    session: Session,
    *,
    actor: Actor,
    credential_id: int,
    data: VerificationInput | dict,
    evidence: tuple[bytes, str] | None,
    registry: Registry,
    files_dir: Path,
    today: date,
) -> Verification:
    """Record a look-up of a member's license; the current one, if any, is superseded."""
    credential = session.get(Credential, credential_id)
    if credential is None or credential.deleted_at is not None:
        raise NotFound(f"no license {credential_id}")
    proposed = Verification(
        credential_id=credential.id,
        person_id=credential.person_id,
        organization_id=_organization_for(session, actor, credential.person_id),
    )
    require(actor, Action.CREATE, proposed)
    try:
        data = VerificationInput.model_validate(data)
    except ValidationError as error:
        raise InputError.from_validation(error) from None
    if data.verified_on > today:
        raise InputError({"verified_on": "the verification date is in the future"})
    url = lookup_url(registry, credential.rule_id)
    if url is None:
        raise InputError({"credential": f"the rule file for {credential.rule_id} is not loaded"})
    lock_rows(session, Person, credential.person_id)  # one successor at a time
    previous = _current_verification(session, credential.id)
    verifier = session.get(Person, actor.person_id)
    evidence_id = certificates.upload_if_given(
        session, actor=actor, person=verifier, upload=evidence, files_dir=files_dir
    )
    verification = Verification(
        **proposed.model_dump(include={"credential_id", "person_id", "organization_id"}),
        **data.model_dump(),
        url=url,
        verified_by_person_id=actor.person_id,
        evidence_certificate_id=evidence_id,
        supersedes_id=previous.id if previous else None,
    )
    session.add(verification)
    session.flush()
    audit.record(
        session,
        actor=actor,
        person_id=credential.person_id,
        action="verify",
        entity="verification",
        entity_id=verification.id,
        detail={
            "after": {**data.model_dump(mode="json"), "url": url, "credential": credential.id},
            "evidence": evidence_id,
            "supersedes": verification.supersedes_id,
        },
    )
    return verification


@dataclass(frozen=True)
class VerificationEntry:
    verification: Verification
    verifier: str
    current: bool


def verification_history(
    session: Session, *, actor: Actor, credential_id: int
) -> list[VerificationEntry]:
    """A license's verifications, newest first (its licensee and their HR may read them)."""
    credential = session.get(Credential, credential_id)
    if credential is None:
        raise NotFound(f"no license {credential_id}")
    require(actor, Action.READ, Verification(person_id=credential.person_id))
    rows = session.exec(
        select(Verification, Person)
        .join(Person, Person.id == Verification.verified_by_person_id)
        .where(Verification.credential_id == credential_id)
        .order_by(Verification.id.desc())
    ).all()
    superseded = {item.supersedes_id for item, _ in rows}
    return [
        VerificationEntry(item, verifier.name, item.id not in superseded) for item, verifier in rows
    ]


def set_reverify_interval(
    session: Session, *, actor: Actor, organization: Organization, days: int
) -> Organization:
    """How many days a verification stays current in the organization (HR or admin)."""
    require(actor, Action.UPDATE, organization)
    if not 1 <= days <= LONGEST_INTERVAL:
        raise InputError({"reverify_days": f"enter 1 to {LONGEST_INTERVAL} days"})
    before = organization.reverify_days
    organization.reverify_days = days
    session.add(organization)
    session.flush()
    audit.record(
        session,
        actor=actor,
        person_id=None,
        action="update",
        entity="organization",
        entity_id=organization.id,
        detail={"before": {"reverify_days": before}, "after": {"reverify_days": days}},
    )
    return organization
