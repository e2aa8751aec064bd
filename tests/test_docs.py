"""The README keeps up with the code: every command and setting is documented."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from cetrack.cli import build_parser
from cetrack.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def commands(parser: argparse.ArgumentParser, prefix: str = "cetrack") -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = commands(sub, f"{prefix} {name}")
                found += nested or [f"{prefix} {name}"]
    return found


def test_every_command_is_in_the_readme():
    missing = [command for command in commands(build_parser()) if command not in README]
    assert missing == []


def test_every_setting_is_in_the_readme():
    for field in Settings.model_fields:
        assert f"CETRACK_{field.upper()}" in README
    assert "CETRACK_RULES_DIR" in README


def test_the_two_commands_are_make_targets():
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text("utf-8")
    for command in re.findall(r"^make (\w+)", README, flags=re.MULTILINE):
        assert re.search(rf"^{command}:", makefile, flags=re.MULTILINE), command
    assert "make run" in README and "make test" in README
