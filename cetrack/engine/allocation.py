"""Allocate activity hours to requirements, and find the fewest extra hours that close every gap.

The problem: each activity's credited hours go to requirement buckets (an hour fills one
bucket) or to the general total, under caps on the counted hours of matching activities;
overlap requirements (e.g. live hours) are checks on counted hours. Extra hours are
hypothetical future activities in any category and format.

Exact path: two linear programs (scipy's HiGHS). The first minimises the extra hours
(`minimal_additional`); the second, holding that minimum, maximises the counted hours with
small deterministic preferences (earlier activities fill buckets first, buckets before the
general total), so results are reproducible. Both go to HiGHS directly
(`cetrack.engine.highs`: the model, options and checks `linprog` would use, without its
per-call overhead).

Fast path: when every activity fits at most one bucket, no cap binds and nothing overlaps or
every overlap is already met, a single greedy pass gives the same answer (argued in
`fast_path_applies` and `_overlaps_met`, tested against the exact path on generated problems).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from scipy.sparse import coo_matrix

from cetrack.engine import highs
from cetrack.engine.targets import TOTAL, Selection, Target
from cetrack.rules.vocabulary import ACTIVITY_TYPES, FORMATS

ALL_FORMATS = tuple(FORMATS)
_TOLERANCE = 1e-6


class AllocationError(RuntimeError):
    """The requirements cannot be met whatever is added (the rule contradicts itself)."""


@dataclass(frozen=True)
class Candidate:
    """An activity's credited hours, ready to allocate."""

    id: str
    hours: float
    in_cycle: bool
    completed: date
    categories: frozenset[str]
    format: str
    type: str
    order: int


@dataclass(frozen=True)
class CapLimit:
    id: str
    title: str
    limit: float
    selection: Selection
    day: date | None = None

    def holds(self, candidate: Candidate) -> bool:
        if not candidate.in_cycle or (self.day is not None and candidate.completed != self.day):
            return False
        return self.selection.matches(candidate.categories, candidate.format, candidate.type)


@dataclass(frozen=True)
class PlanItem:
    hours: float
    requirement: str
    categories: tuple[str, ...]
    formats: tuple[str, ...]
    type: str = "course"


@dataclass
class Allocation:
    allocation: dict[str, dict[str, float]]
    filled: dict[str, float]
    total_counted: float
    overlap_counted: dict[str, float]
    minimal_additional: float
    plan: list[PlanItem]
    binding_caps: list[CapLimit] = field(default_factory=list)
    exact: bool = True
    # requirement id -> activity id -> hours of the activity that count toward it
    contributions: dict[str, dict[str, float]] = field(default_factory=dict)

    def counted(self, activity_id: str) -> float:
        return sum(self.allocation.get(activity_id, {}).values())


@dataclass
class AllocationProblem:
    candidates: list[Candidate]
    targets: list[Target]
    total_required: float
    caps: list[CapLimit]
    carry_in: float = 0.0
    not_accepted: list[Selection] = field(default_factory=list)

    @property
    def buckets(self) -> list[Target]:
        return [target for target in self.targets if not target.overlap]

    @property
    def overlaps(self) -> list[Target]:
        return [target for target in self.targets if target.overlap]

    def eligible(self, candidate: Candidate, target: Target) -> bool:
        return target.covers(candidate.completed) and target.selection.matches(
            candidate.categories, candidate.format, candidate.type
        )


def allocate(problem: AllocationProblem) -> Allocation:
    if fast_path_applies(problem):
        return allocate_greedy(problem)
    return allocate_exact(problem)


# --- extras: hypothetical future hours --------------------------------------------------------


@dataclass(frozen=True)
class _Extra:
    """A variable for extra hours of one format, aimed at one requirement (or the total)."""

    target: str
    format: str
    categories: frozenset[str]
    type: str
    counts_toward_total: bool


def _extra_kind(target: Target) -> tuple[frozenset[str], str]:
    categories = frozenset(sorted(target.selection.categories)[:1])
    types = target.selection.types
    kind = "course" if not types or "course" in types else sorted(types)[0]
    return categories, kind


