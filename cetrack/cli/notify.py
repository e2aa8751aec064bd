"""`cetrack notify`: send the reminder emails that are due (clinicians' deadline digests at 90,
30 and 7 days, HR's weekly digest), once each, as cetrack itself. Run it daily from cron or a
systemd timer; a rerun sends nothing twice.

Prints one line per message (to, subject) and a total. `--dry-run` prints what would be sent
and sends, records and stores nothing. Exit 0 when every message went out; 1 when mail is not
set up or a message could not be sent (what was sent stays recorded; the rest go next run).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from pydantic import ValidationError
from sqlmodel import Session

from cetrack.cli.data import CommandFailed
from cetrack.db.models import utcnow
from cetrack.mail import Mailer, MailError, MailServer, build_message
from cetrack.services import notify
from cetrack.services.actor import Actor
from cetrack.services.workspace import open_workspace
from cetrack.settings import Settings, get_settings


class _ServerFailed(Exception):
    """The server cannot be used at all: stop, the rest would fail the same way."""

    def __init__(self, error: MailError):
        super().__init__(str(error))


def _settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as error:
        names = ", ".join(
            "CETRACK_" + str(item["loc"][0]).upper() for item in error.errors() if item["loc"]
        )
        raise CommandFailed(f"the settings are not valid: check {names}") from None


def _plural(count: int, word: str = "message") -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _dry_run(args: argparse.Namespace, settings: Settings, today: date) -> int:
    workspace = open_workspace(settings)
    with Session(workspace.engine, expire_on_commit=False) as session:
        try:
            planned = notify.plan_notices(
                session,
                actor=Actor.system(),
                registry=workspace.registry,
                today=today,
                base_url=settings.base_url,
            )
        finally:
            session.rollback()  # not even the evaluations it brought up to date are kept
    for notice in planned:
        print(f"{notice.to_address}: {notice.subject}")
        if args.body:
            print("", *(f"    {line}" for line in notice.body.splitlines()), "", sep="\n")
    print(f"dry run: {_plural(len(planned))} would be sent; nothing was sent or recorded")
    return 0


def _send(args: argparse.Namespace, settings: Settings, today: date) -> int:
    try:
        server = MailServer.from_settings(settings)
    except MailError as error:
        raise CommandFailed(str(error)) from None
    workspace = open_workspace(settings)
    system = Actor.system()
    with workspace.transaction() as session:
        planned = notify.plan_notices(
            session,
            actor=system,
            registry=workspace.registry,
            today=today,
            base_url=settings.base_url,
        )
    sent, refused = 0, []

    with Mailer(server) as mailer:

        def deliver(notice: notify.PlannedNotice) -> None:
            message = build_message(
                sender=server.sender,
                to=notice.to_address,
                subject=notice.subject,
                body=notice.body,
            )
            mailer.send(message)
            print(f"{notice.to_address}: {notice.subject}")

        def failed(notice: notify.PlannedNotice, error: MailError) -> None:
            if not error.per_message:
                raise _ServerFailed(error)
            refused.append(notice)
            print(f"not sent to {notice.to_address}: {error}", file=sys.stderr)

        try:
            for notice in planned:  # one transaction each: what was sent stays recorded
                with workspace.transaction() as session:
                    sent += notify.send_notices(
                        session,
                        actor=system,
                        planned=[notice],
                        send=deliver,
                        now=utcnow(),
                        failed=failed,
                    )
        except _ServerFailed as error:
            left = len(planned) - sent
            raise CommandFailed(
                f"{error}; sent {sent} of {len(planned)}, the other {left} go on the next run"
            ) from None
    print(f"sent {_plural(sent)}")
    if refused:
        print(
            f"{_plural(len(refused))} could not be sent; they are tried again on the next run",
            file=sys.stderr,
        )
        return 1
    return 0


def _notify(args: argparse.Namespace) -> int:
    settings = _settings()
    today = args.today or settings.current_date()
    if args.dry_run:
        return _dry_run(args, settings, today)
    if args.body:
        raise CommandFailed("--body only goes with --dry-run", 2)
    return _send(args, settings, today)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def add_commands(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "notify", help="email the reminders that are due (deadline digests, HR's weekly digest)"
    )
    command.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be sent; send, record and store nothing",
    )
    command.add_argument("--body", action="store_true", help="with --dry-run: print each message")
    command.add_argument(
        "--today", type=_day, help="the date to remind as of (YYYY-MM-DD; default today)"
    )
    command.set_defaults(handler=_notify)
