"""Rule files: schema, loader, checks and registry."""

from cetrack.rules.loader import RuleFileError, load_rule_file
from cetrack.rules.paths import default_rules_dir
from cetrack.rules.registry import Registry, UnknownRuleError
from cetrack.rules.schema import RuleFile

__all__ = [
    "Registry",
    "RuleFile",
    "RuleFileError",
    "UnknownRuleError",
    "default_rules_dir",
    "load_rule_file",
]