def _named_types(problem: AllocationProblem) -> set[str]:
    """Courses and the activity types the rule's requirements and caps name."""
    named = {kind for target in problem.targets for kind in target.selection.types}
    return {"course", *named, *(kind for cap in problem.caps for kind in cap.selection.types)}


def _extra_types(problem: AllocationProblem) -> tuple[str, ...]:
    """Activity types worth planning: the named ones, and one type no cap touches (so capped
    types never make the plan impossible; it is planned only where they have no room)."""
    named = _named_types(problem)
    capped = {kind for cap in problem.caps for kind in cap.selection.types}
    free = next((kind for kind in ACTIVITY_TYPES if kind not in capped), None)
    chosen = named | ({free} if free else set())
    return tuple(kind for kind in ACTIVITY_TYPES if kind in chosen)


def _extras(problem: AllocationProblem) -> list[_Extra]:
    """Extra-hour variables: per requirement, format and type, plus hours that would fill a
    bucket and meet an overlap requirement at once (an ethics hour taken live, an exam that is
    also ethics credit). Nothing the rule does not accept is planned."""
    kinds = _extra_types(problem)
    extras: dict[_Extra, None] = {}
    for target in problem.targets:
        categories, _ = _extra_kind(target)
        for kind in sorted(target.selection.types) or kinds:
            for fmt in sorted(target.selection.formats) or ALL_FORMATS:
                extra = _Extra(
                    target=target.id,
                    format=fmt,
                    categories=categories,
                    type=kind,
                    counts_toward_total=target.counts_toward_total or target.overlap,
                )
                extras[extra] = None
    for bucket in problem.buckets:
        for overlap in problem.overlaps:
            combined = _combine(bucket.selection, overlap.selection)
            if combined is None:
                continue
            categories, kind, formats = combined
            for fmt in formats:
                extra = _Extra(bucket.id, fmt, categories, kind, bucket.counts_toward_total)
                extras[extra] = None
    for kind in kinds:
        for fmt in ALL_FORMATS:
            extras[_Extra(TOTAL, fmt, frozenset(), kind, True)] = None
    return [
        extra
        for extra in extras
        if not any(
            selection.rejects(extra.categories, extra.format, extra.type)
            for selection in problem.not_accepted
        )
    ]


def _pick(first: frozenset[str], second: frozenset[str], default: str | None) -> str | None:
    """One value allowed by both selections (empty means any); None when none is."""
    if first and second:
        common = first & second
        return sorted(common)[0] if common else None
    either = first or second
    if not either:
        return default
    return default if default in either else sorted(either)[0]


def _combine(
    bucket: Selection, overlap: Selection
) -> tuple[frozenset[str], str, tuple[str, ...]] | None:
    formats = tuple(
        fmt
        for fmt in ALL_FORMATS
        if (not bucket.formats or fmt in bucket.formats)
        and (not overlap.formats or fmt in overlap.formats)
    )
    kind = _pick(bucket.types, overlap.types, "course")
    if not formats or kind is None:
        return None
    if bucket.categories or overlap.categories:
        category = _pick(bucket.categories, overlap.categories, None)
        if category is None:
            return None
        return frozenset({category}), kind, formats
    return frozenset(), kind, formats


def _extra_matches(extra: _Extra, selection: Selection) -> bool:
    return selection.matches(extra.categories, extra.format, extra.type)


# --- exact path ------------------------------------------------------------------------------


