"""Read one rule file: YAML -> its state's `_board.yaml` -> schema -> whole-file checks.
All or nothing."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from cetrack.rules.board import BOARD_FILENAME, BoardFile, apply_board
from cetrack.rules.checks import Problem, check_rule
from cetrack.rules.paths import default_rules_dir
from cetrack.rules.schema import RuleFile
from cetrack.rules.shared import SHARED_FILENAME, SharedData, find_rules_root, load_shared


class RuleFileError(Exception):
    """A rule file that cannot be used, with every problem found in it."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [problem.render(self.path) for problem in self.problems]


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present


class _UniqueKeyLoader(_SafeLoader):
    """A safe loader that refuses a key given twice (YAML would keep only the last)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return _SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _location(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


def problems_from_validation(error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc = tuple(part for part in item["loc"] if not str(part).startswith("function-"))
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        elif item["type"] == "missing":
            message = "missing (required)"
        problems.append(Problem(_location(loc), message.removeprefix("Value error, ")))
    return problems


def parse_rule(
    data: object,
    path: Path | str,
    *,
    today: date | None = None,
    shared: SharedData | None = None,
) -> RuleFile:
    """Validate already-parsed YAML data (its board already applied); raise RuleFileError
    listing every problem."""
    if not isinstance(data, dict):
        raise RuleFileError(path, [Problem("(file)", "a rule file must be a YAML mapping")])
    try:
        rule = RuleFile.model_validate(data)
    except ValidationError as error:
        raise RuleFileError(path, problems_from_validation(error)) from None
    problems = check_rule(rule, today=today, shared=shared or shared_data_for(Path(path)))
    path = Path(path)
    placed = (path.parent.name, path.stem)
    if path.suffix == ".yaml" and path.parent.name and placed != (rule.state, rule.license):
        problems.append(
            Problem(
                "state/license",
                f"{rule.id} does not match the file's place {path.parent.name}/{path.stem}",
            )
        )
    if problems:
        raise RuleFileError(path, problems)
    return rule


def read_yaml(path: Path) -> object:
    """A YAML file's data; RuleFileError when it cannot be read or parsed."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except OSError as error:
        raise RuleFileError(path, [Problem("(file)", f"cannot read: {error.strerror}")]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        problem = getattr(error, "problem", None) or str(error)
        raise RuleFileError(path, [Problem(where, f"invalid YAML: {problem}")]) from None


def shared_data_for(path: Path) -> SharedData:
    """The `_shared.yaml` of the rules directory holding `path` (else the shipped one)."""
    root = find_rules_root(path.parent if path.suffix else path) or default_rules_dir()
    try:
        return load_shared(root)
    except (OSError, yaml.YAMLError, ValidationError) as error:
        detail = (
            "; ".join(problem.render("") for problem in problems_from_validation(error))
            if isinstance(error, ValidationError)
            else str(error)
        )
        raise RuleFileError(root / SHARED_FILENAME, [Problem("(file)", detail)]) from None


@lru_cache(maxsize=128)
def _board_file(path: Path, _mtime: float) -> BoardFile:
    data = read_yaml(path)
    try:
        return BoardFile.model_validate(data)
    except ValidationError as error:
        raise RuleFileError(path, problems_from_validation(error)) from None


def board_file_for(path: Path) -> BoardFile | None:
    """The `_board.yaml` beside a license file, if there is one."""
    board_path = path.parent / BOARD_FILENAME
    if not board_path.is_file():
        return None
    board = _board_file(board_path, board_path.stat().st_mtime)
    if board.state != path.parent.name:
        raise RuleFileError(
            board_path, [Problem("state", f"{board.state} is not its folder {path.parent.name}")]
        )
    return board


def load_rule_file(
    path: Path | str, *, today: date | None = None, shared: SharedData | None = None
) -> RuleFile:
    path = Path(path)
    data = read_yaml(path)
    try:
        board = board_file_for(path)
    except RuleFileError as error:
        raise RuleFileError(
            path, [Problem("board", f"{BOARD_FILENAME} is invalid"), *error.problems]
        ) from None
    if board is not None and isinstance(data, dict):
        data = apply_board(data, board)
    return parse_rule(data, path, today=today, shared=shared)
