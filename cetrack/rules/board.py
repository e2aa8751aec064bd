"""A state's shared facts (`<ST>/_board.yaml`): its boards, the sources several of its license
files cite, and sections they share. A license file names its board by id and gets the
board's name, site and look-up, the shared sources, and any shared section it leaves out."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from cetrack.rules.schema import Conflict, NotEvaluated, Renewal, Source, StrictModel

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


class BoardFile(StrictModel):
    state: str = Field(pattern=r"^([A-Z]{2}|national)$")
    boards: dict[str, Board] = Field(min_length=1, description="board id -> board")
    sources: list[Source] = Field(default_factory=list)
    shared: dict[str, Shared] = Field(
        default_factory=dict, description="board id -> sections its license files share"
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
