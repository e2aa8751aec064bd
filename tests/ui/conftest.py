"""AppTest runs the real app on a fresh SQLite database in a temporary data directory."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 22)


@pytest.fixture
def app(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("CETRACK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CETRACK_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.session_state["today"] = TODAY
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def app_factory(tmp_path, monkeypatch):
    """Another browser session on the same database (the `app` fixture's)."""

    def new_session() -> AppTest:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
        at.session_state["today"] = TODAY
        return at

    return new_session


@pytest.fixture
def demo_app(app) -> AppTest:
    app.button(key="load_demo").click().run()
    assert not app.exception, app.exception
    return app


def texts(at: AppTest) -> str:
    """Everything the page wrote, as one string."""
    parts = [
        element.value
        for kind in (
            "title",
            "subheader",
            "markdown",
            "caption",
            "info",
            "success",
            "warning",
            "error",
            "header",
            "text",
        )
        for element in getattr(at, kind)
    ]
    return "\n".join(shown(str(part)) for part in parts)


def shown(markdown: str) -> str:
    """Markdown source as it reads on screen once CommonMark's backslash escapes are applied."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def open_page(at: AppTest, path: str) -> AppTest:
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def by_label(elements, label: str):
    """The first widget whose label starts with `label`."""
    return next(element for element in elements if element.label.startswith(label))