class _Model:
    """Variables and constraints of the allocation linear program."""

    def __init__(self, problem: AllocationProblem, *, with_extras: bool = True):
        self.problem = problem
        self.columns: list[tuple[str, object, str]] = []  # (kind, key, target)
        self.rows: list[tuple[dict[int, float], float]] = []  # A_ub x <= b_ub
        self.equalities: list[tuple[dict[int, float], float]] = []  # A_eq x == b_eq
        candidates = problem.candidates
        self.buckets = problem.buckets
        self.overlaps = problem.overlaps
        self.overlap_ids = {overlap.id for overlap in self.overlaps}
        self.bucket_vars: dict[str, list[int]] = defaultdict(list)
        self.activity_vars: dict[str, list[int]] = defaultdict(list)
        for candidate in candidates:
            for bucket in self.buckets:
                if problem.eligible(candidate, bucket):
                    index = self._add("x", candidate, bucket.id)
                    self.bucket_vars[bucket.id].append(index)
            if candidate.in_cycle:
                self._add("x", candidate, TOTAL)
        # without extras the gaps can be closed only by the candidates (the joint plan adds
        # hypothetical courses as candidates of variable size)
        self.extras = _extras(problem) if with_extras else []
        self.extra_vars = [self._add("y", extra, extra.target) for extra in self.extras]
        self._constraints()

    def _add(self, kind: str, key: object, target: str) -> int:
        self.columns.append((kind, key, target))
        index = len(self.columns) - 1
        if kind == "x":
            self.activity_vars[key.id].append(index)
        return index

    def _counts_toward_total(self, index: int) -> bool:
        kind, key, target = self.columns[index]
        if kind == "y":
            return key.counts_toward_total
        if not key.in_cycle:
            return False
        return (
            target == TOTAL or next(b for b in self.buckets if b.id == target).counts_toward_total
        )

    def _in_cycle_counted(self, candidate_ids: set[str]) -> dict[int, float]:
        return {
            index: 1.0
            for candidate_id in candidate_ids
            for index in self.activity_vars[candidate_id]
        }

    def _constraints(self) -> None:
        problem = self.problem
        for candidate in problem.candidates:
            row = {index: 1.0 for index in self.activity_vars[candidate.id]}
            if row:
                self.rows.append((row, candidate.hours))
        for bucket in self.buckets:
            existing = {index: 1.0 for index in self.bucket_vars[bucket.id]}
            if existing:
                self.rows.append((existing, bucket.required))
            # existing + extra hours fill the bucket exactly: extras beyond a bucket's gap
            # are general hours and must not be planned under the bucket's name
            covered = {index: 1.0 for index in self.bucket_vars[bucket.id]}
            for index, extra in zip(self.extra_vars, self.extras, strict=True):
                if extra.target == bucket.id:
                    covered[index] = 1.0
            self.equalities.append((covered, bucket.required))
        total_row = {
            index: -1.0 for index in range(len(self.columns)) if self._counts_toward_total(index)
        }
        self.rows.append((total_row, problem.carry_in - problem.total_required))
        for overlap in self.overlaps:
            members = {
                candidate.id
                for candidate in problem.candidates
                if candidate.in_cycle and problem.eligible(candidate, overlap)
            }
            outside = sum(
                candidate.hours
                for candidate in problem.candidates
                if not candidate.in_cycle and problem.eligible(candidate, overlap)
            )
            row = {index: -1.0 for index in self._in_cycle_counted(members)}
            for index, extra in zip(self.extra_vars, self.extras, strict=True):
                if _extra_matches(extra, overlap.selection):
                    row[index] = -1.0
            self.rows.append((row, outside - overlap.required))
        for cap in problem.caps:
            members = {candidate.id for candidate in problem.candidates if cap.holds(candidate)}
            row = {
                index: 1.0
                for index in self._in_cycle_counted(members)
                if self.columns[index][1].in_cycle
            }
            if cap.day is None:
                for index, extra in zip(self.extra_vars, self.extras, strict=True):
                    if _extra_matches(extra, cap.selection):
                        row[index] = 1.0
            if row:
                self.rows.append((row, cap.limit))

    def matrices(self) -> tuple[coo_matrix, np.ndarray, coo_matrix, np.ndarray]:
        return (*self._matrix(self.rows), *self._matrix(self.equalities))

    def _matrix(self, rows: list[tuple[dict[int, float], float]]) -> tuple[coo_matrix, np.ndarray]:
        data, row_ids, col_ids, bounds = [], [], [], []
        for row_number, (row, bound) in enumerate(rows):
            for column, value in row.items():
                data.append(value)
                row_ids.append(row_number)
                col_ids.append(column)
            bounds.append(bound)
        shape = (len(rows), len(self.columns))
        return coo_matrix((data, (row_ids, col_ids)), shape=shape), np.array(bounds)

    def preference(self) -> np.ndarray:
        """Second-stage costs: count every hour; small deterministic tie-breaks."""
        count = max(len(self.problem.candidates), 1)
        order = {bucket.id: rank for rank, bucket in enumerate(self.buckets)}
        named = _named_types(self.problem)
        costs = np.zeros(len(self.columns))
        for index, (kind, key, target) in enumerate(self.columns):
            if kind == "x":
                # earlier activities count first (a cap cuts the later ones) and fill buckets
                # first; buckets in the rule's order before the general total
                earliness = 1 - key.order / (2 * count)
                costs[index] = -1.0 - 1e-5 * earliness
                if target != TOTAL:
                    costs[index] -= 1e-3 * earliness * (1 - order[target] / (2 * len(order)))
            else:
                # plan extras in the least constrained format; aim them at an overlap
                # requirement (a live minimum) only when general hours would not do
                costs[index] = 1e-5 * ALL_FORMATS[::-1].index(key.format)
                if key.type != "course":
                    costs[index] += 5e-5
                if key.type not in named:  # a type the rule never mentions: a last resort
                    costs[index] += 2e-4
                if target in self.overlap_ids:
                    costs[index] += 1e-4
        return costs


