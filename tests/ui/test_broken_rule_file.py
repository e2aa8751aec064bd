"""A broken rule file is rejected whole, in the app too: the Rules page says why, and the
dashboard says which credential cannot be evaluated, instead of half-loading the rule."""

from __future__ import annotations

import shutil

from streamlit.testing.v1 import AppTest

from cetrack.db.engine import get_engine
from cetrack.rules.registry import Registry
from cetrack.services.actor import Actor
from cetrack.services.demo import load_demo
from cetrack.services.workspace import open_workspace
from cetrack.settings import Settings
from tests.ui.conftest import ROOT, TODAY, open_page, texts


def test_a_broken_rule_file_is_reported_and_not_used(tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "state_rules", rules)
    broken = rules / "TX" / "LPC.yaml"
    broken.write_text(
        broken.read_text("utf-8").replace("total_hours: 24", "total_hours: -24"), "utf-8"
    )
    settings = Settings(data_dir=tmp_path / "data")
    workspace = open_workspace(settings, registry=Registry.from_directory())
    with workspace.transaction() as session:
        load_demo(session, workspace, actor=Actor.system(), today=TODAY)
    get_engine(settings.resolved_database_url).dispose()

    monkeypatch.setenv("CETRACK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CETRACK_RULES_DIR", str(rules))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.session_state["today"] = TODAY
    at.run()
    assert not at.exception, at.exception
    page = texts(at)
    assert (
        "TX/LPC (No. LPC 78412) cannot be evaluated: its rule file is missing or was rejected"
        in page
    )
    assert "NY/LMHC — Licensed Mental Health Counselor" in page

    open_page(at, "cetrack/ui/rules_browser.py")
    assert f"{broken}: ce[0].total_hours: Input should be greater than or equal to 0" in texts(at)
    at.selectbox(key="rules_state").select("TX").run()
    listed = [option.split(" — ")[0] for option in at.selectbox(key="rules_id").options]
    shipped = Registry.from_directory(rules).ids()  # the copy, its broken TX/LPC rejected
    assert listed == [rule_id for rule_id in shipped if rule_id.startswith("TX/")] != []
    assert "TX/LPC" not in listed  # the broken file is not offered
