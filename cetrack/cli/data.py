"""The command-line faces of what the app writes and reads: the database, the demo, logging
and importing CE, exports, re-evaluation, backup and restore.

A command about one person's records acts as that person (`--person EMAIL`); maintenance
(`evaluate`, `backup`, `restore`, `demo`) acts as cetrack itself. Exit codes: 0 done, 1 the
work failed or was refused, 2 the input was wrong.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlmodel import Session

from cetrack.cli.progress import Progress
from cetrack.db.engine import get_engine
from cetrack.db.migrate import current_revision, revision, upgrade
from cetrack.db.models import Person
from cetrack.exports.ics import DEFAULT_ALARM_DAYS
from cetrack.rules.vocabulary import FORMATS, UNITS
from cetrack.services import (
    activities,
    certificates,
    imports,
    reevaluation,
    reports,
    synthetic_org,
)
from cetrack.services.actor import Actor
from cetrack.services.backup import BackupError, backup_bytes, restore_backup
from cetrack.services.demo import load_demo
from cetrack.services.errors import DuplicateActivity, ExportError, Forbidden, InputError
from cetrack.services.people import find_person
from cetrack.services.workspace import Workspace, open_workspace
from cetrack.settings import get_settings


def _today() -> date:
    return get_settings().current_date()


class CommandFailed(Exception):
    """The command cannot go on: `main` prints the message and exits with `code`."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def _person(session: Session, email: str) -> Person:
    person = find_person(session, actor=Actor.system(), email=email)
    if person is None:
        raise CommandFailed(f"no person with the email {email}", 2)
    return person


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise CommandFailed(f"{path}: cannot read: {error.strerror}", 2) from None


# --- database and demo -----------------------------------------------------------------------


def _db_upgrade(args: argparse.Namespace) -> int:
    engine = get_engine(get_settings().resolved_database_url)
    upgrade(engine)
    print(f"database at revision {current_revision(engine)}", file=sys.stderr)
    return 0


def _db_revision(args: argparse.Namespace) -> int:
    path = revision(get_engine(get_settings().resolved_database_url), args.message)
    print(f"wrote {path}; review it before committing", file=sys.stderr)
    return 0


def _demo(args: argparse.Namespace) -> int:
    if not args.org:
        if args.clinicians is not None or args.seed is not None:
            raise CommandFailed("--clinicians and --seed go with --org", 2)
        workspace = open_workspace()
        try:
            with workspace.transaction() as session:
                email = load_demo(session, workspace, actor=Actor.system(), today=_today()).email
        except InputError as error:
            raise CommandFailed(str(error)) from None
        print(f"loaded the demo clinician {email}", file=sys.stderr)
        return 0
    return _demo_organization(args)


def _demo_organization(args: argparse.Namespace) -> int:
    clinicians = 1000 if args.clinicians is None else args.clinicians
    seed = 1 if args.seed is None else args.seed
    if not 1 <= clinicians <= synthetic_org.MAX_CLINICIANS:
        raise CommandFailed(
            f"--clinicians: give 1 to {synthetic_org.MAX_CLINICIANS:,} clinicians", 2
        )
    bar: Progress | None = None  # drawn once the load has begun (not for a refusal)

    def advance(people: int) -> None:
        nonlocal bar
        bar = bar or Progress(clinicians, "loading")
        bar.advance(people)

    try:
        loaded = synthetic_org.generate_organization(
            open_workspace(),
            actor=Actor.system(),
            clinicians=clinicians,
            seed=seed,
            today=_today(),
            progress=advance,
        )
    except InputError as error:
        raise CommandFailed(str(error)) from None
    finally:
        if bar is not None:
            bar.done()
    print(
        f"loaded {loaded.name}: {loaded.people:,} people ({loaded.associates:,} associates), "
        f"{loaded.licenses:,} licenses, {loaded.certifications:,} certifications, "
        f"{loaded.activities:,} activities, {loaded.logs:,} supervision logs, "
        f"{loaded.verifications:,} verifications in {loaded.seconds:.1f} s",
        file=sys.stderr,
    )
    return 0


# --- logging and importing CE ----------------------------------------------------------------


def _log(args: argparse.Namespace) -> int:
    workspace = open_workspace()
    data = {
        "title": args.title,
        "completed": args.date,
        "amount": args.hours,
        "unit": args.unit,
        "categories": args.category or [],
        "format": args.format,
        "type": args.type,
        "provider": args.provider,
        "notes": args.notes,
    }
    upload = (_read(args.certificate), Path(args.certificate).name) if args.certificate else None
    try:
        with workspace.transaction() as session:
            person = _person(session, args.person)
            actor = Actor.local(person)
            certificate_id = certificates.upload_if_given(
                session, actor=actor, person=person, upload=upload, files_dir=workspace.files_dir
            )
            activity = activities.log_activity(
                session,
                actor=actor,
                person=person,
                data=data,
                today=_today(),
                certificate_id=certificate_id,
                confirm_duplicate=args.yes,
            )
    except InputError as error:
        raise CommandFailed(f"not logged: {error}", 2) from None
    except DuplicateActivity as error:
        raise CommandFailed(f"not logged: {error} (pass --yes to log it again)") from None
    print(f"logged activity {activity.id}: {activity.title}", file=sys.stderr)
    return 0


