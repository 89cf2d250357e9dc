"""Benchmark the document engine: cold (new process, fonts registered) and warm renders.

Prints figures only; no thresholds. Run: .venv/bin/python bench/bench_documents.py
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from app.documents.model import Doc

FACTS = (
    "经查，张三同志于2026年1月12日在城区市容巡查中，对当事人李某的占道经营行为未依法"
    "进行调查取证，也未告知当事人依法享有的陈述、申辩权利，即作出罚款决定；"
    "事后又未按规定将案卷材料（含现场照片12张）归档，造成不良影响。"
)


def two_page_doc(k: int = 5) -> Doc:
    from app.documents.model import Doc, Heading1, Heading2, Para, Signature
    from app.documents.text import format_doc_number

    return Doc(
        title="荣昌区综合行政执法局关于对张三同志予以问责的决定",
        number=format_doc_number("荣综执纪", 2026, k),
        blocks=[
            Para("张三同志：", indent=0),
            Para(FACTS * 3),
            Heading1("一、查明的事实"),
            Para(FACTS * 3),
            Heading2("（一）问责依据"),
            Para(FACTS * 2),
            Signature("荣昌区综合行政执法局", "2026年3月5日"),
        ],
        verification_code="7Q4K-9MZX",
    )


def child() -> None:
    """Cold render in this fresh process: import, font registration and one render."""
    t0 = time.perf_counter()
    from app.documents.layout import render_pdf

    t1 = time.perf_counter()
    result = render_pdf(two_page_doc(), io.BytesIO())
    t2 = time.perf_counter()
    print(f"{t1 - t0:.3f} {t2 - t1:.3f} {result.pages}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child()
        return
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--child"], capture_output=True, text=True, check=True
    ).stdout.split()
    wall = time.perf_counter() - start
    print(
        f"cold (new process): import {float(out[0]):.3f} s, first render incl. font "
        f"registration {float(out[1]):.3f} s ({out[2]} pages), process wall {wall:.3f} s"
    )

    from app.documents.layout import render_bundle, render_pdf

    render_pdf(two_page_doc(), io.BytesIO())  # register fonts in this process
    times = []
    for _ in range(5):
        buf = io.BytesIO()
        t = time.perf_counter()
        result = render_pdf(two_page_doc(), buf)
        times.append(time.perf_counter() - t)
    print(
        f"warm 2-page render: min {min(times):.3f} s, median {sorted(times)[2]:.3f} s "
        f"({result.pages} pages, {len(buf.getvalue()) / 1024:.0f} KB)"
    )
    docs = [two_page_doc(k) for k in range(1, 11)]
    buf = io.BytesIO()
    t = time.perf_counter()
    result = render_bundle(docs, buf)
    print(
        f"ten-document bundle with contents: {time.perf_counter() - t:.3f} s "
        f"({result.pages} pages, {len(buf.getvalue()) / 1024:.0f} KB)"
    )


if __name__ == "__main__":
    main()
