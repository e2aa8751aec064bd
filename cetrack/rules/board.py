"""A state's shared facts (`<ST>/_board.yaml`): its boards, the sources several of its license
files cite, and sections they share. A license file names its board by id and gets the
board's name, site and look-up, the shared sources, and any shared section it leaves out."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from cetrack.rules.checks import Problem, authority_problems
from cetrack.rules.schema import Conflict, NotEvaluated, Renewal, Source, StrictModel
from cetrack.rules.shared import SharedData, url_host

BOARD_FILENAME = "_board.yaml"
LIST_SECTIONS = ("not_evaluated", "conflicts", "notes")


class Board(StrictModel):
    name: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")
    verification_url: str = Field(pattern=r"^https?://\S+$", description="license look-up")


class Shared(StrictModel):
    """Sections a board's license files share. `renewal` is used by a file that has none;
    the lists come before a file's own entries."""

    renewal: list[Renewal] | None = None
    not_evaluated: list[NotEvaluated] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class NotCovered(StrictModel):
    """Why the state has no rule file for a license family: no such license, or rules that
    could not be found. Shown in the coverage table instead of an empty cell."""

    reason: str = Field(min_length=1)
    checked_on: date = Field(description="the day the search for a source last failed")
    board: Board | None = Field(default=None, description="the board that licenses the family")
    sources: list[Source] = Field(default_factory=list, description="what was found")


class BoardFile(StrictModel):
    state: str = Field(pattern=r"^([A-Z]{2}|national|compact)$")
    boards: dict[str, Board] = Field(min_length=1, description="board id -> board")
    sources: list[Source] = Field(default_factory=list)
    shared: dict[str, Shared] = Field(
        default_factory=dict, description="board id -> sections its license files share"
    )
    not_covered: dict[str, NotCovered] = Field(
        default_factory=dict, description="profession id -> why the state has no file for it"
    )


def apply_board(data: dict[str, Any], board_file: BoardFile) -> dict[str, Any]:
    """The license file's data with its board reference resolved and shared parts added.

    A file whose `board` is not an id of the board file is left as it is (it names its board
    in full); the schema then checks it like any other file.
    """
    board_id = data.get("board")
    if not isinstance(board_id, str) or board_id not in board_file.boards:
        return data
    board = board_file.boards[board_id]
    merged = dict(data)
    merged["board"] = board.name
    merged.setdefault("board_url", board.url)
    merged.setdefault("verification_url", board.verification_url)
    shared_sources = [source.model_dump() for source in board_file.sources]
    merged["sources"] = [*shared_sources, *(data.get("sources") or [])]
    shared = board_file.shared.get(board_id)
    if shared is not None:
        if shared.renewal is not None and "renewal" not in data:
            merged["renewal"] = [version.model_dump() for version in shared.renewal]
        for section in LIST_SECTIONS:
            common = [
                item if isinstance(item, str) else item.model_dump()
                for item in getattr(shared, section)
            ]
            merged[section] = [*common, *(data.get(section) or [])]
    return merged


def not_covered_problems(
    board_file: BoardFile, *, shared: SharedData, covered: set[str]
) -> list[Problem]:
    """A `not_covered` entry must name a known license family the state has no file for; its
    sources' authority must fit their hosts (the entry's board counts as official)."""
    problems = []
    professions = shared.profession_ids()
    for profession, entry in board_file.not_covered.items():
        where = f"not_covered.{profession}"
        if profession not in professions:
            problems.append(Problem(where, f"unknown profession (known: {', '.join(professions)})"))
        if profession in covered:
            problems.append(Problem(where, "the state has a rule file for this family"))
        boards = [*board_file.boards.values(), *([entry.board] if entry.board else [])]
        board_hosts = frozenset(
            url_host(url) for board in boards for url in (board.url, board.verification_url)
        )
        problems += authority_problems(f"{where}.sources", entry.sources, shared, board_hosts)
    return problems
