"""Licenses and certifications a person holds; removing is reversible."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import Session, select

from cetrack.db.models import Credential, Person
from cetrack.engine.cycles import RuleInputError, derived_expiration
from cetrack.engine.records import LicenseFacts
from cetrack.rules.registry import Registry
from cetrack.rules.schema import RuleFile
from cetrack.services.errors import InputError
from cetrack.services.ownership import add_owned, change_owned, owned, set_deleted

STATUSES = ("active", "inactive", "expired")


class CredentialInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    rule_id: str = Field(min_length=1)
    number: str = Field(default="", max_length=64)
    issued: date | None = None
    expires: date | None = None
    status: str = "active"
    supervisor: bool = False
    flags: list[str] = Field(default_factory=list)

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        if value not in STATUSES:
            raise ValueError(f"choose one of {', '.join(STATUSES)}")
        return value


def _validated(
    data: CredentialInput | dict, *, person: Person, registry: Registry, today: date
) -> CredentialInput:
    try:
        data = CredentialInput.model_validate(data)
    except ValidationError as error:
        raise InputError.from_validation(error) from None
    if data.rule_id not in registry:
        raise InputError({"rule_id": f"no rule file for {data.rule_id}"})
    if data.issued and data.issued > today:
        raise InputError({"issued": "the issue date is in the future"})
    if data.issued and data.expires and data.expires <= data.issued:
        raise InputError({"expires": "the expiration must be after the issue date"})
    if data.expires is None:
        rule = registry.get(data.rule_id)
        facts = LicenseFacts(issued=data.issued, birth_date=person.birth_date)
        try:
            expires = derived_expiration(rule.renewal, facts, today)
        except RuleInputError as error:
            raise InputError(
                {"expires": f"enter the expiration printed on the license ({error})"}
            ) from None
        data = data.model_copy(update={"expires": expires})
    return data


def add_credential(
    session: Session,
    *,
    person: Person,
    data: CredentialInput | dict,
    registry: Registry,
    today: date,
) -> Credential:
    data = _validated(data, person=person, registry=registry, today=today)
    credential = Credential(person_id=person.id, **data.model_dump())
    return add_owned(session, credential, person=person, data=data)


def get_credential(
    session: Session, *, person: Person, credential_id: int, removed: bool = False
) -> Credential:
    return owned(session, Credential, person=person, record_id=credential_id, deleted=removed)


def update_credential(
    session: Session,
    *,
    person: Person,
    credential_id: int,
    data: CredentialInput | dict,
    registry: Registry,
    today: date,
) -> Credential:
    credential = get_credential(session, person=person, credential_id=credential_id)
    data = _validated(data, person=person, registry=registry, today=today)
    change_owned(session, credential, person=person, data=data, extra={})
    return credential


def remove_credential(session: Session, *, person: Person, credential_id: int) -> Credential:
    credential = get_credential(session, person=person, credential_id=credential_id)
    set_deleted(session, credential, person=person, deleted=True)
    return credential


def restore_credential(session: Session, *, person: Person, credential_id: int) -> Credential:
    credential = get_credential(session, person=person, credential_id=credential_id, removed=True)
    set_deleted(session, credential, person=person, deleted=False)
    return credential


def list_credentials(
    session: Session, *, person: Person, removed: bool = False
) -> list[Credential]:
    deleted = Credential.deleted_at.is_not(None) if removed else Credential.deleted_at.is_(None)
    statement = (
        select(Credential)
        .where(Credential.person_id == person.id, deleted)
        .order_by(Credential.rule_id, Credential.id)
    )
    return list(session.exec(statement))


def available_flags(rule: RuleFile) -> list[str]:
    """Flags a licensee may declare for this rule (they switch requirements on)."""
    flags = {
        flag
        for version in rule.ce
        for requirement in version.requirements
        if requirement.when
        for flag in requirement.when.flags
    }
    return sorted(flags)


def has_supervisor_requirements(rule: RuleFile) -> bool:
    return any(
        requirement.when and requirement.when.supervisor
        for version in rule.ce
        for requirement in version.requirements
    )
