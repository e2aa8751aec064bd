"""First start, the demo, and the dashboard it produces."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import ROOT, TODAY, by_label, open_page, texts


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


def test_the_card_says_what_the_total_means_and_paces_each_requirement(demo_app):
    """Issue 7, defect 8: "52 / 24 hours counted" sat beside "Incomplete", "On track" showed
    while a topic was missing, and associate-only items were listed for a licensee."""
    at = open_page(demo_app, "cetrack/ui/dashboard.py")
    page = texts(at)
    assert (
        "The total is met (52 h count toward the 24 h total), but this is not complete: "
        "still short 3 h Cultural diversity or competency." in page
    )
    warnings = [warning.value for warning in at.warning]
    assert any(w.startswith("Behind on Cultural diversity or competency:") for w in warnings)
    assert not any(s.value.startswith("On track") and "2027-06-30" in s.value for s in at.success)
    assert "LPC Associate may have no more than two" not in page
    assert "HHSC-approved human trafficking prevention course" in page


def test_a_logged_human_trafficking_course_shows_the_reminder_done(demo_app):
    """Issue 7, defect 8: a logged human-trafficking course was still listed as unchecked."""
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    by_label(at.text_input, "Title").input("HHSC human trafficking prevention")
    by_label(at.date_input, "Completed").set_value(date(2026, 3, 10))
    by_label(at.number_input, "Amount").set_value(1.0)
    by_label(at.multiselect, "Topics").select("human_trafficking")
    by_label(at.button, "Save activity").click().run()
    at = open_page(at, "cetrack/ui/dashboard.py")
    page = texts(at)
    reminder = "HHSC-approved human trafficking prevention course each renewal"
    assert f"- Done: {reminder}" in page and "(logged: “HHSC human trafficking prevention”)" in page
    assert f"- {reminder}" not in page


def test_one_plan_closes_every_gap_of_every_credential(demo_app):
    """Issue 7, feature 14: TX/LPC lacks 3 h of cultural competency, the NCC 45 h in all; one
    plan of 45 h closes both (the 3 h count for both), not 48."""
    at = open_page(demo_app, "cetrack/ui/dashboard.py")
    page = texts(at)
    assert "One plan for every credential" in page
    assert "45 h close every gap in TX/LPC and national/NCC" in page
    assert (
        "- 3 h Cultural diversity, competency or social and cultural competence, self-study: "
        "for TX/LPC and national/NCC" in page
    )
    assert "- 42 h any topic, self-study: for national/NCC" in page
