"""Page speed: each page's server-side script time through AppTest, for the demo clinician.
Prints figures (the median of `--runs` runs); asserts nothing.

    python scripts/bench_pages.py [--runs 10]

Targets: 300 ms or less for every page; 50 ms or less to log one activity, including its
re-evaluation (the service call, then reading every credential's status as the dashboard does).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cetrack.services import activities, evaluation
from cetrack.services.actor import Actor
from cetrack.services.people import first_person
from cetrack.services.workspace import open_workspace
from cetrack.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 22)
PAGES = {
    "Dashboard": "cetrack/ui/dashboard.py",
    "CE log": "cetrack/ui/ce_log.py",
    "Licenses & certifications": "cetrack/ui/credentials.py",
    "Reports": "cetrack/ui/reports.py",
    "Rules": "cetrack/ui/rules_browser.py",
}


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def page_times(runs: int) -> dict[str, float]:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.session_state["today"] = TODAY
    at.run()
    at.button(key="load_demo").click().run()
    figures = {}
    for name, path in PAGES.items():
        at.switch_page(path).run()  # first run: imports and caches warm up
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            samples.append(time.perf_counter() - start)
            assert not at.exception, at.exception
        figures[name] = median_ms(samples)
    return figures


def logging_time(runs: int) -> float:
    ws = open_workspace(Settings())
    with ws.transaction() as session:
        person = first_person(session)
    actor = Actor.local(person)
    samples = []
    for index in range(runs):
        data = {
            "title": f"Benchmark course {index}",
            "completed": date(2026, 11, 1),
            "amount": 1,
            "categories": ["ethics"],
            "format": "live_online",
        }
        start = time.perf_counter()
        with ws.transaction() as session:
            activities.log_activity(session, actor=actor, person=person, data=data, today=TODAY)
        with ws.transaction() as session:
            evaluation.credential_statuses(
                session, actor=actor, person=person, registry=ws.registry, today=TODAY
            )
        samples.append(time.perf_counter() - start)
    return median_ms(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["CETRACK_DATA_DIR"] = data_dir
        os.environ.pop("CETRACK_DATABASE_URL", None)
        figures = page_times(args.runs)
        logged = logging_time(args.runs)
    print(f"server-side script time, median of {args.runs} runs (demo clinician, SQLite)")
    for name, ms in figures.items():
        mark = "ok" if ms <= 300 else "OVER 300 ms"
        print(f"  {name:<28} {ms:7.1f} ms  {mark}")
    mark = "ok" if logged <= 50 else "OVER 50 ms"
    print(f"  {'log one activity + re-eval':<28} {logged:7.1f} ms  {mark}")


if __name__ == "__main__":
    main()
