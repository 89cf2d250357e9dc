"""The plain bytes of a stored (sealed) evidence attachment, opened with the key in memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.services.attachment_seal import key_for, plain_chunks


def plain_of(svc: Any, path: Path) -> bytes:
    """What the officer stored: the file in attachments/ opened with ``svc``'s key."""
    return b"".join(plain_chunks(Path(path), key_for(svc.db, svc.ctx.data_dir)))
