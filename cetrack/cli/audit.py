"""`cetrack audit verify`: check the audit trail's SHA-256 chain (exit 1 at the first break)."""

from __future__ import annotations

import argparse
import sys

from cetrack.services import audit
from cetrack.services.actor import Actor
from cetrack.services.workspace import open_workspace


def _verify(args: argparse.Namespace) -> int:
    workspace = open_workspace()
    sealed = audit.seal_pending(workspace.engine)  # committed events not sealed yet
    with workspace.transaction() as session:
        report = audit.verify_chain(session, actor=Actor.system())
    if sealed:
        print(f"sealed {sealed} event(s) that were waiting", file=sys.stderr)
    broken = report.broken
    if broken is None:
        print(f"{report.events} audit events: the chain is intact")
        return 0
    print(
        f"audit event {broken.seq} (id {broken.event_id}, {broken.at:%Y-%m-%d %H:%M:%S} UTC, "
        f"{broken.action} {broken.entity}) breaks the chain: {broken.why}"
    )
    return 1


def add_commands(commands: argparse._SubParsersAction) -> None:
    trail = commands.add_parser("audit", help="the audit trail")
    kinds = trail.add_subparsers(dest="audit_command", required=True)
    kinds.add_parser("verify", help="check the SHA-256 chain of every event").set_defaults(
        handler=_verify
    )
