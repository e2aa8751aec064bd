"""Why an hour did not count: a code and its parameters, rendered to a sentence at the edge.

The app, the PDF and the JSON all render reasons with `render`, so they say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def fmt_hours(value: float) -> str:
    """12 -> "12", 1.5 -> "1.5", 0.333333 -> "0.33"."""
    return f"{round(value, 2):g}"


_TEMPLATES: dict[str, str] = {
    # CE
    "after_as_of": "dated after the evaluation date ({as_of})",
    "after_cycle": "completed after the cycle ended on {end} (counts toward the next cycle)",
    "before_cycle": "completed before the cycle began on {start}",
    "before_cycle_once": (
        "completed before the cycle began on {start}; it counts only toward "
        "requirements that look back further"
    ),
    "before_issue": "completed before the license was issued on {issued}",
    "unit_not_accepted": "{unit} are not a unit this rule converts to CE hours",
    "rounding": "credit is given in {increment} h steps; the remainder does not count",
    "below_first_hour": "under the first whole hour; this rule gives no credit below one hour",
    "not_accepted": "{title} are not accepted",
    "over_cap": "over the {limit} h {title} cap",
    "over_day_cap": "over the {limit} h {title} cap for {day}",
    # supervised experience
    "unsigned": "not signed by the supervisor",
    "log_after_as_of": "the log ends after the evaluation date ({as_of})",
    "before_start": "before the supervised experience began on {start}",
    "too_old": "more than {years} years before the application date ({cutoff})",
    "after_max_duration": "after the {months}-month maximum period (ended {limit_date})",
    "weekly_cap": "over the {limit} h per week maximum",
    "weekly_minimum": "under the {limit} h per week minimum; such weeks do not count",
    "indirect_cap": "over the {limit} h maximum of indirect hours",
    "period_maximum": "supervision over {limit} h in {period} does not count",
    "telehealth_cap": "over the {limit} h maximum of telehealth hours",
    "ratio_min": (
        "not covered by supervision: at least {supervision} h of supervision are required "
        "per {per} h of {basis} hours"
    ),
    "ratio_max": "supervision beyond {supervision} h per {per} h of {basis} hours does not count",
    "period_minimum": (
        "{period} had {got} h of supervision; at least {need} h are required in every {unit}"
    ),
    "group_size": "a group of {size} is larger than the maximum of {limit}",
    "group_share": "group supervision over the {share} share of supervision hours",
}


@dataclass(frozen=True)
class Reason:
    code: str
    hours: float
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        return render(self)


def render(reason: Reason) -> str:
    params = {
        key: fmt_hours(value) if isinstance(value, float) else value
        for key, value in reason.params.items()
    }
    return _TEMPLATES[reason.code].format(**params)
