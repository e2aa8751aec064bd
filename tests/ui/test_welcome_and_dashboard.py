"""First start, the demo, and the dashboard it produces."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import ROOT, TODAY, texts


def test_an_empty_database_offers_the_demo_or_a_clean_start(app):
    assert app.title[0].value == "Welcome to cetrack"
    assert app.button(key="load_demo")
    assert "Start clean" in texts(app)


def test_starting_clean_validates_and_creates_the_clinician(app):
    app.text_input[0].input("Sam Ortiz")
    app.text_input[1].input("not-an-email")
    app.button[1].click().run()
    assert "enter an email address" in texts(app)
    app.text_input[1].input("sam@example.org")
    app.button[1].click().run()
    assert not app.exception
    assert app.title[0].value == "Sam Ortiz's dashboard"
    assert "Add a license or certification" in texts(app)


def test_the_demo_dashboard_shows_each_credential_with_gaps_and_reasons(demo_app):
    page = texts(demo_app)
    assert demo_app.title[0].value == "Dana Rivera's dashboard"
    for heading in ("TX/LPC — Licensed Professional Counselor", "NY/LMHC", "national/NCC"):
        assert heading in page
    # TX: the cultural-competency course was before the cycle, so 3 h are still needed
    assert "3 h — Cultural diversity or competency (any format)" in page
    # NY: self-study over the 12 h cap is explained
    expanders = [expander.label for expander in demo_app.expander]
    assert any(label.startswith("Why") and "did not count" in label for label in expanders)
    frames = [frame.value for frame in demo_app.dataframe]
    reasons = {reason for frame in frames if "Why" in frame for reason in frame["Why"]}
    assert "over the 12 h self-study cap" in reasons
    assert any(bar.value < 100 for bar in demo_app.get("progress"))
    assert "Hours logged" in page


def test_the_app_runs_on_postgresql_too(postgres_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CETRACK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CETRACK_DATABASE_URL", postgres_url)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.session_state["today"] = TODAY
    at.run()
    at.button(key="load_demo").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Dana Rivera's dashboard"
    overview = at.dataframe[0].value
    assert sorted(overview["License or certification"]) == ["NY/LMHC", "TX/LPC", "national/NCC"]
