"""The reports↔services import cycle stays removed (issue 11, item 10).

The workbook writers in ``app.reports`` read the frozen read models of ``app.readmodels``
and never import ``app.services`` at module level; ``app.services.reporting`` imports the
writers only inside the export methods.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def _module_imports(path: Path) -> list[str]:
    out = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            out.append(node.module)
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names]
    return out


def test_reports_never_import_services_at_module_level() -> None:
    bad = [
        f"{f.name}: {m}"
        for f in sorted((APP / "reports").glob("*.py"))
        for m in _module_imports(f)
        if m.startswith("app.services")
    ]
    assert bad == []


def test_reporting_imports_the_writers_only_lazily() -> None:
    mods = _module_imports(APP / "services" / "reporting.py")
    assert [m for m in mods if m.startswith("app.reports")] == []


def test_readmodels_is_pure() -> None:
    mods = _module_imports(APP / "readmodels.py")
    assert [m for m in mods if m.startswith(("sqlalchemy", "PySide6", "app.services"))] == []


def test_importing_the_writers_loads_no_service() -> None:
    code = (
        "import sys, app.reports.monthly, app.reports.ledger, app.readmodels;"
        "print(sorted(m for m in sys.modules if m.startswith(('app.services', 'sqlalchemy.orm'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=APP.parent
    ).stdout.strip()
    assert out == "[]"


def test_old_homes_still_export_the_read_models() -> None:
    from app import readmodels
    from app.services import queries, reporting

    assert reporting.MonthlyReport is readmodels.MonthlyReport
    assert reporting.LedgerRow is readmodels.LedgerRow
    assert reporting.SUMMARY_ROWS is readmodels.SUMMARY_ROWS
    assert reporting.Period is readmodels.Period
    assert queries.CaseDetail is readmodels.CaseDetail
    assert queries.ServiceView is readmodels.ServiceView
