"""One plan for every credential at once: the fewest course-hours that close every gap of
every credential together, since one course counts toward each credential it fits.

Solved exactly as one linear program: each credential's allocation model (its buckets,
overlap minimums, caps and exclusions, as the engine builds them) gets one hypothetical
course per kind (a topic or none, a format, an activity type) whose hours are a variable
shared by all credentials; the objective is the sum of those hours. A second stage keeps
that minimum and prefers the formats the per-credential plans prefer, and courses of any
topic wherever no requirement needs a particular one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, hstack, vstack

from cetrack.engine.allocation import (
    ALL_FORMATS,
    AllocationError,
    AllocationProblem,
    Candidate,
    _Model,
)
from cetrack.engine.targets import Target

_PLANNED = "planned:"


@dataclass(frozen=True)
class CourseKind:
    category: str | None  # None: any topic (counts only toward totals)
    format: str
    type: str = "course"


@dataclass(frozen=True)
class JointItem:
    kind: CourseKind
    hours: float
    serves: tuple[str, ...]  # the credentials whose gaps it closes (by name)


@dataclass(frozen=True)
class JointPlan:
    total: float
    items: tuple[JointItem, ...]


class _PlanningProblem(AllocationProblem):
    """A credential's problem in which planned courses fit any target their topic, format and
    type fit, whatever the date (they are courses still to take before the deadline)."""

    def eligible(self, candidate: Candidate, target: Target) -> bool:
        if candidate.id.startswith(_PLANNED):
            return target.selection.matches(candidate.categories, candidate.format, candidate.type)
        return super().eligible(candidate, target)


def course_kinds(problems: Mapping[str, AllocationProblem]) -> list[CourseKind]:
    """Every kind of course a plan may need: per requirement, its topic, formats and types;
    and any-topic courses in every format."""
    kinds: dict[CourseKind, None] = {}
    for problem in problems.values():
        for target in problem.targets:
            categories = sorted(target.selection.categories) or [None]
            for category in categories:
                for kind in sorted(target.selection.types) or ["course"]:
                    for fmt in sorted(target.selection.formats) or ALL_FORMATS:
                        kinds[CourseKind(category, fmt, kind)] = None
    for fmt in ALL_FORMATS:
        kinds[CourseKind(None, fmt)] = None
    return sorted(kinds, key=lambda kind: (kind.category or "", kind.format, kind.type))


_UNBOUNDED = 1e6  # a planned course's own row; its real bound is the shared hours variable


def _planned(kind: CourseKind, index: int, day: date) -> Candidate:
    return Candidate(
        id=f"{_PLANNED}{index}",
        hours=_UNBOUNDED,
        in_cycle=True,
        completed=day,
        categories=frozenset({kind.category}) if kind.category else frozenset(),
        format=kind.format,
        type=kind.type,
        order=10**6 + index,
    )


def plan_jointly(problems: Mapping[str, AllocationProblem], *, day: date) -> JointPlan:
    """The fewest course-hours that close every gap of every problem (credential) at once."""
    kinds = course_kinds(problems)
    blocks, models, planned_rows = [], [], []
    for problem in problems.values():
        accepted = [
            (index, kind)
            for index, kind in enumerate(kinds)
            if not any(
                selection.rejects(
                    frozenset({kind.category}) if kind.category else frozenset(),
                    kind.format,
                    kind.type,
                )
                for selection in problem.not_accepted
            )
        ]
        planning = _PlanningProblem(
            **{
                **vars(problem),
                "candidates": [
                    *problem.candidates,
                    *(_planned(kind, index, day) for index, kind in accepted),
                ],
            }
        )
        model = _Model(planning, with_extras=False)
        models.append(model)
        # the capacity row of each planned course: its allocated hours <= its shared hours
        rows = []
        for index, _kind in accepted:
            columns = model.activity_vars[f"{_PLANNED}{index}"]
            rows.append((index, {column: 1.0 for column in columns}))
        planned_rows.append(rows)
        blocks.append(model.matrices())
    shared = len(kinds)
    a_ub_parts, b_ub, a_eq_parts, b_eq = [], [], [], []
    offset = 0
    widths = [len(model.columns) for model in models]
    total_width = sum(widths) + shared
    for (a_ub, bu, a_eq, be), rows, width in zip(blocks, planned_rows, widths, strict=True):
        left = coo_matrix((a_ub.shape[0], offset))
        right = coo_matrix((a_ub.shape[0], total_width - offset - width))
        a_ub_parts.append(hstack([left, a_ub, right]))
        b_ub.append(bu)
        if a_eq.shape[0]:
            a_eq_parts.append(
                hstack(
                    [
                        coo_matrix((a_eq.shape[0], offset)),
                        a_eq,
                        coo_matrix((a_eq.shape[0], total_width - offset - width)),
                    ]
                )
            )
            b_eq.append(be)
        # x(planned course, credential) - hours(course) <= 0
        data, row_ids, col_ids = [], [], []
        for row_number, (kind_index, columns) in enumerate(rows):
            for column in columns:
                data.append(1.0)
                row_ids.append(row_number)
                col_ids.append(offset + column)
            data.append(-1.0)
            row_ids.append(row_number)
            col_ids.append(sum(widths) + kind_index)
        if rows:
            a_ub_parts.append(
                coo_matrix((data, (row_ids, col_ids)), shape=(len(rows), total_width))
            )
            b_ub.append(np.zeros(len(rows)))
        offset += width
    a_ub = vstack(a_ub_parts)
    b_ub = np.concatenate(b_ub)
    equalities = {}
    if a_eq_parts:
        equalities = {"A_eq": vstack(a_eq_parts), "b_eq": np.concatenate(b_eq)}
    hours = slice(sum(widths), total_width)
    first_costs = np.zeros(total_width)
    first_costs[hours] = 1.0
    first = _solve(first_costs, a_ub, b_ub, equalities)
    minimal = float(first[hours].sum())
    # stage two: the same total, in the formats and types the single plans prefer
    limit = np.zeros((1, total_width))
    limit[0, hours] = 1.0
    a_ub = vstack([a_ub, coo_matrix(limit)])
    b_ub = np.append(b_ub, minimal + 1e-9 * max(1.0, minimal))
    second_costs = np.zeros(total_width)
    offset = 0
    for rows, width in zip(planned_rows, widths, strict=True):
        for _kind_index, columns in rows:  # a planned course counts wherever it fits
            second_costs[[offset + column for column in columns]] = -1e-7
        offset += width
    for index, kind in enumerate(kinds):
        # a topic only where a requirement needs it ("42 h any topic", not "45 h ethics")
        second_costs[sum(widths) + index] = (
            1e-5 * ALL_FORMATS[::-1].index(kind.format)
            + (5e-5 if kind.type != "course" else 0)
            + (2e-5 if kind.category else 0)
        )
    values = _solve(second_costs, a_ub, b_ub, equalities)
    return _read(kinds, values, planned_rows, widths, list(problems))


def _solve(costs, a_ub, b_ub, equalities) -> np.ndarray:
    result = linprog(costs, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs", **equalities)
    if result.status != 0:
        raise AllocationError(f"the requirements cannot be met together: {result.message}")
    return result.x


def _read(kinds, values, planned_rows, widths, names) -> JointPlan:
    """Each planned course's hours, and the credentials whose models use them."""
    shared_start = sum(widths)
    items = []
    for index, kind in enumerate(kinds):
        hours = round(float(values[shared_start + index]), 4)
        if hours <= 1e-6:
            continue
        serves, offset = [], 0
        for name, rows, width in zip(names, planned_rows, widths, strict=True):
            used = sum(
                values[offset + column]
                for kind_index, columns in rows
                if kind_index == index
                for column in columns
            )
            if used > 1e-6:
                serves.append(name)
            offset += width
        items.append(JointItem(kind, hours, tuple(serves)))
    total = round(sum(item.hours for item in items), 4)
    return JointPlan(total, tuple(items))
