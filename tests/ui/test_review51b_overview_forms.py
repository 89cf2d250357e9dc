"""Review 51b (a new user's walk at 1366×768): 第8步 结案归档's overview listed a decision of
通报批评 and a 警告 as 「行政处分、通报批评（警告）」 — the forms in the order they were stored
(not Art. 11's) and the sanction's kind put after the last of them, so it read as a 通报批评 of
the kind 警告; 案件详情's 办理过程 said 「行政处分、通报批评」, with no kind at all. The 问责决定书
says 「通报批评、警告处分」."""

from __future__ import annotations

import pytest

from app.domain.enums import AccountabilityForm, DecisionOutcome, SanctionKind
from app.domain.lifecycle import Stage
from app.domain.rules import SanctionSpec
from app.ui.wizard.wizard import open_wizard
from tests.helpers.builders import SQUAD_SANCTION, advance
from tests.helpers.wizard_driver import go_next

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


LEADER = SanctionSpec.of(
    DecisionOutcome.ACCOUNTABLE,
    [AccountabilityForm.ADMINISTRATIVE_SANCTION, AccountabilityForm.CIRCULATED_CRITICISM],
    SanctionKind.WARNING,
    reasons="情节较轻",
)


def test_step8_names_the_forms_as_the_decision_does(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED, sanctions=(SQUAD_SANCTION, LEADER))
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    assert wiz.currentId() == 7
    go_next(wiz)
    text = wiz.page_for(8).w("overview").toPlainText()
    line = next(x for x in text.splitlines() if "王喆：" in x)
    assert "通报批评、警告处分" in line, line
    assert "通报批评（警告）" not in line, line


def test_the_case_history_names_the_forms_as_the_decision_does(svc, world) -> None:  # type: ignore[no-untyped-def]
    from app.ui.case_detail import build_timeline

    cid = advance(svc, world, Stage.DECIDED, sanctions=(SQUAD_SANCTION, LEADER))
    rows = [r.what for r in build_timeline(svc.queries.get_case(cid))]
    line = next(x for x in rows if x.startswith("王喆："))
    assert line.startswith("王喆：通报批评、警告处分（"), line
