"""`wenze demo` shows its progress while the batch path runs, not only at the end.

The batch path reports once a chunk, and its chunks are not multiples of the printed step
(a forked run's first and last chunks are shorter: bulk_store.chunk_sizes).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest


def test_the_batch_demo_prints_counts_before_the_last(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.cli import core, main
    from app.services.bulk_store import chunk_sizes

    monkeypatch.setattr(core, "BULK_THRESHOLD", 100)  # the batch path (minutes faster)
    cases = 1400
    if len(list(chunk_sizes(cases, 5000))) < 2:
        pytest.skip("one chunk: nothing to show before the end")
    assert main(["demo", "--cases", str(cases), "--data-dir", str(tmp_path / "data")]) == 0
    shown = [int(n) for n in re.findall(rf"已生成 (\d+)/{cases} 件案件", capsys.readouterr().out)]
    assert shown[-1] == cases
    assert any(0 < n < cases for n in shown), shown
