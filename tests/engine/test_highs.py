"""The direct HiGHS call returns what scipy's linprog returns, to the last bit."""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from cetrack.engine import highs
from cetrack.engine.allocation import (
    AllocationError,
    _Model,
    _solve_rows,
    allocate_exact,
)
from tests.engine.test_allocation_generated import random_problem


def _linprog_x(costs, rows, equalities):
    def matrix(items):
        data, row_ids, col_ids = [], [], []
        for number, (row, _) in enumerate(items):
            for column, value in row.items():
                data.append(value)
                row_ids.append(number)
                col_ids.append(column)
        shape = (len(items), costs.size)
        return coo_matrix((data, (row_ids, col_ids)), shape=shape), np.array(
            [bound for _, bound in items]
        )

    a_ub, b_ub = matrix(rows)
    a_eq, b_eq = matrix(equalities)
    extra = {"A_eq": a_eq, "b_eq": b_eq} if equalities else {}
    result = linprog(costs, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs", **extra)
    return result


@pytest.mark.parametrize("seed", range(400))
def test_direct_solve_equals_linprog_on_allocation_programs(seed: int) -> None:
    problem = random_problem(random.Random(seed))
    model = _Model(problem)
    costs = model.preference()
    expected = _linprog_x(costs, model.rows, model.equalities)
    if expected.status != 0:
        with pytest.raises(AllocationError):
            _solve_rows(costs, model.rows, model.equalities)
        return
    got = _solve_rows(costs, model.rows, model.equalities)
    assert np.array_equal(got, expected.x)


def test_direct_solve_reports_an_infeasible_program() -> None:
    with pytest.raises(highs.Infeasible):
        # x0 <= 1 and x0 == 2
        highs.solve(
            np.array([1.0]),
            np.array([0, 2]),
            np.array([0, 1]),
            np.array([1.0, 1.0]),
            np.array([1.0, 2.0]),
            np.array([-np.inf, 2.0]),
        )


@pytest.mark.parametrize("seed", range(50))
def test_exact_allocation_is_reproducible(seed: int) -> None:
    problem = random_problem(random.Random(seed))
    try:
        first = allocate_exact(problem)
    except AllocationError:
        return
    assert allocate_exact(problem) == first