def _solve_rows(
    costs: np.ndarray,
    rows: list[tuple[dict[int, float], float]],
    equalities: list[tuple[dict[int, float], float]],
) -> np.ndarray:
    """linprog(method="highs") on the matrices of these rows (x >= 0), handed to HiGHS
    directly (`cetrack.engine.highs`): inequality rows, then equality rows, column-wise with
    each column's rows in ascending order, as linprog builds it."""
    row_ids: list[int] = []
    col_ids: list[int] = []
    data: list[float] = []
    for number, (row, _) in enumerate(rows + equalities):
        row_ids += [number] * len(row)
        col_ids += row.keys()
        data += row.values()
    columns = np.asarray(col_ids, dtype=np.int64)
    order = np.argsort(columns, kind="stable")
    indptr = np.zeros(costs.size + 1, dtype=np.int64)
    np.cumsum(np.bincount(columns, minlength=costs.size), out=indptr[1:])
    upper = np.array([bound for _, bound in rows] + [bound for _, bound in equalities], float)
    lower = np.concatenate([np.full(len(rows), -np.inf), upper[len(rows) :]])
    try:
        return highs.solve(
            costs,
            indptr,
            np.asarray(row_ids, dtype=np.int64)[order],
            np.asarray(data, dtype=float)[order],
            upper,
            lower,
        )
    except highs.Infeasible as error:
        raise AllocationError(f"the requirements cannot be met: {error}") from None


def allocate_exact(problem: AllocationProblem) -> Allocation:
    model = _Model(problem)
    extras_cost = np.zeros(len(model.columns))
    extras_cost[model.extra_vars] = 1.0
    first = _solve_rows(extras_cost, model.rows, model.equalities)
    minimal = float(first[model.extra_vars].sum())
    # stage two holds the first stage's minimum (within solver tolerance)
    limit = ({index: 1.0 for index in model.extra_vars}, minimal + 1e-9 * max(1.0, minimal))
    values = _solve_rows(model.preference(), [*model.rows, limit], model.equalities)
    return _read_solution(problem, model, values)


def _clean(value: float) -> float:
    """Solver noise off, at the six decimals every converted hour keeps (a 55-minute CE hour
    makes 60 minutes 1.090909 h: four decimals would lose a part of it)."""
    return round(float(value), 6) if abs(value) > _TOLERANCE else 0.0


