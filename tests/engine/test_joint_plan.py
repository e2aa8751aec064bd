"""One plan for every credential (issue 7, feature 14): the joint plan against the separate
plans and against brute force, on small random problems."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from datetime import date

from hypothesis import assume, given, settings

from cetrack.engine.allocation import AllocationProblem, allocate_exact
from cetrack.engine.joint_plan import _planned, _PlanningProblem, course_kinds, plan_jointly
from tests.engine.test_allocation_properties import bucket, live_minimum, problems

DAY = date(2026, 3, 1)


def separate(problem) -> float:
    return allocate_exact(problem).minimal_additional


def closes(problem, courses) -> bool:
    """Whether these planned courses (kind, hours) leave nothing missing in the problem."""
    added = [
        replace(_planned(kind, index, DAY), hours=float(hours))
        for index, (kind, hours) in enumerate(courses)
        if hours
        and not any(
            selection.rejects(
                frozenset({kind.category}) if kind.category else frozenset(), kind.format, kind.type
            )
            for selection in problem.not_accepted
        )
    ]
    planning = _PlanningProblem(**{**vars(problem), "candidates": [*problem.candidates, *added]})
    return allocate_exact(planning).minimal_additional <= 1e-6


@settings(max_examples=60, deadline=None)
@given(first=problems(), second=problems())
def test_never_more_than_the_separate_plans_together_nor_less_than_the_largest(first, second):
    joint = plan_jointly({"A": first, "B": second}, day=DAY)
    apart = (separate(first), separate(second))
    assert joint.total <= sum(apart) + 1e-6
    assert joint.total >= max(apart) - 1e-6
    # the plan's courses really close every gap of both
    courses = [(item.kind, item.hours) for item in joint.items]
    assert closes(first, courses) and closes(second, courses)


@settings(max_examples=25, deadline=None)
@given(first=problems(), second=problems())
def test_equal_to_brute_force_on_small_cases(first, second):
    joint = plan_jointly({"A": first, "B": second}, day=DAY)
    assume(joint.total <= 4)
    # in-person stands for live online too (the generated rules treat them alike)
    kinds = [
        kind
        for kind in course_kinds({"A": first, "B": second})
        if kind.format in ("in_person", "self_study")
    ]
    best = None
    for hours in range(0, math.ceil(joint.total - 1e-6) + 1):
        for combination in itertools.combinations_with_replacement(range(len(kinds)), hours):
            courses = [(kinds[index], combination.count(index)) for index in set(combination)]
            if closes(first, courses) and closes(second, courses):
                best = hours
                break
        if best is not None:
            break
    assert best is not None and abs(best - joint.total) < 1e-6


def test_one_course_serves_both_credentials():
    """Two credentials that each need 3 h of ethics (and one also 2 h of live hours): 3 h of
    ethics, 2 of them live, close both, not 6."""
    texas = AllocationProblem(
        candidates=[], targets=[bucket("ethics", 3)], total_required=3, caps=[]
    )
    newyork = AllocationProblem(
        candidates=[], targets=[bucket("ethics", 3), live_minimum(2)], total_required=3, caps=[]
    )
    joint = plan_jointly({"TX/LPC": texas, "NY/LMHC": newyork}, day=DAY)
    assert (separate(texas), separate(newyork), joint.total) == (3, 3, 3)
    assert {item.kind.category for item in joint.items} == {"ethics"}
    live = sum(item.hours for item in joint.items if item.kind.format != "self_study")
    assert live == 2  # only what NY's live minimum needs; the rest may be self-study
    assert all(item.serves == ("TX/LPC", "NY/LMHC") for item in joint.items)
