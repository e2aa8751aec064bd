"""Licenses and certifications a person holds; removing is reversible."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ValidationError
from sqlmodel import Session, select

from cetrack.db.models import Credential, Person
from cetrack.engine.cycles import RuleInputError, derived_expiration
from cetrack.engine.privilege import JURISPRUDENCE, home_is_eligible
from cetrack.engine.records import LicenseFacts
from cetrack.inputs import AttestationInput, CredentialInput, InputError
from cetrack.rules.registry import Registry
from cetrack.rules.schema import RuleFile
from cetrack.services import certificates
from cetrack.services.actor import Actor
from cetrack.services.errors import NotFound
from cetrack.services.evaluation import create_evaluation_row, mark_dirty
from cetrack.services.ownership import add_owned, change_owned, owned, set_deleted
from cetrack.services.policy import Action, require
from cetrack.wording import rule_input_text


def _validated(
    session: Session,
    data: CredentialInput | dict,
    *,
    person: Person,
    registry: Registry,
    today: date,
    credential_id: int | None = None,
) -> CredentialInput:
    try:
        data = CredentialInput.model_validate(data)
    except ValidationError as error:
        raise InputError.from_validation(error) from None
    if data.rule_id not in registry:
        raise InputError({"rule_id": f"no rule file for {data.rule_id}"})
    if data.issued and data.issued > today:
        raise InputError({"issued": "the issue date is in the future"})
    rule = registry.get(data.rule_id)
    if rule.compact is not None:
        _check_compact(session, data, rule, person, registry, credential_id)
        if rule.compact.expires_with_home:
            return data.model_copy(update={"expires": None})
    elif data.home_credential_id is not None or data.remote_state:
        raise InputError({"home_credential_id": f"{data.rule_id} is not a compact credential"})
    if data.issued and data.expires and data.expires <= data.issued:
        raise InputError({"expires": "the expiration must be after the issue date"})
    if data.expires is None:
        facts = LicenseFacts(issued=data.issued, birth_date=person.birth_date)
        try:
            expires = derived_expiration(rule.renewal, facts, today)
        except RuleInputError as error:
            raise InputError({"expires": rule_input_text(error)}) from None
        data = data.model_copy(update={"expires": expires})
    return data


def _check_compact(
    session: Session,
    data: CredentialInput,
    rule: RuleFile,
    person: Person,
    registry: Registry,
    credential_id: int | None,
) -> None:
    """A compact credential must be issued, stand on an eligible credential of the same
    person, and name its remote state where it has one."""
    compact = rule.compact
    if not compact.operational:
        raise InputError({"rule_id": f"{rule.id} is not issued yet: {compact.status_note}"})
    if data.home_credential_id is None:
        raise InputError({"home_credential_id": f"choose the credential {rule.id} stands on"})
    home = session.get(Credential, data.home_credential_id)
    if (
        home is None
        or home.person_id != person.id
        or home.deleted_at is not None
        or home.id == credential_id
    ):
        raise InputError({"home_credential_id": "no such credential of yours"})
    if home.rule_id not in registry or not home_is_eligible(rule, registry.get(home.rule_id)):
        raise InputError({"home_credential_id": f"{compact.name} does not stand on {home.rule_id}"})
    home_state = home.rule_id.split("/")[0]
    if compact.remote_state and not data.remote_state:
        raise InputError({"remote_state": "enter the state the privilege is granted for"})
    states = {held.state for held in registry.rules.values() if len(held.state) == 2}
    if compact.remote_state and data.remote_state not in states:
        raise InputError({"remote_state": f"{data.remote_state} is not a state cetrack knows"})
    if compact.remote_state and data.remote_state == home_state:
        raise InputError(
            {"remote_state": f"the remote state cannot be the home state, {home_state}"}
        )
    if not compact.remote_state and data.remote_state:
        raise InputError({"remote_state": f"{rule.id} is not granted for one state"})


def home_choices(
    session: Session, *, actor: Actor, person: Person, rule: RuleFile, registry: Registry
) -> list[Credential]:
    """The person's credentials a compact credential of `rule` may stand on."""
    return [
        held
        for held in list_credentials(session, actor=actor, person=person)
        if held.rule_id in registry and home_is_eligible(rule, registry.get(held.rule_id))
    ]


def same_license(
    session: Session, person: Person, data: CredentialInput, *, other_than: int | None = None
) -> Credential | None:
    """A credential the person already holds for the same rule and number (or no number)."""
    statement = select(Credential).where(
        Credential.person_id == person.id,
        Credential.deleted_at.is_(None),
        Credential.rule_id == data.rule_id,
    )
    for held in session.exec(statement):
        same_number = held.number.strip().lower() == data.number.strip().lower()
        if held.id != other_than and same_number and held.remote_state == data.remote_state:
            return held
    return None


def checked_new_credential(
    session: Session,
    *,
    person: Person,
    data: CredentialInput | dict,
    registry: Registry,
    today: date,
) -> CredentialInput:
    """A new credential's validated input (InputError if invalid or already held); nothing
    is written, so a roster preview asks it too."""
    data = _validated(session, data, person=person, registry=registry, today=today)
    if same_license(session, person, data):
        number = f" No. {data.number}" if data.number else " without a number"
        raise InputError({"rule_id": f"you already hold {data.rule_id}{number}"})
    return data


