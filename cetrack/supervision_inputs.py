"""What an associate enters about supervised experience: the validated shape of the log,
supervisor and path forms, and of every imported row. Each problem names its field."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cetrack.inputs import EnteredDate, InputError, plain_text

LONGEST_LOG_DAYS = 31  # a week, or a month where the state counts by month
HOURS_PER_DAY = 24

Hours = Field(default=0, ge=0, le=744, allow_inf_nan=False)
HOUR_FIELDS = (
    "direct",
    "telehealth",
    "couples_family",
    "indirect",
    "individual_supervision",
    "triadic_supervision",
    "group_supervision",
)
SUPERVISION_FIELDS = ("individual_supervision", "triadic_supervision", "group_supervision")
# parts that may not exceed their whole
_PARTS = (("telehealth", "direct"), ("couples_family", "direct"))


class LogInput(BaseModel):
    """A period's supervised experience. Telehealth and couples/family are parts of direct
    client contact; supervision is time of its own."""

    model_config = ConfigDict(str_strip_whitespace=True)

    relationship_id: int
    start: EnteredDate
    end: EnteredDate
    direct: float = Hours
    telehealth: float = Hours
    couples_family: float = Hours
    indirect: float = Hours
    individual_supervision: float = Hours
    triadic_supervision: float = Hours
    group_supervision: float = Hours
    group_size: int | None = Field(default=None, ge=3, le=100)
    video: bool = False
    setting: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=2000)

    @field_validator("setting", "notes")
    @classmethod
    def _text(cls, value: str) -> str:
        return plain_text(value)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def hours(self) -> float:
        return self.direct + self.indirect + sum(getattr(self, name) for name in SUPERVISION_FIELDS)


def _period_errors(data: LogInput, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.end < data.start:
        errors["end"] = "the period ends before it starts"
    elif data.days > LONGEST_LOG_DAYS:
        errors["end"] = f"log a week or a month at a time (at most {LONGEST_LOG_DAYS} days)"
    if data.start > today:
        errors["start"] = "the period has not begun yet"
    for part, whole in _PARTS:
        if getattr(data, part) > getattr(data, whole) + 1e-9:
            errors[part] = f"{part.replace('_', ' ')} hours are part of {whole} hours: at most " + (
                f"{getattr(data, whole):g}"
            )
    if "end" not in errors and data.hours > data.days * HOURS_PER_DAY + 1e-9:
        span = "a week" if data.days == 7 else f"{data.days} days"
        errors["direct"] = (
            f"{data.hours:g} h is more than the {data.days * HOURS_PER_DAY} h in {span}"
        )
    if data.group_supervision and data.group_size is None:
        errors["group_size"] = "how many supervisees were in the group (3 or more)?"
    if not data.group_supervision and data.group_size is not None:
        errors["group_size"] = "a group size is given without group supervision hours"
    return errors


def validate_log(data: LogInput | dict, *, today: date) -> LogInput:
    """The log, or InputError naming each bad field (negative hours, parts larger than their
    whole, more hours than the period has, a period that ends before it starts)."""
    try:
        data = LogInput.model_validate(data)
    except ValidationError as error:
        raise InputError.from_validation(error) from None
    errors = _period_errors(data, today)
    if errors:
        raise InputError(errors)
    return data


class RelationshipInput(BaseModel):
    """A supervisor over dates in one setting, with the license and supervisor credential
    checked on each log's dates when the supervisor is not in cetrack."""

    model_config = ConfigDict(str_strip_whitespace=True)

    supervisor_name: str = Field(min_length=1, max_length=200)
    supervisor_email: str = Field(default="", max_length=254)
    supervisor_license: str = Field(default="", max_length=120)
    supervisor_license_number: str = Field(default="", max_length=64)
    supervisor_license_expires: EnteredDate | None = None
    supervisor_credential: str = Field(default="", max_length=120)
    supervisor_credential_since: EnteredDate | None = None
    supervisor_credential_until: EnteredDate | None = None
    setting: str = Field(default="", max_length=200)
    starts_on: EnteredDate
    ends_on: EnteredDate | None = None

    @field_validator(
        "supervisor_name",
        "supervisor_email",
        "supervisor_license",
        "supervisor_license_number",
        "supervisor_credential",
        "setting",
    )
    @classmethod
    def _text(cls, value: str) -> str:
        return plain_text(value)

    @field_validator("supervisor_email")
    @classmethod
    def _email(cls, value: str) -> str:
        return value.lower()


def validate_relationship(data: RelationshipInput | dict) -> RelationshipInput:
    try:
        data = RelationshipInput.model_validate(data)
    except ValidationError as error:
        raise InputError.from_validation(error) from None
    errors = {}
    if data.ends_on and data.ends_on < data.starts_on:
        errors["ends_on"] = "the supervision ends before it starts"
    since, until = data.supervisor_credential_since, data.supervisor_credential_until
    if since and until and until < since:
        errors["supervisor_credential_until"] = "the credential ends before it was granted"
    if errors:
        raise InputError(errors)
    return data


class PathInput(BaseModel):
    """The license an associate works toward, from when, and their associate registration."""

    model_config = ConfigDict(str_strip_whitespace=True)

    rule_id: str = Field(min_length=1, max_length=64)
    started_on: EnteredDate
    registration_number: str = Field(default="", max_length=64)
    registration_issued: EnteredDate | None = None

    @field_validator("registration_number")
    @classmethod
    def _text(cls, value: str) -> str:
        return plain_text(value)


def validate_path(data: PathInput | dict, *, today: date) -> PathInput:
    try:
        data = PathInput.model_validate(data)
    except ValidationError as error:
        raise InputError.from_validation(error) from None
    if data.started_on > today:
        raise InputError({"started_on": "the supervised experience has not begun yet"})
    return data
