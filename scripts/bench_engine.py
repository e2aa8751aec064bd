"""Engine throughput: how long evaluating many licenses takes. Prints figures; asserts nothing.

    python scripts/bench_engine.py [--licenses 2000] [--activities 25]

Each synthetic license holds a year and a half of CE activities; half use single-category
activities (the fast path), half multi-category activities and a live minimum (the exact
linear-programming path).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from cetrack.engine.ce import evaluate_ce
from cetrack.engine.records import Activity, LicenseFacts
from cetrack.rules.registry import Registry

CATEGORIES = ["ethics", "cultural_competency", "trauma", "clinical", "suicide_prevention"]
FORMATS = ["in_person", "live_online", "self_study"]


def synthetic_activities(rng: random.Random, count: int, multi: bool) -> list[Activity]:
    activities = []
    for index in range(count):
        categories = rng.sample(CATEGORIES, 2 if multi and rng.random() < 0.5 else 1)
        activities.append(
            Activity(
                id=f"a{index}",
                completed=date(2025, 8, 1) + timedelta(days=rng.randrange(480)),
                amount=rng.choice([1, 1.5, 2, 3, 6]),
                categories=tuple(categories),
                format=rng.choice(FORMATS),
            )
        )
    return activities


def run(rule_id: str, licenses: int, count: int, multi: bool) -> tuple[float, int]:
    registry = Registry.from_directory()
    rule = registry.get(rule_id)
    rng = random.Random(7)
    facts = LicenseFacts(expires=date(2027, 6, 30), issued=date(2012, 5, 1))
    exact = 0
    started = time.perf_counter()
    for _ in range(licenses):
        result = evaluate_ce(
            rule, facts, synthetic_activities(rng, count, multi), date(2026, 11, 22)
        )
        exact += result.exact
    return time.perf_counter() - started, exact


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--licenses", type=int, default=1000)
    parser.add_argument("--activities", type=int, default=25)
    args = parser.parse_args()
    for rule_id, multi, label in (
        ("TX/LCSW", False, "single-category activities"),
        ("TX/LCSW", True, "multi-category activities"),
        ("NY/LMHC", True, "multi-category, self-study cap"),
    ):
        seconds, exact = run(rule_id, args.licenses, args.activities, multi)
        print(
            f"{rule_id:<9} {label:<32} {args.licenses} licenses x {args.activities} activities: "
            f"{seconds:6.2f} s, {seconds / args.licenses * 1000:6.2f} ms/license, "
            f"{args.licenses / seconds:7.0f} licenses/s, exact path {exact / args.licenses:.0%}"
        )


if __name__ == "__main__":
    main()
