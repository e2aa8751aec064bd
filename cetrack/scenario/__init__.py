"""`cetrack check`: evaluate one scenario (CE or supervision) given as JSON."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from cetrack.engine.ce import evaluate_ce
from cetrack.engine.cycles import RuleInputError
from cetrack.engine.privilege import HomeRecord, evaluate_compact
from cetrack.engine.supervision import NoSupervisedExperience, evaluate_supervision
from cetrack.rules.loader import problems_from_validation
from cetrack.rules.registry import Registry, UnknownRuleError
from cetrack.rules.schema import RuleFile
from cetrack.scenario.models import CEScenario, HomeIn, SupervisionScenario
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


_MAX_HOME_DEPTH = 5


def scenario_rule_ids(data: object) -> list[str]:
    """The rule the scenario names, then its home credentials' rules, read from the raw JSON
    (so that only their files need loading)."""
    found = [str(data.get("rule")) if isinstance(data, dict) else "None"]
    home = data.get("home") if isinstance(data, dict) else None
    while (
        isinstance(home, dict)
        and isinstance(home.get("rule"), str)
        and len(found) <= _MAX_HOME_DEPTH
    ):
        found.append(home["rule"])
        home = home.get("home")
    return found


def _home_record(home: HomeIn | None, registry: Registry, depth: int = 0) -> HomeRecord | None:
    if home is None:
        return None
    if depth >= _MAX_HOME_DEPTH:
        raise ScenarioError(f"home: nested more than {_MAX_HOME_DEPTH} deep")
    try:
        rule = registry.get(home.rule)
    except UnknownRuleError as error:
        raise ScenarioError(f"home.rule: {error}") from None
    return HomeRecord(
        rule_id=home.rule,
        rule=rule,
        expires=home.expires,
        status=home.status,
        home=_home_record(home.home, registry, depth + 1),
    )


def _evaluate_ce_scenario(scenario: CEScenario, rule: RuleFile, registry: Registry):
    facts = scenario.license.record()
    activities = [activity.record() for activity in scenario.activities]
    compact = rule.compact
    if compact is None:
        if scenario.home is not None:
            raise ScenarioError(f"home: {rule.id} is not a compact credential")
        return evaluate_ce(rule, facts, activities, scenario.as_of)
    if not compact.operational:
        raise ScenarioError(f"rule: {rule.id} is not issued yet ({compact.status_note})")
    if compact.remote_state and not scenario.license.remote_state:
        raise ScenarioError(f"license.remote_state: required for {rule.id}")
    return evaluate_compact(
        rule,
        facts,
        activities,
        scenario.as_of,
        _home_record(scenario.home, registry),
        remote_state=scenario.license.remote_state,
    )


def run_scenario(data: object, registry: Registry) -> dict[str, Any]:
    """Evaluate a scenario and return the contract's JSON object."""
    scenario = parse_scenario(data)
    try:
        rule = registry.get(scenario.rule)
    except UnknownRuleError as error:
        raise ScenarioError(f"rule: {error}") from None
    try:
        if isinstance(scenario, CEScenario):
            return ce_result_json(_evaluate_ce_scenario(scenario, rule, registry))
        result = evaluate_supervision(
            rule,
            scenario.start,
            [log.record() for log in scenario.logs],
            scenario.as_of,
            application_date=scenario.application_date,
            registration_issued=scenario.registration_issued,
            supervisors=[supervisor.record() for supervisor in scenario.supervisors],
        )
        return supervision_result_json(result)
    except (RuleInputError, NoSupervisedExperience) as error:
        raise ScenarioError(str(error)) from None
