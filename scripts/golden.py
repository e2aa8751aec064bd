"""Regenerate or check golden results: `python scripts/golden.py [--write] [ST[/LICENSE] ...]`.

Without --write it reports scenarios whose result differs from the expected file and any
hand-derived `expect` fact the engine does not bear out. With --write it rewrites the
expected files; review every diff before committing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cetrack.rules.registry import Registry
from cetrack.scenario import ScenarioError, run_scenario
from cetrack.scenario.expect import mismatches

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden"


def scenario_paths(selectors: list[str]) -> list[Path]:
    roots = [GOLDEN / selector for selector in selectors] or [GOLDEN]
    return sorted(
        path
        for root in roots
        for path in root.rglob("*.json")
        if not path.name.endswith(".expected.json")
    )


def expected_path(scenario: Path) -> Path:
    return scenario.with_name(scenario.stem + ".expected.json")


def render(result: dict) -> str:
    return json.dumps(result, indent=2) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the expected files")
    parser.add_argument("selectors", nargs="*", help="ST or ST/LICENSE (default: all)")
    args = parser.parse_args()
    registry = Registry.from_directory()
    for error in registry.errors:
        print("\n".join(error.lines()), file=sys.stderr)
    changed = failed = 0
    paths = scenario_paths(args.selectors)
    for path in paths:
        name = path.relative_to(GOLDEN)
        scenario = json.loads(path.read_text("utf-8"))
        try:
            result = run_scenario(scenario, registry)
        except ScenarioError as error:
            print(f"ERROR {name}: {error}")
            failed += 1
            continue
        for problem in mismatches(scenario.get("expect") or {}, result):
            print(f"EXPECT {name}: {problem}")
            failed += 1
        target = expected_path(path)
        text = render(result)
        if not target.exists() or target.read_text("utf-8") != text:
            changed += 1
            print(f"{'WROTE' if args.write else 'DIFFERS'} {target.relative_to(GOLDEN)}")
            if args.write:
                target.write_text(text, "utf-8")
    print(f"{len(paths)} scenario(s), {changed} changed, {failed} problem(s)", file=sys.stderr)
    return 1 if failed or (changed and not args.write) else 0


if __name__ == "__main__":
    sys.exit(main())
