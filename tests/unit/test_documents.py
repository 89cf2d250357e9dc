"""Case documents read back from real PDFs: elements, citations, layout, fonts, codes, privacy."""

from __future__ import annotations

import io
import json
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.documents.compose.dossier import FILING_ORDER
from app.documents.fonts import SUBSTITUTE_CHAR, get_fontset
from app.documents.linebreak import NO_END, NO_START
from app.domain.enums import (
    DocumentKind,
    LeadChannel,
    LeadSource,
    RecusalMode,
    RecusalVerdict,
    ReviewOutcome,
    SanctionKind,
)
from app.domain.lifecycle import Stage
from app.domain.rules import RecusalSpec, ReviewApplicationSpec, ReviewDecisionSpec, SanctionSpec
from app.services.base import Actor, ServiceError
from app.services.vault import ReporterIdentity
from app.storage.models import IssuedDocument
from tests.helpers.builders import advance, issue_missing, seed_world

MM = 72 / 25.4
REPORTER = "甄秘密"
RARE = "喆赟堃𠮷"


@dataclass
class Scenario:
    svc: object
    case_id: int
    recusal_case_id: int
    docs: dict[str, list]  # kind -> DocumentViews
    pdfs: dict[int, Path]  # document id -> PDF
    lead_number: str
    closed_case_id: int = 0


