"""Outcomes as data: why an hour did not count (`Reason`) and what a reader should know about
a result (`Note`), each a code and its parameters. `cetrack.wording` turns them into
sentences for the app, the PDF, the calendar and the `cetrack check` JSON alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reason:
    code: str
    hours: float
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Note:
    code: str
    params: dict[str, Any] = field(default_factory=dict)
