"""Generated parts of `state_rules/README.md`: the coverage table and the vocabularies.

`cetrack rules docs --write` refreshes them; a test fails when they are stale.
"""

from __future__ import annotations

import re
from pathlib import Path

from cetrack.rules.provenance import confidence
from cetrack.rules.registry import Registry
from cetrack.rules.schema import RuleFile
from cetrack.rules.vocabulary import ACTIVITY_TYPES, CATEGORIES, FORMATS, UNITS


def _cell(rule: RuleFile, *, links: str | None) -> str:
    name = (
        f"[{rule.license}]({links}{rule.state}/{rule.license}.yaml)"
        if links is not None
        else (rule.license)
    )
    experience = " + experience" if rule.supervised_experience else ""
    issued = " not issued yet," if rule.compact and not rule.compact.operational else ""
    return f"{name}{experience} ({issued}{confidence(rule):.0%}, {rule.verified_on.isoformat()})"


def coverage_table(registry: Registry, *, links: str | None = "") -> str:
    """States x license families: each file, whether it has supervised-experience rules, its
    confidence and the day it was verified. The columns are `_shared.yaml`'s professions;
    `links` is the path from the document to the rules directory (None: no links)."""
    professions = registry.shared.professions if registry.shared else []
    states = sorted({rule.state for rule in registry.rules.values()})
    lines = [
        "| State | " + " | ".join(profession.title for profession in professions) + " |",
        "|---|" + "---|" * len(professions),
    ]
    for state in states:
        cells = []
        for profession in professions:
            rules = sorted(
                (
                    rule
                    for rule in registry.rules.values()
                    if rule.state == state and rule.profession == profession.id
                ),
                key=lambda rule: rule.license,
            )
            gap = registry.not_covered.get((state, profession.id))
            missing = f"none: {gap.reason} ({gap.checked_on.isoformat()})" if gap else "-"
            cells.append(", ".join(_cell(rule, links=links) for rule in rules) or missing)
        lines.append(f"| {state} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def vocabulary_tables() -> str:
    parts = []
    for title, vocabulary in (
        ("Categories", CATEGORIES),
        ("Formats", FORMATS),
        ("Activity types", ACTIVITY_TYPES),
        ("Units", UNITS),
    ):
        rows = "\n".join(f"| `{key}` | {text} |" for key, text in vocabulary.items())
        parts.append(f"**{title}**\n\n| id | meaning |\n|---|---|\n{rows}")
    return "\n\n".join(parts)


def _replace_block(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {name}:[^\n]*-->\n).*?(<!-- /{name} -->)", re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"no <!-- {name} --> block in the README")
    return pattern.sub(lambda match: f"{match.group(1)}{body}\n{match.group(2)}", text)


def render_readme(text: str, registry: Registry) -> str:
    """The rules directory's README with its coverage table and vocabularies current."""
    text = _replace_block(text, "coverage-table", coverage_table(registry))
    return _replace_block(text, "vocabulary", vocabulary_tables())


def render_project_readme(text: str, registry: Registry) -> str:
    """The project README with its coverage table current (links into `state_rules/`)."""
    return _replace_block(text, "coverage-table", coverage_table(registry, links="state_rules/"))


def readme_path(rules_dir: Path) -> Path:
    return rules_dir / "README.md"


def project_readme_path(rules_dir: Path) -> Path | None:
    """The project README beside a checkout's rules directory (none in an installed wheel)."""
    project = rules_dir.resolve().parent
    path = project / "README.md"
    return path if path.is_file() and (project / "pyproject.toml").is_file() else None