def build_scenario(svc, tmp_path: Path) -> Scenario:  # type: ignore[no-untyped-def]
    """A served case with a review, a recusal case, rare names and a confidential reporter."""
    world = seed_world(svc)
    md = svc.masterdata
    jiwei = md.list_units()[-1].id
    # Rare-name investigators (outside GB2312): they sign the investigation report.
    world.staff[0] = md.create_person("张堃", jiwei, "纪检干事")
    world.staff[1] = md.create_person("吉𠮷", jiwei, "纪检干事")
    lead_id = svc.leads.register_lead(
        received_on=date(2026, 2, 20),
        source=LeadSource.ACCUSATION,
        channel=LeadChannel.LETTER,
        content="反映城区一中队推诿投诉",
        reporter=ReporterIdentity(name=REPORTER, phone="13800000000"),
    )
    cid = advance(svc, world, Stage.SERVED)
    svc.leads.link_lead(lead_id, cid)
    case = svc.queries.get_case(cid)
    leader_decision = case.decisions_in_force()[1]
    app_id, _late = svc.cases.apply_review(
        leader_decision.id, ReviewApplicationSpec(date(2026, 4, 20), "认为处分过重，请求从轻")
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    lighter = SanctionSpec.of("予以问责", ["行政处分"], SanctionKind.WARNING, reasons="有悔改表现")
    svc.cases.decide_review(
        app_id,
        ReviewDecisionSpec(
            date(2026, 5, 12), ReviewOutcome.CHANGE, "主动纠错、挽回损失", "复核查明属实", lighter
        ),
    )
    # A second case, still investigating, with a recusal applied for by 李赟.
    cid2 = advance(svc, world, Stage.INVESTIGATING, proposed_on=date(2026, 3, 3))
    svc.cases.assign_investigator(
        cid2, world.staff[2], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.record_recusal(
        cid2,
        RecusalSpec(
            world.staff[2],
            "调查人员",
            RecusalMode.SUBJECT,
            "李赟",
            "与被问责人系近亲属关系",
            RecusalVerdict.GRANTED,
            date(2026, 3, 8),
            world.staff[3],
        ),
    )
    # A third case, served and closed after the review window: the dossier's case (结案).
    cid3 = advance(svc, world, Stage.SERVED, proposed_on=date(2026, 3, 4))
    svc.cases.close_case(cid3, closed_on=date(2026, 6, 1), note="复核期限届满，未申请复核")
    docs: dict[str, list] = defaultdict(list)
    pdfs: dict[int, Path] = {}
    out = tmp_path / "pdf"
    out.mkdir()
    for case_id in (cid, cid2):
        for view in issue_missing(svc, case_id):
            docs[view.kind].append(view)
    issue_missing(svc, cid3)
    dossier = svc.documents.issue_document(cid3, DocumentKind.DOSSIER)
    docs[dossier.kind].append(dossier)
    for views in docs.values():
        for view in views:
            path = out / f"{view.id}.pdf"
            result = svc.documents.render(view.id, path)
            assert result.warnings == []
            pdfs[view.id] = path
    lead = svc.leads.get_lead(lead_id)
    return Scenario(svc, cid, cid2, docs, pdfs, lead.number, cid3)


@pytest.fixture
def sc(svc, tmp_path: Path) -> Scenario:  # type: ignore[no-untyped-def]
    return build_scenario(svc, tmp_path)


def text_of(path: Path) -> str:
    """All text with whitespace removed (lines break mid-phrase)."""
    with pdfplumber.open(path) as pdf:
        return "".join("".join((p.extract_text() or "").split()) for p in pdf.pages)


def one(sc: Scenario, kind: str, n: int = 0) -> str:
    return text_of(sc.pdfs[sc.docs[kind][n].id])


def _lines(page, size: float) -> list[list[dict]]:  # type: ignore[no-untyped-def]
    rows: dict[float, list[dict]] = defaultdict(list)
    for ch in page.chars:
        if abs(ch["size"] - size) < 0.01 and ch["text"].strip():
            rows[round(ch["bottom"], 1)].append(ch)
    return [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]


# ---- elements of each document (DESIGN §5) -------------------------------------------------


def test_decision_has_every_element(sc: Scenario) -> None:
    t = one(sc, DocumentKind.DECISION, 1)  # the leader's decision
    for element in (
        "荣成市综合行政执法局问责决定书",
        "荣综执纪〔2026〕2号",
        "王喆同志：",
        "被问责人：王喆，城区一中队中队长。",
        "一、查明的事实和证据",
        "经查，该中队对投诉推诿塞责。",
        "二、问责的理由",
        "第七条第（五）项、第八条第（二）项",
        "负主要领导责任",
        "三、问责决定",
        "第十一条第（四）项",
        "《中华人民共和国公务员法》第六十二条",
        "决定给予王喆记过处分",
        "本决定自2026年4月1日起生效",
        "处分期间为12个月，自2026年4月1日起至2027年4月1日止",
        "四、权利告知",
        "自收到本决定书之日起30日内",
        "第十四条",
        "第九十五条",
        "15日内，向同级公务员主管部门或者荣成市综合行政执法局的上一级机关提出申诉",
        "也可以不经复核，自知道本决定之日起30日内直接提出申诉",
        "2026年4月1日",
    ):
        assert element in t, element
    assert t.count("荣成市综合行政执法局") >= 3  # title, rights (review body), issuing body
    assert re.search(r"校验码[0-9A-Z]{4}-[0-9A-Z]{4}", t)
    unit = one(sc, DocumentKind.DECISION, 0)
    assert "被问责单位：城区一中队（执法中队）。" in unit
    assert "第十一条第（二）项" in unit and "通报批评" in unit
    assert "处分期间" not in unit
    assert "第十四条" in unit and "第九十五条" not in unit and "申诉" not in unit


def test_service_proof_has_every_element(sc: Scenario) -> None:
    t = one(sc, DocumentKind.SERVICE_PROOF, 1)
    for element in (
        "送达回证",
        "问责决定书",
        "荣综执纪〔2026〕2号",
        "荣成市综合行政执法局",
        "受送达人",
        "王喆",
        "2026年4月3日9时30分",
        "局机关纪委办公室",
        "直接送达",
        "受送达人签收",
        "纪晓岚、崔明远",
        "备注",
    ):
        assert element in t, element


def test_review_decision_has_every_element(sc: Scenario) -> None:
    t = one(sc, DocumentKind.REVIEW_DECISION)
    for element in (
        "复核决定书",
        "荣综执纪复〔2026〕1号",
        "王喆同志：",
        "申请人：王喆",
        "作出的荣综执纪〔2026〕2号问责决定",
        "2026年4月20日",
        "申请人请求：从轻处理。",
        "申请人认为处分过重。",
        "复核查明属实",
        "决定变更荣综执纪〔2026〕2号问责决定",
        "警告处分",
        "主动纠错、挽回损失",
        "第十四条",
        "第九十五条",
        "接到本复核决定之日起15日内",
        "2026年5月12日",
    ):
        assert element in t, element


def test_initiation_form_has_every_element(sc: Scenario) -> None:
    t = one(sc, DocumentKind.INITIATION_FORM)
    for element in (
        "启动问责审批表",
        "主管领导（分管副局长）",
        "城区一中队（执法中队）",
        "王喆（执法人员，城区一中队中队长）",
        f"{sc.lead_number}（举报，来信）",
        "局党组会议研究，决定启动问责程序",
        "第七条第（五）项",
        "第八条第（二）项",
        "2026年3月5日",
        "党组会议纪要〔2026〕7号",
        "调查期限",
        "第九条",
        "机关纪委意见",
        "分管领导意见",
        "主要领导意见",
    ):
        assert element in t, element


def test_recusal_decision_has_every_element(sc: Scenario) -> None:
    t = one(sc, DocumentKind.RECUSAL_DECISION)
    for element in (
        "回避决定书",
        "李赟：",
        "申请人：李赟（本案当事人）",
        "被申请回避人：尹正清，本案调查人员",
        "与被问责人系近亲属关系",
        "第十二条",
        "决定：尹正清回避",
        "改由严守法担任",
        "2026年3月8日",
    ):
        assert element in t, element


def test_investigation_report_has_every_element(sc: Scenario) -> None:
    t = one(sc, DocumentKind.INVESTIGATION_REPORT)
    for element in (
        "调查报告",
        "一、被调查对象基本情况",
        "王喆，城区一中队中队长",
        "二、调查依据和经过",
        "张堃、吉𠮷",
        "三、查明的事实",
        "经查属实。",
        "四、被调查对象的态度和陈述申辩",
        "无异议",
        "五、责任认定",
        "主要领导责任",
        "六、处理建议及依据",
        "建议给予王喆记过处分",
        "《行政执法责任问责制管理办法》第九条",
        "第十一条第（四）项",
        "调查人员：张堃",
        "调查人员：吉𠮷",
        "签名：",
        "2026年3月25日",
    ):
        assert element in t, element


def test_dossier_has_cover_contents_every_document_and_history(sc: Scenario) -> None:
    view = sc.docs[DocumentKind.DOSSIER][0]
    path = sc.pdfs[view.id]
    own = [d for d in sc.svc.documents.list_documents(sc.closed_case_id) if d.kind != "卷宗"]
    assert len(own) == 6  # form, report, 2 decisions, 2 proofs
    # Filed in the order of the case's steps, whatever order they were printed in.
    own.sort(key=lambda d: (FILING_ORDER.index(d.kind), d.id))
    with pdfplumber.open(path) as pdf:
        pages = ["".join((p.extract_text() or "").split()) for p in pdf.pages]
        numbers = []  # right-aligned page numbers of the contents, line by line
        for line in _lines(pdf.pages[1], 16.0):
            tail = [c for c in line if c["text"].isdigit() and c["x1"] > 180 * MM]
            if tail:
                numbers.append(int("".join(c["text"] for c in tail)))
    assert "问责案件卷宗" in pages[0] and "问责对象" in pages[0]
    assert pages[0].count("2026年6月1日") == 2  # the cover is dated when the case was filed
    assert "目录" in pages[1]
    assert len(numbers) == len(own) + 1 and numbers == sorted(numbers) and numbers[0] == 1
    for d, start in zip(own, numbers, strict=False):
        body = pages[2 + start - 1]
        assert body.startswith(d.title), (d.title, body[:30])
        assert f"—{start}—" in body
        assert d.verification_code in body  # each document keeps its own code
    history = "".join(pages[2 + numbers[-1] - 1 :])
    assert "案件办理记录" in history
    for action in ("提出问责", "提交调查报告", "作出问责决定", "直接送达", "结案归档"):
        assert action in history, action
    assert view.verification_code in pages[0]


# ---- layout, fonts, characters ---------------------------------------------------------------


def _ink_right(c: dict) -> float:
    """A full-width closing mark (，。〕…) has its ink in the left half of its box: pushed in
    at a line's end it stands half outside the measure, its ink inside (linebreak push-in)."""
    if c["text"] in NO_START and c["x1"] - c["x0"] > 0.75 * c["size"]:
        return c["x0"] + (c["x1"] - c["x0"]) / 2
    return c["x1"]


def test_every_pdf_is_a4_within_margins_with_embedded_fonts(sc: Scenario) -> None:
    for path in sc.pdfs.values():
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                assert abs(page.width - 595.28) < 1 and abs(page.height - 841.89) < 1
                body = [c for c in page.chars if c["size"] >= 12 and c["top"] < 262 * MM]
                if body:
                    assert min(c["x0"] for c in body) >= 28 * MM - 1 * MM
                    assert max(_ink_right(c) for c in body) <= 184 * MM + 1 * MM
                    assert min(c["top"] for c in body) >= 37 * MM - 1 * MM
                for e in page.lines:
                    assert e["x0"] >= 28 * MM - 1 * MM and e["x1"] <= 184 * MM + 1 * MM
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        for page in reader.pages:
            for ref in page["/Resources"]["/Font"].values():
                assert "/FontFile2" in ref.get_object()["/FontDescriptor"].get_object()
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
        for row in out.stdout.splitlines()[2:]:
            assert "Helvetica" not in row and row.split()[-5] == "yes", row


def test_first_body_line_starts_at_top_margin(sc: Scenario) -> None:
    path = sc.pdfs[sc.docs[DocumentKind.DECISION][1].id]
    with pdfplumber.open(path) as pdf:
        title = [c for c in pdf.pages[0].chars if c["size"] == 22]
        assert abs(min(c["top"] for c in title) - 37 * MM) < 1 * MM
        second = [c for c in pdf.pages[1].chars if c["size"] == 16]
        assert abs(min(c["top"] for c in second) - 37 * MM) < 1 * MM
        assert abs(min(c["x0"] for c in second) - 28 * MM) < 1 * MM


def test_no_forbidden_character_at_line_start_or_end(sc: Scenario) -> None:
    checked = 0
    for path in sc.pdfs.values():
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                for size in (16.0,):
                    for line in _lines(page, size):
                        text = "".join(c["text"] for c in line)
                        assert text[0] not in NO_START, text
                        assert text[-1] not in NO_END, text
                        checked += 1
    assert checked > 150


def test_dates_and_numbers_are_written_officially(sc: Scenario) -> None:
    for path in sc.pdfs.values():
        t = text_of(path)
        assert not re.search(r"\d{4}-\d{2}-\d{2}", t)  # never ISO dates
        assert not re.search(r"年0\d月|月0\d日", t)  # no leading zeros
        assert not re.search(r"\[\d{4}\]|\(\d{4}\)|（\d{4}）", t)  # numbers use 〔〕
        assert not re.search(r"〔\d{4}〕0\d", t)
    assert "荣综执纪〔2026〕1号" in one(sc, DocumentKind.DECISION, 0)


def test_every_character_is_drawn_with_a_font_that_has_it(sc: Scenario) -> None:
    fonts = get_fontset()
    by_ps = {fonts.face(n).face.name.decode(): n for n in fonts.registered_fonts()}
    seen: set[str] = set()
    for path in sc.pdfs.values():
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                for c in page.chars:
                    if not c["text"].strip():
                        continue
                    base = c["fontname"].split("+", 1)[1]
                    name = by_ps.get(base) or by_ps[base.rsplit("-", 1)[0]]
                    assert fonts.has_glyph(name, c["text"]), (c["text"], base, path)
                    seen.add(c["text"])
    assert set(RARE) <= seen
    assert SUBSTITUTE_CHAR not in seen


def test_no_document_shows_the_reporter(sc: Scenario) -> None:
    assert sc.svc.leads.get_lead(1).has_reporter  # the identity is stored, sealed
    for path in sc.pdfs.values():
        t = text_of(path)
        assert REPORTER not in t and "13800000000" not in t, path
    with sc.svc.db.read() as s:
        for d in s.scalars(select(IssuedDocument)):
            assert REPORTER not in json.dumps(d.content, ensure_ascii=False)


# ---- freezing, editing, versions, verification ------------------------------------------------


def test_edit_before_issue_then_frozen_and_identical(svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[1]
    draft = svc.documents.draft_document(cid, DocumentKind.DECISION, d.id)
    facts = next(b for b in draft["blocks"] if b.get("text") == "经查，该中队对投诉推诿塞责。")
    facts["text"] = "经查，王喆同志对辖区占道经营投诉三次推诿，超期未办。"
    bad = json.loads(json.dumps(draft))
    bad["number"] = "荣综执纪〔2026〕99号"
    with pytest.raises(ServiceError):
        svc.documents.issue_document(cid, DocumentKind.DECISION, d.id, bad)
    before = svc.audit.count()
    view = svc.documents.issue_document(cid, DocumentKind.DECISION, d.id, draft)
    assert svc.audit.count() == before + 1
    a, b = io.BytesIO(), io.BytesIO()
    svc.documents.render(view.id, a)
    # Later changes to the case do not change the issued document.
    svc.masterdata.update_settings(bureau_name="某某区综合行政执法局")
    svc.documents.render(view.id, b)
    assert a.getvalue() == b.getvalue()
    text = "".join((pdfplumber.open(io.BytesIO(a.getvalue())).pages[0].extract_text()).split())
    assert "三次推诿" in text and "荣成市" in text
    # Reissue: a new version, the old one superseded, both still there.
    v2 = svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    assert v2.version == 2 and v2.verification_code != view.verification_code
    all_versions = svc.documents.list_documents(cid, include_superseded=True)
    assert [(x.version, x.current) for x in all_versions] == [(1, False), (2, True)]
    assert svc.documents.verify(view.verification_code).valid
    assert "已被新版本取代" in svc.documents.verify(view.verification_code).message


def test_verify_codes(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    d = svc.queries.get_case(cid).decisions_in_force()[0]
    view = svc.documents.issue_document(cid, DocumentKind.SERVICE_PROOF, d.id)
    ok = svc.documents.verify(view.verification_code.lower().replace("-", ""))
    assert ok.valid and ok.document.id == view.id and "送达回证" in ok.message
    assert not svc.documents.verify("ZZZZ-ZZZZ").valid
    assert "格式" in svc.documents.verify("12").message
    with svc.db.session() as s:  # tamper with the frozen content behind the service's back
        row = s.get(IssuedDocument, view.id)
        row.content = {**row.content, "title": "伪造"}
    bad = svc.documents.verify(view.verification_code)
    assert not bad.valid and "篡改" in bad.message


def test_recused_user_sees_no_documents(svc, world) -> None:  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.base import NotFound
    from app.services.vault import StaticKeyProvider

    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(
        cid, world.staff[2], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.record_recusal(
        cid,
        RecusalSpec(
            world.staff[2], "调查人员", RecusalMode.SELF, "尹正清", "亲属", "准许", date(2026, 3, 8)
        ),
    )
    view = svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    other = build_services(
        svc.db,
        actor=Actor("yzq", "尹正清", person_id=world.staff[2]),
        data_dir=svc.ctx.data_dir,
        keys=StaticKeyProvider(b"k" * 32),
    )
    with pytest.raises(NotFound):
        other.documents.list_documents(cid)
    assert not other.documents.verify(view.verification_code).valid
    assert other.documents.export_all(svc.ctx.data_dir / "x") == []


def test_service_proof_needs_a_service(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[0]
    with pytest.raises(ServiceError, match="第十三条"):
        svc.documents.draft_document(cid, DocumentKind.SERVICE_PROOF, d.id)
    with pytest.raises(ServiceError):
        svc.documents.draft_document(cid, DocumentKind.DECISION)


def test_cli_export_and_verify(sqlite_db, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    svc = build_services(sqlite_db, data_dir=tmp_path, keys=StaticKeyProvider(b"k" * 32))
    world = seed_world(svc)
    cid = advance(svc, world, Stage.SERVED)
    svc.cases.close_case(cid, closed_on=date(2026, 6, 1))
    last = issue_missing(svc, cid, dossier=True)[-1]
    out = tmp_path / "export"
    assert main(["docs", "export", "-o", str(out), "--data-dir", str(tmp_path)]) == 0
    files = sorted(p.name for p in out.glob("*.pdf"))
    assert len(files) == 7
    assert any("问责决定书_王喆" in f for f in files) and any("卷宗" in f for f in files)
    assert all(f.startswith(svc.queries.get_case(cid).number) for f in files)
    code = last.verification_code
    assert main(["verify-doc", code, "--data-dir", str(tmp_path)]) == 0
    assert "有效" in capsys.readouterr().out
    assert main(["verify-doc", "0000-0000", "--data-dir", str(tmp_path)]) == 1
