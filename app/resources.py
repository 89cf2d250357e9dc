"""Locate bundled resources both from a source checkout and inside a PyInstaller build."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    frozen_base = getattr(sys, "_MEIPASS", None)
    if frozen_base:
        return Path(frozen_base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)
