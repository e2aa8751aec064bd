"""The typed results of an evaluation: what `cetrack check` prints, what the database keeps
as its read model, and what the dashboard, the PDF and the calendar read.

Hours are full-precision floats here; `cetrack.scenario.output` rounds them for the JSON
contract and `cetrack.wording` for people. Reasons and notes are codes with parameters.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cetrack.engine.reasons import Note, Reason

Status = Literal["compliant", "incomplete", "exempt", "invalid"]
# how a compact credential's home credential stands (only "active" keeps it valid)
Standing = Literal["active", "missing", "ineligible", "inactive", "lapsed", "home_invalid"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class CycleInfo(_Result):
    start: date
    end: date
    first_renewal: bool
    renewal_number: int | None


class Progress(_Result):
    required: float
    counted: float
    remaining: float


class RequirementResult(Progress):
    id: str
    title: str
    frequency: str = "every_cycle"
    due: date | None = None
    source: str | None = None
    counted_from: dict[str, float] = {}  # activity id -> its hours that count toward this
    attested_on: date | None = None  # met by the licensee's attestation of completion


class ActivityResult(_Result):
    id: str
    counted: float
    allocation: dict[str, float]
    excluded: float
    reasons: tuple[Reason, ...] = ()


class LoggedReminder(_Result):
    """A reminder the engine does not check in hours, shown done by an activity logged in
    the cycle (its `logged_by` categories)."""

    title: str
    activity: str


class CarryoverResult(_Result):
    carried_in: float
    carried_out: float
    max: float


class PlanItem(_Result):
    hours: float
    requirement: str
    categories: tuple[str, ...]
    formats: tuple[str, ...]
    type: str = "course"

    @property
    def category(self) -> str:
        return self.categories[0] if self.categories else "general"


class HomeDependency(_Result):
    """What a compact credential stands on: its home credential and how that one stands on
    the evaluation date. `home` is the home's own dependency when it is itself a compact
    credential (PSYPACT's APIT stands on the E.Passport, which stands on a state license)."""

    compact: str
    rule: str | None = None
    expires: date | None = None
    standing: Standing
    expires_with_home: bool
    ce_follows_home: bool
    remote_state: str | None = None
    jurisprudence_required: bool = False
    jurisprudence_done_on: date | None = None
    home: HomeDependency | None = None

    @property
    def valid(self) -> bool:
        return self.standing == "active"


class CEResult(_Result):
    kind: Literal["ce"] = "ce"
    rule: str
    as_of: date
    status: Status
    cycle: CycleInfo
    total: Progress
    total_source: str | None = Field(default=None, description="the source of the total hours")
    requirements: tuple[RequirementResult, ...]
    activities: tuple[ActivityResult, ...]
    carryover: CarryoverResult
    minimal_additional: float
    plan: tuple[PlanItem, ...]
    not_evaluated: tuple[str, ...] = ()
    reminders_logged: tuple[LoggedReminder, ...] = ()
    notes: tuple[Note, ...] = ()
    registration_final_expiry: date | None = None
    home: HomeDependency | None = Field(
        default=None, description="a compact credential's home credential and its standing"
    )
    valid_until: date = Field(description="the result holds for evaluation dates before this")
    exact: bool = Field(default=True, description="the exact solver ran (not the fast path)")

    @property
    def deadline(self) -> date:
        return self.cycle.end

    def days_left(self, today: date | None = None) -> int:
        return (self.deadline - (today or self.as_of)).days

    def on(self, today: date) -> CEResult:
        """The same result read on another day before `valid_until` (nothing else differs)."""
        return self.model_copy(update={"as_of": today})

    def activity(self, activity_id: str) -> ActivityResult | None:
        return next((item for item in self.activities if item.id == activity_id), None)


class ExperienceRequirement(Progress):
    id: str
    title: str


class LogResult(_Result):
    """A log's counted parts: `counted` experience (direct + indirect) and supervision
    (individual + group), and what was excluded of each."""

    id: str
    counted: float
    direct: float
    indirect: float
    supervision: float
    individual: float
    group: float
    excluded: float
    excluded_supervision: float
    reasons: tuple[Reason, ...] = ()


class SupervisionResult(_Result):
    kind: Literal["supervision"] = "supervision"
    rule: str
    experience: str
    as_of: date
    start: date
    eligible: bool
    requirements: tuple[ExperienceRequirement, ...]
    logs: tuple[LogResult, ...]
    pace_per_week: dict[str, float]
    projected_eligible: date | None
    notes: tuple[Note, ...] = ()
    registration_final_expiry: date | None = None


class ActivityEffect(_Result):
    """What one more activity would change in a credential's result: the hours of each
    requirement it would fill (title, hours) and of the total still missing, or why it
    would count for nothing."""

    rule_id: str
    credential_id: int
    requirements: tuple[tuple[str, float], ...] = ()
    total: float = 0.0
    reasons: tuple[Reason, ...] = ()
