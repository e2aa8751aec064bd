"""Tables. Deleting is a soft delete (`deleted_at`), so it can be undone; every change is also
written to `auditevent` in the same transaction. Editable records carry a `version`: a save
made from a form opened at an older version is refused (see `services/ownership.py`)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Versioned(SQLModel):
    """A record edited through forms: `version` rises with every change (optimistic lock)."""

    version: int = Field(default=1)

    @declared_attr
    def __mapper_args__(cls) -> dict[str, Any]:
        # SQLAlchemy raises `version` on every UPDATE and adds `WHERE version = <old>`, so
        # two transactions that read the same version cannot both write
        return {"version_id_col": cls.__table__.c.version}


class Person(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True, max_length=254)
    name: str = Field(max_length=200)
    birth_date: date | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Organization(Versioned, table=True):
    """A clinic, agency or department that runs cetrack for its people."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    # how often HR must look each license up again at its board
    reverify_days: int = Field(default=365, sa_column_kwargs={"server_default": "365"})
    created_at: datetime = Field(default_factory=utcnow)


class Membership(Versioned, table=True):
    """A person's place in an organization: their roles there and their department."""

    __table_args__ = (UniqueConstraint("organization_id", "person_id", name="uq_membership"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    department: str = Field(default="", max_length=200)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class Account(Versioned, table=True):
    """How a person signs in: their email (the person's) and an argon2id password hash.
    Failed sign-ins lock the account for a delay that grows with each failure."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", unique=True)
    password_hash: str = Field(default="", max_length=255)
    status: str = Field(default="active", max_length=16)
    failed_sign_ins: int = Field(default=0)
    locked_until: datetime | None = None
    last_sign_in_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Invite(SQLModel, table=True):
    """A one-time link that lets an account's person set their password. Only the SHA-256 of
    the token is stored; the link works once, before `expires_at`."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_by_person_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class Credential(Versioned, table=True):
    """A license (state rule) or a national certification held by a person."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    rule_id: str = Field(max_length=64)
    number: str = Field(default="", max_length=64)
    issued: date | None = None
    expires: date | None = None
    status: str = Field(default="active", max_length=16)
    supervisor: bool = False
    flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # a compact credential stands on another credential of the same person
    home_credential_id: int | None = Field(default=None, foreign_key="credential.id", index=True)
    remote_state: str = Field(default="", max_length=2, sa_column_kwargs={"server_default": ""})
    # one-time requirements attested as completed: {requirement, completed, certificate_id}
    attestations: list[dict] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False, server_default=text("'[]'")),
    )
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


class Verification(SQLModel, table=True):
    """HR's primary-source check of a license at its board. Never edited: a later check of
    the same license supersedes it (`supersedes_id`), and the newest one is current."""

    __table_args__ = (UniqueConstraint("supersedes_id", name="uq_verification_supersedes"),)

    id: int | None = Field(default=None, primary_key=True)
    credential_id: int = Field(foreign_key="credential.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)  # the licensee
    organization_id: int = Field(foreign_key="organization.id")
    verified_on: date
    verified_by_person_id: int
    method: str = Field(max_length=32)
    url: str = Field(max_length=500)
    result: str = Field(max_length=16)
    note: str = Field(default="", max_length=2000)
    evidence_certificate_id: int | None = Field(default=None, foreign_key="certificate.id")
    supersedes_id: int | None = Field(default=None, foreign_key="verification.id")
    created_at: datetime = Field(default_factory=utcnow)


class Notice(SQLModel, table=True):
    """An email cetrack sent; `key` names what it was about, so a rerun never sends it again."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    kind: str = Field(max_length=32)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    sent_at: datetime = Field(default_factory=utcnow)


class StoredFile(SQLModel, table=True):
    """File content, stored once by the SHA-256 of its bytes. It belongs to nobody: people
    reach it only through a `Certificate` link of their own."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(index=True, unique=True, max_length=64)
    media_type: str = Field(max_length=64)
    size: int
    stored_at: datetime = Field(default_factory=utcnow)


class Certificate(SQLModel, table=True):
    """A certificate one person uploaded: their file name for their copy of some content."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    file_id: int = Field(foreign_key="storedfile.id", index=True)
    filename: str = Field(max_length=255)
    uploaded_at: datetime = Field(default_factory=utcnow)


class Activity(Versioned, table=True):
    """One CE activity; it counts toward every credential it can. `amount` is in `unit`."""

    __table_args__ = (Index("ix_activity_person_completed", "person_id", "completed"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    title: str = Field(max_length=300)
    provider: str = Field(default="", max_length=300)
    completed: date = Field(index=True)
    amount: float
    unit: str = Field(default="hours", max_length=32)
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    format: str = Field(max_length=32)
    type: str = Field(default="course", max_length=32)
    notes: str = Field(default="", max_length=4000)
    certificate_id: int | None = Field(default=None, foreign_key="certificate.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


class LicensurePath(Versioned, table=True):
    """An associate's way to a license: the rule whose supervised experience they gain, from
    when, and the associate registration they hold meanwhile (e.g. a TX LPC Associate license
    working toward TX/LPC)."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    rule_id: str = Field(max_length=64)
    started_on: date
    registration_number: str = Field(default="", max_length=64)
    registration_issued: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


class SupervisionRelationship(Versioned, table=True):
    """An associate's supervisor over a date range in one work setting. `supervisor_person_id`
    is set when the supervisor is in cetrack (their license is then read from their
    `supervisor_credential_id`); otherwise the license entered here is what is checked."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)  # the associate
    supervisor_person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    supervisor_credential_id: int | None = Field(default=None, foreign_key="credential.id")
    supervisor_name: str = Field(max_length=200)
    supervisor_email: str = Field(default="", max_length=254)
    supervisor_license: str = Field(default="", max_length=120)  # e.g. "TX LPC"
    supervisor_license_number: str = Field(default="", max_length=64)
    supervisor_license_expires: date | None = None
    supervisor_credential: str = Field(default="", max_length=120)  # e.g. "LPC-S"
    supervisor_credential_since: date | None = None
    supervisor_credential_until: date | None = None
    setting: str = Field(default="", max_length=200)
    starts_on: date
    ends_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


class SupervisionLog(Versioned, table=True):
    """A period's supervised experience, as the associate logged it. `status` is `pending`
    (awaiting the supervisor), `returned` (with the supervisor's `review_comment`) or `signed`;
    a signed log never changes: `amends_id` makes a new log that replaces it once signed."""

    __table_args__ = (
        Index("ix_supervisionlog_person_start", "person_id", "start"),
        UniqueConstraint("amends_id", name="uq_supervisionlog_amends"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)  # the associate
    relationship_id: int = Field(foreign_key="supervisionrelationship.id", index=True)
    start: date
    end: date
    direct: float = 0
    telehealth: float = 0
    couples_family: float = 0
    indirect: float = 0
    individual_supervision: float = 0
    triadic_supervision: float = 0
    group_supervision: float = 0
    group_size: int | None = None
    video: bool = False
    setting: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=2000)
    status: str = Field(default="pending", max_length=16, index=True)
    review_comment: str = Field(default="", max_length=2000)
    reviewed_at: datetime | None = None
    amends_id: int | None = Field(default=None, foreign_key="supervisionlog.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


class Signature(SQLModel, table=True):
    """A supervisor's signature of one log, never changed. `content_hash` is the SHA-256 of
    the log's canonical content as signed; `hash` seals it with the signer, the moment and the
    associate's previous signature (`prev_hash`, by `seq`): one chain per associate."""

    __table_args__ = (UniqueConstraint("person_id", "seq", name="uq_signature_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    log_id: int = Field(foreign_key="supervisionlog.id", unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)  # the associate
    signer_person_id: int = Field(foreign_key="person.id")
    seq: int
    signed_at: datetime = Field(default_factory=utcnow)
    # what was signed: the log's content and its supervisor's details at that moment
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    content_hash: str = Field(max_length=64)
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(max_length=64)


class Evaluation(SQLModel, table=True):
    """The read model: a credential's stored result, with what rosters need as columns.

    A row exists for every credential from its creation. Writes that change a result's inputs
    set `dirty` and raise `generation` in their own transaction; an evaluation stores its
    result only if `generation` is still the one it read (so a concurrent write is never
    lost). A clean result stays valid for evaluation dates in [evaluated_on, valid_until)
    while `rule_hash` is the loaded rule's hash.
    """

    __table_args__ = (
        UniqueConstraint("credential_id", name="uq_evaluation_credential"),
        Index("ix_evaluation_status_deadline", "status", "deadline"),
    )

    id: int | None = Field(default=None, primary_key=True)
    credential_id: int = Field(foreign_key="credential.id", index=True)
    generation: int = Field(default=0)
    dirty: bool = Field(default=True, index=True)
    rule_hash: str = Field(default="", max_length=64)
    evaluated_on: date | None = None
    valid_until: date | None = None
    computed_at: datetime | None = None
    status: str = Field(default="", max_length=16)
    deadline: date | None = None
    cycle_start: date | None = None
    total_required: float | None = None
    total_counted: float | None = None
    hours_remaining: float | None = None
    minimal_additional: float | None = None
    error: str | None = Field(default=None, max_length=1000)
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class AuditEvent(SQLModel, table=True):
    """Who did what to whose record: `person_id` owns the record, `actor_person_id` acted.

    Events are sealed into one chain just after their transaction commits: `seq` is the
    event's place in the chain, `prev_hash` the previous event's `hash`, and `hash` the
    SHA-256 of the event's content and `prev_hash` (see `services/audit.py`)."""

    id: int | None = Field(default=None, primary_key=True)
    seq: int | None = Field(default=None, unique=True)
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)
    at: datetime = Field(default_factory=utcnow, index=True)
    person_id: int | None = Field(default=None, index=True)
    actor_person_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=32)
    entity: str = Field(max_length=32)
    entity_id: int | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
