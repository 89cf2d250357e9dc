"""Paths and typed settings, each declared once with its default."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

import platformdirs

APP_SLUG = "wenze"
ENV_DATA_DIR = "WENZE_DATA_DIR"
ENV_DATABASE_URL = "WENZE_DATABASE_URL"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_SLUG, appauthor=False))


def chosen_data_dir(data_dir: str | Path | None = None) -> Path:
    """--data-dir beats WENZE_DATA_DIR beats the platform user-data directory."""
    chosen = data_dir or os.environ.get(ENV_DATA_DIR) or default_data_dir()
    return Path(chosen).expanduser().resolve()


def resolve_data_dir(data_dir: str | Path | None = None) -> Path:
    """:func:`chosen_data_dir`, made if missing. A folder made here is its owner's only
    (POSIX 0700): the database and its backups are in it, readable to any other account of
    the machine under the usual 0755; a folder that exists already is the administrator's
    choice and keeps its rights."""
    path = chosen_data_dir(data_dir)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def resolve_database_url(data_dir: Path, url: str | None = None) -> str:
    return url or os.environ.get(ENV_DATABASE_URL) or f"sqlite:///{data_dir / 'wenze.db'}"


@dataclass
class Settings:
    """Administrator settings stored in the database's settings table."""

    bureau_name: str = "荣成市综合行政执法局"
    doc_prefix: str = "荣综执纪"
    review_doc_prefix: str = "荣综执纪复"
    discipline_body: str = "中共荣成市综合行政执法局机关纪律检查委员会"
    #: 版头的发文机关标志 (GB/T 9704 §7.2) printed in red on documents issued under a number;
    #: empty (the default): no 版头, the bureau prints on pre-printed 套红信笺
    issuer_mark: str = ""
    default_investigation_days: int = 30
    reminder_days: int = 7
    backup_dir: str = ""
    idle_lock_minutes: int = 10
    # No act may be dated before this day (a typo such as 1900 is refused, not recorded).
    earliest_date: str = "2000-01-01"

    @classmethod
    def from_mapping(cls, values: dict[str, str]) -> Settings:
        s = cls()
        for f in fields(cls):
            if f.name in values:
                raw = values[f.name]
                setattr(s, f.name, int(raw) if f.type in (int, "int") else raw)
        return s

    def to_mapping(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}
