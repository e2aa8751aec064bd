"""What a person may enter: the validated shape of every form and import row.

Below services and importers alike (both validate with these), above nothing but the
vocabularies. `InputError` maps a field to a message a person understands.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from cetrack.rules.vocabulary import ACTIVITY_TYPES, CATEGORIES, FORMATS, UNITS

CREDENTIAL_STATUSES = ("active", "inactive", "expired")


class InputError(ValueError):
    """Invalid input: `errors` maps a field name to a message a person understands."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))

    @classmethod
    def from_validation(cls, error: ValidationError) -> InputError:
        errors: dict[str, str] = {}
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else "form"
            errors.setdefault(field, _sentence(item))
        return cls(errors)


def _sentence(item: dict) -> str:
    """A validation problem in plain words ("enter a number"), not the validator's own."""
    kind, context = item["type"], item.get("ctx") or {}
    limit = next((context[key] for key in ("gt", "ge", "lt", "le") if key in context), None)
    if isinstance(limit, float) and limit.is_integer():
        limit = int(limit)
    words = {
        "missing": "this is required",
        "string_too_short": "this is required",
        "string_too_long": f"keep it to {context.get('max_length')} characters or fewer",
        "float_parsing": "enter a number, such as 1.5",
        "float_type": "enter a number, such as 1.5",
        "int_parsing": "enter a whole number",
        "greater_than": f"enter a number above {limit}",
        "greater_than_equal": f"enter {limit} or more",
        "less_than": f"enter a number below {limit}",
        "less_than_equal": f"enter {limit} or less",
        "finite_number": "enter a number, such as 1.5",
        "date_parsing": "enter a date as YYYY-MM-DD or MM/DD/YYYY",
        "date_from_datetime_parsing": "enter a date as YYYY-MM-DD or MM/DD/YYYY",
        "date_type": "enter a date as YYYY-MM-DD or MM/DD/YYYY",
        "bool_parsing": "enter yes or no",
        "list_type": "enter a list",
    }
    return words.get(kind) or item["msg"].removeprefix("Value error, ")


_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def us_or_iso_date(value: object) -> object:
    """MM/DD/YYYY (the US order, the only one with slashes accepted) becomes a date; a year of
    two digits is refused as ambiguous. Anything else is left to the date parser."""
    if not isinstance(value, str) or "/" not in value:
        return value
    match = _US_DATE.match(value.strip())
    if not match:
        raise ValueError("enter a date as YYYY-MM-DD or MM/DD/YYYY (four-digit year)")
    month, day, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{value.strip()} is not a real date (MM/DD/YYYY)") from None


EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)
_CONTROL = {chr(code) for code in range(32)} - {"\t", "\n", "\r"}


def plain_text(value: str) -> str:
    """Text a person typed, without NUL or other control characters (PostgreSQL refuses NUL;
    exports and PDFs garble the others)."""
    if any(char in _CONTROL for char in value):
        raise ValueError("contains a control character (such as NUL); remove it")
    return value


def bounded_date(value: date | None) -> date | None:
    """A date stored for a person: years 1900 to 2200, so no record breaks a page or export."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"the year must be between {EARLIEST_DATE.year} and {LATEST_DATE.year}")
    return value


def _one_of(vocabulary: dict[str, str] | tuple[str, ...], value: str, noun: str) -> str:
    if value not in vocabulary:
        raise ValueError(f"unknown {noun} {value!r}; choose one of {', '.join(vocabulary)}")
    return value


# a date a person typed: MM/DD/YYYY or ISO, years 1900 to 2200
EnteredDate = Annotated[date, BeforeValidator(us_or_iso_date), AfterValidator(bounded_date)]


class ActivityInput(BaseModel):
    """One CE activity: `amount` is in `unit` (hours, minutes, CEU, academic credit)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=300)
    provider: str = Field(default="", max_length=300)
    completed: EnteredDate
    amount: float = Field(gt=0, le=1000, allow_inf_nan=False)
    unit: str = "hours"
    categories: list[str] = Field(default_factory=list)
    format: str = "in_person"
    type: str = "course"
    notes: str = Field(default="", max_length=4000)

    @field_validator("title", "provider", "notes")
    @classmethod
    def _text(cls, value: str) -> str:
        return plain_text(value)

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        return _one_of(UNITS, value, "unit")

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        return _one_of(FORMATS, value, "format")

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        return _one_of(ACTIVITY_TYPES, value, "activity type")

    @field_validator("categories")
    @classmethod
    def _categories(cls, values: list[str]) -> list[str]:
        for value in values:
            _one_of(CATEGORIES, value, "category")
        return list(dict.fromkeys(values))

    def duplicate_key(self) -> tuple:
        """What makes two entries the same activity: date, title, amount and unit."""
        return duplicate_key(self.title, self.completed, self.amount, self.unit)


def duplicate_key(title: str, completed: date, amount: float, unit: str) -> tuple:
    return (" ".join(title.casefold().split()), completed, round(float(amount), 4), unit)


def validate_activity(data: ActivityInput | dict, *, today: date) -> ActivityInput:
    try:
        data = ActivityInput.model_validate(data)
    except ValidationError as error:
        raise InputError.from_validation(error) from None
    if data.completed > today:
        raise InputError({"completed": "the completion date is in the future"})
    return data


class CredentialInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    rule_id: str = Field(min_length=1)
    number: str = Field(default="", max_length=64)
    issued: date | None = None
    expires: date | None = None
    status: str = "active"
    supervisor: bool = False
    flags: list[str] = Field(default_factory=list)
    home_credential_id: int | None = Field(
        default=None, description="a compact credential's home credential (of the same person)"
    )
    remote_state: str = Field(default="", description="a privilege's remote state")

    @field_validator("remote_state")
    @classmethod
    def _state_code(cls, value: str) -> str:
        value = value.upper()
        if value and not re.fullmatch(r"[A-Z]{2}", value):
            raise ValueError("a state is two letters, such as CO")
        return value

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        return _one_of(CREDENTIAL_STATUSES, value, "status")

    @field_validator("rule_id", "number")
    @classmethod
    def _text(cls, value: str) -> str:
        return plain_text(value)

    @field_validator("issued", "expires")
    @classmethod
    def _date(cls, value: date | None) -> date | None:
        return bounded_date(value)


class AttestationInput(BaseModel):
    """A one-time requirement the licensee attests was completed (optionally with a
    certificate of their own)."""

    requirement: str = Field(min_length=1, max_length=64)
    completed: EnteredDate
    certificate_id: int | None = None
