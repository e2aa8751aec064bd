"""All rule files of a directory, loaded once; broken files are kept aside with their errors."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cetrack.rules.loader import RuleFileError, load_rule_file
from cetrack.rules.schema import RuleFile

RULES_DIR_ENV = "CETRACK_RULES_DIR"


def default_rules_dir() -> Path:
    """`$CETRACK_RULES_DIR`, else the `state_rules/` folder of this checkout."""
    configured = os.environ.get(RULES_DIR_ENV)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "state_rules"


def rule_paths(root: Path) -> list[Path]:
    """Rule files under `root`: the rules directory (`<STATE>/<LICENSE>.yaml`), one state's
    folder, or a single file."""
    if root.is_file():
        return [root]
    paths = [*root.glob("*/*.yaml"), *root.glob("*.yaml")]
    return sorted(path for path in paths if not path.name.startswith("_"))


class UnknownRuleError(KeyError):
    def __init__(self, rule_id: str, known: list[str]):
        self.rule_id = rule_id
        hint = f"; known rules: {', '.join(known)}" if len(known) <= 40 else ""
        super().__init__(f"unknown rule {rule_id!r}{hint}")

    def __str__(self) -> str:
        return self.args[0]


@dataclass
class Registry:
    rules: dict[str, RuleFile] = field(default_factory=dict)
    errors: list[RuleFileError] = field(default_factory=list)

    @classmethod
    def from_directory(cls, root: Path | None = None, *, today: date | None = None) -> Registry:
        registry = cls()
        for path in rule_paths(root or default_rules_dir()):
            try:
                rule = load_rule_file(path, today=today)
            except RuleFileError as error:
                registry.errors.append(error)
                continue
            registry.rules[rule.id] = rule
        return registry

    def get(self, rule_id: str) -> RuleFile:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise UnknownRuleError(rule_id, sorted(self.rules)) from None

    def ids(self) -> list[str]:
        return sorted(self.rules)

    def __contains__(self, rule_id: str) -> bool:
        return rule_id in self.rules
