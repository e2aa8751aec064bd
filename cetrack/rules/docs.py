"""Generated parts of `state_rules/README.md`: the coverage table and the vocabularies.

`cetrack rules docs --write` refreshes them; a test fails when they are stale.
"""

from __future__ import annotations

import re
from pathlib import Path

from cetrack.rules.registry import Registry
from cetrack.rules.vocabulary import ACTIVITY_TYPES, CATEGORIES, FORMATS, UNITS

PROFESSION_COLUMNS = (
    ("counselor", "Counselor"),
    ("social_work", "Clinical social worker"),
    ("mft", "MFT"),
    ("psychology", "Psychologist"),
)


def coverage_table(registry: Registry) -> str:
    states = sorted({rule.state for rule in registry.rules.values()})
    lines = [
        "| State | " + " | ".join(title for _, title in PROFESSION_COLUMNS) + " |",
        "|---|" + "---|" * len(PROFESSION_COLUMNS),
    ]
    for state in states:
        cells = []
        for profession, _ in PROFESSION_COLUMNS:
            rules = [
                rule
                for rule in registry.rules.values()
                if rule.state == state and rule.profession == profession
            ]
            cells.append(
                ", ".join(
                    f"[{rule.license}]({rule.state}/{rule.license}.yaml)"
                    + (" + experience" if rule.supervised_experience else "")
                    + f" ({rule.verified_on.isoformat()})"
                    for rule in sorted(rules, key=lambda rule: rule.license)
                )
                or "-"
            )
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
        parts.append(f"**{title}**\n\n| id | meaning |\n|---|---|")
        parts.append("\n".join(f"| `{key}` | {text} |" for key, text in vocabulary.items()))
    return "\n\n".join(parts)


def _replace_block(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {name}:[^\n]*-->\n).*?(<!-- /{name} -->)", re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"no <!-- {name} --> block in the README")
    return pattern.sub(lambda match: f"{match.group(1)}{body}\n{match.group(2)}", text)


def render_readme(text: str, registry: Registry) -> str:
    text = _replace_block(text, "coverage-table", coverage_table(registry))
    return _replace_block(text, "vocabulary", vocabulary_tables())


def readme_path(rules_dir: Path) -> Path:
    return rules_dir / "README.md"
