"""`cetrack check`: evaluate one scenario (CE or supervision) given as JSON."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from cetrack.engine.ce import evaluate_ce
from cetrack.engine.cycles import RuleInputError
from cetrack.engine.supervision import NoSupervisedExperience, evaluate_supervision
from cetrack.rules.loader import problems_from_validation
from cetrack.rules.registry import Registry, UnknownRuleError
from cetrack.scenario.models import CEScenario, SupervisionScenario
from cetrack.scenario.output import ce_result_json, supervision_result_json

Scenario = CEScenario | SupervisionScenario


class ScenarioError(ValueError):
    """The scenario cannot be evaluated; the message is one line."""


def parse_scenario(data: object) -> Scenario:
    if not isinstance(data, dict):
        raise ScenarioError("a scenario must be a JSON object")
    kind = data.get("kind")
    models = {"ce": CEScenario, "supervision": SupervisionScenario}
    model = models.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise ScenarioError(f"kind: must be 'ce' or 'supervision', not {kind!r}")
    try:
        return TypeAdapter(model).validate_python(data)
    except ValidationError as error:
        problems = [f"{p.field}: {p.reason}" for p in problems_from_validation(error)]
        more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
        raise ScenarioError("; ".join(problems[:3]) + more) from None


def run_scenario(data: object, registry: Registry) -> dict[str, Any]:
    """Evaluate a scenario and return the contract's JSON object."""
    scenario = parse_scenario(data)
    try:
        rule = registry.get(scenario.rule)
    except UnknownRuleError as error:
        raise ScenarioError(f"rule: {error}") from None
    try:
        if isinstance(scenario, CEScenario):
            result = evaluate_ce(
                rule,
                scenario.license.record(),
                [activity.record() for activity in scenario.activities],
                scenario.as_of,
            )
            return ce_result_json(result)
        result = evaluate_supervision(
            rule,
            scenario.start,
            [log.record() for log in scenario.logs],
            scenario.as_of,
            application_date=scenario.application_date,
            registration_issued=scenario.registration_issued,
        )
        return supervision_result_json(result)
    except (RuleInputError, NoSupervisedExperience) as error:
        raise ScenarioError(str(error)) from None
