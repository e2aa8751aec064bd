"""The `cetrack` console script."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from cetrack.db.engine import get_engine
from cetrack.db.migrate import current_revision, upgrade
from cetrack.rules.docs import readme_path, render_readme
from cetrack.rules.registry import Registry, default_rules_dir
from cetrack.rules.schema_export import SCHEMA_FILENAME, schema_text
from cetrack.scenario import ScenarioError, run_scenario
from cetrack.services.demo import load_demo
from cetrack.services.errors import InputError
from cetrack.services.workspace import open_workspace
from cetrack.settings import get_settings


def _check(args: argparse.Namespace) -> int:
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
    except OSError as error:
        print(f"{args.file}: cannot read: {error.strerror}", file=sys.stderr)
        return 2
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        print(f"{args.file}: not JSON: {error.msg} at line {error.lineno}", file=sys.stderr)
        return 2
    registry = Registry.from_directory(Path(args.rules) if args.rules else None)
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
    readme = readme_path(rules_dir)
    current = readme.read_text("utf-8")
    rendered = render_readme(current, Registry.from_directory(rules_dir))
    if rendered == current:
        print(f"{readme} is up to date", file=sys.stderr)
        return 0
    if args.write:
        readme.write_text(rendered, "utf-8")
        print(f"updated {readme}", file=sys.stderr)
        return 0
    print(f"{readme} is stale: run `cetrack rules docs --write`", file=sys.stderr)
    return 1


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


def _db_upgrade(args: argparse.Namespace) -> int:
    settings = get_settings()
    engine = get_engine(settings.resolved_database_url)
    upgrade(engine)
    print(f"database at revision {current_revision(engine)}", file=sys.stderr)
    return 0


def _demo(args: argparse.Namespace) -> int:
    workspace = open_workspace()
    try:
        with workspace.transaction() as session:
            person = load_demo(session, workspace, today=date.today())
            email = person.email
    except InputError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f"loaded the demo clinician {email}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cetrack", description="Continuing-education and licensure tracker."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="evaluate a scenario JSON file (CE or supervision)")
    check.add_argument("file", help="scenario file, or - for standard input")
    check.add_argument("--rules", help="rules directory (default: state_rules)")
    check.set_defaults(handler=_check)

    database = commands.add_parser("db", help="the database")
    database_commands = database.add_subparsers(dest="db_command", required=True)
    database_commands.add_parser("upgrade", help="run migrations").set_defaults(handler=_db_upgrade)
    commands.add_parser("demo", help="load the demo clinician and a year of CE").set_defaults(
        handler=_demo
    )

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
        "docs", help="check (or --write) the generated tables in state_rules/README.md"
    )
    docs.add_argument("--write", action="store_true", help="rewrite the tables")
    docs.set_defaults(handler=_docs)
    stale = rules_commands.add_parser("stale", help="list rules not verified recently")
    stale.add_argument("--days", type=int, default=300, help="age limit (default 300)")
    stale.add_argument("--path", help="rules directory (default: state_rules)")
    stale.set_defaults(handler=_stale)
    schema = rules_commands.add_parser("schema", help="write the rule files' JSON Schema")
    schema.add_argument("--out", help=f"file to write (default: state_rules/{SCHEMA_FILENAME})")
    schema.set_defaults(handler=_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
