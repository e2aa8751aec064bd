"""`cetrack bench` at a small size, on SQLite and PostgreSQL: it builds the organization once,
reuses it, and prints every figure the README reports, each measured."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func
from sqlmodel import select

from cetrack.cli import main
from cetrack.db.models import Activity, Credential
from cetrack.services.workspace import open_workspace
from cetrack.settings import get_settings

FIGURES = (
    "read_s",
    "reevaluate_s",
    "reevaluate_over_read",
    "log_activity_ms",
    "clinician_dashboard_ms",
    "hr_dashboard_ms",
    "export_org_ics_ms",
    "export_roster_xlsx_ms",
    "peak_rss_mb",
)


@pytest.mark.slow
def test_the_bench_builds_once_then_reuses_and_measures_every_figure(
    database_url, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("CETRACK_DATABASE_URL", database_url)
    monkeypatch.setenv("CETRACK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CETRACK_TODAY", "2026-11-22")
    get_settings.cache_clear()
    args = ["bench", "--clinicians", "6", "--runs", "1", "--workers", "2"]
    assert main(args) == 0
    first = capsys.readouterr()
    assert "building the organization" in first.err
    figures = json.loads(first.out)
    assert all(figures[name] > 0 for name in FIGURES), figures
    with open_workspace().transaction() as session:
        rows = session.exec(select(func.count()).select_from(Activity)).one()
        live = session.exec(select(func.count()).where(Activity.deleted_at.is_(None))).one()
        credentials = session.exec(select(func.count()).select_from(Credential)).one()
    assert figures["activities"] == live == rows - 1  # every row read; the one it logged, removed
    assert 6 <= figures["credentials_evaluated"] <= credentials
    assert figures["reevaluate_over_read"] == round(figures["reevaluate_s"] / figures["read_s"], 2)
    assert main(args) == 0
    again = capsys.readouterr()
    assert "building the organization" not in again.err  # the organization is reused
    assert json.loads(again.out)["activities"] == rows
    get_settings.cache_clear()
