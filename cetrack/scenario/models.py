"""The `cetrack check` input contract, validated strictly, and its conversion to records."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from cetrack.engine.records import Activity, LicenseFacts, SupervisionLog, Supervisor
from cetrack.inputs import bounded_date
from cetrack.rules.vocabulary import ACTIVITY_TYPES, CATEGORIES, FORMATS, UNITS

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: object) -> object:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError(f"not a date (YYYY-MM-DD): {value!r}")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a real date: {value!r}") from None
    return bounded_date(parsed)


def _member_of(vocabulary: dict[str, str], noun: str):
    def check(value: object) -> object:
        if isinstance(value, str) and value not in vocabulary:
            raise ValueError(f"unknown {noun} {value!r} (known: {', '.join(vocabulary)})")
        return value

    return check


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Category = Annotated[str, BeforeValidator(_member_of(CATEGORIES, "category"))]
Format = Annotated[str, BeforeValidator(_member_of(FORMATS, "format"))]
ActivityType = Annotated[str, BeforeValidator(_member_of(ACTIVITY_TYPES, "activity type"))]
Unit = Annotated[str, BeforeValidator(_member_of(UNITS, "unit"))]
MAX_HOURS = 100_000
# strict: booleans and strings are not hours
Hours = Annotated[float, Field(ge=0, le=MAX_HOURS, allow_inf_nan=False, strict=True)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class _Annotated(_Strict):
    """Scenario annotations the engine ignores (used by golden tests)."""

    description: str | None = None
    expect: dict[str, Any] | None = None


class ActivityIn(_Strict):
    id: str = Field(min_length=1)
    completed: IsoDate
    hours: Hours
    unit: Unit = "hours"
    categories: list[Category] = Field(default_factory=list)
    format: Format
    type: ActivityType = "course"
    title: str = ""
    provider: str = ""

    def record(self) -> Activity:
        # the contract's `hours` is the amount in `unit`
        return Activity.from_attributes(self, id=self.id, amount=self.hours)


class LicenseIn(_Strict):
    expires: IsoDate | None = None
    issued: IsoDate | None = None
    birth_date: IsoDate | None = None
    first_renewal: bool | None = None
    renewal_number: int | None = Field(default=None, ge=1)
    supervisor: bool = False
    flags: list[str] = Field(default_factory=list)
    attested: dict[str, IsoDate] = Field(
        default_factory=dict, description="one-time requirement id -> the day it was completed"
    )
    remote_state: str | None = Field(
        default=None, pattern=r"^[A-Z]{2}$", description="a privilege's remote state"
    )

    def record(self) -> LicenseFacts:
        return LicenseFacts(
            expires=self.expires,
            issued=self.issued,
            birth_date=self.birth_date,
            first_renewal=self.first_renewal,
            renewal_number=self.renewal_number,
            supervisor=self.supervisor,
            flags=frozenset(self.flags),
            attested=frozenset(self.attested.items()),
        )


def _unique_ids(items: list, noun: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"duplicate {noun} id {item.id!r}")
        seen.add(item.id)


class HomeIn(_Strict):
    """A compact credential's home credential (and its own home, down a chain)."""

    rule: str = Field(min_length=1)
    expires: IsoDate | None = None
    status: Literal["active", "inactive", "expired"] = "active"
    home: HomeIn | None = None


class CEScenario(_Annotated):
    kind: Literal["ce"]
    as_of: IsoDate
    rule: str = Field(min_length=1)
    license: LicenseIn = Field(default_factory=LicenseIn)
    home: HomeIn | None = None
    activities: list[ActivityIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ids(self) -> CEScenario:
        _unique_ids(self.activities, "activity")
        return self


class LogIn(_Strict):
    id: str = Field(min_length=1)
    start: IsoDate
    end: IsoDate
    direct: Hours = 0
    indirect: Hours = 0
    individual_supervision: Hours = 0
    group_supervision: Hours = 0
    signed: bool = False
    telehealth: Hours = 0
    couples_family: Hours = 0
    group_size: int | None = Field(default=None, ge=0, description="0 or absent: no group")
    supervisor: str | None = Field(default=None, description="the id of one of `supervisors`")
    triadic_supervision: Hours = 0

    @model_validator(mode="after")
    def _consistent(self) -> LogIn:
        if self.end < self.start:
            raise ValueError(f"log {self.id!r} ends before it starts")
        for part in ("telehealth", "couples_family"):
            if getattr(self, part) > self.direct:
                raise ValueError(f"log {self.id!r}: {part} hours are part of direct hours")
        return self

    def record(self) -> SupervisionLog:
        fields = self.model_dump()
        fields["group_size"] = self.group_size or None
        return SupervisionLog(**fields)


class SupervisorIn(_Strict):
    """A supervisor, and the days they could supervise (absent dates: not known to end)."""

    id: str = Field(min_length=1)
    start: IsoDate
    end: IsoDate | None = None
    license_from: IsoDate | None = None
    license_until: IsoDate | None = None
    credential: bool = Field(default=True, description="holds the rule's supervisor credential")
    credential_from: IsoDate | None = None
    credential_until: IsoDate | None = None
    name: str = Field(default="", description="who, in reasons (default: the id)")

    def record(self) -> Supervisor:
        return Supervisor(**self.model_dump())


class SupervisionScenario(_Annotated):
    kind: Literal["supervision"]
    as_of: IsoDate
    rule: str = Field(min_length=1)
    start: IsoDate
    application_date: IsoDate | None = None
    registration_issued: IsoDate | None = None
    logs: list[LogIn] = Field(default_factory=list)
    supervisors: list[SupervisorIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ids(self) -> SupervisionScenario:
        _unique_ids(self.logs, "log")
        _unique_ids(self.supervisors, "supervisor")
        return self
