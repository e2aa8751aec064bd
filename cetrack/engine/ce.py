"""Evaluate CE activities against a license's rule for the cycle that contains a date.

Order (fixed, so results are reproducible): find the cycle and the rule versions; convert
units; set aside what is outside the cycle or not accepted (with reasons); build the cycle's
targets; allocate under caps; then carryover out, `minimal_additional` and the plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from cetrack.engine.allocation import (
    Allocation,
    AllocationProblem,
    Candidate,
    CapLimit,
    allocate,
)
from cetrack.engine.cycles import (
    Cycle,
    ExpirationSequence,
    current_cycle,
    cycle_ending,
    earning_window,
    registration_final_expiry,
    select_version,
)
from cetrack.engine.dates import day_after
from cetrack.engine.reasons import Note, Reason
from cetrack.engine.records import Activity, LicenseFacts
from cetrack.engine.results import (
    ActivityResult,
    CarryoverResult,
    CEResult,
    CycleInfo,
    LoggedReminder,
    Progress,
    RequirementResult,
)
from cetrack.engine.results import PlanItem as PlanItemResult
from cetrack.engine.targets import CycleTargets, Selection, Target, cycle_targets
from cetrack.engine.units import Converted, convert
from cetrack.rules.schema import ContinuingEducation, RuleFile, parse_fraction

_TOLERANCE = 1e-6
_MAX_CARRY_DEPTH = 12


@dataclass(frozen=True)
class ActivityOutcome:
    id: str
    raw_hours: float
    counted: float
    allocation: dict[str, float]
    reasons: tuple[Reason, ...]

    @property
    def excluded(self) -> float:
        return max(0.0, round(self.raw_hours - self.counted, 6))


@dataclass(frozen=True)
class RequirementOutcome:
    target: Target
    counted: float
    counted_from: dict[str, float]

    @property
    def remaining(self) -> float:
        return max(0.0, round(self.target.required - self.counted, 6))


@dataclass(frozen=True)
class CycleEvaluation:
    """One cycle's evaluation, with the engine's working parts (for carryover chains)."""

    rule: RuleFile
    ce: ContinuingEducation
    as_of: date
    cycle: Cycle
    targets: CycleTargets
    total_counted: float
    requirements: list[RequirementOutcome]
    activities: list[ActivityOutcome]
    carry_in: float
    carry_out: float
    allocation: Allocation
    problem: AllocationProblem
    notes: list[Note] = field(default_factory=list)

    @property
    def total_remaining(self) -> float:
        return max(0.0, round(self.targets.total_required - self.total_counted, 6))

    @property
    def status(self) -> str:
        complete = self.total_remaining <= _TOLERANCE and all(
            requirement.remaining <= _TOLERANCE for requirement in self.requirements
        )
        if not complete:
            return "incomplete"
        return "exempt" if self.targets.exempt else "compliant"


def current_problem(
    rule: RuleFile, facts: LicenseFacts, activities: Sequence[Activity], as_of: date
) -> AllocationProblem:
    """The allocation problem of the cycle `evaluate_ce` evaluates (for the joint plan)."""
    renewal = select_version(rule.renewal, facts.expires or as_of, "renewal")
    cycle, sequence = current_cycle(renewal, facts, as_of)
    return _evaluate_cycle(rule, sequence, cycle, facts, activities, as_of, depth=0).problem


def evaluate_ce(
    rule: RuleFile, facts: LicenseFacts, activities: Sequence[Activity], as_of: date
) -> CEResult:
    """Evaluate the cycle that ends on `facts.expires` (or the next expiration on/after as_of)."""
    renewal = select_version(rule.renewal, facts.expires or as_of, "renewal")
    cycle, sequence = current_cycle(renewal, facts, as_of)
    evaluation = _evaluate_cycle(rule, sequence, cycle, facts, activities, as_of, depth=0)
    notes = list(evaluation.notes)
    mismatch = sequence.mismatch()
    if mismatch:
        notes.insert(0, mismatch)
    registration = renewal.registration
    final = (
        registration_final_expiry(registration, facts.issued)
        if (registration and facts.issued)
        else None
    )
    result = _result(evaluation, notes, final, _valid_until(rule, facts, cycle, activities, as_of))
    return _with_logged_reminders(result, rule, activities)


def _with_logged_reminders(
    result: CEResult, rule: RuleFile, activities: Sequence[Activity]
) -> CEResult:
    """Reminders shown done by an activity of theirs in the cycle move out of not_evaluated."""
    logged = []
    for item in rule.not_evaluated:
        if item.applies_to != "licensee" or not item.logged_by:
            continue
        done = next(
            (
                activity
                for activity in sorted(activities, key=lambda activity: activity.completed)
                if result.cycle.start <= activity.completed <= min(result.cycle.end, result.as_of)
                and set(activity.categories) & set(item.logged_by)
            ),
            None,
        )
        if done is not None:
            logged.append(LoggedReminder(title=item.title, activity=done.id))
    if not logged:
        return result
    titles = {reminder.title for reminder in logged}
    return result.model_copy(
        update={
            "not_evaluated": tuple(t for t in result.not_evaluated if t not in titles),
            "reminders_logged": tuple(logged),
        }
    )


def _valid_until(
    rule: RuleFile, facts: LicenseFacts, cycle: Cycle, activities: Sequence[Activity], as_of: date
) -> date:
    """The first evaluation date on which the result could differ: an activity dated after
    `as_of` comes into range; without a printed expiration, the cycle (or the renewal
    version) the date selects changes."""
    changes = [activity.completed for activity in activities if activity.completed > as_of]
    if facts.expires is None:
        changes.append(day_after(cycle.end))
        for version in rule.renewal:
            changes += [
                day
                for day in (version.effective_from, version.effective_until)
                if day and day > as_of
            ]
    return min(changes, default=date.max)


def _result(
    evaluation: CycleEvaluation, notes: list[Note], final: date | None, valid_until: date
) -> CEResult:
    cycle, allocation = evaluation.cycle, evaluation.allocation
    return CEResult(
        rule=evaluation.rule.id,
        as_of=evaluation.as_of,
        status=evaluation.status,
        cycle=CycleInfo(
            start=cycle.start,
            end=cycle.end,
            first_renewal=cycle.first,
            renewal_number=cycle.renewal_number,
        ),
        total=Progress(
            required=evaluation.targets.total_required,
            counted=evaluation.total_counted,
            remaining=evaluation.total_remaining,
        ),
        total_source=evaluation.ce.source,
        requirements=tuple(
            RequirementResult(
                id=outcome.target.id,
                title=outcome.target.title,
                required=outcome.target.required,
                counted=min(outcome.counted, outcome.target.required),
                remaining=outcome.remaining,
                frequency=outcome.target.frequency,
                due=outcome.target.due,
                source=outcome.target.source,
                counted_from={key: round(hours, 6) for key, hours in outcome.counted_from.items()},
                attested_on=outcome.target.attested_on,
            )
            for outcome in evaluation.requirements
        ),
        activities=tuple(
            ActivityResult(
                id=outcome.id,
                counted=outcome.counted,
                allocation=outcome.allocation,
                excluded=outcome.excluded,
                reasons=outcome.reasons,
            )
            for outcome in evaluation.activities
        ),
        carryover=CarryoverResult(
            carried_in=evaluation.carry_in,
            carried_out=evaluation.carry_out,
            max=evaluation.ce.carryover.max_hours,
        ),
        minimal_additional=allocation.minimal_additional,
        plan=tuple(
            PlanItemResult(
                hours=item.hours,
                requirement=item.requirement,
                categories=item.categories,
                formats=item.formats,
                type=item.type,
            )
            for item in allocation.plan
        ),
        not_evaluated=tuple(
            item.title for item in evaluation.rule.not_evaluated if item.applies_to == "licensee"
        ),
        notes=tuple(notes),
        registration_final_expiry=final,
        valid_until=valid_until,
        exact=allocation.exact,
    )


def _evaluate_cycle(
    rule: RuleFile,
    sequence: ExpirationSequence,
    cycle: Cycle,
    facts: LicenseFacts,
    activities: Sequence[Activity],
    as_of: date,
    *,
    depth: int,
    conversions: dict[tuple[int, int], Converted] | None = None,
) -> CycleEvaluation:
    """`conversions` keeps each activity's converted hours (by unit settings and position)
    across the cycles of one carryover chain: converting is the same work in every cycle."""
    conversions = {} if conversions is None else conversions
    ce = select_version(rule.ce, cycle.end, "CE")
    renewal_on = cycle.end
    cycle = earning_window(cycle, ce.window_calendar_years_before_renewal_year)
    targets = cycle_targets(ce, cycle, facts)
    carry_in = _carry_in(rule, sequence, cycle, facts, activities, as_of, depth, conversions)
    candidates, set_aside = _candidates(ce, cycle, facts, activities, as_of, targets, conversions)
    caps = _cap_limits(ce, targets, candidates)
    problem = AllocationProblem(
        candidates=[candidate for candidate, _ in candidates.values()],
        targets=targets.targets,
        total_required=targets.total_required,
        caps=caps,
        carry_in=carry_in,
        not_accepted=[Selection.of(exclusion) for exclusion in ce.exclusions],
    )
    allocation = allocate(problem)
    outcomes = _activity_outcomes(activities, candidates, set_aside, allocation, cycle)
    requirements = [
        RequirementOutcome(
            target,
            allocation.overlap_counted[target.id]
            if target.overlap
            else allocation.filled[target.id],
            allocation.contributions.get(target.id, {}),
        )
        for target in targets.targets
    ] + [RequirementOutcome(target, target.required, {}) for target in targets.attested]
    order = {requirement.id: index for index, requirement in enumerate(ce.requirements)}
    requirements.sort(key=lambda outcome: order[outcome.target.id])
    own = allocation.total_counted - carry_in
    carry_out = 0.0
    if ce.carryover.max_hours > 0:
        # an exempt first cycle required nothing, but only hours beyond a full cycle's
        # total are "in excess" of the requirement
        required = ce.total_hours if targets.exempt else targets.total_required
        surplus = allocation.total_counted - required
        carry_out = round(max(0.0, min(ce.carryover.max_hours, surplus, own)), 6)
    return CycleEvaluation(
        rule=rule,
        ce=ce,
        as_of=as_of,
        cycle=cycle,
        targets=targets,
        total_counted=allocation.total_counted,
        requirements=requirements,
        activities=outcomes,
        carry_in=carry_in,
        carry_out=carry_out,
        allocation=allocation,
        problem=problem,
        notes=list(targets.notes) + _window_note(cycle, renewal_on),
    )


def _window_note(window: Cycle, renewal_on: date) -> list[Note]:
    if window.end >= renewal_on:
        return []
    return [
        Note(
            "ce_window",
            {
                "start": window.start.isoformat(),
                "end": window.end.isoformat(),
                "renewal": renewal_on.isoformat(),
            },
        )
    ]


def _carry_in(
    rule: RuleFile,
    sequence: ExpirationSequence,
    cycle: Cycle,
    facts: LicenseFacts,
    activities: Sequence[Activity],
    as_of: date,
    depth: int,
    conversions: dict[tuple[int, int], Converted],
) -> float:
    """Hours carried from the previous cycle (which may itself have carried some in)."""
    if depth >= _MAX_CARRY_DEPTH or cycle.first:
        return 0.0
    if facts.issued is not None and facts.issued > cycle.previous_end:
        return 0.0
    if not any(activity.completed <= cycle.previous_end for activity in activities):
        return 0.0
    previous_ce = next((ce for ce in rule.ce if ce.applies_on(cycle.previous_end)), None)
    if previous_ce is None or previous_ce.carryover.max_hours <= 0:
        return 0.0  # no CE rule (encoded) for the previous cycle, or none carried from it
    previous = cycle_ending(sequence, -(depth + 1), facts)
    outcome = _evaluate_cycle(
        rule,
        sequence,
        previous,
        facts,
        activities,
        min(as_of, previous.end),
        depth=depth + 1,
        conversions=conversions,
    )
    return outcome.carry_out


# --- preparing activities --------------------------------------------------------------------


def _excluded_by_rule(exclusions: list[tuple[Selection, str]], activity: Activity) -> Reason | None:
    categories = frozenset(activity.categories)
    for selection, title in exclusions:
        if selection.rejects(categories, activity.format, activity.type):
            return Reason("not_accepted", 0.0, {"title": title})
    return None


def _candidates(
    ce: ContinuingEducation,
    cycle: Cycle,
    facts: LicenseFacts,
    activities: Sequence[Activity],
    as_of: date,
    targets: CycleTargets,
    conversions: dict[tuple[int, int], Converted] | None = None,
) -> tuple[dict[str, tuple[Candidate, Converted]], dict[str, tuple[float, tuple[Reason, ...]]]]:
    """Split activities into candidates (with conversion reasons) and set-aside ones."""
    conversions = {} if conversions is None else conversions
    exclusions = [(Selection.of(exclusion), exclusion.title) for exclusion in ce.exclusions]
    units = id(ce.units)
    candidates: dict[str, tuple[Candidate, Converted]] = {}
    set_aside: dict[str, tuple[float, tuple[Reason, ...]]] = {}
    lookback = [target for target in targets.targets if target.window_start != cycle.start]
    ordered = sorted(enumerate(activities), key=lambda item: (item[1].completed, item[0]))
    for order, (position, activity) in enumerate(ordered):
        converted = conversions.get((units, position))
        if converted is None:
            converted = convert(activity.amount, activity.unit, ce.units)
            conversions[(units, position)] = converted
        raw = converted.raw_hours

        def aside(code: str, params: dict, *, raw: float = raw, activity=activity) -> None:
            set_aside[activity.id] = (raw, (Reason(code, raw, params),))

        if activity.completed > as_of:
            aside("after_as_of", {"as_of": as_of.isoformat()})
            continue
        if activity.completed > cycle.end:
            aside("after_cycle", {"end": cycle.end.isoformat()})
            continue
        if not ce.accept_before_issue and facts.issued and activity.completed < facts.issued:
            aside("before_issue", {"issued": facts.issued.isoformat()})
            continue
        rejected = _excluded_by_rule(exclusions, activity)
        if rejected:
            set_aside[activity.id] = (raw, (Reason(rejected.code, raw, rejected.params),))
            continue
        in_cycle = activity.completed >= cycle.start
        categories = frozenset(activity.categories)
        if not in_cycle and not any(
            target.covers(activity.completed)
            and target.selection.matches(categories, activity.format, activity.type)
            for target in lookback
        ):
            aside("before_cycle", {"start": cycle.start.isoformat()})
            continue
        if converted.hours <= 0:
            set_aside[activity.id] = (raw, converted.reasons)
            continue
        candidate = Candidate(
            id=activity.id,
            hours=converted.hours,
            in_cycle=in_cycle,
            completed=activity.completed,
            categories=categories,
            format=activity.format,
            type=activity.type,
            order=order,
        )
        candidates[activity.id] = (candidate, converted)
    return candidates, set_aside


def _cap_limits(
    ce: ContinuingEducation,
    targets: CycleTargets,
    candidates: dict[str, tuple[Candidate, Converted]],
) -> list[CapLimit]:
    base = targets.total_required if targets.total_required > 0 else ce.total_hours
    limits: list[CapLimit] = []
    for cap in ce.caps:
        selection = Selection.of(cap)
        if cap.per == "cycle":
            limit = (
                cap.max_hours
                if cap.max_hours is not None
                else round(float(parse_fraction(cap.max_fraction)) * base, 6)
            )
            limits.append(CapLimit(cap.id, cap.title, limit, selection))
            continue
        days = sorted(
            {
                candidate.completed
                for candidate, _ in candidates.values()
                if candidate.in_cycle
                and selection.matches(candidate.categories, candidate.format, candidate.type)
            }
        )
        limits += [
            CapLimit(f"{cap.id}@{day.isoformat()}", cap.title, cap.max_hours, selection, day)
            for day in days
        ]
    return limits


# --- explaining each activity ----------------------------------------------------------------


def _activity_outcomes(
    activities: Sequence[Activity],
    candidates: dict[str, tuple[Candidate, Converted]],
    set_aside: dict[str, tuple[float, tuple[Reason, ...]]],
    allocation: Allocation,
    cycle: Cycle,
) -> list[ActivityOutcome]:
    outcomes = []
    for activity in activities:
        if activity.id in set_aside:
            raw, reasons = set_aside[activity.id]
            outcomes.append(ActivityOutcome(activity.id, raw, 0.0, {}, reasons))
            continue
        candidate, converted = candidates[activity.id]
        parts = dict(allocation.allocation.get(activity.id, {}))
        counted = round(sum(parts.values()), 6)
        reasons = list(converted.reasons)
        uncounted = round(candidate.hours - counted, 6)
        if uncounted > _TOLERANCE:
            reasons.append(_uncounted_reason(candidate, uncounted, allocation, cycle))
        outcomes.append(
            ActivityOutcome(activity.id, converted.raw_hours, counted, parts, tuple(reasons))
        )
    return outcomes


def _uncounted_reason(
    candidate: Candidate, hours: float, allocation: Allocation, cycle: Cycle
) -> Reason:
    if not candidate.in_cycle:
        return Reason("before_cycle_once", hours, {"start": cycle.start.isoformat()})
    holding = [cap for cap in allocation.binding_caps if cap.holds(candidate)]
    if not holding:
        raise AssertionError(f"hours of {candidate.id} uncounted without a binding cap")
    cap = holding[0]
    if cap.day is not None:
        return Reason(
            "over_day_cap",
            hours,
            {"limit": float(cap.limit), "title": cap.title, "day": cap.day.isoformat()},
        )
    return Reason("over_cap", hours, {"limit": float(cap.limit), "title": cap.title})
