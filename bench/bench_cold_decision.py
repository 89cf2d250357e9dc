"""One issued 问责决定书 to PDF in a fresh process, beside bare ReportLab (issue 14).

    .venv/bin/python bench/bench_cold_decision.py [--cases 300] [--dir D] [--runs 5] [--root TREE]

Builds (once; reused when ``D`` holds cases) a demo database with ``wenze demo --cases N``,
picks the first case with exactly one current issued 问责决定书, then times, each in a fresh
process from the parent's wall clock (median of ``--runs``, the probes interleaved):

* ``decision_cold_cli_ms`` — ``wenze docs export --case NUMBER --kind 问责决定书 -o DIR
  --data-dir D``, the command an officer runs;
* ``decision_cold_services_ms`` — bench/bench_app.py's DECISION_CLI probe as it is
  (build_services, then DocumentService.render of the same document);
* ``bare_reportlab_cli_ms`` — bench/bench_app.py's BARE_REPORTLAB probe: the same body font
  file registered, a two-page text as long as the decision's frozen text drawn.

The probes, the database build and the text length come from bench/bench_app.py (imported).
``--root`` runs the two app probes against another checkout (e.g. ``git archive`` of an older
commit) to measure before and after on the same database. Prints ``BENCH <key> <value> ms``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_app  # the probes and helpers of the issue-14 benchmark

DECISION = "问责决定书"

EXPORT_CLI = bench_app.EXPORT_CLI  # the command an officer runs (bench_app measures it too)
pick_decision = bench_app.pick_decision


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "wenze-cold-decision"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", default=str(bench_app.ROOT), help="checkout the app probes run")
    args = parser.parse_args()
    data = Path(args.dir).resolve()
    bench_app.compile_app(Path(args.root))
    bench_app.build(data, args.cases)
    doc_id, number, case_id, content = pick_decision(data)

    from app.documents.fonts import ROLE_BODY, get_fontset

    body = get_fontset().role_file(ROLE_BODY)
    text_len = len("".join(str(v) for v in bench_app._strings(content)))
    text = ("本决定依据规定作出，送达之日起生效。" * (text_len // 18 + 1))[:text_len]
    with tempfile.TemporaryDirectory() as tmp:
        probes = {
            "cli": EXPORT_CLI.format(
                root=args.root, number=number, kind=DECISION, out=f"{tmp}/cli", data=str(data)
            ),
            "services": bench_app.DECISION_CLI.format(
                root=args.root, data=str(data), out=f"{tmp}/d.pdf", doc_id=doc_id,
                case_id=case_id, decision_id=None,
            ),
            "bare": bench_app.BARE_REPORTLAB.format(
                font=str(body.path), index=body.subfont, text=text, out=f"{tmp}/bare.pdf"
            ),
        }  # fmt: skip
        times: dict[str, list[float]] = {k: [] for k in probes}
        for _ in range(args.runs):  # interleaved, so a change of load hits every figure alike
            for key, code in probes.items():
                times[key].append(float(bench_app._probe(code)["DONE"]))
    cli, services, bare = (statistics.median(times[k]) for k in ("cli", "services", "bare"))
    print(
        f"# {args.root}: case {number}, document {doc_id}, {text_len} characters, {body.path.name}"
    )
    print(
        f"# ratio cli/bare {cli / bare:.2f}× (budget ≤ 1.5×), services/bare {services / bare:.2f}×"
    )
    print(f"BENCH decision_cold_cli_ms {cli:.1f} ms")
    print(f"BENCH decision_cold_services_ms {services:.1f} ms")
    print(f"BENCH bare_reportlab_cli_ms {bare:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
