"""Certificates in several layouts, made with fpdf2 as CE providers print them, each with the
fields a person would read off it (used by the tests and by the accuracy figure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fpdf import FPDF


@dataclass(frozen=True)
class Layout:
    name: str
    lines: tuple[str, ...]
    title: str
    provider: str
    completed: date
    amount: float
    unit: str
    approvals: tuple[str, ...]


def pdf_of(lines: tuple[str, ...]) -> bytes:
    pdf = FPDF(orientation="L", format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT", align="C")
    return bytes(pdf.output())


LAYOUTS = (
    Layout(
        "nbcc-classic",
        (
            "Certificate of Completion",
            "This certifies that Dana Rivera",
            "has successfully completed",
            "Ethics in Telehealth Practice",
            "Date of completion: March 3, 2026",
            "3 CE hours",
            "Provider: Northside Counseling Institute",
            "Northside Counseling Institute is an NBCC Approved Continuing Education Provider,",
            "ACEP No. 6721.",
        ),
        "Ethics in Telehealth Practice",
        "Northside Counseling Institute",
        date(2026, 3, 3),
        3,
        "hours",
        ("NBCC ACEP 6721",),
    ),
    Layout(
        "apa-contact-hours",
        (
            "CERTIFICATE OF ATTENDANCE",
            "Awarded to Sam Ortiz, PhD",
            "Program title: Assessment of Suicide Risk in Adolescents",
            "Presented by Midwest Psychology Seminars",
            "Held on 12 January 2026",
            "This program offers 6 contact hours.",
            "Midwest Psychology Seminars is approved by the American Psychological Association",
            "to sponsor continuing education for psychologists.",
        ),
        "Assessment of Suicide Risk in Adolescents",
        "Midwest Psychology Seminars",
        date(2026, 1, 12),
        6,
        "hours",
        ("APA-approved sponsor",),
    ),
    Layout(
        "aswb-ceus",
        (
            "Continuing Education Certificate",
            "Jordan Lee, LCSW",
            'for completing "Trauma-Informed Supervision"',
            "Completed 2025-11-20",
            "Credit awarded: 0.3 CEUs (3 clock hours)",
            "Sponsored by: Harbor Social Work Academy",
            "ASWB Approved Continuing Education (ACE) provider No. 1789",
        ),
        "Trauma-Informed Supervision",
        "Harbor Social Work Academy",
        date(2025, 11, 20),
        0.3,
        "ceu",
        ("ASWB ACE 1789",),
    ),
    Layout(
        "us-date-clock-hours",
        (
            "Certificate",
            "Course: Motivational Interviewing Foundations",
            "Participant: Casey Morgan",
            "Date: 04/15/2026",
            "Clock hours: 4.5",
            "Offered by Lakeside Behavioral Health Training",
            "Texas BHEC state board provider No. 2231",
        ),
        "Motivational Interviewing Foundations",
        "Lakeside Behavioral Health Training",
        date(2026, 4, 15),
        4.5,
        "hours",
        ("Board provider 2231",),
    ),
    Layout(
        "webinar-credits",
        (
            "Webinar Completion",
            "Taylor Brooks attended",
            "Couples Therapy and Attachment: A Live Webinar",
            "on Feb. 9, 2026",
            "Earned: 2 CE credits",
            "Issued by Family Systems Online",
        ),
        "Couples Therapy and Attachment: A Live Webinar",
        "Family Systems Online",
        date(2026, 2, 9),
        2,
        "hours",
        (),
    ),
    Layout(
        "labelled-ce-hours-awarded",
        (
            "CERTIFICATE OF CONTINUING EDUCATION",
            "Awarded to: Riley Chen, LMFT",
            "Course Title: Emotionally Focused Therapy Level 1",
            "Date Completed: 10/02/2025",
            "CE Hours Awarded: 12",
            "Provider: EFT Institute of the Rockies",
            "NBCC ACEP No. 7012",
        ),
        "Emotionally Focused Therapy Level 1",
        "EFT Institute of the Rockies",
        date(2025, 10, 2),
        12,
        "hours",
        ("NBCC ACEP 7012",),
    ),
    Layout(
        "live-webinar-title-below",
        (
            "This is to certify that",
            "Morgan Diaz",
            "participated in the live webinar",
            "Grief and Loss Across the Lifespan",
            "June 5 2026",
            "1.5 contact hours",
            "Offered by Bright Path CE, an ASWB ACE approved provider, No. 1456",
        ),
        "Grief and Loss Across the Lifespan",
        "Bright Path CE",
        date(2026, 6, 5),
        1.5,
        "hours",
        ("ASWB ACE 1456",),
    ),
    Layout(
        "ceu-sponsor",
        (
            "Completion Record",
            "Learner: A. Patel",
            "Program: Law and Ethics for California Clinicians",
            "Credits: 0.6 CEU",
            "Completion date 2026-01-30",
            "Sponsor: Pacific Training Group",
        ),
        "Law and Ethics for California Clinicians",
        "Pacific Training Group",
        date(2026, 1, 30),
        0.6,
        "ceu",
        (),
    ),
)
