"""Engine throughput: how long evaluating many licenses takes. Prints figures; asserts nothing.

    python scripts/bench_engine.py [--licenses 300] [--sizes 20,60,150] [--rules TX/LCSW,...]
    python scripts/bench_engine.py --save before.json    # keep every result (minus `exact`)
    python scripts/bench_engine.py --compare before.json # ... and check they are unchanged

Each synthetic license holds activities spread over its current cycle and the two before it
(older ones must be cheap to set aside, and feed carryover and once-per-career requirements).
Topics are drawn from the rule's own requirements and from general ones, a quarter of the
activities carry two topics, a third are self-study, a few are exams, presentations or
independent study, and a few are logged in minutes or CEUs: the mix an organization's
records show. The rules were picked for their shapes: activity-type caps and topic minimums
(TX/LCSW), a self-study cap and one topic (NY/LMHC), a self-study cap and four topics
(MN/LICSW), a live minimum that overlaps a self-study cap (MD/LCPC), topics without caps
(PA/LPC) and once-per-career requirements (CA/LMFT).

Activities are generated before the clock starts: the figures are the engine's alone.
`--save`/`--compare` make the bench an equality check too: the same seed gives the same
licenses, so two versions of the engine can be compared result by result.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from datetime import date, timedelta

from cetrack.engine.ce import evaluate_ce
from cetrack.engine.records import Activity, LicenseFacts
from cetrack.rules.registry import Registry

AS_OF = date(2026, 11, 22)
RULES = ("TX/LCSW", "NY/LMHC", "MN/LICSW", "MD/LCPC", "PA/LPC", "CA/LMFT")
GENERAL = ["clinical", "trauma", "substance_use", "general", "couples_family"]
FORMATS = ["in_person", "live_online", "self_study"]
FORMAT_WEIGHTS = [0.3, 0.35, 0.35]
TYPES = ["course", "exam", "presentation", "independent_study"]
TYPE_WEIGHTS = [0.9, 0.03, 0.03, 0.04]


def rule_topics(rule) -> list[str]:
    ce = rule.ce[-1]
    return sorted({category for req in ce.requirements for category in req.categories}) or [
        "ethics"
    ]


def synthetic_license(rng: random.Random, rule, count: int) -> tuple[LicenseFacts, list[Activity]]:
    """A license of `rule` with `count` activities over its last three cycles."""
    birth = date(1960 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28))
    issued = date(2000 + rng.randrange(15), 1 + rng.randrange(12), 1 + rng.randrange(28))
    facts = LicenseFacts(issued=issued, birth_date=birth, first_renewal=False)
    cycle = evaluate_ce(rule, facts, [], AS_OF).cycle
    span = (cycle.end - cycle.start).days + 1
    start = max(issued, cycle.start - timedelta(days=2 * span))
    days = (AS_OF - start).days
    topics = rule_topics(rule)
    activities = []
    for index in range(count):
        pool = topics if rng.random() < 0.45 else GENERAL
        categories = [rng.choice(pool)]
        if rng.random() < 0.25:
            categories.append(rng.choice(topics + GENERAL))
        unit, amount = "hours", rng.choice([1, 1, 1.5, 2, 2, 3, 3, 4, 6])
        roll = rng.random()
        if roll < 0.05:
            unit, amount = "minutes", rng.choice([45, 60, 90, 120])
        elif roll < 0.08:
            unit, amount = "ceu", rng.choice([0.1, 0.3, 0.6])
        activities.append(
            Activity(
                id=f"a{index}",
                completed=start + timedelta(days=rng.randrange(days + 1)),
                amount=amount,
                unit=unit,
                categories=tuple(dict.fromkeys(categories)),
                format=rng.choices(FORMATS, FORMAT_WEIGHTS)[0],
                type=rng.choices(TYPES, TYPE_WEIGHTS)[0],
            )
        )
    return facts, activities


def fingerprint(result) -> str:
    """The result as stored, minus `exact` (which path ran is not part of the answer)."""
    data = result.model_dump(mode="json", exclude={"exact"})
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def run(rule, licenses: int, count: int, seed: int) -> tuple[float, int, list[str]]:
    rng = random.Random(seed)
    cases = [synthetic_license(rng, rule, count) for _ in range(licenses)]
    exact = 0
    results = []
    started = time.perf_counter()
    for facts, activities in cases:
        results.append(evaluate_ce(rule, facts, activities, AS_OF))
    seconds = time.perf_counter() - started
    exact = sum(result.exact for result in results)
    return seconds, exact, [fingerprint(result) for result in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--licenses", type=int, default=300)
    parser.add_argument("--sizes", default="20,60,150")
    parser.add_argument("--rules", default=",".join(RULES))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--save", help="write every result's fingerprint to this file")
    parser.add_argument("--compare", help="check every result against this file's")
    args = parser.parse_args()
    registry = Registry.from_directory()
    sizes = [int(size) for size in args.sizes.split(",")]
    prints: dict[str, list[str]] = {}
    total_seconds = total_licenses = total_exact = 0
    for count in sizes:
        for rule_id in args.rules.split(","):
            rule = registry.get(rule_id)
            seed = args.seed * 1000 + count + sum(map(ord, rule_id))
            seconds, exact, keys = run(rule, args.licenses, count, seed)
            prints[f"{rule_id}@{count}"] = keys
            total_seconds += seconds
            total_licenses += args.licenses
            total_exact += exact
            print(
                f"{rule_id:<9} {count:>3} activities x {args.licenses} licenses: "
                f"{seconds / args.licenses * 1000:6.3f} ms/license, "
                f"exact path {exact / args.licenses:4.0%}"
            )
    print(
        f"{'all':<9} {total_licenses} licenses: "
        f"{total_seconds / total_licenses * 1000:6.3f} ms/license, "
        f"exact path {total_exact / total_licenses:4.0%}"
    )
    if args.save:
        with open(args.save, "w", encoding="utf-8") as handle:
            json.dump(prints, handle)
    if args.compare:
        with open(args.compare, encoding="utf-8") as handle:
            saved = json.load(handle)
        differing = [
            f"{key}#{index}"
            for key, keys in prints.items()
            for index, (old, new) in enumerate(zip(saved.get(key, []), keys, strict=False))
            if old != new
        ]
        missing = [key for key in prints if key not in saved]
        print(f"compared with {args.compare}: {len(differing)} results differ", end="")
        print(f", {len(missing)} mixes not saved" if missing else "")
        if differing:
            print("  first: " + ", ".join(differing[:10]))
            sys.exit(1)


if __name__ == "__main__":
    main()
