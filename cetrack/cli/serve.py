"""`cetrack serve`: start the app (what `make run` does). In single-user mode it listens only
on this computer (127.0.0.1): with no sign-in, nobody else may reach it. Once accounts are on
it listens on every interface (or on `--address`), since everyone must sign in."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cetrack.services import accounts
from cetrack.services.workspace import open_workspace

APP = Path(__file__).resolve().parents[2] / "streamlit_app.py"
LOCAL_ONLY, EVERY_INTERFACE = "127.0.0.1", "0.0.0.0"


def listen_address(accounts_on: bool, requested: str | None) -> str:
    """Where the app listens; an address other than this computer needs accounts."""
    if not accounts_on:
        if requested not in (None, LOCAL_ONLY, "localhost"):
            raise ValueError(
                "single-user mode has no sign-in, so it serves only this computer: "
                "create the first admin (cetrack users add --role admin) to serve others"
            )
        return LOCAL_ONLY
    return requested or EVERY_INTERFACE


def _serve(args: argparse.Namespace) -> int:
    workspace = open_workspace()
    with workspace.transaction() as session:
        accounts_on = accounts.accounts_enabled(session)
    try:
        address = listen_address(accounts_on, args.address)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    mode = "accounts on: everyone signs in" if accounts_on else "single-user mode"
    print(f"{mode}; serving http://{address}:{args.port}", file=sys.stderr)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        address,
        "--server.port",
        str(args.port),
    ]
    if args.dry_run:
        print(" ".join(command))
        return 0
    os.execv(sys.executable, command)
    return 0  # not reached: the app replaces this process


def add_commands(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="start the app (local only in single-user mode)")
    serve.add_argument("--address", help="where to listen (needs accounts unless 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--dry-run", action="store_true", help="print the command, start nothing")
    serve.set_defaults(handler=_serve)
