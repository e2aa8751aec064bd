"""The audit summary PDF says what the evaluation says: read it back and compare."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from cetrack.db.models import Activity, Credential, Person
from cetrack.exports.pdf import audit_summary_pdf, latin1
from cetrack.exports.records import CredentialReport
from cetrack.rules.provenance import confidence
from cetrack.wording import FORMAT_WORDS, STATUS_WORDS, amount, reason_text, unconfirmed_mark
from cetrack.wording import number as fmt_hours
from tests.exports.conftest import EARLIER_ACTIVITY
from tests.services.helpers import TODAY


def read_pdf(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def text_of(data: bytes) -> str:
    """The PDF's text with every run of whitespace made one space (cells wrap lines) and the
    page footers taken out (a paragraph may run on to the next page)."""
    text = " ".join(" ".join(page.extract_text() for page in read_pdf(data).pages).split())
    return re.sub(r" ?CE audit summary - [^|]*? - prepared \S+ Page \d+ of \d+", "", text)


def plain(text: str) -> str:
    return " ".join(latin1(text).split())


def links_of(data: bytes) -> set[str]:
    return {
        annotation.get_object()["/A"]["/URI"]
        for page in read_pdf(data).pages
        for annotation in page.get("/Annots", [])
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain ASCII", "Plain ASCII"),
        ("Café §681.140 ±½", "Café §681.140 ±½"),
        ("TX/LPC \u2014 \u201cquoted\u201d \u2018a\u2019 \u2026", "TX/LPC - \"quoted\" 'a' ..."),
        ("\u0151 \u0141\u00f3d\u017a \ufb01", "o Lódz fi"),
        ("\u4f26\u7406 \u20ac5 \u0153uvre", "?? EUR5 oeuvre"),
    ],
)
def test_latin1_keeps_what_latin1_encodes_and_replaces_the_rest(text, expected):
    assert latin1(text) == expected
    latin1(text).encode("latin-1")


def test_each_summary_matches_its_evaluation(demo):
    for report in demo.reports:
        result, rule = report.result, report.rule
        data = audit_summary_pdf(demo.person, report, demo.activities, as_of=TODAY)
        text = text_of(data)
        assert f"{rule.title} ({rule.id})" in text
        assert f"Credential number {report.credential.number}" in text
        assert f"Board {plain(rule.board)}" in text
        assert f"Rule verified on {rule.verified_on}" in text
        assert f"Rule confidence {confidence(rule):.0%} of its numbers rest on official" in text
        assert f"CE cycle {result.cycle.start} to {result.cycle.end}" in text
        assert f"Deadline {result.deadline}" in text
        assert f"Status {STATUS_WORDS[result.status]} on {TODAY}" in text
        total = result.total
        assert (
            f"Total CE hours total {fmt_hours(total.required)} {fmt_hours(total.counted)} "
            f"{fmt_hours(total.remaining)} {result.deadline}"
        ) in text
        for item in result.requirements:
            title = item.title + unconfirmed_mark(rule, item.source)
            row = (
                f"{plain(title)} {item.id} {fmt_hours(item.required)} "
                f"{fmt_hours(item.counted)} {fmt_hours(item.remaining)} "
                f"{item.due or result.deadline}"
            )
            assert row in text
        for reminder in result.not_evaluated:
            assert plain(reminder) in text
        for source in rule.sources:
            assert plain(source.title) in text
        assert {source.url for source in rule.sources} <= links_of(data)


def test_a_requirement_backed_only_by_a_secondary_source_is_marked_unconfirmed():
    from cetrack.engine.ce import evaluate_ce
    from tests.factories import SOURCE, activity, ce_data, facts, make_rule

    summary = {**SOURCE, "id": "summary", "url": "https://ce-provider.example.com/x"}
    summary["authority"] = "secondary"
    suicide = {"id": "suicide", "title": "Suicide prevention", "hours": 3}
    rule = make_rule(
        sources=[SOURCE, summary],
        ce=[
            ce_data(
                requirements=[
                    {**suicide, "categories": ["suicide_prevention"], "source": "summary"}
                ]
            )
        ],
    )
    license_facts = facts(expires="2027-06-30", issued="2010-03-01")
    result = evaluate_ce(rule, license_facts, [activity("a", "2026-01-10", 3, "ethics")], TODAY)
    person = Person(id=1, email="pat@example.org", name="Pat Lee")
    report = CredentialReport(Credential(id=3, person_id=1, rule_id=rule.id), rule, result)
    text = text_of(audit_summary_pdf(person, report, [], as_of=TODAY))
    assert "Suicide prevention (unconfirmed) suicide 3 0 3" in text
    assert "Total CE hours total 24" in text  # the total is cited to the official rule
    assert "Rule confidence" in text and "are marked unconfirmed" in text
    summary_total = make_rule(sources=[SOURCE, summary], ce=[ce_data(source="summary")])
    result = evaluate_ce(summary_total, license_facts, [], TODAY)
    report = CredentialReport(report.credential, summary_total, result)
    assert "Total CE hours (unconfirmed) total 24" in text_of(
        audit_summary_pdf(person, report, [], as_of=TODAY)
    )


def test_every_activity_is_a_row_with_how_it_counted(demo):
    report = demo.report("TX/LPC")
    text = text_of(audit_summary_pdf(demo.person, report, demo.activities, as_of=TODAY))
    titles = {item.id: item.title for item in report.result.requirements}
    assert any(key in titles for outcome in report.result.activities for key in outcome.allocation)
    for activity in demo.activities:
        outcome = report.result.activity(str(activity.id))
        kind = "" if activity.type == "course" else f" {activity.type}"
        # requirement titles, never ids such as `law_ethics` (issue 7, defect 11)
        allocation = "; ".join(
            f"{fmt_hours(hours)} h {'toward the total only' if key == 'total' else titles[key]}"
            for key, hours in outcome.allocation.items()
        )
        row = (
            f"{activity.completed} {plain(activity.title)} {plain(activity.provider)} "
            f"{FORMAT_WORDS[activity.format]}{kind} {amount(activity.amount, activity.unit)} "
            f"{fmt_hours(outcome.counted)} {allocation}"
        )
        assert " ".join(row.split()) in text


def test_excluded_hours_show_their_reasons(demo):
    excluded = [
        (report, outcome)
        for report in demo.reports
        for outcome in report.result.activities
        if outcome.excluded
    ]
    assert excluded, "the demo has hours that did not count"
    for report, outcome in excluded:
        text = text_of(audit_summary_pdf(demo.person, report, demo.activities, as_of=TODAY))
        for reason in outcome.reasons:
            assert f"Not counted: {fmt_hours(reason.hours)} h {reason_text(reason)}" in text


def test_titles_latin1_cannot_encode_are_written_with_replacements(demo):
    report = demo.report("TX/LPC")
    text = text_of(audit_summary_pdf(demo.person, report, demo.activities, as_of=TODAY))
    assert 'Ethics - "Dual relationships" in o rural practice' in text
    assert latin1(EARLIER_ACTIVITY["title"]) != EARLIER_ACTIVITY["title"]


def test_the_plan_lists_what_is_missing(demo):
    for report in demo.reports:
        text = text_of(audit_summary_pdf(demo.person, report, demo.activities, as_of=TODAY))
        if report.result.plan:
            for item in report.result.plan:
                assert f"- {fmt_hours(item.hours)} h " in text
        else:
            assert "Nothing: every requirement is met." in text


def test_the_same_records_give_the_same_bytes(demo):
    report = demo.report("NY/LMHC")
    first = audit_summary_pdf(demo.person, report, demo.activities, as_of=TODAY)
    assert audit_summary_pdf(demo.person, report, demo.activities, as_of=TODAY) == first


def test_a_credential_that_could_not_be_evaluated_says_why(registry):
    person = Person(id=1, email="pat@example.org", name="Pat Lee")
    credential = Credential(id=3, person_id=1, rule_id="TX/LPC", number="LPC 1")
    report = CredentialReport(credential, registry.get("TX/LPC"), None, error="no birth date")
    activity = Activity(
        id=1, person_id=1, title="Ethics", completed=date(2026, 1, 5), amount=3, format="in_person"
    )
    text = text_of(audit_summary_pdf(person, report, [activity], as_of=TODAY))
    assert "cetrack could not evaluate this credential: no birth date" in text
    assert "LPC 1" in text
