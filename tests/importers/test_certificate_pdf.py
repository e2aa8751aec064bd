"""Certificates fill in the form (issue 7, feature 16): fields read from the text layer of
certificates in several layouts and of the demo's; scans and damaged files are left for
manual entry."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest
from fpdf import FPDF

from cetrack.db.models import Person
from cetrack.importers.certificate_pdf import CertificateFields, read_certificate_fields
from cetrack.services import certificates
from cetrack.services.demo import DEMO_ACTIVITIES, certificate_pdf
from tests.importers.certificate_layouts import LAYOUTS, pdf_of

FIELDS = ("title", "provider", "completed", "amount", "unit", "approvals")


def expected(layout) -> dict:
    return {name: getattr(layout, name) for name in FIELDS}


def read(layout) -> dict:
    fields = asdict(read_certificate_fields(pdf_of(layout.lines)))
    return {name: fields[name] for name in FIELDS}


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name for layout in LAYOUTS])
def test_each_layout_fills_every_field(layout):
    assert read(layout) == expected(layout)


def test_the_demo_certificates_fill_title_provider_date_and_hours():
    dana = Person(id=1, email="dana@example.org", name="Dana Rivera")
    checked = 0
    for days_before, title, provider, hours, *_rest, with_file in DEMO_ACTIVITIES:
        if days_before is None or not with_file:
            continue
        completed = date.fromordinal(date(2026, 11, 22).toordinal() - days_before)
        fields = read_certificate_fields(certificate_pdf(dana, title, provider, hours, completed))
        assert (fields.title, fields.provider, fields.completed, fields.amount, fields.unit) == (
            title,
            provider,
            completed,
            float(hours),
            "hours",
        )
        checked += 1
    assert checked >= 3


def blank_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60)  # a drawing, as a scanned page is an image: no text
    return bytes(pdf.output())


@pytest.mark.parametrize(
    "data", [blank_pdf(), b"%PDF-1.4 not really a pdf", b"%PDF-" + bytes(range(256)) * 8]
)
def test_a_file_without_readable_text_is_left_for_manual_entry(data):
    assert read_certificate_fields(data) == CertificateFields(has_text=False)


def test_an_image_certificate_is_accepted_but_not_read():
    assert certificates.fields_from_upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).has_text is False
