"""The `cetrack` console script."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session

from cetrack.db.engine import get_engine
from cetrack.db.migrate import current_revision, upgrade
from cetrack.db.models import Person
from cetrack.exports.ics import DEFAULT_ALARM_DAYS
from cetrack.rules.docs import (
    coverage_table,
    project_readme_path,
    readme_path,
    render_project_readme,
    render_readme,
)
from cetrack.rules.paths import default_rules_dir
from cetrack.rules.provenance import confidence
from cetrack.rules.registry import Registry
from cetrack.rules.schema_export import SCHEMA_FILENAME, schema_text
from cetrack.scenario import ScenarioError, run_scenario
from cetrack.services import reports
from cetrack.services.demo import load_demo
from cetrack.services.errors import ExportError, InputError
from cetrack.services.people import find_person
from cetrack.services.workspace import Workspace, open_workspace
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
            person = load_demo(session, workspace, today=get_settings().current_date())
            email = person.email
    except InputError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f"loaded the demo clinician {email}", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    """Write one export of a person's records; the subcommand chose `args.build`."""
    workspace = open_workspace()
    try:
        with workspace.transaction() as session:
            person = find_person(session, args.person)
            if person is None:
                print(f"no person with the email {args.person}", file=sys.stderr)
                return 2
            data = args.build(session, workspace, person, args)
    except (OSError, ExportError) as error:
        print(f"cannot export: {error}", file=sys.stderr)
        return 1
    try:
        Path(args.out).write_bytes(data)
    except OSError as error:
        print(f"{args.out}: cannot write: {error.strerror}", file=sys.stderr)
        return 2
    print(f"wrote {args.out} ({len(data):,} bytes)", file=sys.stderr)
    return 0


def _alarm_days(text: str) -> tuple[int, ...]:
    """ "90,30,7" -> (90, 30, 7)."""
    try:
        days = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give whole days, e.g. 90,30,7") from None
    if any(day < 0 for day in days):
        raise argparse.ArgumentTypeError(f"{text!r}: days before cannot be negative")
    return days


_Build = Callable[[Session, Workspace, Person, argparse.Namespace], bytes]


def _export_packet(
    session: Session, workspace: Workspace, person: Person, args: argparse.Namespace
) -> bytes:
    today = get_settings().current_date()
    return reports.packet_bytes(session, workspace, person=person, today=today)


def _export_ics(
    session: Session, workspace: Workspace, person: Person, args: argparse.Namespace
) -> bytes:
    today = get_settings().current_date()
    return reports.calendar_bytes(
        session, workspace, person=person, today=today, alarms=args.alarms
    )


def _export_csv(
    session: Session, workspace: Workspace, person: Person, args: argparse.Namespace
) -> bytes:
    return reports.activities_csv(session, person=person)


def _export_xlsx(
    session: Session, workspace: Workspace, person: Person, args: argparse.Namespace
) -> bytes:
    return reports.activities_xlsx(session, person=person)


def _add_export_commands(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="write a person's records to a file")
    kinds = export.add_subparsers(dest="export_command", required=True)

    def add(kind: str, help_text: str, build: _Build) -> argparse.ArgumentParser:
        parser = kinds.add_parser(kind, help=help_text)
        parser.add_argument("--person", required=True, metavar="EMAIL", help="whose records")
        parser.add_argument("--out", required=True, metavar="FILE", help="the file to write")
        parser.set_defaults(handler=_export, build=build)
        return parser

    add(
        "packet",
        "the audit packet (.zip): summaries, CE log, certificates, manifest",
        _export_packet,
    )
    ics = add("ics", "deadlines and CE milestones as a calendar (.ics)", _export_ics)
    ics.add_argument(
        "--alarms",
        type=_alarm_days,
        default=DEFAULT_ALARM_DAYS,
        metavar="DAYS",
        help="reminders, in days before each event (default 90,30,7)",
    )
    add("csv", "the CE log as CSV", _export_csv)
    add("xlsx", "the CE log as an Excel workbook", _export_xlsx)


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
    _add_export_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
