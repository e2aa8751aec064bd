"""What a cycle requires: the total and each requirement's hours, after first-renewal handling."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from cetrack.engine.cycles import Cycle, RuleInputError
from cetrack.engine.dates import add_months, month_index, months_inclusive, whole_months
from cetrack.engine.reasons import Note
from cetrack.engine.records import LicenseFacts
from cetrack.rules.schema import ContinuingEducation, Proration, Requirement, parse_fraction

TOTAL = "total"


@dataclass(frozen=True)
class Selection:
    """Which activities something applies to; empty means any."""

    categories: frozenset[str] = frozenset()
    formats: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()

    @classmethod
    def of(cls, item) -> Selection:
        return cls(frozenset(item.categories), frozenset(item.formats), frozenset(item.types))

    def rejects(self, categories: frozenset[str], fmt: str, kind: str) -> bool:
        """As an exclusion: categories match only when every category of the activity is
        listed (an activity with another, acceptable topic is kept)."""
        topics = categories or frozenset({"general"})
        return (
            (not self.categories or topics <= self.categories)
            and (not self.formats or fmt in self.formats)
            and (not self.types or kind in self.types)
        )

    def matches(self, categories: frozenset[str], fmt: str, kind: str) -> bool:
        return (
            (not self.categories or bool(self.categories & categories))
            and (not self.formats or fmt in self.formats)
            and (not self.types or kind in self.types)
        )


@dataclass(frozen=True)
class Target:
    """One requirement as it applies to this cycle."""

    id: str
    title: str
    required: float
    overlap: bool
    counts_toward_total: bool
    selection: Selection
    window_start: date | None
    window_end: date
    frequency: str
    due: date | None = None
    source: str | None = None
    attested_on: date | None = None  # a one-time requirement the licensee attests was met

    def covers(self, day: date) -> bool:
        return (self.window_start is None or self.window_start <= day) and day <= self.window_end


@dataclass
class CycleTargets:
    total_required: float
    targets: list[Target]
    exempt: bool
    notes: list[Note] = field(default_factory=list)
    attested: list[Target] = field(default_factory=list)  # met by attestation, not by hours


def _round_up(value: float, step: float | None) -> float:
    if not step:
        return round(value, 2)
    return round(math.ceil(value / step - 1e-9) * step, 4)


def _prorate(
    proration: Proration, ce: ContinuingEducation, cycle: Cycle, facts: LicenseFacts
) -> tuple[float, dict[str, float]]:
    """The first cycle's total and per-requirement overrides."""
    issued = facts.issued
    if issued is None:
        raise RuleInputError(
            "license.issued is needed: this rule prorates the first renewal",
            needs=("issued",),
            why="this rule prorates the first renewal",
        )
    rate = proration.hours_per_month or ce.total_hours / _cycle_months(cycle)
    if proration.method == "buckets":
        # a first term longer than a full cycle (the board set a later first expiration)
        # began before the cycle's nominal start: it was issued in the cycle's first month
        offset = max(0, month_index(issued) - month_index(cycle.previous_end) - 1)
        for bucket in proration.buckets:
            if bucket.issued_from_month <= offset < bucket.issued_to_month:
                total = (
                    bucket.total_hours
                    if bucket.total_hours is not None
                    else float(parse_fraction(bucket.fraction)) * ce.total_hours
                )
                return round(total, 4), dict(bucket.requirements)
        return ce.total_hours, {}
    if proration.method == "per_month":
        months = months_inclusive(issued, cycle.end) - (0 if proration.include_issue_month else 1)
    else:
        # the expiration day is the last day of the term: 2025-07-01 to 2027-06-30 is 24 months
        months = whole_months(issued, cycle.end + timedelta(days=1))
    total = min(ce.total_hours, _round_up(rate * months, proration.round_to))
    overrides = {
        requirement_id: max(
            requirement_rate.minimum,
            math.ceil(months / requirement_rate.per_months) * requirement_rate.hours,
        )
        for requirement_id, requirement_rate in proration.requirement_rates.items()
    }
    return total, overrides


def _cycle_months(cycle: Cycle) -> int:
    return month_index(cycle.end) - month_index(cycle.previous_end)