def add_credential(
    session: Session,
    *,
    actor: Actor,
    person: Person,
    data: CredentialInput | dict,
    registry: Registry,
    today: date,
) -> Credential:
    require(actor, Action.CREATE, Credential(person_id=person.id))
    data = checked_new_credential(session, person=person, data=data, registry=registry, today=today)
    credential = Credential(person_id=person.id, **data.model_dump())
    add_owned(session, credential, actor=actor, data=data)
    create_evaluation_row(session, credential.id)
    return credential


def get_credential(
    session: Session,
    *,
    actor: Actor,
    credential_id: int,
    removed: bool = False,
    action: Action = Action.READ,
) -> Credential:
    """The credential, if the actor may `action` it (checked before anything else is)."""
    return owned(
        session, Credential, actor=actor, record_id=credential_id, deleted=removed, action=action
    )


def update_credential(
    session: Session,
    *,
    actor: Actor,
    credential_id: int,
    data: CredentialInput | dict,
    registry: Registry,
    today: date,
    expected_version: int | None,
) -> Credential:
    credential = get_credential(
        session, actor=actor, credential_id=credential_id, action=Action.UPDATE
    )
    person = session.get(Person, credential.person_id)
    data = _validated(
        session, data, person=person, registry=registry, today=today, credential_id=credential.id
    )
    if same_license(session, person, data, other_than=credential.id):
        raise InputError({"rule_id": f"you already hold {data.rule_id} with that number"})
    change_owned(session, credential, actor=actor, data=data, expected_version=expected_version)
    mark_dirty(session, [credential.id])
    return credential


def remove_credential(session: Session, *, actor: Actor, credential_id: int) -> Credential:
    credential = get_credential(
        session, actor=actor, credential_id=credential_id, action=Action.DELETE
    )
    set_deleted(session, credential, actor=actor, deleted=True)
    mark_dirty(session, [credential.id])  # what stands on it no longer does
    return credential


def restore_credential(session: Session, *, actor: Actor, credential_id: int) -> Credential:
    credential = get_credential(
        session, actor=actor, credential_id=credential_id, removed=True, action=Action.DELETE
    )
    set_deleted(session, credential, actor=actor, deleted=False)
    mark_dirty(session, [credential.id])
    return credential


def list_credentials(
    session: Session, *, actor: Actor, person: Person, removed: bool = False
) -> list[Credential]:
    require(actor, Action.READ, person)
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


class _Attestations(BaseModel):
    attestations: list[dict]


def one_time_requirements(rule: RuleFile) -> dict[str, str]:
    """Requirement id -> title of every one-time requirement in any CE version of the rule
    (and a privilege's remote-state jurisprudence requirement)."""
    found = {
        requirement.id: requirement.title
        for version in rule.ce
        for requirement in version.requirements
        if requirement.frequency == "once"
    }
    if rule.compact and rule.compact.remote_jurisprudence:
        found[JURISPRUDENCE] = "The remote state's jurisprudence requirement"
    return found


def attest_requirement(
    session: Session,
    *,
    actor: Actor,
    credential_id: int,
    data: AttestationInput | dict,
    registry: Registry,
    today: date,
    expected_version: int | None,
) -> Credential:
    """Record that a one-time requirement was completed on a day (replacing an earlier
    attestation of it); the requirement then counts as met, and reports say it was attested."""
    credential = get_credential(
        session, actor=actor, credential_id=credential_id, action=Action.UPDATE
    )
    try:
        data = AttestationInput.model_validate(data)
    except ValidationError as error:
        raise InputError.from_validation(error) from None
    if data.requirement not in one_time_requirements(registry.get(credential.rule_id)):
        missing = f"{credential.rule_id} has no one-time requirement {data.requirement!r}"
        raise InputError({"requirement": missing})
    if data.completed > today:
        raise InputError({"completed": "the completion date is in the future"})
    if data.certificate_id is not None:
        certificate = certificates.get_certificate(
            session, actor=actor, certificate_id=data.certificate_id
        )
        if certificate.person_id != credential.person_id:
            raise InputError({"certificate": "the certificate belongs to someone else"})
    kept = [item for item in credential.attestations if item["requirement"] != data.requirement]
    _set_attestations(
        session, credential, actor, [*kept, data.model_dump(mode="json")], expected_version
    )
    return credential


def withdraw_attestation(
    session: Session,
    *,
    actor: Actor,
    credential_id: int,
    requirement: str,
    expected_version: int | None,
) -> Credential:
    credential = get_credential(
        session, actor=actor, credential_id=credential_id, action=Action.UPDATE
    )
    kept = [item for item in credential.attestations if item["requirement"] != requirement]
    if len(kept) == len(credential.attestations):
        raise NotFound(f"no attestation of {requirement!r} on {credential.rule_id}")
    _set_attestations(session, credential, actor, kept, expected_version)
    return credential


def _set_attestations(
    session: Session,
    credential: Credential,
    actor: Actor,
    items: list[dict],
    expected_version: int | None,
) -> None:
    items = sorted(items, key=lambda item: item["requirement"])
    change_owned(
        session,
        credential,
        actor=actor,
        data=_Attestations(attestations=items),
        expected_version=expected_version,
    )
    mark_dirty(session, [credential.id])
