"""`cetrack check` and `cetrack rules ...`: the engine and the rule files, no database."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path

from cetrack.rules.docs import (
    coverage_table,
    project_readme_path,
    readme_path,
    render_project_readme,
    render_readme,
)
from cetrack.rules.loader import RuleFileError
from cetrack.rules.paths import default_rules_dir
from cetrack.rules.provenance import confidence
from cetrack.rules.registry import Registry, UnknownRuleError
from cetrack.rules.schema_export import SCHEMA_FILENAME, schema_text
from cetrack.scenario import ScenarioError, run_scenario, scenario_rule_ids

MAX_SCENARIO_BYTES = 20 * 1024 * 1024
MAX_NUMBER_DIGITS = 30


class _BadJSON(ValueError):
    pass


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _BadJSON(f"a number has more than {MAX_NUMBER_DIGITS} digits")
    return int(text)


def _no_constant(name: str) -> float:
    raise _BadJSON(f"{name} is not a number JSON allows")


def parse_json(content: bytes) -> object:
    """The scenario's JSON; a _BadJSON (one line) for anything that is not plain UTF-8 JSON of
    sensible size and depth."""
    if len(content) > MAX_SCENARIO_BYTES:
        raise _BadJSON(f"larger than {MAX_SCENARIO_BYTES // (1024 * 1024)} MB")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _BadJSON(f"not UTF-8 text (byte {error.start})") from None
    try:
        return json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise _BadJSON(f"not JSON: {error.msg} at line {error.lineno}") from None
    except RecursionError:
        raise _BadJSON("not usable: nested too deeply") from None


def _check(args: argparse.Namespace) -> int:
    try:
        content = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as error:
        print(f"{args.file}: cannot read: {error.strerror}", file=sys.stderr)
        return 2
    try:
        data = parse_json(content)
    except _BadJSON as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 2
    rule_ids = scenario_rule_ids(data)
    rule_id = rule_ids[0]
    try:
        # only the files the scenario needs are read
        registry = Registry.for_rules(rule_ids, Path(args.rules) if args.rules else None)
    except UnknownRuleError as error:
        if error.rule_id != rule_id:
            print(f"{args.file}: home.rule: {error}", file=sys.stderr)
            return 2
        registry = Registry()
    except RuleFileError as error:
        print(f"{args.file}: rule: {rule_id} cannot be used: {error.lines()[0]}", file=sys.stderr)
        return 2
    try:
        result = run_scenario(data, registry)
    except ScenarioError as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2))
    return 0


def _lint(args: argparse.Namespace) -> int:
    root = Path(args.path) if args.path else default_rules_dir()
    if not root.exists():
        print(f"{root}: no such file or directory", file=sys.stderr)
        return 2
    registry = Registry.from_directory(root)
    for error in registry.errors:
        for line in error.lines():
            print(line)
    checked = len(registry.rules) + len(registry.errors)
    if checked == 0:
        print(f"{root}: no rule files found (expected <STATE>/<LICENSE>.yaml)", file=sys.stderr)
        return 1
    summary = f"{checked} file(s) checked, {len(registry.errors)} with errors"
    print(summary, file=sys.stderr)
    return 1 if registry.errors else 0


def _list(args: argparse.Namespace) -> int:
    registry = Registry.from_directory(Path(args.path) if args.path else None)
    rows = [
        {
            "id": rule.id,
            "state": rule.state,
            "license": rule.license,
            "title": rule.title,
            "profession": rule.profession,
            "tier": rule.tier,
            "board": rule.board,
            "verified_on": rule.verified_on.isoformat(),
            "sources": len(rule.sources),
            "confidence": round(confidence(rule), 3),
        }
        for rule in (registry.rules[rule_id] for rule_id in registry.ids())
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for row in rows:
            print(f"{row['id']:<14} {row['tier']:<12} {row['verified_on']}  {row['title']}")
    for error in registry.errors:
        print(f"{error.path}: rejected ({len(error.problems)} problem(s))", file=sys.stderr)
    return 1 if registry.errors else 0


def _docs(args: argparse.Namespace) -> int:
    rules_dir = default_rules_dir()
    registry = Registry.from_directory(rules_dir)
    documents = [(readme_path(rules_dir), render_readme)]
    project = project_readme_path(rules_dir)
    if project:
        documents.append((project, render_project_readme))
    stale = 0
    for readme, render in documents:
        current = readme.read_text("utf-8")
        rendered = render(current, registry)
        if rendered == current:
            print(f"{readme} is up to date", file=sys.stderr)
        elif args.write:
            readme.write_text(rendered, "utf-8")
            print(f"updated {readme}", file=sys.stderr)
        else:
            print(f"{readme} is stale: run `cetrack rules docs --write`", file=sys.stderr)
            stale += 1
    return 1 if stale else 0


def _coverage(args: argparse.Namespace) -> int:
    registry = Registry.from_directory(Path(args.path) if args.path else None)
    print(coverage_table(registry, links=None))
    for error in registry.errors:
        print(f"{error.path}: rejected ({len(error.problems)} problem(s))", file=sys.stderr)
    return 1 if registry.errors else 0


def _stale(args: argparse.Namespace) -> int:
    registry = Registry.from_directory(Path(args.path) if args.path else None)
    cutoff = date.today() - timedelta(days=args.days)
    stale = [rule for rule in registry.rules.values() if rule.verified_on < cutoff]
    for rule in sorted(stale, key=lambda rule: rule.verified_on):
        print(f"{rule.id}: verified {rule.verified_on.isoformat()}")
    print(f"{len(stale)} rule(s) not verified in the last {args.days} days", file=sys.stderr)
    return 1 if stale else 0


def _schema(args: argparse.Namespace) -> int:
    target = Path(args.out) if args.out else default_rules_dir() / SCHEMA_FILENAME
    target.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser("check", help="evaluate a scenario JSON file (CE or supervision)")
    check.add_argument("file", help="scenario file, or - for standard input")
    check.add_argument("--rules", help="rules directory (default: state_rules)")
    check.set_defaults(handler=_check)

    rules = commands.add_parser("rules", help="work with state rule files")
    rules_commands = rules.add_subparsers(dest="rules_command", required=True)
    lint = rules_commands.add_parser("lint", help="check rule files; exit 1 on any error")
    lint.add_argument("path", nargs="?", help="a rule file or a directory (default: state_rules)")
    lint.set_defaults(handler=_lint)
    listing = rules_commands.add_parser("list", help="list the rules that load")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.add_argument("--path", help="rules directory (default: state_rules)")
    listing.set_defaults(handler=_list)
    docs = rules_commands.add_parser(
        "docs", help="check (or --write) the generated tables in the READMEs"
    )
    docs.add_argument("--write", action="store_true", help="rewrite the tables")
    docs.set_defaults(handler=_docs)
    coverage = rules_commands.add_parser(
        "coverage", help="the coverage table: states x license families, with confidence"
    )
    coverage.add_argument("--path", help="rules directory (default: state_rules)")
    coverage.set_defaults(handler=_coverage)
    stale = rules_commands.add_parser("stale", help="list rules not verified recently")
    stale.add_argument("--days", type=int, default=300, help="age limit (default 300)")
    stale.add_argument("--path", help="rules directory (default: state_rules)")
    stale.set_defaults(handler=_stale)
    schema = rules_commands.add_parser("schema", help="write the rule files' JSON Schema")
    schema.add_argument("--out", help=f"file to write (default: state_rules/{SCHEMA_FILENAME})")
    schema.set_defaults(handler=_schema)
