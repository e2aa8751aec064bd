"""The allocator against brute force on small random cases, and the fast path against the
exact path."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from cetrack.engine.allocation import (
    AllocationProblem,
    Candidate,
    CapLimit,
    allocate_exact,
    allocate_greedy,
    fast_path_applies,
)
from cetrack.engine.targets import TOTAL, Selection, Target

CYCLE_START, CYCLE_END = date(2025, 1, 1), date(2026, 12, 31)
CATEGORIES = ("ethics", "cultural_competency", "trauma")
FORMATS = ("in_person", "live_online", "self_study")
LIVE = frozenset({"in_person", "live_online"})


def bucket(target_id: str, hours: int, formats: frozenset[str] = frozenset()) -> Target:
    return Target(
        id=target_id,
        title=target_id,
        required=hours,
        overlap=False,
        counts_toward_total=True,
        selection=Selection(categories=frozenset({target_id}), formats=formats),
        window_start=CYCLE_START,
        window_end=CYCLE_END,
        frequency="every_cycle",
    )


def live_minimum(hours: int) -> Target:
    return Target(
        id="live",
        title="live",
        required=hours,
        overlap=True,
        counts_toward_total=True,
        selection=Selection(formats=LIVE),
        window_start=CYCLE_START,
        window_end=CYCLE_END,
        frequency="every_cycle",
    )


@st.composite
def problems(draw) -> AllocationProblem:
    count = draw(st.integers(1, 3))
    candidates = [
        Candidate(
            id=f"a{index}",
            hours=draw(st.integers(1, 3)),
            in_cycle=True,
            completed=date(2025, 3, 1 + index),
            categories=frozenset(
                draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2, unique=True))
            ),
            format=draw(st.sampled_from(FORMATS)),
            type="course",
            order=index,
        )
        for index in range(count)
    ]
    targets = [bucket("ethics", draw(st.integers(1, 4)))]
    if draw(st.booleans()):
        live_only = draw(st.booleans())
        targets.append(
            bucket(
                "cultural_competency", draw(st.integers(1, 3)), LIVE if live_only else frozenset()
            )
        )
    if draw(st.booleans()):
        targets.append(live_minimum(draw(st.integers(1, 5))))
    caps = []
    if draw(st.booleans()):
        caps.append(
            CapLimit(
                "self_study",
                "self-study",
                draw(st.integers(0, 3)),
                Selection(formats=frozenset({"self_study"})),
            )
        )
    return AllocationProblem(
        candidates=candidates,
        targets=targets,
        total_required=draw(st.integers(2, 10)),
        caps=caps,
    )


def _options(problem: AllocationProblem, candidate: Candidate) -> list[str]:
    buckets = [t.id for t in problem.buckets if problem.eligible(candidate, t)]
    return [*buckets, TOTAL, "uncounted"]


def _compositions(total: int, parts: int):
    for cuts in itertools.combinations(range(total + parts - 1), parts - 1):
        bounds = (-1, *cuts, total + parts - 1)
        yield tuple(bounds[i + 1] - bounds[i] - 1 for i in range(parts))


def brute_force(problem: AllocationProblem) -> tuple[float, float]:
    """(fewest extra hours, most counted hours) over every whole-hour allocation.

    With every bucket inside the total and live formats uncapped, extra hours can always be
    live and in any category, so the extras needed are max(bucket gaps, total gap, live gap).
    """
    per_candidate = []
    for candidate in problem.candidates:
        options = _options(problem, candidate)
        per_candidate.append(
            [
                dict(zip(options, split, strict=True))
                for split in _compositions(int(candidate.hours), len(options))
            ]
        )
    best_extra, best_counted = float("inf"), 0.0
    for choice in itertools.product(*per_candidate):
        counted = {
            c.id: sum(v for k, v in split.items() if k != "uncounted")
            for c, split in zip(problem.candidates, choice, strict=True)
        }
        if any(
            sum(counted[c.id] for c in problem.candidates if cap.holds(c)) > cap.limit
            for cap in problem.caps
        ):
            continue
        filled = {t.id: sum(split.get(t.id, 0) for split in choice) for t in problem.buckets}
        if any(filled[t.id] > t.required for t in problem.buckets):
            continue
        total = sum(counted.values())
        gaps = [
            sum(t.required - filled[t.id] for t in problem.buckets),
            problem.total_required - total,
        ]
        for overlap in problem.overlaps:
            live = sum(counted[c.id] for c in problem.candidates if problem.eligible(c, overlap))
            gaps.append(overlap.required - live)
        extra = max(0, *gaps)
        if extra < best_extra or (extra == best_extra and total > best_counted):
            best_extra, best_counted = extra, total
    return best_extra, best_counted


@settings(max_examples=300, deadline=None)
@given(problems())
def test_exact_allocation_matches_brute_force(problem: AllocationProblem) -> None:
    result = allocate_exact(problem)
    fewest, most = brute_force(problem)
    assert abs(result.minimal_additional - fewest) < 1e-4
    assert abs(result.total_counted - most) < 1e-4


@settings(max_examples=300, deadline=None)
@given(problems())
def test_exact_allocation_respects_every_limit(problem: AllocationProblem) -> None:
    result = allocate_exact(problem)
    for candidate in problem.candidates:
        assert result.counted(candidate.id) <= candidate.hours + 1e-6
    for cap in problem.caps:
        used = sum(result.counted(c.id) for c in problem.candidates if cap.holds(c))
        assert used <= cap.limit + 1e-6
    for target in problem.buckets:
        assert result.filled[target.id] <= target.required + 1e-6
        for candidate in problem.candidates:
            if result.allocation.get(candidate.id, {}).get(target.id):
                assert problem.eligible(candidate, target)
    planned = sum(item.hours for item in result.plan)
    assert abs(planned - result.minimal_additional) < 1e-4


@st.composite
def fast_problems(draw) -> AllocationProblem:
    problem = draw(problems())
    single = [
        Candidate(**{**c.__dict__, "categories": frozenset(sorted(c.categories)[:1])})
        for c in problem.candidates
    ]
    targets = [t for t in problem.targets if not t.overlap]
    return AllocationProblem(single, targets, problem.total_required, [], problem.carry_in)


@settings(max_examples=300, deadline=None)
@given(fast_problems())
def test_fast_path_equals_exact(problem: AllocationProblem) -> None:
    assert fast_path_applies(problem)
    fast, exact = allocate_greedy(problem), allocate_exact(problem)
    assert abs(fast.minimal_additional - exact.minimal_additional) < 1e-4
    assert abs(fast.total_counted - exact.total_counted) < 1e-4
    assert fast.filled == exact.filled
    assert fast.allocation == exact.allocation


def test_a_two_category_activity_goes_where_it_closes_a_gap() -> None:
    """3 h tagged ethics and cultural competency; ethics is already met by another
    activity, so the hours must go to cultural competency."""
    problem = AllocationProblem(
        candidates=[
            Candidate(
                "ethics", 6, True, date(2025, 2, 1), frozenset({"ethics"}), "in_person", "course", 0
            ),
            Candidate(
                "both",
                3,
                True,
                date(2025, 3, 1),
                frozenset({"ethics", "cultural_competency"}),
                "in_person",
                "course",
                1,
            ),
        ],
        targets=[bucket("ethics", 6), bucket("cultural_competency", 3)],
        total_required=24,
        caps=[],
    )
    result = allocate_exact(problem)
    assert result.allocation["both"] == {"cultural_competency": 3}
    assert result.minimal_additional == 15


def test_the_plan_prefers_a_type_the_rule_names_over_one_it_never_mentions():
    """CO: courses are capped at 20 and each other named type at 20; the plan offers a named
    type with room, not a type the rule does not mention (an exam)."""
    from cetrack.engine.ce import evaluate_ce
    from tests.factories import activity, ce_data, facts, make_rule

    caps = [
        {"id": kind, "title": kind, "max_hours": 20, "types": [kind]}
        for kind in ("course", "independent_study", "presentation")
    ]
    rule = make_rule(ce=[ce_data(total_hours=40, requirements=[], caps=caps)])
    result = evaluate_ce(
        rule,
        facts(expires="2027-06-30", issued="2010-03-01"),
        [activity("c", "2026-01-10", 30, "trauma")],
        date(2026, 11, 22),
    )
    assert result.minimal_additional == 20
    assert {item.type for item in result.plan} <= {"independent_study", "presentation"}
