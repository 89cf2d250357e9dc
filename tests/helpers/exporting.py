"""An export interrupted after its first file (another window's act, or a crash), and two
decided cases with their papers issued: what the export tests set up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def during_render(monkeypatch: Any, after_first: Callable[[], None]) -> list[Path]:
    """One document per batch; ``after_first`` runs once the first file is written. The
    paths written, in order."""
    from app.services import documents
    from app.services.documents import DocumentService

    monkeypatch.setattr(documents, "EXPORT_BATCH", 1)
    rendered: list[Path] = []
    render = DocumentService._render_issued

    def rendering(self: Any, view: Any, content: Any, path: Path) -> Any:
        out = render(self, view, content, path)
        rendered.append(path)
        if len(rendered) == 1:
            after_first()
        return out

    monkeypatch.setattr(DocumentService, "_render_issued", rendering)
    return rendered


def two_decided_cases(db: Any, data_dir: Path) -> tuple[Any, Any, list[int]]:
    """Services, the seeded world and two decided cases (not served: either may still be
    voided), every document they can have issued."""
    from app.domain.lifecycle import Stage
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from tests.helpers.builders import advance, issue_missing, seed_world

    svc = build_services(db, data_dir=data_dir, keys=StaticKeyProvider(b"k" * 32))
    world = seed_world(svc)
    ids = [advance(svc, world, Stage.DECIDED) for _ in range(2)]
    for cid in ids:
        assert len(issue_missing(svc, cid)) >= 2
    return svc, world, ids
