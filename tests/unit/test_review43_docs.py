"""Review 43 (the documents the 机关纪委 signs, read before signing: 启动问责审批表, 回避决定书,
调查报告, 卷宗, 解除处分通知书): faults found in a demo database's printed documents, each
checked here through the real services on a real SQLite file, the PDF read back."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pdfplumber
import pytest

from app.domain.enums import DocumentKind, RecusalMode, RecusalVerdict, SanctionKind
from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec
from app.domain.rules import InitiationSpec, RecusalSpec, RuleViolation
from tests.helpers.builders import (
    SQUAD_SANCTION,
    advance,
    issue_missing,
    recuse_yan,
    report_spec,
    serve_all,
)
from tests.unit.test_lifecycle_services import decision
from tests.unit.test_rulebook import audit_count
from tests.unit.test_rulebook_review4a import _sanction


def _text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join("".join((pg.extract_text() or "").split()) for pg in pdf.pages)


def _printed(svc, cid: int, kind: DocumentKind, ref: int | None, out: Path) -> str:  # type: ignore[no-untyped-def]
    view = svc.documents.issue_document(cid, kind, ref)
    svc.documents.render(view.id, out)
    return _text(out)


def _investigating(svc, world) -> int:  # type: ignore[no-untyped-def]
    """A case under investigation (deadline 2026-04-07), two investigators on it."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    for person in world.staff[:2]:
        svc.cases.assign_investigator(
            cid, person, declared_no_conflict=True, declared_on=date(2026, 3, 5)
        )
    return cid


def _report(svc, cid: int, on: date) -> int:  # type: ignore[no-untyped-def]
    spec = report_spec(svc.queries.get_case(cid))
    return svc.cases.submit_report(cid, replace(spec, report_date=on))


# ---- 1. an extended deadline: the report and the form state the one the meeting set -------


