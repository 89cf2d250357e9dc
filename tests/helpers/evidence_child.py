"""A child process that registers an evidence with an attachment, for the tests that stop it
part way through the copy (a kill, a second process taking the write lock meanwhile)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.services import build_services
from app.services.vault import StaticKeyProvider
from app.storage.engine import Database

KEY = b"k" * 32

#: The child's opening: ``svc`` on the data directory of argv[1]; argv[2] the case, argv[3] the
#: file to attach. The test appends how it stops the copy and the act itself.
CHILD_HEAD = """
import os, sys, time
from pathlib import Path
from app.services import attachments, build_services
from app.services.vault import StaticKeyProvider
from app.storage.engine import Database

data, case_id, source = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
svc = build_services(Database(f"sqlite:///{data / 'wenze.db'}", data), data_dir=data,
                     keys=StaticKeyProvider(b"k" * 32))
"""


def services(data: Path) -> Any:
    """The services on ``data`` with the child's key."""
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    return build_services(db, data_dir=data, keys=StaticKeyProvider(KEY))
