"""Where rule files live: the rules directory and the license files under it."""

from __future__ import annotations

import os
from pathlib import Path

RULES_DIR_ENV = "CETRACK_RULES_DIR"


def default_rules_dir() -> Path:
    """`$CETRACK_RULES_DIR`, else the `state_rules/` folder of this checkout."""
    configured = os.environ.get(RULES_DIR_ENV)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "state_rules"


def rule_paths(root: Path) -> list[Path]:
    """Rule files under `root`: the rules directory (`<STATE>/<LICENSE>.yaml`), one state's
    folder, or a single file. Files whose name starts with `_` hold shared data."""
    if root.is_file():
        return [root]
    paths = [*root.glob("*/*.yaml"), *root.glob("*.yaml")]
    return sorted(path for path in paths if not path.name.startswith("_"))
