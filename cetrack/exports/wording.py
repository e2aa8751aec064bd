"""Sentences the calendar and the PDF share, so both describe an evaluation the same way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cetrack.engine.reasons import fmt_hours

FORMAT_LABELS = {"in_person": "in person", "live_online": "live online", "self_study": "self-study"}


def hours(value: float) -> str:
    return f"{fmt_hours(value)} h"


def formats_text(formats: Sequence[str]) -> str:
    """["in_person", "live_online"] -> "in person or live online"; all formats -> "any format"."""
    if set(formats) >= set(FORMAT_LABELS):
        return "any format"
    labels = [FORMAT_LABELS.get(item, item) for item in formats]
    if len(labels) == 1:
        return labels[0]
    return f"{', '.join(labels[:-1])} or {labels[-1]}"


def requirement_line(requirement: dict[str, Any]) -> str:
    """ "Ethics: 3 of 6 h counted, 3 h remaining (due 2027-02-01)"."""
    line = (
        f"{requirement['title']}: {fmt_hours(requirement['counted'])} of "
        f"{hours(requirement['required'])} counted, {hours(requirement['remaining'])} remaining"
    )
    return f"{line} (due {requirement['due']})" if requirement.get("due") else line


def plan_lines(result: dict[str, Any]) -> list[str]:
    """What is still missing, one line per plan item: hours, where they count, which formats."""
    titles = {requirement["id"]: requirement["title"] for requirement in result["requirements"]}
    lines = []
    for item in result["plan"]:
        if item["requirement"] == "total":
            line = f"{hours(item['hours'])} of any acceptable CE topic"
        else:
            line = (
                f"{hours(item['hours'])} toward {titles.get(item['requirement'], item['category'])}"
            )
        if item["formats"]:
            line += f", {formats_text(item['formats'])}"
        if "type" in item:
            line += f" ({item['type'].replace('_', ' ')})"
        lines.append(line)
    return lines


def status_line(result: dict[str, Any]) -> str:
    """ "Incomplete on 2026-11-22: 21 of 24 h counted, 3 h still needed"."""
    total = result["total"]
    line = (
        f"{result['status'].capitalize()} on {result['as_of']}: "
        f"{fmt_hours(total['counted'])} of {hours(total['required'])} counted"
    )
    missing = result["minimal_additional"]
    return f"{line}, {hours(missing)} still needed" if missing else line
