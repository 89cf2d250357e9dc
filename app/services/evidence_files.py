"""Evidence attachments: streamed into the data folder, named by their SHA-256."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from app.services.base import ServiceError

CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredFile:
    name: str
    path: str  # relative to the data folder
    sha256: str
    size: int


def store_attachment(data_dir: Path, source: str | Path) -> StoredFile:
    """Copy ``source`` while hashing it, in chunks (a 300 MB file never sits in memory)."""
    src = Path(source)
    if not src.is_file():
        raise ServiceError(f"附件文件不存在：{src.name}")
    folder = data_dir / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".incoming-{os.getpid()}-{id(src)}.part"
    digest = hashlib.sha256()
    size = 0
    try:
        with src.open("rb") as fin, tmp.open("wb") as fout:
            while chunk := fin.read(CHUNK):
                digest.update(chunk)
                fout.write(chunk)
                size += len(chunk)
            fout.flush()
            os.fsync(fout.fileno())
        sha = digest.hexdigest()
        target = folder / sha[:2] / f"{sha}{src.suffix.lower()}"
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            tmp.unlink()
        else:
            tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ServiceError(f"无法保存附件“{src.name}”：磁盘已满或没有写入权限") from exc
    return StoredFile(src.name, str(target.relative_to(data_dir)), sha, size)
