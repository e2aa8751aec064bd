"""Tables. Deleting is a soft delete (`deleted_at`), so it can be undone; every change is also
written to `auditevent` in the same transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True, max_length=254)
    name: str = Field(max_length=200)
    birth_date: date | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Credential(SQLModel, table=True):
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
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


class Certificate(SQLModel, table=True):
    """An uploaded certificate file, stored once by the SHA-256 of its content."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(index=True, unique=True, max_length=64)
    filename: str = Field(max_length=255)
    media_type: str = Field(max_length=64)
    size: int
    uploaded_at: datetime = Field(default_factory=utcnow)


class Activity(SQLModel, table=True):
    """One CE activity; it counts toward every credential it can."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    title: str = Field(max_length=300)
    provider: str = Field(default="", max_length=300)
    completed: date = Field(index=True)
    hours: float
    unit: str = Field(default="hours", max_length=32)
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    format: str = Field(max_length=32)
    type: str = Field(default="course", max_length=32)
    notes: str = Field(default="", max_length=4000)
    certificate_id: int | None = Field(default=None, foreign_key="certificate.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


class Evaluation(SQLModel, table=True):
    """A stored engine result for a credential, valid while its inputs' digest matches."""

    __table_args__ = (UniqueConstraint("credential_id", name="uq_evaluation_credential"),)

    id: int | None = Field(default=None, primary_key=True)
    credential_id: int = Field(foreign_key="credential.id", index=True)
    digest: str = Field(max_length=64)
    computed_at: datetime = Field(default_factory=utcnow)
    status: str = Field(max_length=16)
    deadline: date | None = None
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    person_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=32)
    entity: str = Field(max_length=32)
    entity_id: int | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
