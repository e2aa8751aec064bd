"""The "how to add a state" checklist of state_rules/README.md, followed literally with a
fixture state (ZZ, not a real one) in a temporary copy of the rules directory."""

from __future__ import annotations

import json
import shutil

import yaml

from cetrack.cli import main
from cetrack.rules.docs import render_readme
from cetrack.rules.paths import default_rules_dir
from cetrack.rules.provenance import cited_numbers
from cetrack.rules.registry import Registry
from cetrack.scenario import run_scenario
from cetrack.scenario.expect import mismatches
from tests.rules.test_state_rules import required_golden_names

BOARD = {
    "state": "ZZ",
    "boards": {
        "zzbh": {
            "name": "Fixture Board of Behavioral Health",
            "url": "https://behavioral.zz.gov/",
            "verification_url": "https://behavioral.zz.gov/lookup",
        }
    },
    "sources": [
        {
            "id": "zz-rule-10",
            "title": "ZZ Admin. Code 10.1 Continuing education (fixture)",
            "url": "https://rules.zz.gov/10-1",
            "retrieved": "2026-12-01",
            "authority": "official",
        }
    ],
    "shared": {
        "zzbh": {
            "renewal": [
                {
                    "cycle_months": 24,
                    "expiration": {"model": "fixed_date", "month": 6, "day": 30, "parity": "odd"},
                    "source": "zz-rule-10",
                }
            ]
        }
    },
}

LICENSE = {
    "state": "ZZ",
    "license": "LPC",
    "title": "Licensed Professional Counselor (fixture)",
    "profession": "counselor",
    "tier": "independent",
    "board": "zzbh",
    "verified_on": "2026-12-01",
    "sources": [
        {
            "id": "zz-provider-summary",
            "title": "A CE provider's summary of ZZ rules (fixture)",
            "url": "https://ce-provider.example.com/zz",
            "retrieved": "2026-12-01",
            "authority": "secondary",
        }
    ],
    "ce": [
        {
            "total_hours": 20,
            "source": "zz-rule-10",
            "units": {"source": "zz-rule-10"},
            "requirements": [
                {"id": "ethics", "title": "Ethics", "hours": 3, "categories": ["ethics"]}
            ],
            "caps": [
                {
                    "id": "self_study",
                    "title": "self-study",
                    "max_hours": 10,
                    "formats": ["self_study"],
                    "source": "zz-provider-summary",
                }
            ],
            "carryover": {"max_hours": 0, "source": "zz-rule-10"},
            "first_renewal": {"mode": "exempt", "source": "zz-rule-10"},
        }
    ],
}


def scenario(name: str, activities: list[dict], expect: dict, **license_facts) -> dict:
    return {
        "kind": "ce",
        "description": f"Fixture case {name}.",
        "as_of": "2026-11-22",
        "rule": "ZZ/LPC",
        "license": {"expires": "2027-06-30", "issued": "2015-01-10", **license_facts},
        "activities": activities,
        "expect": expect,
    }


def course(activity_id: str, hours: float, category: str, fmt: str = "in_person") -> dict:
    return {
        "id": activity_id,
        "completed": "2026-03-01",
        "hours": hours,
        "categories": [category],
        "format": fmt,
    }


SCENARIOS = {
    "compliant": scenario(
        "compliant",
        [course("a", 3, "ethics"), course("b", 17, "trauma")],
        {"status": "compliant", "total.counted": 20},
    ),
    "category_short": scenario(
        "category_short",
        [course("a", 1, "ethics"), course("b", 19, "trauma")],
        {"status": "incomplete", "requirements.ethics.remaining": 2},
    ),
    "cap_excludes": scenario(
        "cap_excludes",
        [course("a", 3, "ethics"), course("b", 17, "trauma", "self_study")],
        {"activities.b.excluded": 7, "total.counted": 13},
    ),
    "first_renewal": scenario(
        "first_renewal", [], {"status": "exempt", "total.required": 0}, issued="2026-01-10"
    ),
    "carryover": scenario(
        "carryover",
        [course("a", 3, "ethics"), course("b", 27, "trauma")],
        {"carryover.out": 0},
    ),
}


def test_the_checklist_adds_a_state_that_passes_every_registry_check(tmp_path, capsys):
    rules = tmp_path / "state_rules"
    shutil.copytree(default_rules_dir(), rules)
    golden = tmp_path / "golden"
    # 2. shared facts, 3. one file per license
    (rules / "ZZ").mkdir()
    (rules / "ZZ" / "_board.yaml").write_text(yaml.safe_dump(BOARD, sort_keys=False), "utf-8")
    (rules / "ZZ" / "LPC.yaml").write_text(yaml.safe_dump(LICENSE, sort_keys=False), "utf-8")
    # 4. lint
    assert main(["rules", "lint", str(rules / "ZZ")]) == 0, capsys.readouterr().out
    assert main(["rules", "lint", str(rules)]) == 0
    registry = Registry.from_directory(rules)
    rule = registry.get("ZZ/LPC")
    assert rule.board == "Fixture Board of Behavioral Health"
    # 5. golden scenarios with hand-derived facts, 6. expected results, reviewed
    folder = golden / "ZZ" / "LPC"
    folder.mkdir(parents=True)
    for name, data in SCENARIOS.items():
        (folder / f"{name}.json").write_text(json.dumps(data, indent=2), "utf-8")
        result = run_scenario(data, registry)
        assert mismatches(data["expect"], result) == [], name
        (folder / f"{name}.expected.json").write_text(json.dumps(result, indent=2), "utf-8")
    written = {path.stem for path in folder.glob("*.json") if ".expected" not in path.name}
    assert required_golden_names(rule) <= written
    assert main(["check", str(folder / "compliant.json"), "--rules", str(rules)]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "compliant"
    # 7. tables: the state appears with its confidence, and the cap shows as unconfirmed
    readme = (rules / "README.md").read_text("utf-8")
    assert "[LPC](ZZ/LPC.yaml)" in render_readme(readme, registry)
    assert main(["rules", "coverage", "--path", str(rules)]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("| ZZ |"))
    numbers = cited_numbers(rule)
    assert [number.path for number in numbers if not number.confirmed] == [
        "ce[0].caps[0].max_hours"
    ]
    assert f"LPC ({(len(numbers) - 1) / len(numbers):.0%}, 2026-12-01)" in row
