"""`cetrack supervision verify` (every signature chain), `cetrack supervision import` (weeks
of supervised experience from a CSV) and `cetrack export supervision` (the verification
packet). Exit codes as in `cli/data.py`: 0 done, 1 refused or broken, 2 the input was wrong."""

from __future__ import annotations

import argparse
import sys

from sqlmodel import Session

from cetrack.cli.data import CommandFailed, _export, _person, _read, _today
from cetrack.db.models import LicensurePath, Person, SupervisionRelationship
from cetrack.services import signoff, supervision, supervision_reports
from cetrack.services.actor import Actor
from cetrack.services.errors import InputError
from cetrack.services.people import get_person
from cetrack.services.workspace import Workspace, open_workspace


def _verify(args: argparse.Namespace) -> int:
    workspace = open_workspace()
    with workspace.transaction() as session:
        report = signoff.verify_chains(session, actor=Actor.system())
        broken = report.broken
        if broken is None:
            print(
                f"{report.signatures} signature(s) of {report.associates} associate(s): "
                "every chain is intact"
            )
            return 0
        email = get_person(session, actor=Actor.system(), person_id=broken.person_id).email
    which = f"signature {broken.seq} of {email}" if broken.seq else f"a log of {email}"
    print(f"{which} (log {broken.log_id}) breaks the chain: {broken.why}")
    return 1


def _supervisor(session: Session, person: Person, chosen: int | None) -> SupervisionRelationship:
    """The supervision named, or the associate's most recent one."""
    supervisors = supervision.list_supervisors(
        session, actor=supervision.local_actor(session, person), person=person
    )
    if chosen is None and supervisors:
        return supervisors[-1]
    found = next((item for item in supervisors if item.id == chosen), None)
    if found is None:
        known = ", ".join(f"{item.id} ({item.supervisor_name})" for item in supervisors)
        raise CommandFailed(
            f"{person.email} has no supervisor {chosen}; choose one of: {known}"
            if supervisors
            else f"{person.email} has no supervisor yet; add one first",
            2,
        )
    return found


def _import(args: argparse.Namespace) -> int:
    content = _read(args.file)
    workspace, today = open_workspace(), _today()
    try:
        with workspace.transaction() as session:
            person = _person(session, args.person)
            actor = supervision.local_actor(session, person)
            relationship = _supervisor(session, person, args.supervisor)
            options = {
                "actor": actor,
                "person": person,
                "content": content,
                "relationship_id": relationship.id,
                "today": today,
            }
            report = supervision_reports.preview_log_import(session, **options)
            for row in report.rows:
                if row.errors:
                    why = "; ".join(f"{field}: {text}" for field, text in row.errors.items())
                    print(f"line {row.line}: rejected: {why}")
                else:
                    print(
                        f"line {row.line}: ready: {row.data.start} to {row.data.end}, "
                        f"{row.data.hours:g} h"
                    )
            print(
                f"{len(report.ready)} row(s) ready ({report.hours:g} h) under "
                f"{relationship.supervisor_name}, {len(report.rejected)} rejected"
            )
            if args.dry_run:
                print("dry run: nothing written", file=sys.stderr)
                return 0
            if report.rejected:
                raise CommandFailed(
                    "nothing written: fix or remove the rejected rows and import again"
                )
            added = supervision_reports.commit_log_import(session, **options)
    except InputError as error:
        raise CommandFailed(f"nothing written: {error}", 2) from None
    print(f"imported {len(added)} log(s), pending the supervisor's signature", file=sys.stderr)
    return 0


def _path(session: Session, person: Person, rule_id: str | None) -> LicensurePath:
    paths = supervision.list_paths(
        session, actor=supervision.local_actor(session, person), person=person
    )
    found = next((item for item in reversed(paths) if rule_id in (None, item.rule_id)), None)
    if found is None:
        wanted = rule_id or "any license"
        raise CommandFailed(f"{person.email} does not work toward {wanted}", 2)
    return found


def _export_packet(
    session: Session, workspace: Workspace, person: Person, args: argparse.Namespace
) -> bytes:
    try:
        return supervision_reports.packet_bytes(
            session,
            workspace,
            actor=supervision.local_actor(session, person),
            person=person,
            path=_path(session, person, args.rule),
            today=_today(),
        )
    except InputError as error:
        raise CommandFailed(f"cannot export: {error}", 2) from None


def add_commands(
    commands: argparse._SubParsersAction, export_kinds: argparse._SubParsersAction
) -> None:
    experience = commands.add_parser("supervision", help="supervised experience")
    kinds = experience.add_subparsers(dest="supervision_command", required=True)
    kinds.add_parser(
        "verify", help="check every associate's chain of supervisor signatures"
    ).set_defaults(handler=_verify)
    importing = kinds.add_parser(
        "import", help="weeks of supervised experience from a CSV file, with a report per row"
    )
    importing.add_argument("file", metavar="FILE.csv")
    importing.add_argument("--person", required=True, metavar="EMAIL", help="the associate")
    importing.add_argument(
        "--supervisor",
        type=int,
        metavar="RELATIONSHIP_ID",
        help="the supervision the weeks were under (default: the most recent)",
    )
    importing.add_argument("--dry-run", action="store_true", help="print the report, write nothing")
    importing.set_defaults(handler=_import)

    packet = export_kinds.add_parser(
        "supervision", help="the supervised-experience verification packet (.zip)"
    )
    packet.add_argument("--person", required=True, metavar="EMAIL", help="the associate")
    packet.add_argument("--out", required=True, metavar="FILE")
    packet.add_argument("--rule", metavar="RULE_ID", help="the license sought (default: latest)")
    packet.set_defaults(handler=_export, build=_export_packet)
