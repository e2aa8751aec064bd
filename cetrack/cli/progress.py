"""A text progress bar on standard error for long commands."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """`advance()` per item done; redraws at most ten times a second, and `done()` ends it."""

    def __init__(self, total: int, label: str, *, stream: TextIO | None = None, width: int = 30):
        self.total, self.label, self.width = total, label, width
        self.stream = stream or sys.stderr
        self.count = 0
        self._drawn = 0.0
        self._draw()

    def advance(self, items: int = 1) -> None:
        self.count += items
        if time.monotonic() - self._drawn > 0.1 or self.count >= self.total:
            self._draw()

    def _draw(self) -> None:
        share = self.count / self.total if self.total else 1.0
        filled = round(share * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.count}/{self.total}")
        self.stream.flush()
        self._drawn = time.monotonic()

    def done(self) -> None:
        self._draw()
        self.stream.write("\n")