def _import_ce(args: argparse.Namespace) -> int:
    data = _read(args.file)
    workspace = open_workspace()
    try:
        with workspace.transaction() as session:
            person = _person(session, args.person)
            actor = Actor.local(person)
            preview = imports.preview_ce_import(
                session, actor=actor, person=person, data=data, today=_today()
            )
            for line, reason in preview.rejected:
                print(f"line {line}: rejected: {reason}")
            for line in preview.already_logged:
                print(f"line {line}: already in the CE log, skipped")
            print(
                f"{len(preview.accepted)} row(s) ready ({preview.hours:g} clock hours), "
                f"{len(preview.already_logged)} already logged, {len(preview.rejected)} rejected"
            )
            if args.dry_run:
                print("dry run: nothing written", file=sys.stderr)
                return 0
            if preview.rejected:
                raise CommandFailed(
                    "nothing written: fix or remove the rejected rows and import again"
                )
            outcome = imports.commit_ce_import(session, actor=actor, person=person, preview=preview)
    except InputError as error:
        raise CommandFailed(f"nothing written: {error}", 2) from None
    print(
        f"imported {len(outcome.created)} activities"
        + (
            f" ({outcome.already_logged} logged meanwhile, skipped)"
            if outcome.already_logged
            else ""
        ),
        file=sys.stderr,
    )
    return 0


# --- evaluation, backup, restore -------------------------------------------------------------