def _read_solution(problem: AllocationProblem, model: _Model, values: np.ndarray) -> Allocation:
    allocation: dict[str, dict[str, float]] = defaultdict(dict)
    extras: dict[_Extra, float] = {}
    for index, (kind, key, target) in enumerate(model.columns):
        value = _clean(values[index])
        if value <= 0:
            continue
        if kind == "x":
            allocation[key.id][target] = round(allocation[key.id].get(target, 0) + value, 6)
        else:
            extras[key] = value
    return _summarise(problem, dict(allocation), extras, exact=True)


# --- shared summary ----------------------------------------------------------------------------


def _summarise(
    problem: AllocationProblem,
    allocation: dict[str, dict[str, float]],
    extras: dict[_Extra, float],
    *,
    exact: bool,
) -> Allocation:
    by_id = {candidate.id: candidate for candidate in problem.candidates}
    filled = {
        bucket.id: round(sum(parts.get(bucket.id, 0.0) for parts in allocation.values()), 6)
        for bucket in problem.buckets
    }
    total = problem.carry_in
    for candidate_id, parts in allocation.items():
        if not by_id[candidate_id].in_cycle:
            continue
        for target_id, hours in parts.items():
            if (
                target_id == TOTAL
                or next(
                    bucket for bucket in problem.buckets if bucket.id == target_id
                ).counts_toward_total
            ):
                total += hours
    contributions = {
        bucket.id: {
            candidate_id: parts[bucket.id]
            for candidate_id, parts in allocation.items()
            if parts.get(bucket.id, 0.0) > _TOLERANCE
        }
        for bucket in problem.buckets
    }
    overlap_counted = {}
    for overlap in problem.overlaps:
        shares = {}
        for candidate in problem.candidates:
            if not problem.eligible(candidate, overlap):
                continue
            shares[candidate.id] = (
                sum(allocation.get(candidate.id, {}).values())
                if candidate.in_cycle
                else candidate.hours
            )
        overlap_counted[overlap.id] = round(sum(shares.values()), 6)
        contributions[overlap.id] = {key: hours for key, hours in shares.items() if hours > 0}
    cap_usage = _cap_usage(problem, allocation, extras)
    binding = [cap for cap in problem.caps if cap_usage[cap.id] >= cap.limit - _TOLERANCE]
    plan = _plan(problem, extras, overlap_counted, cap_usage)
    return Allocation(
        allocation=allocation,
        filled=filled,
        total_counted=round(total, 6),
        overlap_counted=overlap_counted,
        minimal_additional=round(sum(extras.values()), 6),
        plan=plan,
        binding_caps=binding,
        contributions=contributions,
        exact=exact,
    )


def _cap_usage(
    problem: AllocationProblem,
    allocation: dict[str, dict[str, float]],
    extras: dict[_Extra, float],
) -> dict[str, float]:
    usage: dict[str, float] = {}
    for cap in problem.caps:
        used = sum(
            sum(allocation.get(candidate.id, {}).values())
            for candidate in problem.candidates
            if cap.holds(candidate)
        )
        if cap.day is None:
            used += sum(
                hours for extra, hours in extras.items() if _extra_matches(extra, cap.selection)
            )
        usage[cap.id] = used
    return usage


