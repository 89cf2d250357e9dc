"""Child processes of the kill and race tests."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path


def wait_for_mark(child: subprocess.Popen, mark: Path) -> bool:
    """Wait until ``child`` writes ``mark`` (the point it stops at) or ends: at most five
    minutes on a loaded machine, not a threshold. Whether the mark is there."""
    for _ in range(3000):
        if mark.exists() or child.poll() is not None:
            break
        time.sleep(0.1)
    return mark.exists()
