"""Every wizard page at 1366×768 in Chinese: no clipped labels; optionally saved as PNG.

Set WENZE_SCREENSHOTS=docs/screenshots to (re)write docs/screenshots/wizard-*.png.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from app.domain.lifecycle import STEP_TITLES, Stage
from app.resources import resource_path
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import fill

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

SLUGS = {
    1: "1-proposal",
    2: "2-initiation",
    3: "3-investigation",
    4: "4-report",
    5: "5-decision",
    6: "6-service",
    7: "7-review",
    8: "8-close",
}


@pytest.fixture
def cjk_font(qapp):  # type: ignore[no-untyped-def]
    fid = QFontDatabase.addApplicationFont(str(resource_path("fonts", "wqy-microhei.ttc")))
    assert fid >= 0
    family = QFontDatabase.applicationFontFamilies(fid)[0]
    old = QApplication.font()
    QApplication.setFont(QFont(family, 10))
    yield family
    QApplication.setFont(old)


def _stage_for(step: int) -> Stage:
    return {
        2: Stage.PROPOSED,
        3: Stage.INVESTIGATING,
        4: Stage.INVESTIGATING,
        5: Stage.REPORTED,
        6: Stage.DECIDED,
        7: Stage.SERVED,
        8: Stage.SERVED,
    }[step]


def _prepare(svc, world, clock, step: int):  # type: ignore[no-untyped-def]
    """A case at the step, with the page filled the way an officer would have it."""
    if step == 1:
        return None
    clock.now = datetime(2026, 4, 5, 9, 0)  # after every act of advance(): none is dated ahead
    cid = advance(svc, world, _stage_for(step))
    if step == 4:
        for pid in world.staff[:2]:
            svc.cases.assign_investigator(cid, pid, declared_no_conflict=True)
    if step == 3:
        svc.cases.assign_investigator(cid, world.staff[0], declared_no_conflict=True)
        svc.cases.add_evidence(cid, "投诉登记表", description="12345热线转办单")
    if step == 7:
        clock.now = datetime(2026, 4, 10, 9, 0)
        d = svc.queries.get_case(cid).decisions_in_force()[1]
        from app.domain.rules import ReviewApplicationSpec

        svc.cases.apply_review(d.id, ReviewApplicationSpec(date(2026, 4, 10), "认为处分过重"))
    if step == 8:
        clock.now = datetime(2026, 5, 20, 9, 0)
    return cid


def _fill_page(wiz, svc, world, step: int) -> None:  # type: ignore[no-untyped-def]
    page = wiz.current()
    if step == 1:
        fill(
            page,
            proposerType="主管领导",
            proposerName="分管副局长",
            subjectList=[f"u:{world.squad_id}", f"p:{world.leader_id}"],
            groundList=["7.5", "8.2"],
            behaviourType="不履行",
            behaviourSubtype="推诿",
            fault="过失",
            consequenceList=["贻误工作"],
            summary="城区一中队对占道经营投诉推诿塞责，超期未办。",
        )
    elif step == 2:
        fill(page, meetingDate=date(2026, 3, 5), minutesRef="党组会议纪要〔2026〕7号", days=30)
    elif step == 4:
        fill(
            page,
            reportDate=date(2026, 3, 25),
            findings="经查，该中队对投诉推诿塞责，超期未办属实。",
            legalBasis="第七条第（五）项、第十一条",
        )
        sub = svc.queries.get_case(wiz.case_id).subjects[1]
        fill(
            page.editors[sub.id],
            responsibility="主要领导责任",
            formSanction=True,
            sanctionKind="记过",
            reasons="负主要领导责任",
        )
    elif step == 5:
        fill(page, minutesRef="党组会议纪要〔2026〕9号")
        page.w("subjectTabs").setCurrentIndex(1)
    elif step == 6:
        for ed in page.editors.values():
            fill(ed, place="局机关纪委办公室", recipient="王喆", servers="纪晓岚、崔明远")
    elif step == 7:
        page.w("tabs").setCurrentIndex(2)
        fill(page, reviewOutcome="变更", reviewFacts="申辩有理", reviewReasons="酌情从轻")


def _clipped(page) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for w in page.findChildren(QLabel) + page.findChildren(QAbstractButton):
        if not w.isVisibleTo(page) or not w.text():
            continue
        if isinstance(w, QLabel) and w.wordWrap():
            if w.heightForWidth(w.width()) > w.height() + 1:
                out.append(f"{w.objectName()}:{w.text()[:20]}")
            continue
        if w.width() < w.sizeHint().width() - 1:
            out.append(f"{w.objectName()}:{w.text()[:20]} {w.width()}<{w.sizeHint().width()}")
    return out


@pytest.mark.parametrize("step", list(STEP_TITLES))
def test_page_screenshot_without_clipped_labels(qtbot, svc, world, clock, cjk_font, step) -> None:
    cid = _prepare(svc, world, clock, step)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    if step == 4:
        wiz.next()
    if step == 8:
        wiz.next()
    assert wiz.currentId() == step
    _fill_page(wiz, svc, world, step)
    wiz.resize(1366, 768)
    qtbot.wait(50)
    page = wiz.current()
    assert _clipped(page) == []
    image = wiz.grab()
    assert (image.width(), image.height()) == (1366, 768)
    target = os.environ.get("WENZE_SCREENSHOTS")
    if target:
        out = Path(target) / f"wizard-{SLUGS[step]}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        assert image.save(str(out))
