"""The rule files ship inside the package: an installed wheel finds them outside any checkout,
and CETRACK_RULES_DIR (through the settings) points elsewhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cetrack.rules.paths import SHIPPED_RULES_DIR, default_rules_dir
from cetrack.rules.registry import Registry

ROOT = Path(__file__).resolve().parents[1]


def test_the_rules_directory_comes_from_the_settings(tmp_path, monkeypatch):
    assert default_rules_dir() == SHIPPED_RULES_DIR
    monkeypatch.setenv("CETRACK_RULES_DIR", str(tmp_path))
    assert default_rules_dir() == tmp_path


@pytest.mark.slow
def test_an_installed_wheel_finds_its_rules(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("cetrack-*.whl")
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(installed)
    probe = (
        "from cetrack.rules.paths import default_rules_dir; "
        "from cetrack.rules.registry import Registry; "
        "registry = Registry.from_directory(); "
        "print(default_rules_dir()); print(len(registry.rules), len(registry.errors))"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env={"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert Path(out[0]).is_relative_to(installed)
    assert (int(out[1]), int(out[2])) == (len(Registry.from_directory().rules), 0)
