"""Read a CE certificate's text layer (PDF, with pypdf) into the fields of the log form:
title, provider, completion date, hours and unit, and approval numbers. Pure: bytes in,
fields out. A field the text does not show is left None; a file without text (a scan) says so.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from pypdf import PdfReader
from pypdf.errors import PyPdfError

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATES = (
    # March 3, 2026 / Mar. 3 2026
    (re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I), ("month", "day", "year")),
    # 3 March 2026
    (re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.I), ("day", "month", "year")),
    # 2026-03-03
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("year", "month", "day")),
    # 03/03/2026 (US order, month first)
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), ("month", "day", "year")),
)
_DATE_CUES = re.compile(r"complet|date|awarded|issued|attended|held on|on\b", re.I)
_UNIT_WORDS = (
    r"(continuing education units?|CEUs?|continuing[- ]education contact hours?|"
    r"CE contact hours?|contact hours?|clock hours?|"
    r"CE hours?|CE credits?|credit hours?|hours? of (?:CE|continuing education)|hours?)"
)
_AMOUNT = (
    # "3 CE hours", "0.3 CEUs (3 clock hours)"
    re.compile(rf"(\d+(?:\.\d+)?)[ \t]*(?:\([ \t]*[\w.]+[ \t]*\)[ \t]*)?{_UNIT_WORDS}\b", re.I),
    # "Clock hours: 4.5"
    re.compile(rf"{_UNIT_WORDS}[ \t]*(?:awarded|earned)?[ \t]*[:\-][ \t]*(\d+(?:\.\d+)?)\b", re.I),
)
_TITLE_LABEL = re.compile(
    r"^(?:course|program|programme|workshop|training|activity|session)?\s*(?:title|name)?\s*[:\-]\s*(.+)$",
    re.I,
)
_TITLE_CUE = re.compile(
    r"(?:for (?:successfully )?completing|has (?:successfully )?completed|completed the"
    r"(?: course| program| training)?|attended|participated in)\s*[:\-]?\s*(.*)$",
    re.I,
)
# what follows "attended" when the title is on the next line: "the live webinar"
_GENERIC = re.compile(
    r"(?:the\s+)?(?:live\s+|online\s+|recorded\s+)?"
    r"(?:webinar|course|program|programme|workshop|training|session|event)s?[:.]?",
    re.I,
)
_PROVIDER = re.compile(
    r"(?:presented by|sponsored by|offered by|issued by|provided by|provider|sponsor\b)"
    r"\s*[:\-]?\s*(.+)$",
    re.I,
)
_APPROVALS = (
    re.compile(r"\bNBCC(?:\s+ACEP)?\s*(?:No\.?|Number|#)\s*:?\s*(\d{3,7})", re.I),
    re.compile(r"\bACEP\s*(?:No\.?|Number|#)\s*:?\s*(\d{3,7})", re.I),
    re.compile(r"\bASWB\b.*?\bACE\b.*?(?:provider\s*)?(?:No\.?|Number|#)\s*:?\s*(\d{3,7})", re.I),
    re.compile(
        r"\b(?:state board|board)\b.*?provider\s*(?:No\.?|Number|#)\s*:?\s*([\w-]{3,12})", re.I
    ),
)
_APA = re.compile(r"approved by the American Psychological Association", re.I)


@dataclass(frozen=True)
class CertificateFields:
    """What a certificate's text shows; None where it does not."""

    has_text: bool
    title: str | None = None
    provider: str | None = None
    completed: date | None = None
    amount: float | None = None
    unit: str | None = None
    approvals: tuple[str, ...] = field(default_factory=tuple)


def read_certificate_fields(data: bytes) -> CertificateFields:
    text = _text(data)
    if not text.strip():
        return CertificateFields(has_text=False)
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    amount, unit = _amount(lines)
    return CertificateFields(
        has_text=True,
        title=_title(lines),
        provider=_provider(lines),
        completed=_completed(lines),
        amount=amount,
        unit=unit,
        approvals=_approvals(text),
    )


def _text(data: bytes) -> str:
    if not data.startswith(b"%PDF-"):
        return ""
    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join((page.extract_text() or "") for page in reader.pages[:3])
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError):
        return ""


def _dates_in(line: str) -> list[date]:
    found = []
    for pattern, order in _DATES:
        for match in pattern.finditer(line):
            parts = dict(zip(order, match.groups(), strict=True))
            month = parts["month"]
            month = MONTHS[month.lower()] if not month.isdigit() else int(month)
            try:
                found.append(date(int(parts["year"]), month, int(parts["day"])))
            except ValueError:
                continue
    return found


def _completed(lines: list[str]) -> date | None:
    cued = [day for line in lines if _DATE_CUES.search(line) for day in _dates_in(line)]
    anywhere = [day for line in lines for day in _dates_in(line)]
    return (cued or anywhere or [None])[0]


def _amount(lines: list[str]) -> tuple[float | None, str | None]:
    for line in lines:
        for index, pattern in enumerate(_AMOUNT):
            match = pattern.search(line)
            if not match:
                continue
            number, words = match.groups() if index == 0 else match.groups()[::-1]
            words = words.lower()
            unit = "ceu" if "unit" in words or words.startswith("ceu") else "hours"
            return float(number), unit
    return None, None


def _title(lines: list[str]) -> str | None:
    for index, line in enumerate(lines):
        cue = _TITLE_CUE.search(line)
        if cue:
            rest = cue.group(1).strip(" \"“”'")
            if len(rest) > 3 and not _GENERIC.fullmatch(rest):
                return rest
            if index + 1 < len(lines):
                return lines[index + 1].strip(" \"“”'")
    for line in lines:
        quoted = re.search(r"[“\"]([^”\"]{4,})[”\"]", line)
        if quoted:
            return quoted.group(1).strip()
        labelled = _TITLE_LABEL.match(line)
        if labelled and not _PROVIDER.search(line) and not _dates_in(line):
            return labelled.group(1).strip()
    return None


def _provider(lines: list[str]) -> str | None:
    for line in lines:
        match = _PROVIDER.search(line)
        if match:
            # "X is an NBCC approved provider", "X, an ASWB ACE approved provider"
            approved = r",?\s+(?:is\s+)?(?:an?\s+)?(?:[\w-]+\s+){0,3}approved\b"
            value = re.split(approved, match.group(1), flags=re.I)[0]
            return value.strip(" .,;:") or None
    return None


def _approvals(text: str) -> tuple[str, ...]:
    flat = " ".join(text.split())
    found = []
    labels = ("NBCC ACEP", "NBCC ACEP", "ASWB ACE", "Board provider")
    for label, pattern in zip(labels, _APPROVALS, strict=True):
        for match in pattern.finditer(flat):
            entry = f"{label} {match.group(1)}"
            if entry not in found:
                found.append(entry)
    if _APA.search(flat):
        found.append("APA-approved sponsor")
    return tuple(found)
