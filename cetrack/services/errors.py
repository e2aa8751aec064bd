"""Errors services raise; the UI shows them beside the fields they name."""

from __future__ import annotations

from pydantic import ValidationError


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


class NotFound(LookupError):
    """No such record for this person (or it belongs to someone else)."""


class ExportError(RuntimeError):
    """An export could not be made (a stored certificate is missing or damaged)."""