def _plan(
    problem: AllocationProblem,
    extras: dict[_Extra, float],
    overlap_counted: dict[str, float],
    cap_usage: dict[str, float],
) -> list[PlanItem]:
    """Group extra hours by requirement and by the live/format minimums they also serve."""
    open_overlaps = [
        overlap
        for overlap in problem.overlaps
        if overlap_counted[overlap.id] < overlap.required - _TOLERANCE
    ]

    def serves(extra: _Extra) -> frozenset[str]:
        return frozenset(
            overlap.id for overlap in open_overlaps if _extra_matches(extra, overlap.selection)
        )

    groups: dict[tuple[str, frozenset[str], str], list[_Extra]] = defaultdict(list)
    for extra, hours in extras.items():
        if hours > _TOLERANCE:
            groups[(extra.target, serves(extra), extra.type)].append(extra)
    targets = {target.id: target for target in problem.targets}
    order = [target.id for target in problem.targets] + [TOTAL]
    items: list[PlanItem] = []
    for (target_id, served, _), members in sorted(
        groups.items(),
        key=lambda item: (order.index(item[0][0]), -len(item[0][1]), item[0][2] != "course"),
    ):
        hours = sum(extras[extra] for extra in members)
        target = targets.get(target_id)
        model = min(members, key=lambda extra: (sorted(extra.categories), extra.type))
        allowed = (
            sorted(target.selection.formats)
            if target and target.selection.formats
            else list(ALL_FORMATS)
        )
        usable = [fmt for fmt in allowed if served <= serves(replace(model, format=fmt))] or sorted(
            {extra.format for extra in members}
        )
        room = {
            fmt: _room(problem, replace(model, format=fmt), members, extras, cap_usage)
            for fmt in usable
        }
        used = 0.0
        while hours - used > _TOLERANCE:
            # hours up to the tightest cap's room may take any usable format; beyond it,
            # only the formats that cap does not touch
            formats = [fmt for fmt in usable if room[fmt] > used + _TOLERANCE]
            if not formats:
                formats, step = usable, hours - used
            else:
                step = min(hours - used, min(room[fmt] for fmt in formats) - used)
            items.append(
                PlanItem(
                    hours=round(step, 6),
                    requirement=target_id,
                    categories=tuple(sorted(model.categories)),
                    formats=tuple(fmt for fmt in ALL_FORMATS if fmt in formats),
                    type=model.type,
                )
            )
            used += step
    return items


def _room(
    problem: AllocationProblem,
    extra: _Extra,
    members: list[_Extra],
    extras: dict[_Extra, float],
    cap_usage: dict[str, float],
) -> float:
    """How many of this plan item's hours could take `extra`'s format under the caps."""
    room = math.inf
    for cap in problem.caps:
        if cap.day is not None or not _extra_matches(extra, cap.selection):
            continue
        own = sum(extras[member] for member in members if _extra_matches(member, cap.selection))
        room = min(room, max(0.0, cap.limit - cap_usage[cap.id] + own))
    return room


# --- fast path --------------------------------------------------------------------------------


def fast_path_applies(problem: AllocationProblem) -> bool:
    """Greedy is exact when no cap binds, each activity fits one bucket, every bucket can
    take extra hours in a format no cap touches, and either nothing overlaps (the original
    fast path) or every overlap is already met (`_overlaps_met` argues it).

    Caps that bind stay on the exact path: which capped hours count is settled there by
    costs 1e-5 * (earliness) apart, finer than HiGHS's optimality tolerance (1e-7) once some
    40 activities share a cap, so the exact answer does not always cut the latest ones and
    no greedy pass can be shown to match it."""
    if not _fast_shape(problem) or _binding_caps(problem):
        return False
    several = _several_buckets(problem)
    if not problem.overlaps and not several:
        return True  # the original fast path
    return (
        _buckets_preferred(problem)
        and _effectively_single(problem, several)
        and _overlaps_met(problem)
    )


def _buckets_preferred(problem: AllocationProblem) -> bool:
    """The exact path's second stage prefers buckets to the general total, earlier
    activities first, only while each activity's earliness (`_Model.preference`: 1 - order /
    (2 * activities)) is positive. `order` counts every activity of the license by date,
    those set aside included, so where many older activities were set aside it is not: the
    exact answer then leaves buckets empty whenever the total's gap is the larger one, and
    greedy (which always fills them) differs. The cases the fast path took on later ask
    for an earliness of at least 1/4 (a bucket preference of at least 1.25e-4 per hour, far
    above HiGHS's tolerance) of every activity that fits a bucket."""
    count = max(len(problem.candidates), 1)
    return all(
        candidate.order <= 1.5 * count
        for candidate in problem.candidates
        if any(problem.eligible(candidate, bucket) for bucket in problem.buckets)
    )


