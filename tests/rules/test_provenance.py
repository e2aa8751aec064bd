"""Every number of a rule file is traced to its source; confidence is the confirmed share."""

from __future__ import annotations

import pytest

from cetrack.rules.provenance import cited_numbers, confidence, unconfirmed_sources
from cetrack.rules.registry import Registry
from tests.factories import SOURCE, ce_data, make_rule

SECONDARY = {
    **SOURCE,
    "id": "summary",
    "url": "https://ce-provider.example.com/summary",
    "authority": "secondary",
}


def test_each_number_is_cited_by_its_nearest_source():
    rule = make_rule(
        sources=[SOURCE, SECONDARY],
        ce=[
            ce_data(
                requirements=[
                    {"id": "ethics", "title": "Ethics", "hours": 6, "categories": ["ethics"]},
                    {
                        "id": "suicide",
                        "title": "Suicide prevention",
                        "hours": 3,
                        "categories": ["suicide_prevention"],
                        "source": "summary",
                    },
                ]
            )
        ],
    )
    cited = {number.path: number for number in cited_numbers(rule)}
    assert cited["ce[0].requirements[0].hours"].source == "src"
    assert cited["ce[0].requirements[1].hours"].source == "summary"
    assert not cited["ce[0].requirements[1].hours"].confirmed
    assert cited["renewal[0].expiration.month"].value == 6
    # numbers left at their defaults are not written in the file, so not counted
    assert "ce[0].units.hour_minutes" not in cited
    confirmed = sum(number.confirmed for number in cited.values())
    assert confidence(rule) == pytest.approx(confirmed / len(cited))
    assert confidence(rule) < 1
    assert unconfirmed_sources(rule) == {"summary"}


def test_an_all_official_file_has_full_confidence():
    assert confidence(make_rule()) == 1.0


@pytest.mark.parametrize("rule_id", Registry.from_directory().ids())
def test_every_shipped_number_names_a_source_of_its_file(rule_id):
    rule = Registry.from_directory().get(rule_id)
    known = {source.id for source in rule.sources}
    numbers = cited_numbers(rule)
    assert numbers, "a rule file without numbers"
    assert all(number.source in known for number in numbers)
    assert 0 <= confidence(rule) <= 1
