"""All rule files of a directory, loaded once; broken files are kept aside with their errors."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cetrack.rules.board import BOARD_FILENAME, NotCovered, not_covered_problems
from cetrack.rules.checks import Problem
from cetrack.rules.loader import RuleFileError, board_file_for, load_rule_file, shared_data_for
from cetrack.rules.paths import default_rules_dir, rule_paths
from cetrack.rules.schema import RuleFile
from cetrack.rules.shared import SharedData

_RULE_ID = re.compile(r"[A-Za-z0-9_-]{1,20}/[A-Za-z0-9_.-]{1,40}")


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
    shared: SharedData | None = None
    hashes: dict[str, str] = field(default_factory=dict)
    not_covered: dict[tuple[str, str], NotCovered] = field(default_factory=dict)

    @classmethod
    def from_directory(cls, root: Path | None = None, *, today: date | None = None) -> Registry:
        root = root or default_rules_dir()
        registry = cls()
        try:
            registry.shared = shared_data_for(root)
        except RuleFileError as error:
            registry.errors.append(error)
            return registry
        for path in rule_paths(root):
            try:
                rule = load_rule_file(path, today=today, shared=registry.shared)
            except RuleFileError as error:
                registry.errors.append(error)
                continue
            registry.add(rule)
        registry._check_home_rules(root)
        registry._read_not_covered(root)
        return registry

    def _check_home_rules(self, root: Path) -> None:
        """A compact credential that names its home credentials' rules must name loaded ones."""
        for rule in list(self.rules.values()):
            home = rule.compact.home if rule.compact else None
            unknown = [rule_id for rule_id in (home.rules if home else []) if rule_id not in self]
            if unknown:
                problem = Problem("compact.home.rules", f"no loaded rule {', '.join(unknown)}")
                self.errors.append(RuleFileError(root / f"{rule.id}.yaml", [problem]))
                del self.rules[rule.id]

    def _read_not_covered(self, root: Path) -> None:
        """The license families each state's `_board.yaml` says it has no file for, and why."""
        if root.is_file():
            return
        folders = [root] if (root / BOARD_FILENAME).is_file() else sorted(root.iterdir())
        for folder in folders:
            board_path = folder / BOARD_FILENAME
            try:
                board_file = board_file_for(board_path)
            except RuleFileError:
                continue  # already reported against each license file of the state
            if board_file is None or not board_file.not_covered:
                continue
            covered = {rule.profession for rule in self.rules.values() if rule.state == folder.name}
            problems = not_covered_problems(board_file, shared=self.shared, covered=covered)
            if problems:
                self.errors.append(RuleFileError(board_path, problems))
                continue
            for profession, entry in board_file.not_covered.items():
                self.not_covered[(folder.name, profession)] = entry

    @classmethod
    def for_rules(cls, rule_ids: list[str], root: Path | None = None) -> Registry:
        """A registry holding only these rules (what `cetrack check` needs: the scenario's rule
        and its home credentials'), each read from its file."""
        root = root or default_rules_dir()
        registry = cls(shared=shared_data_for(root))
        for rule_id in dict.fromkeys(rule_ids):
            path = root / f"{rule_id}.yaml"
            if not _RULE_ID.fullmatch(rule_id) or ".." in rule_id or not path.is_file():
                known = sorted(
                    str(item.relative_to(root).with_suffix("")) for item in rule_paths(root)
                )
                raise UnknownRuleError(rule_id, known)
            registry.add(load_rule_file(path, shared=registry.shared))
        return registry

    def add(self, rule: RuleFile) -> None:
        self.rules[rule.id] = rule
        content = rule.model_dump_json().encode()
        self.hashes[rule.id] = hashlib.sha256(content).hexdigest()

    def hash_of(self, rule_id: str) -> str:
        """The content hash of a loaded rule (stored results name the rule they used)."""
        return self.hashes[rule_id]

    def get(self, rule_id: str) -> RuleFile:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise UnknownRuleError(rule_id, sorted(self.rules)) from None

    def ids(self) -> list[str]:
        return sorted(self.rules)

    def __contains__(self, rule_id: str) -> bool:
        return rule_id in self.rules
