"""`cetrack users`: accounts from the server's command line, acting as cetrack itself.

Passwords are read from standard input (`--password-stdin`) or typed at a prompt, never
given as arguments (they would show in the shell history and the process list) and never
printed. The first account must be an admin's; it turns accounts on.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from cetrack.services import accounts
from cetrack.services.actor import ROLES, Actor
from cetrack.services.errors import InputError, NotFound
from cetrack.services.workspace import open_workspace
from cetrack.settings import get_settings


class _Refused(Exception):
    """The input was wrong: printed, exit 2."""


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise _Refused("give the password on standard input with --password-stdin")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise _Refused("the two passwords differ")
    return first


def _fields(error: InputError) -> str:
    return "; ".join(f"{field}: {message}" for field, message in error.errors.items())


def _add(args: argparse.Namespace) -> int:
    password = _password(args)
    workspace = open_workspace()
    today = get_settings().current_date()
    with workspace.transaction() as session:
        system = Actor.system()
        if not accounts.accounts_enabled(session):
            account = accounts.first_admin(
                session,
                email=args.email,
                name=args.name,
                password=password,
                organization=args.organization,
                roles=tuple(args.role),
                department=args.department,
                today=today,
            )
            note = "accounts are now on: the app asks everyone to sign in"
        else:
            organization = accounts.organization_named(
                session, actor=system, name=args.organization
            )
            account = accounts.add_account(
                session,
                actor=system,
                organization=organization,
                email=args.email,
                name=args.name,
                roles=args.role,
                password=password,
                department=args.department,
                today=today,
            )
            note = "added"
    print(f"account {account.id} for {args.email.strip().lower()}: {note}", file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    workspace = open_workspace()
    with workspace.transaction() as session:
        rows = accounts.list_accounts(session, actor=Actor.system())
    for row in rows:
        last = row.last_sign_in_at.isoformat(timespec="minutes") if row.last_sign_in_at else "-"
        print(
            f"{row.email:<32} {row.status:<12} {','.join(row.roles):<24} "
            f"{row.organization}  last sign-in {last}"
        )
    if not rows:
        print("no accounts: cetrack is in single-user mode", file=sys.stderr)
    return 0


def _deactivate(args: argparse.Namespace) -> int:
    workspace = open_workspace()
    with workspace.transaction() as session:
        system = Actor.system()
        account = accounts.account_of(session, actor=system, email=args.email)
        accounts.set_status(session, actor=system, account_id=account.id, active=False)
    print(f"deactivated {args.email}; their records stay", file=sys.stderr)
    return 0


def _reset_password(args: argparse.Namespace) -> int:
    password = _password(args)
    workspace = open_workspace()
    with workspace.transaction() as session:
        system = Actor.system()
        account = accounts.account_of(session, actor=system, email=args.email)
        accounts.reset_password(session, actor=system, account_id=account.id, password=password)
    print(f"new password set for {args.email}; its lockout is cleared", file=sys.stderr)
    return 0


def _guarded(handler):
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except InputError as error:
            print(_fields(error), file=sys.stderr)
            return 2
        except (_Refused, NotFound) as error:
            print(str(error).strip("'\""), file=sys.stderr)
            return 2

    return run


def add_commands(commands: argparse._SubParsersAction) -> None:
    users = commands.add_parser("users", help="accounts: add, list, deactivate, reset passwords")
    kinds = users.add_subparsers(dest="users_command", required=True)

    add = kinds.add_parser("add", help="add an account (the first must be an admin's)")
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True)
    add.add_argument(
        "--role",
        action="append",
        required=True,
        choices=ROLES,
        help="repeatable: clinician, supervisor, hr, admin",
    )
    add.add_argument("--organization", default="cetrack", help="created if new")
    add.add_argument("--department", default="")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.set_defaults(handler=_guarded(_add))

    kinds.add_parser("list", help="every account").set_defaults(handler=_guarded(_list))

    deactivate = kinds.add_parser("deactivate", help="stop an account signing in")
    deactivate.add_argument("email")
    deactivate.set_defaults(handler=_guarded(_deactivate))

    reset = kinds.add_parser("reset-password", help="set a new password")
    reset.add_argument("email")
    reset.add_argument("--password-stdin", action="store_true", help="read it from stdin")
    reset.set_defaults(handler=_guarded(_reset_password))
