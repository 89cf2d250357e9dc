"""The architecture's import rules, checked on the source (DESIGN §7, issue 11 item 10)."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def offenders(folder: str, banned: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((APP / folder).rglob("*.py")):
        bad = sorted(m for m in imports(path) if m.startswith(banned))
        if bad:
            found.append(f"{path.relative_to(APP)}: {', '.join(bad)}")
    return found


def test_ui_reaches_storage_only_through_services() -> None:
    assert offenders("ui", ("app.storage", "sqlalchemy", "alembic")) == []


def test_domain_is_pure() -> None:
    assert offenders("domain", ("PySide6", "sqlalchemy", "app.storage", "app.services")) == []


def test_no_module_over_800_lines() -> None:
    long = {
        str(p.relative_to(APP)): n
        for p in APP.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800
    }
    assert long == {}


def test_services_state_no_rule_of_their_own() -> None:
    """One rulebook: a refusal citing an article is built in app/domain; a service raises what
    the domain returns. The one exception re-words a domain refusal for a closed case."""
    allowed = {"corrections.py": 1}
    found: dict[str, int] = {}
    for path in sorted((APP / "services").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        calls = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) == "violation"
        ]
        if calls:
            found[path.name] = len(calls)
    assert found == allowed, f"rules stated in services (move them to app/domain): {found}"
