"""The page benchmark runs and prints a figure for every page (its numbers are not asserted:
targets live in the benchmark's output and the README)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_page_benchmark_prints_every_page():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_pages.py"), "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    lines = done.stdout.splitlines()
    for page in ("Dashboard", "CE log", "Licenses & certifications", "Reports", "Rules"):
        assert any(line.strip().startswith(page) and " ms" in line for line in lines), done.stdout
    assert any("log one activity" in line for line in lines)
