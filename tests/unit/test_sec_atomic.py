"""Atomic outputs: kill -9 the CLI at random moments; every final-named file must open.

For each of `report ledger`, `report monthly` and `docs export`, 20 runs are killed at a
random moment (spread over the command's own measured run time); after every kill each file
under its final name opens (openpyxl / pdfium). Temporary names are removed by the next run.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.fsutil import PART_PREFIX, atomic_output, sweep_partials, write_via

KILLS = int(os.environ.get("WENZE_KILLS", "20"))
ROOT = Path(__file__).resolve().parents[2]


def test_atomic_output_keeps_the_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old complete file")
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        assert tmp.name == "台账.xlsx" and tmp.parent != tmp_path
        tmp.write_bytes(b"half a wor")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old complete file"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(PART_PREFIX)]
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"new complete file")
    assert target.read_bytes() == b"new complete file"
    import io

    buf = io.BytesIO()
    assert write_via(buf, lambda o: o.write(b"x")) == 1  # streams pass straight through


def test_leftovers_of_dead_processes_are_swept(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{PART_PREFIX}{dead.pid}-abc.part"
    stale.mkdir()
    (stale / "台账.xlsx").write_bytes(b"torn")
    mine = tmp_path / f"{PART_PREFIX}{os.getpid()}-def.part"
    mine.mkdir()
    assert sweep_partials(tmp_path) == [stale]
    assert mine.exists()


def _opens(path: Path) -> bool:
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        ok = bool(wb.sheetnames)
        wb.close()
        return ok
    if path.suffix == ".pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(path))
        ok = len(pdf) >= 1
        pdf.close()
        return ok
    return True


def _final_files(out: Path) -> list[Path]:
    return [
        p
        for p in out.rglob("*")
        if p.is_file() and not any(part.startswith(PART_PREFIX) for part in p.parts)
    ]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("atomic") / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [sys.executable, "-m", "app", "demo", "--cases", "12", "--data-dir", str(data)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return data


@pytest.mark.parametrize(
    "command",
    [
        ["report", "ledger", "-o", "{out}/台账.xlsx"],
        ["report", "monthly", "-o", "{out}/月报.xlsx"],
        ["docs", "export", "-o", "{out}/文书"],
    ],
    ids=["ledger", "monthly", "docs"],
)
def test_kill_minus_9_never_leaves_a_torn_file(demo_dir: Path, tmp_path: Path, command) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    out.mkdir()
    argv = [sys.executable, "-m", "app", *[a.format(out=out) for a in command]]
    argv += ["--data-dir", str(demo_dir)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    t0 = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)
    full = time.perf_counter() - t0
    assert _final_files(out), "the complete run wrote nothing"
    rng = random.Random(13)
    checked = 0
    for _ in range(KILLS):
        proc = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3 * full, 1.05 * full))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for path in _final_files(out):
            assert _opens(path), f"torn file under its final name: {path.name}"
            checked += 1
    subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)
    assert not [p for p in out.iterdir() if p.name.startswith(PART_PREFIX)], "leftovers kept"
    for path in _final_files(out):
        assert _opens(path)
    assert checked >= KILLS
    leftovers = list((demo_dir / "tmp").glob("*")) if (demo_dir / "tmp").exists() else []
    assert all(p.name.isdigit() for p in leftovers)
