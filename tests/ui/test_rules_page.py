"""Rules browser: every rule can be read, with its sources and verification date."""

from __future__ import annotations

import pytest

from cetrack.rules.registry import Registry
from tests.ui.conftest import texts

RULE_IDS = Registry.from_directory().ids()


@pytest.mark.parametrize("rule_id", ["TX/LPC", "CA/LMFT", "national/NCC"])
def test_a_rule_shows_its_numbers_and_sources(demo_app, rule_id):
    at = demo_app.switch_page("cetrack/ui/rules_browser.py").run()
    state = rule_id.split("/")[0]
    at.selectbox(key="rules_state").select(state).run()
    at.selectbox(key="rules_id").select(rule_id).run()
    assert not at.exception, at.exception
    rule = Registry.from_directory().get(rule_id)
    page = texts(at)
    assert f"{rule.title} ({rule.id})" in page
    assert f"**Verified:** {rule.verified_on}" in page
    assert f"**{rule.ce[-1].total_hours:g} hours** per cycle" in page
    sources = at.dataframe[-1].value
    assert list(sources["URL"]) == [source.url for source in rule.sources]


def test_every_rule_renders(demo_app):
    at = demo_app.switch_page("cetrack/ui/rules_browser.py").run()
    for rule_id in RULE_IDS:
        at.selectbox(key="rules_state").select(rule_id.split("/")[0]).run()
        at.selectbox(key="rules_id").select(rule_id).run()
        assert not at.exception, (rule_id, at.exception)
