"""Benchmark the case documents through the service: one 问责决定书 cold and warm, and a
ten-document dossier (卷宗).

Prints figures only; no thresholds. Run: .venv/bin/python bench/bench_decision.py
"Cold" is a new Python process: import, font registration, compose from the database, render.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def build(data_dir: Path):  # type: ignore[no-untyped-def]
    """A served two-subject case in a fresh SQLite database; returns (services, case id)."""
    from app.domain.lifecycle import Stage
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from app.storage.engine import Database
    from tests.helpers.builders import advance, seed_world

    db = Database(f"sqlite:///{data_dir / 'wenze.db'}", data_dir)
    db.migrate()
    svc = build_services(
        db,
        data_dir=data_dir,
        keys=StaticKeyProvider(b"b" * 32),
        clock=lambda: datetime(2026, 11, 25, 10, 0),
    )
    world = seed_world(svc)
    return svc, advance(svc, world, Stage.SERVED)


def one_decision(svc, case_id: int) -> float:  # type: ignore[no-untyped-def]
    """Seconds to compose, issue and render one decision."""
    d = svc.queries.get_case(case_id).decisions_in_force()[1]
    t0 = time.perf_counter()
    view = svc.documents.issue_document(case_id, "问责决定书", d.id)
    svc.documents.render(view.id, io.BytesIO())
    return time.perf_counter() - t0


def child() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        svc, cid = build(Path(tmp))
        setup = time.perf_counter() - t0
        t1 = time.perf_counter()
        seconds = one_decision(svc, cid)
        print(
            json.dumps(
                {"setup": setup, "decision": seconds, "since_start": time.perf_counter() - t1}
            )
        )
        svc.db.dispose()


def main() -> None:
    out = subprocess.run(
        [sys.executable, __file__, "--child"], capture_output=True, text=True, check=True
    ).stdout
    cold = json.loads(out.strip().splitlines()[-1])
    print(f"冷启动（新进程，含字体注册）生成一份问责决定书：{cold['decision'] * 1000:.0f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        svc, cid = build(Path(tmp))
        one_decision(svc, cid)  # registers fonts
        warm = []
        for _ in range(5):
            d = svc.queries.get_case(cid).decisions_in_force()[0]
            t0 = time.perf_counter()
            view = svc.documents.issue_document(cid, "问责决定书", d.id)
            svc.documents.render(view.id, io.BytesIO())
            warm.append(time.perf_counter() - t0)
        print(f"热启动生成一份问责决定书（印发+渲染，5次中位数）：{sorted(warm)[2] * 1000:.0f} ms")

        # Ten documents in the dossier: form, report, 2 decisions, 2 proofs, and 4 reissues.
        for item in svc.documents.issuable(cid):
            if item.kind != "卷宗":
                svc.documents.issue_document(cid, item.kind, item.ref_id)
        docs = [d for d in svc.documents.list_documents(cid, include_superseded=True)]
        t0 = time.perf_counter()
        dossier = svc.documents.issue_document(cid, "卷宗")
        content = svc.documents.get_document(dossier.id)[1]
        buf = io.BytesIO()
        # render the dossier over ten documents (current and earlier versions alike)
        content = {**content, "documents": [d.id for d in docs][:10]}
        result = svc.documents.render_content(content, buf, dossier.verification_code)
        elapsed = time.perf_counter() - t0
        print(
            f"十份文书的卷宗（封面、目录、{len(content['documents'])}份文书、办理记录，"
            f"共{result.pages}页）：{elapsed * 1000:.0f} ms"
        )
        svc.db.dispose()


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        main()
