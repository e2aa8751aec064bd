"""The `cetrack` console script: the engine and rule files (`cli/rules.py`), and the records
the app writes and reads (`cli/data.py`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cetrack.cli import audit, bench, data, notify, organization, rules, serve, supervision, users


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cetrack", description="Continuing-education and licensure tracker."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    rules.add_commands(commands)
    export_kinds = data.add_commands(commands)
    organization.add_commands(commands, export_kinds)
    supervision.add_commands(commands, export_kinds)
    users.add_commands(commands)
    serve.add_commands(commands)
    audit.add_commands(commands)
    notify.add_commands(commands)
    bench.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except data.CommandFailed as failure:
        print(failure, file=sys.stderr)
        return failure.code


if __name__ == "__main__":
    sys.exit(main())
