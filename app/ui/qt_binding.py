"""Refuse to run on a Qt binding that would crash the app mid-work.

PySide6 6.12.0 on Python 3.11 gives back one reference to ``None`` that it never took on every
call of a method that returns nothing (``setText``, ``update``, ``setObjectName`` …). Python 3.11
counts ``None``'s references like any object's (from 3.12 on ``None`` is immortal), so after
some tens of thousands of such calls — about 200 openings of the case wizard — ``None`` is
freed and the process aborts ("deallocating None"), wherever the officer happens to be.
pyproject.toml keeps that release out; this check catches an environment installed by hand.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

#: Calls made by :func:`none_refs_lost`; a sound binding loses none of them.
PROBE_CALLS = 64


def none_refs_lost(call: Callable[[], object], n: int = PROBE_CALLS) -> int:
    """How many references to ``None`` ``n`` calls of ``call`` gave back without taking."""
    call()  # first-call caches (signatures, method lookups) are not the binding's fault
    before = sys.getrefcount(None)
    for _ in range(n):
        call()
    return before - sys.getrefcount(None)


def binding_problem() -> str | None:
    """A Chinese message when the installed PySide6 corrupts ``None`` (else None)."""
    if sys.version_info >= (3, 12):
        return None  # None is immortal: a stray decrement does nothing
    import PySide6
    from PySide6.QtCore import QObject

    probe = QObject()
    lost = none_refs_lost(lambda: probe.setObjectName("wenze"))
    if lost < PROBE_CALLS // 2:
        return None
    return (
        f"当前安装的 PySide6 {PySide6.__version__} 与 Python "
        f"{sys.version_info[0]}.{sys.version_info[1]} 不兼容：每次界面调用都会少计一次对象引用，"
        "运行一段时间后程序会异常退出。为避免办案中途崩溃，本程序不在此环境中运行。"
        "请重新运行 bash scripts/start.sh（将安装兼容的 PySide6 6.11），"
        "或改用 Python 3.12 及以上版本。"
    )
