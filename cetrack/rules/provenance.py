"""Where each number of a rule file comes from, and how much of a file rests on official text.

Every number written in a file is cited by the nearest `source` above it (an item's own, else
its section's; `field_sources` for supervised-experience fields). A file's `confidence` is the
share of its numbers whose source is `official` or `official_copy`; a number whose source is
`secondary` is shown to the user as unconfirmed. A compact credential's dependency on its home
credential (what it stands on, how it expires) counts as one such fact, cited by `compact`.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from cetrack.rules.schema import RuleFile, SupervisedExperience

CONFIRMING = frozenset({"official", "official_copy"})
_SECTIONS = ("renewal", "ce", "supervised_experience")
_NOT_RULE_NUMBERS = frozenset({"effective_from", "effective_until"})


@dataclass(frozen=True)
class CitedNumber:
    path: str
    value: object
    source: str
    authority: str

    @property
    def confirmed(self) -> bool:
        return self.authority in CONFIRMING


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, str):
        return "/" in value and all(part.strip().isdigit() for part in value.split("/", 1))
    return isinstance(value, list) and bool(value) and all(_is_number(item) for item in value)


def _walk(node: BaseModel, path: str, source: str | None):
    """(path, value, source id) for every number explicitly written under `node`."""
    own = getattr(node, "source", None)
    source = own if isinstance(own, str) else source
    overrides = node.field_sources if isinstance(node, SupervisedExperience) else {}
    for name in type(node).model_fields:
        if name not in node.model_fields_set or name in _NOT_RULE_NUMBERS:
            continue
        value = getattr(node, name)
        field_path = f"{path}.{name}"
        cited = overrides.get(name, source)
        if isinstance(value, BaseModel):
            yield from _walk(value, field_path, cited)
        elif (
            isinstance(value, dict)
            and value
            and all(isinstance(item, BaseModel) for item in value.values())
        ):
            for key, item in value.items():
                yield from _walk(item, f"{field_path}.{key}", cited)
        elif isinstance(value, dict):
            for key, item in value.items():
                if _is_number(item):
                    yield f"{field_path}.{key}", item, cited
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            for index, item in enumerate(value):
                yield from _walk(item, f"{field_path}[{index}]", cited)
        elif _is_number(value):
            yield field_path, value, cited


def cited_numbers(rule: RuleFile) -> tuple[CitedNumber, ...]:
    authority = {source.id: source.authority for source in rule.sources}
    numbers = []
    for section in _SECTIONS:
        for index, version in enumerate(getattr(rule, section)):
            for path, value, source in _walk(version, f"{section}[{index}]", None):
                numbers.append(CitedNumber(path, value, source, authority.get(source, "")))
    if rule.compact:
        source = rule.compact.source
        numbers.append(CitedNumber("compact", rule.compact.name, source, authority.get(source, "")))
    return tuple(numbers)


def confidence(rule: RuleFile) -> float:
    """The share of the file's numbers that official text (or a verbatim copy) backs."""
    numbers = cited_numbers(rule)
    if not numbers:
        return 1.0
    return sum(number.confirmed for number in numbers) / len(numbers)


def unconfirmed_sources(rule: RuleFile) -> frozenset[str]:
    """Ids of the file's sources that are secondary: what they back is unconfirmed."""
    return frozenset(source.id for source in rule.sources if source.authority not in CONFIRMING)
