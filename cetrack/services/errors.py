"""Errors services raise; the UI shows them beside the fields they name."""

from __future__ import annotations

from typing import Any

from cetrack.inputs import InputError
from cetrack.services.policy import Forbidden

__all__ = ["DuplicateActivity", "ExportError", "Forbidden", "InputError", "NotFound", "StaleEdit"]


class NotFound(LookupError):
    """No such record (or not in the state asked for, e.g. not deleted)."""


class ExportError(RuntimeError):
    """An export could not be made (a stored certificate is missing or damaged)."""


class StaleEdit(RuntimeError):
    """A save from a form opened at an older version: the record changed since, and nothing
    was written. `changed` maps each field changed since then to (then, now)."""

    def __init__(self, noun: str, record_id: int, changed: dict[str, tuple[Any, Any]]):
        self.noun, self.record_id, self.changed = noun, record_id, changed
        fields = ", ".join(field.replace("_", " ") for field in changed) or "nothing visible"
        super().__init__(
            f"this {noun} changed since you opened it ({fields}); nothing was saved. "
            "Reload it to see the current values, then make your change again."
        )


class DuplicateActivity(RuntimeError):
    """An activity with the same date, title, amount and unit is already logged; log it
    anyway only if the person confirms."""

    def __init__(self, existing_id: int, title: str, completed: Any):
        self.existing_id = existing_id
        super().__init__(
            f"an activity with the same title, date, amount and unit is already logged "
            f"({title}, {completed}); confirm to log it again"
        )