def test_a_report_after_an_extension_states_the_deadline_set_and_the_one_extended_to(
    svc, world, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """第九条 (限期调查): the case's deadline moves to the extended one; the report read
    「调查期限至2026年5月7日。经批准，调查期限延长至2026年5月7日」 — an extension to the day it
    already was. It states the deadline the Party group set, then the one it was extended to."""
    cid = _investigating(svc, world)
    svc.cases.extend_investigation(
        cid, new_deadline=date(2026, 5, 7), approved_on=date(2026, 4, 1), reason="需补充调取证据"
    )
    rid = _report(svc, cid, date(2026, 4, 20))
    text = _printed(svc, cid, DocumentKind.INVESTIGATION_REPORT, rid, tmp_path / "r.pdf")
    assert "调查期限至2026年4月7日。" in text, text
    assert "经批准，调查期限延长至2026年5月7日（需补充调取证据）。" in text, text
    assert "在确定的期限内" in text and "已超过调查期限" not in text, text
    # The 启动问责审批表 printed now: the meeting set 4月7日; the extension is said as one.
    form = _printed(svc, cid, DocumentKind.INITIATION_FORM, None, tmp_path / "f.pdf")
    assert "至2026年4月7日（" in form and "经批准延长至2026年5月7日" in form, form


# ---- 2. a recusal ordered, or asked for by the subject, said as what it was ----------------


@pytest.mark.parametrize(
    ("mode", "applicant", "said"),
    [
        (RecusalMode.ORDERED, "纪委书记孙立", "机关纪委于2026年3月10日依职权决定尹正清回避"),
        (RecusalMode.SUBJECT, "王喆", "尹正清经当事人王喆申请，于2026年3月10日决定回避"),
    ],
)
def test_a_report_says_how_a_recusal_arose(  # type: ignore[no-untyped-def]
    svc, world, tmp_path: Path, mode: RecusalMode, applicant: str, said: str
) -> None:
    """第十二条: an ordered recusal read 「尹正清经指令回避，于…决定回避」 (recused by a
    recusal, 回避 twice), a subject's 「经当事人申请」 without saying which of the subjects."""
    cid = _investigating(svc, world)
    svc.cases.assign_investigator(
        cid, world.staff[2], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.record_recusal(
        cid,
        RecusalSpec(world.staff[2], "调查人员", mode, applicant, "与王喆系近亲属",
                    RecusalVerdict.GRANTED, date(2026, 3, 10)),
    )  # fmt: skip
    rid = _report(svc, cid, date(2026, 3, 25))
    text = _printed(svc, cid, DocumentKind.INVESTIGATION_REPORT, rid, tmp_path / "r.pdf")
    assert said in text, text
    assert "经指令回避" not in text and "经当事人申请" not in text, text
    team = next(t for t in text.split("。") if "组成调查组" in t)
    assert "尹正清" not in team, team  # recused: never named as one who investigated


# ---- 3. the report does not offer itself as its own evidence --------------------------------


def test_a_report_without_registered_evidence_does_not_cite_itself(
    svc, world, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The 调查报告 read 「上述事实有调查报告及相关材料在卷佐证」: the report proving its own
    findings. With no evidence registered it rests on the materials on file."""
    cid = _investigating(svc, world)
    assert not svc.queries.get_case(cid).evidence
    rid = _report(svc, cid, date(2026, 3, 25))
    text = _printed(svc, cid, DocumentKind.INVESTIGATION_REPORT, rid, tmp_path / "r.pdf")
    facts = text[text.index("三、查明的事实") : text.index("四、")]
    assert "调查报告" not in facts, facts
    assert "上述事实有相关材料在卷佐证。" in facts, facts


# ---- 4. what the case is about, in the regulation's words (第二条), not 「执法过错」 ------------


def test_a_report_names_the_conduct_as_the_case_classes_it(svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The report opened 「…涉嫌执法过错问题进行了调查核实」 for every case — also one under
    第七条 (a task not done, a false report), which is no 执法 at all. It names the conduct as
    the case classes it under 第二条, as the 问责决定书 does (「不履行职责」)."""
    cid = _investigating(svc, world)
    rid = _report(svc, cid, date(2026, 3, 25))
    text = _printed(svc, cid, DocumentKind.INVESTIGATION_REPORT, rid, tmp_path / "r.pdf")
    assert "执法过错" not in text, text
    assert "城区一中队、王喆涉嫌不履行职责问题进行了调查核实" in text, text


# ---- 5. the dossier of a case the Party group declined names who closed it ----------------


def test_a_declined_cases_dossier_names_who_ended_it(svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """第九条: a case the Party group declined to open ends with that meeting (no 结案归档
    act of its own). Its 案件办理记录 printed 「结案归档」 with 「—」 for the one who did it;
    it names the user who recorded the meeting that ended the case."""
    cid = advance(svc, world, Stage.PROPOSED)
    svc.cases.decide_initiation(
        cid, InitiationSpec(date(2026, 3, 5), "党组会议纪要〔2026〕7号", False, "反映问题不属实")
    )
    dossier = next(
        v for v in issue_missing(svc, cid, dossier=True) if v.kind == DocumentKind.DOSSIER
    )
    svc.documents.render(dossier.id, tmp_path / "d.pdf")
    with pdfplumber.open(tmp_path / "d.pdf") as pdf:
        rows = [r for pg in pdf.pages for t in pg.extract_tables() for r in t]
    closing = next(r for r in rows if r and r[-1] == "结案归档")
    meeting = next(r for r in rows if r and "不予启动" in (r[-1] or ""))
    assert closing[2] not in ("—", "", None), closing
    assert closing[2] == meeting[2], (closing, meeting)


# ---- 6. 第十二条: the release is not confirmed by one recused from the case -----------------


def test_a_release_notice_does_not_name_a_recused_officer_as_confirming_it(  # type: ignore[no-untyped-def]
    svc, world
) -> None:
    """The 解除处分通知书 states 「经纪委副书记严守法确认，对王喆的警告处分…起解除」: the
    officer who confirms acts on the case. 严守法 withdrew from it (第十二条), so the release
    he would confirm is refused, naming the article; nothing is recorded. Another confirms."""
    cid = advance(svc, world, Stage.REPORTED)
    recuse_yan(svc, world, cid)
    case = svc.queries.get_case(cid)
    for sub, sanction in zip(
        case.subjects, (SQUAD_SANCTION, _sanction(SanctionKind.WARNING)), strict=True
    ):
        svc.cases.record_decision(cid, decision(sub.id, sanction))
    serve_all(svc, cid, datetime(2026, 4, 3, 9, 30))
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    before = audit_count(svc)
    for by in ("纪委副书记严守法", "纪委副书记 严守法"):
        with pytest.raises(RuleViolation) as exc:
            svc.releases.release(leader.id, ReleaseSpec(date(2026, 10, 5), "有悔改表现", by))
        assert "第十二条" in str(exc.value) and "严守法" in str(exc.value), exc.value
    assert audit_count(svc) == before
    svc.releases.release(leader.id, ReleaseSpec(date(2026, 10, 5), "有悔改表现", "纪委书记孙立"))
