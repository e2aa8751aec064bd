"""The plain data every export is built from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cetrack.db.models import Credential
from cetrack.engine.results import CEResult
from cetrack.rules.schema import RuleFile


@dataclass(frozen=True)
class CredentialReport:
    """A credential, its rule and its CE result; `result` is None when the credential could
    not be evaluated, and `error` then says why."""

    credential: Credential
    rule: RuleFile
    result: CEResult | None
    error: str | None = None


@dataclass(frozen=True)
class CertificateFile:
    """One certificate in an export: the owner's file name, the content hash and (where the
    export carries files) the bytes."""

    filename: str
    sha256: str
    media_type: str
    data: bytes = b""


EXPIRY_BANDS = (30, 60, 90)  # days ahead HR is warned of an expiration


@dataclass(frozen=True)
class Filters:
    """Empty means every one."""

    departments: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    license_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    """One page of a long list: `number` counts from 1."""

    number: int = 1
    size: int = 50

    @property
    def offset(self) -> int:
        return (max(self.number, 1) - 1) * self.size


@dataclass(frozen=True)
class ComplianceRow:
    person_id: int
    name: str
    email: str
    department: str
    roles: tuple[str, ...]
    credential_id: int
    rule_id: str
    number: str
    expires: date | None
    license_status: str  # what was entered: active, inactive, expired
    ce_status: str  # the stored result's status ("" before the first evaluation)
    ce_deadline: date | None
    hours_missing: float | None
    pending: bool  # the stored result is out of date
    verified_on: date | None
    verification_result: str | None
    verification_due: date | None

    @property
    def state(self) -> str:
        return self.rule_id.split("/")[0]

    @property
    def license_type(self) -> str:
        return self.rule_id.split("/")[-1]

    def days_to_expiry(self, today: date) -> int | None:
        return (self.expires - today).days if self.expires else None

    def expired(self, today: date) -> bool:
        return self.license_status == "expired" or (
            self.expires is not None and self.expires < today
        )

    def expiring_within(self, today: date) -> int | None:
        """The smallest band (30, 60, 90 days) the expiration falls in, if any."""
        days = self.days_to_expiry(today)
        if days is None or days < 0 or self.expired(today):
            return None
        return next((band for band in EXPIRY_BANDS if days <= band), None)

    @property
    def ce_incomplete(self) -> bool:
        return self.ce_status in ("incomplete", "invalid")

    def ce_days_left(self, today: date) -> int | None:
        return (self.ce_deadline - today).days if self.ce_deadline else None

    def verification_flag(self, today: date) -> str | None:
        """never, overdue or problem (the board did not show it active), else None."""
        if self.verified_on is None:
            return "never"
        if self.verification_result != "active":
            return "problem"
        if self.verification_due is not None and self.verification_due < today:
            return "overdue"
        return None


@dataclass(frozen=True)
class Summary:
    people: int
    licenses: int
    expired: int
    expiring: dict[int, int]  # band -> licenses expiring within it (cumulative)
    ce_incomplete: int
    unverified: int
    overdue_verification: int
    verification_problem: int
    pending: int
    by_month: dict[str, int] = field(default_factory=dict)  # "2027-01" -> expirations


@dataclass(frozen=True)
class FilterChoices:
    departments: list[str]
    roles: list[str]
    states: list[str]
    license_types: list[str]