def _several_buckets(problem: AllocationProblem) -> dict[str, list[Target]]:
    """Activity id -> the buckets it fits, for the activities that fit more than one."""
    several = {}
    for candidate in problem.candidates:
        fits = [bucket for bucket in problem.buckets if problem.eligible(candidate, bucket)]
        if len(fits) > 1:
            several[candidate.id] = fits
    return several


_MAX_ACTIVITIES_FOR_SEVERAL = 300


def _effectively_single(problem: AllocationProblem, several: dict[str, list[Target]]) -> bool:
    """Every activity that fits several buckets fits, in effect, only one: it is in the
    cycle and each of its buckets but one is filled by single-bucket activities dated before
    it. Then the exact answer gives it no hours in those buckets: if it gave some to such a
    bucket, one of those earlier activities would not be all in it (together they fill it),
    and moving hours of the later activity to the general total and as many of the earlier
    one into the bucket changes no fill, count, cap or overlap (both stay counted, the
    later one being in the cycle) while the second stage's costs fall by
    1e-3 * (bucket rank factor >= 1/2) * (earliness gap >= 1/(2n)) per hour: at least
    8e-7, above HiGHS's 1e-7 optimality tolerance, while n stays within
    `_MAX_ACTIVITIES_FOR_SEVERAL`. So the exact answer is that of the problem in which it
    fits the one bucket, a problem the original fast path takes; and greedy reaches none of
    those buckets with it either (the earlier single-bucket activities fill them first), so
    it returns that problem's answer too."""
    if not several:
        return True
    if len(problem.candidates) > _MAX_ACTIVITIES_FOR_SEVERAL:
        return False
    by_id = {candidate.id: candidate for candidate in problem.candidates}
    for candidate_id, fits in several.items():
        candidate = by_id[candidate_id]
        if not candidate.in_cycle:
            return False
        open_buckets = 0
        for bucket in fits:
            before = sum(
                other.hours
                for other in problem.candidates
                if other.order < candidate.order
                and other.id not in several
                and problem.eligible(other, bucket)
            )
            if before < bucket.required:
                open_buckets += 1
        if open_buckets > 1:
            return False
    return True


def _binding_caps(problem: AllocationProblem) -> list[CapLimit]:
    """Caps the activities' hours exceed."""
    return [
        cap
        for cap in problem.caps
        if sum(candidate.hours for candidate in problem.candidates if cap.holds(candidate))
        > cap.limit + _TOLERANCE
    ]


def _fast_shape(problem: AllocationProblem) -> bool:
    buckets = problem.buckets
    if any(not bucket.counts_toward_total for bucket in buckets):
        return False
    targets = [*buckets, None]
    for target in targets:
        categories, kind = _extra_kind(target) if target else (frozenset(), "course")
        formats = (
            sorted(target.selection.formats)
            if target and target.selection.formats
            else (ALL_FORMATS)
        )
        free = [
            fmt
            for fmt in formats
            if not any(
                cap.day is None
                and _extra_matches(_Extra("", fmt, categories, kind, True), cap.selection)
                for cap in problem.caps
            )
        ]
        if not free:
            return False
    return True


def _overlaps_met(problem: AllocationProblem) -> bool:
    """Overlap requirements (live minimums) the activities already meet leave the exact
    answer as it is without them, so greedy still equals it when (on top of `_fast_shape`
    and no cap binding):

    With activities that fit several buckets (`_effectively_single`) the same argument runs
    on the problem in which each fits one, and (3) is asked even without overlaps.

    1. Every overlap is met by its eligible hours, all counted. With no cap binding the
       exact program counts every in-cycle hour: each costs -1 in the second stage, counting
       one more never needs more extra hours, and every cap has room for all its members.
       So the overlap rows are slack at the optimum of the program without them, which is
       therefore optimal with them; the variables the overlaps add are never better: extras
       aimed at an overlap cost 1e-4 more than the same extras aimed at the general total
       and do the same, and the combined bucket-and-overlap extras are the bucket's own
       extras when they name the same topic (2).
    2. Every extra aimed at one target names the same topic (the plan names it).
    3. The plan is unique (`_plan_is_unique`).

    Without overlaps, (1) and (2) hold by themselves. Backed by
    `tests/engine/test_allocation_generated.py`, which compares `allocate_greedy` with
    `allocate_exact` on thousands of generated problems this accepts."""
    for overlap in problem.overlaps:
        hours = sum(
            candidate.hours
            for candidate in problem.candidates
            if problem.eligible(candidate, overlap)
        )
        if hours < overlap.required:
            return False
    topics: dict[str, frozenset[str]] = {}
    for extra in _extras(problem):
        if topics.setdefault(extra.target, extra.categories) != extra.categories:
            return False
    return _plan_is_unique(problem)


