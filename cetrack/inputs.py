"""What a person may enter: the validated shape of every form and import row.

Below services and importers alike (both validate with these), above nothing but the
vocabularies. `InputError` maps a field to a message a person understands.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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
            errors.setdefault(field, item["msg"].removeprefix("Value error, "))
        return cls(errors)


def _one_of(vocabulary: dict[str, str] | tuple[str, ...], value: str, noun: str) -> str:
    if value not in vocabulary:
        raise ValueError(f"unknown {noun} {value!r}; choose one of {', '.join(vocabulary)}")
    return value


class ActivityInput(BaseModel):
    """One CE activity: `amount` is in `unit` (hours, minutes, CEU, academic credit)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=300)
    provider: str = Field(default="", max_length=300)
    completed: date
    amount: float = Field(gt=0, le=1000, allow_inf_nan=False)
    unit: str = "hours"
    categories: list[str] = Field(default_factory=list)
    format: str = "in_person"
    type: str = "course"
    notes: str = Field(default="", max_length=4000)

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


EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)


def validate_activity(data: ActivityInput | dict, *, today: date) -> ActivityInput:
    try:
        data = ActivityInput.model_validate(data)
    except ValidationError as error:
        raise InputError.from_validation(error) from None
    if data.completed > today:
        raise InputError({"completed": "the completion date is in the future"})
    if data.completed < EARLIEST_DATE:
        raise InputError({"completed": f"the completion date is before {EARLIEST_DATE.year}"})
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

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        return _one_of(CREDENTIAL_STATUSES, value, "status")
