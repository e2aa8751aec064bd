"""Where rule files live: the rules directory and the license files under it."""

from __future__ import annotations

from pathlib import Path

from cetrack.settings import Settings

SHIPPED_RULES_DIR = Path(__file__).resolve().parents[1] / "state_rules"


def default_rules_dir() -> Path:
    """The configured rules directory (`CETRACK_RULES_DIR`), else the rules shipped inside
    the package (`cetrack/state_rules`, which in a checkout is a link to `state_rules/`)."""
    return Settings().rules_dir or SHIPPED_RULES_DIR


def rule_paths(root: Path) -> list[Path]:
    """Rule files under `root`: the rules directory (`<STATE>/<LICENSE>.yaml`), one state's
    folder, or a single file. Files whose name starts with `_` hold shared data."""
    if root.is_file():
        return [root]
    paths = [*root.glob("*/*.yaml"), *root.glob("*.yaml")]
    return sorted(path for path in paths if not path.name.startswith("_"))