def _evaluate(args: argparse.Namespace) -> int:
    workspace = open_workspace()
    if args.workers < 1 or args.batch < 1:
        raise CommandFailed("--workers and --batch take a whole number of 1 or more")
    actor, today = Actor.system(), _today()
    dirty = reevaluation.mark_stale(
        workspace.engine, workspace.registry, today, actor=actor, everything=args.all
    )
    progress = Progress(dirty, "evaluating")
    started = time.perf_counter()
    try:
        evaluated = reevaluation.run(
            get_settings().resolved_database_url,
            workspace.registry,
            today,
            actor=actor,
            workers=args.workers,
            batch=args.batch,
            progress=progress.advance,
        )
    except reevaluation.WorkerFailed as failure:
        progress.done()
        raise CommandFailed(str(failure)) from failure
    progress.done()
    print(
        f"evaluated {evaluated} credential(s) with {args.workers} worker(s) "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


def _backup(args: argparse.Namespace) -> int:
    workspace = open_workspace()
    try:
        with workspace.transaction() as session:
            data = backup_bytes(session, workspace, actor=Actor.system())
    except ExportError as error:
        raise CommandFailed(f"no backup written: {error}") from None
    return _write(args.out, data)


def _restore(args: argparse.Namespace) -> int:
    data = _read(args.file)
    workspace = open_workspace()
    try:
        with workspace.transaction() as session:
            restored = restore_backup(
                session,
                workspace,
                actor=Actor.system(),
                data=data,
                progress=lambda table: print(f"restoring {table}", file=sys.stderr),
            )
    except BackupError as error:
        raise CommandFailed(f"nothing restored: {error}") from None
    summary = ", ".join(f"{count} {table}" for table, count in restored.items())
    print(f"restored {summary}", file=sys.stderr)
    return 0


# --- exports ---------------------------------------------------------------------------------

_Build = Callable[[Session, Workspace, Person, argparse.Namespace], bytes]


def _write(out: str, data: bytes) -> int:
    try:
        Path(out).write_bytes(data)
    except OSError as error:
        raise CommandFailed(f"{out}: cannot write: {error.strerror}", 2) from None
    print(f"wrote {out} ({len(data):,} bytes)", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    """Write one export of a person's records; the subcommand chose `args.build`."""
    workspace = open_workspace()
    try:
        with workspace.transaction() as session:
            person = _person(session, args.person)
            data = args.build(session, workspace, person, args)
    except (OSError, ExportError, Forbidden) as error:
        raise CommandFailed(f"cannot export: {error}") from None
    return _write(args.out, data)


def _alarm_days(text: str) -> tuple[int, ...]:
    """ "90,30,7" -> (90, 30, 7)."""
    try:
        days = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give whole days, e.g. 90,30,7") from None
    if any(day < 0 for day in days):
        raise argparse.ArgumentTypeError(f"{text!r}: days before cannot be negative")
    return days


def _export_packet(session, workspace, person, args) -> bytes:
    return reports.packet_bytes(
        session, workspace, actor=Actor.local(person), person=person, today=_today()
    )


def _export_ics(session, workspace, person, args) -> bytes:
    return reports.calendar_bytes(
        session,
        workspace,
        actor=Actor.local(person),
        person=person,
        today=_today(),
        alarms=args.alarms,
    )


def _export_csv(session, workspace, person, args) -> bytes:
    return reports.activities_csv(session, workspace, actor=Actor.local(person), person=person)


def _export_xlsx(session, workspace, person, args) -> bytes:
    return reports.activities_xlsx(session, workspace, actor=Actor.local(person), person=person)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give a date as YYYY-MM-DD") from None


def add_commands(commands: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """The data commands; returns `export`'s subcommands, which the organization's join."""
    database = commands.add_parser("db", help="the database")
    database_commands = database.add_subparsers(dest="db_command", required=True)
    database_commands.add_parser("upgrade", help="run migrations").set_defaults(handler=_db_upgrade)
    new_revision = database_commands.add_parser(
        "revision", help="write a new migration from the models (maintainers)"
    )
    new_revision.add_argument("-m", "--message", required=True, help="what the migration does")
    new_revision.set_defaults(handler=_db_revision)
    demo = commands.add_parser(
        "demo",
        help="load the demo clinician and a year of CE (--org: a synthetic organization)",
    )
    demo.add_argument(
        "--org",
        action="store_true",
        help="a synthetic organization instead: departments, licenses, years of CE, "
        "associates' weekly logs and signatures, verifications (for benchmarks)",
    )
    demo.add_argument(
        "--clinicians", type=int, metavar="N", help="with --org: how many (default 1000)"
    )
    demo.add_argument(
        "--seed", type=int, metavar="S", help="with --org: the same seed, the same data (default 1)"
    )
    demo.set_defaults(handler=_demo)

    log = commands.add_parser("log", help="log one CE activity for a person")
    log.add_argument("--person", required=True, metavar="EMAIL")
    log.add_argument("--title", required=True)
    log.add_argument("--date", required=True, type=_iso_date, help="completed on (YYYY-MM-DD)")
    log.add_argument("--hours", required=True, type=float, help="the amount, in --unit")
    log.add_argument("--unit", default="hours", choices=list(UNITS))
    log.add_argument("--category", action="append", metavar="C", help="a topic; repeatable")
    log.add_argument("--format", default="in_person", choices=list(FORMATS))
    log.add_argument("--type", default="course", help="activity type (default course)")
    log.add_argument("--provider", default="")
    log.add_argument("--notes", default="")
    log.add_argument("--certificate", metavar="FILE", help="a PDF, PNG or JPEG certificate")
    log.add_argument("--yes", action="store_true", help="log it even if it is already logged")
    log.set_defaults(handler=_log)

    importing = commands.add_parser("import", help="import records from a file")
    kinds = importing.add_subparsers(dest="import_command", required=True)
    ce = kinds.add_parser("ce", help="CE activities from a CSV file (cetrack's own export too)")
    ce.add_argument("file", metavar="FILE.csv")
    ce.add_argument("--person", required=True, metavar="EMAIL")
    ce.add_argument("--dry-run", action="store_true", help="print the row report, write nothing")
    ce.set_defaults(handler=_import_ce)

    evaluate = commands.add_parser("evaluate", help="re-evaluate stored results")
    which = evaluate.add_mutually_exclusive_group()
    which.add_argument("--stale", action="store_true", help="only what may have changed (default)")
    which.add_argument("--all", action="store_true", help="every credential")
    evaluate.add_argument(
        "--workers",
        type=int,
        default=reevaluation.default_workers(),
        help="worker processes (default: the core count); on PostgreSQL, workers started on "
        "other machines share the same work",
    )
    evaluate.add_argument(
        "--batch",
        type=int,
        default=reevaluation.DEFAULT_BATCH,
        help="credentials a worker claims at once",
    )
    evaluate.set_defaults(handler=_evaluate)

    backup = commands.add_parser("backup", help="write the whole database and files to one archive")
    backup.add_argument("--out", required=True, metavar="FILE")
    backup.set_defaults(handler=_backup)
    restore = commands.add_parser("restore", help="restore an archive into an empty database")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(handler=_restore)

    export = commands.add_parser("export", help="write a person's or an organization's records")
    export_kinds = export.add_subparsers(dest="export_command", required=True)

    def add(kind: str, help_text: str, build: _Build) -> argparse.ArgumentParser:
        parser = export_kinds.add_parser(kind, help=help_text)
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
    return export_kinds
