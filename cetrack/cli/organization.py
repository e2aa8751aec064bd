"""The command-line faces of an organization's records: importing the staff roster and
exporting the roster with statuses and the calendar of expirations. They act as cetrack
itself; `--organization NAME` may be left out when the database has one organization."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cetrack.cli.data import CommandFailed, _read, _today, _write
from cetrack.cli.progress import Progress
from cetrack.services import compliance, org_reports, roster
from cetrack.services.actor import Actor
from cetrack.services.errors import Forbidden, InputError, NotFound
from cetrack.services.workspace import open_workspace

_BY_SUFFIX = {".csv": "csv", ".xlsx": "xlsx", ".pdf": "pdf"}


def _import_roster(args: argparse.Namespace) -> int:
    data = _read(args.file)
    workspace, actor, today = open_workspace(), Actor.system(), _today()
    try:
        with workspace.transaction() as session:
            place = org_reports.find_organization(session, actor=actor, name=args.organization)
            preview = roster.preview_roster(
                session,
                actor=actor,
                organization=place,
                data=data,
                registry=workspace.registry,
                today=today,
            )
            for line in preview.lines:
                print(f"line {line.line}: {line.outcome}: {line.email or '-'}: {line.message}")
            rejected = preview.count(roster.REJECTED)
            print(
                f"{preview.count(roster.READY)} row(s) ready, "
                f"{preview.count(roster.ALREADY)} already on file, {rejected} rejected"
            )
            if args.dry_run:
                print("dry run: nothing written", file=sys.stderr)
                return 0
            if rejected and not args.skip_rejected:
                raise CommandFailed(
                    "nothing written: fix the rejected rows, or import the rest with "
                    "--skip-rejected"
                )
            outcome = roster.commit_roster(
                session,
                actor=actor,
                organization=place,
                preview=preview,
                registry=workspace.registry,
                today=today,
            )
    except (InputError, NotFound) as error:
        raise CommandFailed(f"nothing written: {error}", 2) from None
    print(
        f"added {outcome.people_added} person(s), {outcome.memberships_added} to the roster, "
        f"{outcome.licenses_added} license(s)",
        file=sys.stderr,
    )
    bar: Progress | None = None  # made when the first person is done and the total known

    def advance(done: int, total: int) -> None:
        nonlocal bar
        bar = bar or Progress(total, "evaluating")
        bar.advance()

    with workspace.transaction() as session:
        compliance.bring_up_to_date(
            session,
            actor=actor,
            organization=place,
            registry=workspace.registry,
            today=today,
            progress=advance,
        )
    if bar:
        bar.done()
    return 0


def _export(args: argparse.Namespace, kind: str) -> int:
    workspace = open_workspace()
    try:
        with workspace.transaction() as session:
            actor = Actor.system()
            place = org_reports.find_organization(session, actor=actor, name=args.organization)
            data = org_reports.organization_export(
                session,
                actor=actor,
                organization=place,
                registry=workspace.registry,
                today=_today(),
                kind=kind,
            )
    except (InputError, NotFound, Forbidden) as error:
        raise CommandFailed(f"cannot export: {error}", 2) from None
    return _write(args.out, data)


def _export_roster(args: argparse.Namespace) -> int:
    kind = _BY_SUFFIX.get(Path(args.out).suffix.lower())
    if kind is None:
        raise CommandFailed("--out must end in .xlsx, .csv or .pdf (the compliance report)", 2)
    return _export(args, kind)


def _export_calendar(args: argparse.Namespace) -> int:
    return _export(args, "ics")


def add_commands(
    commands: argparse._SubParsersAction, export_kinds: argparse._SubParsersAction
) -> None:
    staff = commands.add_parser("roster", help="an organization's staff roster")
    staff_commands = staff.add_subparsers(dest="roster_command", required=True)
    importing = staff_commands.add_parser(
        "import", help="people and licenses from a CSV file, with a report per row"
    )
    importing.add_argument("file", metavar="FILE.csv")
    importing.add_argument("--organization", metavar="NAME")
    importing.add_argument("--dry-run", action="store_true", help="print the report, write nothing")
    importing.add_argument(
        "--skip-rejected", action="store_true", help="import the ready rows despite rejected ones"
    )
    importing.set_defaults(handler=_import_roster)
    for kind, help_text, handler in (
        ("roster", "the roster with statuses (.xlsx, .csv) or its PDF report", _export_roster),
        ("org-ics", "every license expiration of the organization (.ics)", _export_calendar),
    ):
        parser = export_kinds.add_parser(kind, help=help_text)
        parser.add_argument("--out", required=True, metavar="FILE")
        parser.add_argument("--organization", metavar="NAME")
        parser.set_defaults(handler=handler)