def _applies(
    requirement: Requirement, cycle: Cycle, facts: LicenseFacts, notes: list[Note]
) -> bool:
    when = requirement.when
    if when is None:
        return True
    if when.supervisor is not None and when.supervisor != facts.supervisor:
        return False
    if not set(when.flags) <= facts.flags:
        return False
    if when.cycle_starts_from is not None and cycle.start < when.cycle_starts_from:
        return False
    if when.renewal_numbers is not None:
        if cycle.renewal_number is None:
            notes.append(
                Note(
                    "due_at_renewals_unknown_number",
                    {"title": requirement.title, "renewals": list(when.renewal_numbers)},
                )
            )
            return True
        return cycle.renewal_number in when.renewal_numbers
    return True


def _due_this_cycle(requirement: Requirement, cycle: Cycle, notes: list[Note]) -> bool:
    if requirement.frequency != "every_nth_cycle":
        return True
    first = requirement.first or requirement.n
    if cycle.renewal_number is None:
        notes.append(
            Note("due_every_nth_unknown_number", {"title": requirement.title, "n": requirement.n})
        )
        return True
    number = cycle.renewal_number
    return number >= first and (number - first) % requirement.n == 0


def _window(
    requirement: Requirement, cycle: Cycle, facts: LicenseFacts
) -> tuple[date | None, date, date | None]:
    """(window start, window end, due date) for counting activities toward a requirement."""
    match requirement.frequency:
        case "once":
            return None, cycle.end, None
        case "within_years":
            return add_months(cycle.end, -round(requirement.years * 12)), cycle.end, None
        case "after_licensure":
            due = add_months(facts.issued, requirement.months)
            return None, due, due
    return cycle.start, cycle.end, None


def cycle_targets(ce: ContinuingEducation, cycle: Cycle, facts: LicenseFacts) -> CycleTargets:
    notes: list[Note] = []
    mode = ce.first_renewal.mode if cycle.first else "full"
    total = ce.total_hours
    overrides: dict[str, float] = {}
    if mode == "exempt":
        total = 0.0
    elif mode == "prorate":
        total, overrides = _prorate(ce.first_renewal.proration, ce, cycle, facts)
    targets: list[Target] = []
    attested: list[Target] = []
    for requirement in ce.requirements:
        if requirement.frequency == "after_licensure":
            if facts.issued is None or not cycle.first:
                continue
        elif cycle.first and (
            requirement.exempt_first_renewal
            if requirement.exempt_first_renewal is not None
            else mode == "exempt"
        ):
            continue
        if not _applies(requirement, cycle, facts, notes):
            continue
        if not _due_this_cycle(requirement, cycle, notes):
            continue
        hours = requirement.hours
        if requirement.frequency == "per_year_of_cycle":
            hours *= math.ceil(_cycle_span_months(cycle) / 12)
        if requirement.id in overrides:
            hours = overrides[requirement.id]
        elif mode == "prorate" and requirement.counts_toward_total:
            hours = min(hours, total)
        if hours <= 0:
            continue
        start, end, due = _window(requirement, cycle, facts)
        attested_on = facts.attested_on(requirement.id) if requirement.frequency == "once" else None
        if attested_on is not None and attested_on > cycle.end:
            attested_on = None
        (attested if attested_on else targets).append(
            Target(
                id=requirement.id,
                title=requirement.title,
                required=round(hours, 4),
                overlap=requirement.overlap,
                counts_toward_total=requirement.counts_toward_total,
                selection=Selection.of(requirement),
                window_start=start,
                window_end=end,
                frequency=requirement.frequency,
                due=due,
                source=requirement.source or ce.source,
                attested_on=attested_on,
            )
        )
    return CycleTargets(
        total_required=round(total, 4),
        targets=targets,
        exempt=mode == "exempt" or (mode == "prorate" and total == 0),
        notes=notes,
        attested=attested,
    )


def _cycle_span_months(cycle: Cycle) -> int:
    """Whole months the cycle covers, its last day included (a 2025-06-01 to 2027-06-01
    anniversary cycle is 24 months, as is 2025-07-01 to 2027-06-30)."""
    return whole_months(cycle.start, cycle.end + timedelta(days=1))
