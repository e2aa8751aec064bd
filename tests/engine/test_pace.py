"""The pace projection, worked by hand."""

from __future__ import annotations

from datetime import date

from cetrack.engine.pace import OpenRequirement, project
from cetrack.wording import pace_sentence

TODAY = date(2026, 11, 22)


def test_recent_hours_project_to_the_deadline():
    # 18 h in the 180 days to today: 0.1 h a day; 220 days left -> 22 h more
    pace = project(
        [(date(2026, 6, 1), 6), (date(2026, 10, 1), 12), (date(2025, 1, 1), 40)],
        cycle_start=date(2025, 7, 1),
        deadline=date(2027, 6, 30),
        remaining=20,
        today=TODAY,
    )
    assert pace.projected_additional == 22
    assert pace.on_track
    assert pace.per_month == round(0.1 * 365.25 / 12, 2)
    assert pace_sentence(pace, date(2027, 6, 30)).startswith("On track")


def test_behind_and_done():
    behind = project(
        [(date(2026, 11, 1), 3)],
        cycle_start=date(2025, 7, 1),
        deadline=date(2027, 6, 30),
        remaining=30,
        today=TODAY,
    )
    assert not behind.on_track
    assert behind.needed_per_month == round(30 / 220 * 365.25 / 12, 2)
    done = project(
        [], cycle_start=date(2025, 7, 1), deadline=date(2027, 6, 30), remaining=0, today=TODAY
    )
    assert (
        done.on_track
        and pace_sentence(done, date(2027, 6, 30)) == "Done: nothing more is needed this cycle."
    )


def test_a_short_cycle_uses_only_its_own_days():
    # cycle began 10 days ago with 5 h: 0.5 h a day
    pace = project(
        [(date(2026, 11, 20), 5)],
        cycle_start=date(2026, 11, 13),
        deadline=date(2026, 12, 2),
        remaining=4,
        today=TODAY,
    )
    assert pace.projected_additional == 5.0
    assert pace.on_track


def test_a_topic_without_recent_hours_is_behind_even_when_the_total_is_on_pace():
    """Issue 7, defect 8: "On track" showed while a topic was still missing."""
    # 30 h in the last 180 days project 36+ h more; ethics got 1 h a year and a half ago
    ethics = OpenRequirement("Ethics", 3, [(date(2025, 8, 1), 1)])
    live = OpenRequirement("Live hours", 2, [(date(2026, 10, 1), 12)])
    pace = project(
        [(date(2026, 10, 1), 12), (date(2026, 9, 1), 18), (date(2025, 8, 1), 1)],
        cycle_start=date(2025, 7, 1),
        deadline=date(2027, 6, 30),
        remaining=3,
        today=TODAY,
        requirements=[ethics, live],
    )
    assert pace.projected_additional >= 3
    assert pace.behind_on == ("Ethics",) and not pace.on_track
    assert pace_sentence(pace, date(2027, 6, 30)).startswith("Behind on Ethics: ")
    closed = project(
        [(date(2026, 10, 1), 12)],
        cycle_start=date(2025, 7, 1),
        deadline=date(2027, 6, 30),
        remaining=2,
        today=TODAY,
        requirements=[live],
    )
    assert closed.on_track and closed.behind_on == ()