def _plan_is_unique(problem: AllocationProblem) -> bool:
    """No cap that leaves room for extra hours may serve two plan items: otherwise how the
    exact program splits that room between them is a tie HiGHS settles arbitrarily, and its
    plan may word the formats differently from greedy's. The plan reads each cap's room net
    of the other plan items' hours; with one item per cap the split cannot show.
    (The original fast path does not ask this; see `tests/engine/test_allocation_generated`.)"""
    extras = _extras(problem)
    short = _short_targets(problem)
    for cap in problem.caps:
        if cap.day is not None:
            continue
        used = sum(candidate.hours for candidate in problem.candidates if cap.holds(candidate))
        if used >= cap.limit - _TOLERANCE:
            continue
        served = {
            extra.target
            for extra in extras
            if extra.target in short and _extra_matches(extra, cap.selection)
        }
        if len(served) > 1:
            return False
    return True


def _short_targets(problem: AllocationProblem) -> set[str]:
    """The buckets (and the total) greedy leaves short: the plan's items."""
    return {item.requirement for item in allocate_greedy(problem).plan}


def allocate_greedy(problem: AllocationProblem) -> Allocation:
    allocation: dict[str, dict[str, float]] = defaultdict(dict)
    left = {candidate.id: candidate.hours for candidate in problem.candidates}
    ordered = sorted(problem.candidates, key=lambda candidate: candidate.order)
    for bucket in problem.buckets:
        need = bucket.required
        for candidate in ordered:
            if need <= _TOLERANCE:
                break
            if left[candidate.id] <= _TOLERANCE or not problem.eligible(candidate, bucket):
                continue
            take = min(left[candidate.id], need)
            allocation[candidate.id][bucket.id] = round(take, 6)
            left[candidate.id] -= take
            need -= take
    for candidate in ordered:
        rest = _clean(left[candidate.id])
        if candidate.in_cycle and rest > 0:
            allocation[candidate.id][TOTAL] = rest
    filled = {
        bucket.id: sum(parts.get(bucket.id, 0.0) for parts in allocation.values())
        for bucket in problem.buckets
    }
    counted = problem.carry_in + sum(
        hours
        for candidate in problem.candidates
        if candidate.in_cycle
        for hours in allocation.get(candidate.id, {}).values()
    )
    extras: dict[_Extra, float] = {}
    bucket_gaps = 0.0
    for bucket in problem.buckets:
        gap = _clean(bucket.required - filled[bucket.id])
        if gap > 0:
            extras[_free_extra(problem, bucket)] = gap
            bucket_gaps += gap
    general = _clean(problem.total_required - counted - bucket_gaps)
    if general > 0:
        extras[_free_extra(problem, None)] = general
    return _summarise(problem, dict(allocation), extras, exact=False)


def _free_extra(problem: AllocationProblem, target: Target | None) -> _Extra:
    """An extra for `target` in the first format no cap touches (the fast path ensures one)."""
    categories, kind = _extra_kind(target) if target else (frozenset(), "course")
    formats = (
        sorted(target.selection.formats) if target and target.selection.formats else (ALL_FORMATS)
    )
    for fmt in formats:
        extra = _Extra(target.id if target else TOTAL, fmt, categories, kind, True)
        if not any(
            cap.day is None and _extra_matches(extra, cap.selection) for cap in problem.caps
        ):
            return extra
    raise AssertionError("fast path without a free format")
