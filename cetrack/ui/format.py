"""Presentation helpers shared by pages: words for ids, hours, plans."""

from __future__ import annotations

from cetrack.rules.vocabulary import CATEGORIES, FORMATS

FORMAT_WORDS = {"in_person": "in person", "live_online": "live online", "self_study": "self-study"}
STATUS_WORDS = {"compliant": "Compliant", "incomplete": "Incomplete", "exempt": "Exempt"}
STATUS_ICONS = {
    "compliant": ":material/check_circle:",
    "incomplete": ":material/pending:",
    "exempt": ":material/do_not_disturb_on:",
}


def hours(value: float) -> str:
    return f"{value:g} h"


def category_label(category_id: str) -> str:
    return CATEGORIES.get(category_id, category_id).split(" (")[0]


def formats_phrase(formats: list[str]) -> str:
    if sorted(formats) == sorted(FORMATS):
        return "any format"
    words = [FORMAT_WORDS.get(fmt, fmt) for fmt in formats]
    return " or ".join(words)


def plan_line(item: dict, requirement_titles: dict[str, str]) -> str:
    """ "3 h — Ethics (in person or live online)" style wording of a plan item."""
    if item["requirement"] == "total":
        topic = "any topic toward the total"
    else:
        topic = requirement_titles.get(item["requirement"], category_label(item["category"]))
    kind = f", as {item['type'].replace('_', ' ')}" if item.get("type") else ""
    return f"{hours(item['hours'])} — {topic}{kind} ({formats_phrase(item['formats'])})"
