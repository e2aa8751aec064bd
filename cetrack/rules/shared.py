"""Data every rule file shares (`state_rules/_shared.yaml`): the license families and the
hosts whose pages count as official text or as verbatim copies of it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field

SHARED_FILENAME = "_shared.yaml"
Authority = Literal["official", "official_copy", "secondary"]
_GOVERNMENT_SUFFIXES = (".gov", ".mil", ".us")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Profession(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1, description="the coverage table's column heading")


class OfficialHost(_Strict):
    host: str = Field(pattern=r"^[a-z0-9.-]+$")
    body: str


class CopyHost(_Strict):
    host: str = Field(pattern=r"^[a-z0-9.-]+$")
    publisher: str


class SharedData(_Strict):
    professions: list[Profession] = Field(min_length=1)
    official_hosts: list[OfficialHost] = Field(default_factory=list)
    official_copy_hosts: list[CopyHost] = Field(default_factory=list)

    def profession_ids(self) -> list[str]:
        return [profession.id for profession in self.professions]

    def host_authority(self, url: str, *, board_hosts: frozenset[str] = frozenset()) -> Authority:
        """What a page on this URL's host can be: official, an official copy, or secondary."""
        host = url_host(url)
        official = {item.host for item in self.official_hosts} | board_hosts
        if _within(host, official):
            return "official"
        # a listed publisher first: some private publishers have .us names (elaws.us)
        if _within(host, {item.host for item in self.official_copy_hosts}):
            return "official_copy"
        if host.endswith(_GOVERNMENT_SUFFIXES):
            return "official"
        return "secondary"


def url_host(url: str) -> str:
    """The lower-case host of a URL, without `www.` or a trailing dot."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    return host.removeprefix("www.")


def _within(host: str, domains: set[str]) -> bool:
    return any(host == domain or host.endswith(f".{domain}") for domain in domains)


def find_rules_root(path: Path) -> Path | None:
    """The rules directory holding `path`: the nearest folder with a `_shared.yaml`."""
    for folder in [path, *path.parents][:4]:
        if (folder / SHARED_FILENAME).is_file():
            return folder
    return None


@lru_cache(maxsize=16)
def _load(path: Path, _mtime: float) -> SharedData:
    return SharedData.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def load_shared(root: Path) -> SharedData:
    """The shared data of the rules directory `root` (cached until the file changes)."""
    path = root / SHARED_FILENAME
    return _load(path, path.stat().st_mtime)
