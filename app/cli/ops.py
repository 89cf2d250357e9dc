"""Operations commands: `wenze smoke` / `wenze --smoke`, the self-test a built package runs.

The smoke test proves a build is whole — Python modules, migrations, fonts, the regulation,
Qt platform plugins and translations all found — by doing real work in a temporary folder:
migrate a fresh database, build a few cases through the services, render a decision PDF,
write a monthly report workbook, open the main window offscreen, verify the audit chain.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _step(label: str, fn: Callable[[], str]) -> None:
    started = time.perf_counter()
    detail = fn()
    print(f"  ✓ {label}（{(time.perf_counter() - started) * 1000:.0f} ms）{detail}", flush=True)


def run_smoke(*, gui: bool = True, keep: str | None = None) -> int:
    """Returns 0 when every step worked; prints each step so a failing build says where."""
    from app.domain.enums import DocumentKind
    from app.services import build_services
    from app.services.demo import make_demo
    from app.storage import open_database

    print("问责案管自检（--smoke）", flush=True)
    with tempfile.TemporaryDirectory(prefix="wenze-smoke-") as tmp:
        folder = Path(keep) if keep else Path(tmp)
        state: dict = {}

        def database() -> str:
            folder.mkdir(parents=True, exist_ok=True)
            db = open_database(folder / "data")
            state["svc"] = build_services(db, data_dir=db.data_dir)
            return f"：{db.url}（架构版本 {db.schema_revision()}）"

        def cases() -> str:
            result = make_demo(state["svc"], 10, seed=8)
            return f"：{result.cases} 件演示案件"

        def decision_pdf() -> str:
            svc = state["svc"]
            if svc.documents is None:
                raise RuntimeError("文书服务（app.services.documents）不存在")
            for summary_id in range(1, 11):
                case = svc.queries.get_case(summary_id)
                decisions = [d for d in case.decisions if not d.origin.startswith("复核")]
                if decisions:
                    break
            else:
                raise RuntimeError("演示数据中没有处理决定")
            content = svc.documents.draft_document(case.id, DocumentKind.DECISION, decisions[0].id)
            out = folder / "decision.pdf"
            result = svc.documents.render_content(content, out)
            data = out.read_bytes()
            if not data.startswith(b"%PDF") or result.pages < 1:
                raise RuntimeError("问责决定书 PDF 无效")
            state["month"] = decisions[0].decided_on
            return f"：{result.pages} 页，{len(data) // 1024} KB，{decisions[0].doc_number}"

        def monthly() -> str:
            from openpyxl import load_workbook

            from app.readmodels import Period

            svc = state["svc"]
            if svc.reports is None:
                raise RuntimeError("报表服务（app.services.reporting）不存在")
            d = state["month"]
            out = folder / "monthly.xlsx"
            svc.reports.export_monthly(out, Period.month(d.year, d.month))
            wb = load_workbook(out, read_only=True)
            sheets = wb.sheetnames
            wb.close()
            return f"：{d.year}年{d.month}月，工作表 {len(sheets)} 张"

        def window() -> str:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from app.ui.app import create_main_window, prepare_application

            app = prepare_application([sys.argv[0]])
            win = create_main_window(state["svc"])
            win.show()
            for _ in range(5):
                app.processEvents()
            title = win.windowTitle()
            win.close()
            app.processEvents()
            from PySide6.QtCore import QCoreApplication

            translated = QCoreApplication.translate("QPlatformTheme", "Cancel")
            return f"：{title}；Qt 中文翻译：{translated}"

        def binding() -> str:
            from app.ui.qt_binding import binding_problem

            problem = binding_problem()
            if problem:
                raise RuntimeError(problem)
            import PySide6

            return f"：PySide6 {PySide6.__version__}，Python {sys.version.split()[0]}"

        def chain() -> str:
            report = state["svc"].audit.verify_chain()
            if not report.ok:
                raise RuntimeError(report.message)
            return f"：{report.message}"

        steps: list[tuple[str, Callable[[], str]]] = [
            ("打开临时数据库并迁移", database),
            ("通过业务服务生成案件", cases),
            ("生成问责决定书 PDF", decision_pdf),
            ("生成问责统计月报", monthly),
        ]
        if gui:
            steps.append(("检查 Qt 绑定", binding))
            steps.append(("打开主窗口（offscreen）", window))
        steps.append(("校验审计链", chain))
        try:
            for label, fn in steps:
                _step(label, fn)
        except Exception as exc:  # the smoke test's whole job is to say what failed
            print(f"  ✗ 自检失败：{type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            return 1
        finally:
            svc = state.get("svc")
            if svc is not None:
                svc.db.dispose()
    print("自检通过", flush=True)
    return 0


def cmd_smoke(args: argparse.Namespace) -> int:
    return run_smoke(gui=not getattr(args, "no_gui", False), keep=getattr(args, "keep", None))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("smoke", help="自检：临时数据库、问责决定书 PDF、月报、主窗口")
    p.add_argument("--no-gui", action="store_true", help="不打开主窗口")
    p.add_argument("--keep", metavar="目录", help="把自检生成的文件留在此目录")
    p.set_defaults(func=cmd_smoke)
