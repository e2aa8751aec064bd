"""One linear program solved by HiGHS, as `scipy.optimize.linprog(method="highs")` solves it,
without linprog's per-call overhead (input checks, option validation, result objects).

    minimise c @ x  subject to  A_ub @ x <= b_ub,  A_eq @ x == b_eq,  x >= 0

`linprog` stacks the inequality rows above the equality rows into one column-wise matrix,
passes HiGHS the same options every time (presolve on, dual simplex, no output) and checks
the returned point against the constraints. This module does exactly that, with the same
HiGHS build scipy ships, so the solver sees the same model and returns the same vertex (a
property test compares the two on random programs). Where scipy's private HiGHS bindings
are missing (another scipy version), `solve` falls back to `linprog` itself.
"""

from __future__ import annotations

import numpy as np

try:  # pragma: no cover - which branch depends on the installed scipy
    from scipy.optimize._highspy import _core as _h
except ImportError:  # pragma: no cover
    _h = None

_OPTIONS = None


def _options():
    """linprog's options for method="highs" and no user options (see `_linprog_highs`)."""
    global _OPTIONS
    if _OPTIONS is None:
        options = _h.HighsOptions()
        options.presolve = "on"
        options.highs_debug_level = _h.HighsDebugLevel.kHighsDebugLevelNone
        options.log_to_console = False
        options.output_flag = False
        options.simplex_strategy = _h.simplex_constants.SimplexStrategy.kSimplexStrategyDual
        _OPTIONS = options
    return _OPTIONS


class Infeasible(RuntimeError):
    """HiGHS found no optimum (linprog would report a non-zero status)."""


def solve(
    costs: np.ndarray,
    indptr: np.ndarray,
    indices: np.ndarray,
    data: np.ndarray,
    upper: np.ndarray,
    lower: np.ndarray,
) -> np.ndarray:
    """x minimising `costs @ x` with lower <= A @ x <= upper and x >= 0.

    A is given column-wise (CSC: `indptr`, `indices` sorted within each column, `data`), rows
    being the inequality rows (lower -inf) then the equality rows (lower == upper), as
    linprog builds it. Raises `Infeasible` where linprog's status would not be 0.
    """
    if _h is None:  # pragma: no cover
        return _solve_with_linprog(costs, indptr, indices, data, upper, lower)
    columns, rows = costs.size, upper.size
    lp = _h.HighsLp()
    lp.num_col_ = columns
    lp.num_row_ = rows
    lp.a_matrix_.num_col_ = columns
    lp.a_matrix_.num_row_ = rows
    lp.a_matrix_.format_ = _h.MatrixFormat.kColwise
    lp.col_cost_ = costs
    lp.col_lower_ = np.zeros(columns)
    lp.col_upper_ = np.full(columns, np.inf)
    lp.row_lower_ = lower
    lp.row_upper_ = upper
    lp.a_matrix_.start_ = indptr
    lp.a_matrix_.index_ = indices
    lp.a_matrix_.value_ = data
    highs = _h._Highs()
    if highs.passOptions(_options()) == _h.HighsStatus.kError:  # pragma: no cover
        raise Infeasible("HiGHS refused its options")
    if highs.passModel(lp) == _h.HighsStatus.kError:
        raise Infeasible("HiGHS refused the model")
    if highs.run() == _h.HighsStatus.kError:  # pragma: no cover
        raise Infeasible("HiGHS failed")
    status = highs.getModelStatus()
    if status != _h.HighsModelStatus.kOptimal:
        raise Infeasible(highs.modelStatusToString(status))
    solution = highs.getSolution()
    x = np.array(solution.col_value)
    fun = highs.getInfo().objective_function_value
    row_value = np.asarray(solution.row_value)
    inequalities = np.isneginf(lower)
    slack = upper[inequalities] - row_value[inequalities]
    con = upper[~inequalities] - row_value[~inequalities]
    if not _feasible(x, fun, slack, con):
        raise Infeasible("the solution does not satisfy the constraints within tolerance")
    return x


_CHECK_TOLERANCE = np.sqrt(1e-9) * 10  # linprog's `_check_result` with its default tol


def _feasible(x: np.ndarray, fun: float, slack: np.ndarray, con: np.ndarray) -> bool:
    """linprog's `_check_result` for an optimal LP with bounds x >= 0 and no integrality."""
    if np.isnan(x).any() or np.isnan(fun) or np.isnan(slack).any() or np.isnan(con).any():
        return False
    tol = _CHECK_TOLERANCE
    return bool((x >= -tol).all() and not (slack < -tol).any() and not (np.abs(con) > tol).any())


def _solve_with_linprog(costs, indptr, indices, data, upper, lower):  # pragma: no cover
    from scipy.optimize import linprog
    from scipy.sparse import csc_matrix

    matrix = csc_matrix((data, indices, indptr), shape=(upper.size, costs.size))
    inequalities = np.isneginf(lower)
    a_ub, a_eq = matrix[np.flatnonzero(inequalities)], matrix[np.flatnonzero(~inequalities)]
    extra = {"A_eq": a_eq, "b_eq": upper[~inequalities]} if a_eq.shape[0] else {}
    result = linprog(
        costs, A_ub=a_ub, b_ub=upper[inequalities], bounds=(0, None), method="highs", **extra
    )
    if result.status != 0:
        raise Infeasible(result.message)
    return result.x
