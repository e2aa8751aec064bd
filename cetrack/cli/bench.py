"""`cetrack bench`: builds (or reuses) the synthetic organization on the configured database
and prints one JSON object of figures, all measured in the same run. It asserts nothing: the
targets live in the README, beside the figures measured here."""

from __future__ import annotations

import argparse
import json
import logging
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import String, cast, func
from sqlmodel import select

from cetrack.cli.progress import Progress
from cetrack.db.models import Account, Membership, Organization, Person
from cetrack.roles import CLINICIAN, HR
from cetrack.services import accounts, activities, evaluation, org_reports, reevaluation
from cetrack.services.actor import Actor
from cetrack.services.synthetic_org import ORGANIZATION_NAME, generate_organization
from cetrack.services.workspace import Workspace, open_workspace
from cetrack.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "bench password, not for real use"
PAGES = {
    "clinician_dashboard_ms": "cetrack/ui/dashboard.py",
    "hr_dashboard_ms": "cetrack/ui/compliance.py",
}


def _median_ms(step: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        samples.append(time.perf_counter() - started)
    return round(statistics.median(samples) * 1000, 1)


def _read_s(workspace: Workspace) -> tuple[float, int]:
    """The floor: every activity row into memory through the DB-API, no ORM, no DataFrame."""
    connection = workspace.engine.raw_connection()
    try:
        cursor = connection.cursor()
        started = time.perf_counter()
        cursor.execute("SELECT * FROM activity")
        rows = cursor.fetchall()
        seconds = time.perf_counter() - started
        cursor.close()
    finally:
        connection.close()
    return round(seconds, 3), len(rows)


def _organization(workspace: Workspace, clinicians: int, seed: int, today: date) -> Organization:
    """The synthetic organization: built now, or the one this database already holds."""
    named = select(Organization).where(Organization.name == ORGANIZATION_NAME)
    with workspace.transaction() as session:
        loaded = session.exec(named).first()
    if loaded is not None:
        print(f"reusing {ORGANIZATION_NAME} in this database", file=sys.stderr)
        return loaded
    bar = Progress(clinicians, "building the organization")
    generate_organization(
        workspace,
        actor=Actor.system(),
        clinicians=clinicians,
        seed=seed,
        today=today,
        progress=bar.advance,
    )
    bar.done()
    with workspace.transaction() as session:
        return session.exec(named).one()


def _member(
    workspace: Workspace, organization: Organization, role: str, today: date
) -> tuple[Person, int]:
    """The organization's first member with `role`, and their account (made if missing)."""
    with workspace.transaction() as session:
        person = session.exec(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(
                Membership.organization_id == organization.id,
                Membership.active,
                cast(Membership.roles, String).like(f'%"{role}"%'),
            )
            .order_by(Person.id)
        ).first()
        account_id = session.exec(select(Account.id).where(Account.person_id == person.id)).first()
        if account_id is None:
            account_id = accounts.add_account(
                session,
                actor=Actor.system(),
                organization=organization,
                email=person.email,
                name=person.name,
                roles=[role],
                password=PASSWORD,
                today=today,
            ).id
    return person, account_id


def _page_ms(person: Person, page: str, today: date, runs: int) -> float:
    """The page's server-side script time through AppTest, signed in as `person`."""
    from streamlit.testing.v1 import AppTest

    # AppTest's bare-mode notices, once per cached call: not the benchmark's to print
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )

    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
    app.session_state["today"] = today
    app.run()
    next(field for field in app.text_input if field.label == "Email").input(person.email)
    next(field for field in app.text_input if field.label == "Password").input(PASSWORD)
    next(button for button in app.button if button.label == "Sign in").click().run()
    app.switch_page(page).run()  # the first run warms imports and caches
    if app.exception:
        raise RuntimeError(f"{page} failed: {app.exception[0].value}")
    return _median_ms(app.run, runs)


def _log_activity_ms(workspace: Workspace, organization: Organization, runs: int, today: date):
    """A clinician logs one activity and reads every credential's status (its re-evaluation);
    the activities are removed again afterwards."""
    with workspace.transaction() as session:
        ids = session.exec(
            select(Membership.person_id).where(Membership.organization_id == organization.id)
        ).all()
    rng = random.Random(5)
    people = rng.sample(ids, min(runs, len(ids)))
    logged: list[tuple[Person, int]] = []

    def log_one() -> None:
        with workspace.transaction() as session:
            person = session.get(Person, people[len(logged) % len(people)])
            item = activities.log_activity(
                session,
                actor=Actor.local(person),
                person=person,
                data={
                    "title": f"Benchmark course {len(logged)}",
                    "completed": today,
                    "amount": 1,
                    "categories": ["ethics"],
                    "format": "live_online",
                },
                today=today,
            )
        logged.append((person, item.id))
        with workspace.transaction() as session:
            evaluation.credential_statuses(
                session,
                actor=Actor.local(person),
                person=person,
                registry=workspace.registry,
                today=today,
            )

    figure = _median_ms(log_one, runs)
    with workspace.transaction() as session:
        for person, activity_id in logged:
            activities.delete_activity(session, actor=Actor.local(person), activity_id=activity_id)
    return figure


def _export_ms(
    workspace: Workspace, organization: Organization, hr_account: int, kind: str, today: date
) -> float:
    def export() -> None:
        with workspace.transaction() as session:
            hr = accounts.actor_for(session, hr_account)
            org_reports.organization_export(
                session,
                actor=hr,
                organization=organization,
                registry=workspace.registry,
                today=today,
                kind=kind,
            )

    return _median_ms(export, 1)


def _members(workspace: Workspace, organization: Organization) -> int:
    with workspace.transaction() as session:
        return session.exec(
            select(func.count()).where(Membership.organization_id == organization.id)
        ).one()


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, workers) / 1024, 1)  # Linux reports kilobytes


def _bench(args: argparse.Namespace) -> int:
    workspace = open_workspace()
    today = get_settings().current_date()
    organization = _organization(workspace, args.clinicians, args.seed, today)
    read_s, rows = _read_s(workspace)
    started = time.perf_counter()
    reevaluation.mark_stale(
        workspace.engine, workspace.registry, today, actor=Actor.system(), everything=True
    )
    evaluated = reevaluation.run(
        get_settings().resolved_database_url,
        workspace.registry,
        today,
        actor=Actor.system(),
        workers=args.workers,
    )
    reevaluate_s = round(time.perf_counter() - started, 3)
    (clinician, _), (hr, hr_account) = (
        _member(workspace, organization, role, today) for role in (CLINICIAN, HR)
    )
    figures = {
        "database": workspace.engine.dialect.name,
        "members": _members(workspace, organization),
        "activities": rows,
        "credentials_evaluated": evaluated,
        "workers": args.workers,
        "read_s": read_s,
        "reevaluate_s": reevaluate_s,
        "reevaluate_over_read": round(reevaluate_s / read_s, 2) if read_s else None,
        "log_activity_ms": _log_activity_ms(workspace, organization, args.runs, today),
        **{
            figure: _page_ms(person, page, today, args.runs)
            for (figure, page), person in zip(PAGES.items(), (clinician, hr), strict=True)
        },
        "export_org_ics_ms": _export_ms(workspace, organization, hr_account, "ics", today),
        "export_roster_xlsx_ms": _export_ms(workspace, organization, hr_account, "xlsx", today),
        "peak_rss_mb": _peak_rss_mb(),
    }
    print(json.dumps(figures))
    return 0


def add_commands(commands) -> None:
    bench = commands.add_parser(
        "bench", help="measure cetrack on a synthetic organization (prints JSON)"
    )
    bench.add_argument("--clinicians", type=int, default=10_000)
    bench.add_argument("--seed", type=int, default=1)
    bench.add_argument("--workers", type=int, default=reevaluation.default_workers())
    bench.add_argument("--runs", type=int, default=5, help="runs per median")
    bench.set_defaults(handler=_bench)
