"""Printed documents read as a discipline officer and a lawyer would (review r12): the dossier
cover, the release notice's 附注, the wording of a revoked decision — read back from real PDFs
or from the composed content."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import datetime

import pdfplumber

from app.documents.layout import render_bundle
from app.documents.model import Cover, Doc, Para, Signature

MM = 72 / 25.4


def _rows(page, size: float = 16.0) -> list[list[dict]]:  # type: ignore[no-untyped-def]
    rows: dict[float, list] = defaultdict(list)
    for ch in page.chars:
        if abs(ch["size"] - size) < 0.6 and ch["text"].strip() and ch["top"] < 262 * MM:
            rows[round(ch["top"], 1)].append(ch)
    return [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]


def test_a_long_cover_field_goes_on_under_its_value_not_under_the_labels() -> None:
    grounds = "《行政执法责任问责制管理办法》第七条第（五）项、第八条第（二）项、第八条第（四）项"
    cover = Cover(
        fields=[
            ("案件编号", "WZ2026-0049"),
            ("问责情形", grounds),
            ("办理期间", "2026年2月17日至2026年5月7日"),
        ],
        body="某某局",
        date_text="2026年5月7日",
    )
    doc = Doc(title="某某局问责决定书", number="代字〔2026〕5号",
              blocks=[Para("正文。"), Signature("某某局", "2026年5月7日")])  # fmt: skip
    buf = io.BytesIO()
    render_bundle([doc], buf, cover=cover, toc=False, invariant=True)
    with pdfplumber.open(io.BytesIO(buf.getvalue())) as pdf:
        rows = _rows(pdf.pages[0])
    texts = ["".join(c["text"] for c in r) for r in rows]
    at = next(n for n, t in enumerate(texts) if t.startswith("问责情形："))
    first, more = rows[at], rows[at + 1]
    assert texts[at + 1] and not texts[at + 1].startswith("办理期间"), texts
    value_x = first[len("问责情形：")]["x0"]
    label_x = rows[0 if texts[0].startswith("案件编号") else at][0]["x0"]
    assert more[0]["x0"] > label_x + 4 * 16 - 1, (texts[at + 1], more[0]["x0"], label_x)
    assert abs(more[0]["x0"] - value_x) < 1.0, (more[0]["x0"], value_x)
    # the other fields' labels still line up
    labels = [
        r[0]["x0"]
        for r, t in zip(rows, texts, strict=True)
        if t[:5] in ("案件编号：", "问责情形：", "办理期间：")
    ]
    assert max(labels) - min(labels) < 0.5, labels
    assert "".join(texts[at : at + 3]).startswith("问责情形：" + grounds)


def _notice_pdf(tmp_path):  # type: ignore[no-untyped-def]

    from app.documents import release_notice
    from app.documents.compose import Letterhead
    from tests.helpers.builders import release_notice_facts

    facts = release_notice_facts()
    letterhead = Letterhead("荣成市综合行政执法局", "中共荣成市综合行政执法局机关纪律检查委员会")
    out = tmp_path / "notice.pdf"
    c = release_notice.compose(facts, letterhead, "荣综执纪〔2025〕80号")
    # The notice prints no 附注 of its own (no register key, review 33): one is given to it
    # here to test where the layout puts a 附注 (sig ``note``).
    next(b for b in c["blocks"] if b["type"] == "sig")["note"] = "（此件发至本人）"
    release_notice.render(c, out)
    return pdfplumber.open(out)


def test_the_release_notice_prints_its_annotation_below_the_date_two_characters_in(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    with _notice_pdf(tmp_path) as pdf:
        # the signature's page (the 版记 stands on the back of the last sheet: review 56c)
        signed = next(pg for pg in pdf.pages if "此件发至本人" in (pg.extract_text() or ""))
        rows = _rows(signed)
    texts = ["".join(c["text"] for c in r) for r in rows]
    note = texts.index("（此件发至本人）")
    date_at = texts.index("2025年11月11日")
    assert texts[date_at - 1] == "荣成市综合行政执法局"
    assert note == date_at + 1, texts  # 附注: the line below the 成文日期 (GB/T 9704 §7.3.6)
    body_x = min(r[0]["x0"] for r in rows)  # the lines that run from the margin
    assert abs(rows[note][0]["x0"] - (body_x + 2 * 16)) < 1.5, (rows[note][0]["x0"], body_x)
    assert rows[note][1]["top"] - rows[date_at][0]["top"] < 40  # the next line, not further


def _squad_decided(svc, world, forms):  # type: ignore[no-untyped-def]
    """The builders' two-subject case, the squad decided with ``forms``, every decision served."""
    from datetime import date

    from app.domain.enums import DecisionOutcome
    from app.domain.lifecycle import Stage
    from app.domain.rules import DecisionSpec, SanctionSpec
    from tests.helpers.builders import LEADER_SANCTION, advance, serve_all

    cid = advance(svc, world, Stage.REPORTED)
    case = svc.queries.get_case(cid)
    squad_sanction = SanctionSpec.of(DecisionOutcome.ACCOUNTABLE, forms, reasons="管理不严")
    for sub, sanction in zip(case.subjects, (squad_sanction, LEADER_SANCTION), strict=True):
        svc.cases.record_decision(
            cid,
            DecisionSpec(sub.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号",
                         sanction, "经查，该中队对投诉推诿塞责。", "第七条第（五）项、第十一条"),
        )  # fmt: skip
    serve_all(svc, cid, datetime(2026, 4, 3, 9, 30))
    return cid


def _revoke_squad(svc, world, cid):  # type: ignore[no-untyped-def]
    from datetime import date

    from app.domain.enums import ReviewOutcome, SubjectKind
    from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec

    case = svc.queries.get_case(cid)
    squad = next(s for s in case.subjects if s.kind == SubjectKind.SQUAD)
    old = next(d for d in case.decisions_in_force() if d.subject_id == squad.id)
    app_id, _late = svc.cases.apply_review(
        old.id, ReviewApplicationSpec(date(2026, 4, 20), "认为处理过重，请求撤销")
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    rd_id, _number = svc.cases.decide_review(
        app_id,
        ReviewDecisionSpec(date(2026, 5, 14), ReviewOutcome.REVOKE,
                           "原决定认定的主要事实证据不足", "复核查明，投诉已按时办结", None),
    )  # fmt: skip
    return rd_id


def test_a_revoked_order_to_write_a_self_criticism_is_named_as_the_order_it_was(
    svc,
    world,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    from app.domain.enums import AccountabilityForm as F
    from app.domain.enums import DocumentKind

    forms = [F.WRITTEN_SELF_CRITICISM, F.CIRCULATED_CRITICISM]
    cid = _squad_decided(svc, world, forms)
    rd_id = _revoke_squad(svc, world, cid)
    view = svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    out = tmp_path / "review.pdf"
    svc.documents.render(view.id, out)
    with pdfplumber.open(out) as pdf:
        text = "".join("".join(c["text"] for r in _rows(pg) for c in r) for pg in pdf.pages)
    # never 「对城区一中队作出的责令作出书面检查、通报批评一并撤销」
    assert "作出的责令" not in text, text
    assert (
        "原问责决定给予城区一中队通报批评，并责令其作出书面检查的处理一并撤销，"
        "有关材料不作为对申请人不利处理的依据。"
    ) in text, text


def test_a_release_notice_names_the_original_treatment_as_the_decision_worded_it(
    svc,
    world,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """A sanction changed on review and released: the notice's first sentence says what the
    original decision imposed — 「给予你记大过处分，并责令其作出书面检查」, never 「给予你
    责令作出书面检查、记大过处分」 (one cannot be 「given」 an order)."""
    from datetime import date

    from app.domain.enums import AccountabilityForm as F
    from app.domain.enums import (
        DecisionOutcome,
        DocumentKind,
        ReviewOutcome,
        SanctionKind,
        ServiceMethod,
        SubjectKind,
    )
    from app.domain.lifecycle import Stage
    from app.domain.release import ReleaseSpec
    from app.domain.rules import (
        DecisionSpec,
        ReviewApplicationSpec,
        ReviewDecisionSpec,
        SanctionSpec,
        ServiceSpec,
    )
    from app.services.releases import ReleaseService
    from tests.helpers.builders import SQUAD_SANCTION, advance, serve_all

    cid = advance(svc, world, Stage.REPORTED)
    case = svc.queries.get_case(cid)
    heavy = SanctionSpec.of(
        DecisionOutcome.ACCOUNTABLE, [F.WRITTEN_SELF_CRITICISM, F.ADMINISTRATIVE_SANCTION],
        SanctionKind.MAJOR_DEMERIT, reasons="负主要领导责任",
    )  # fmt: skip
    for sub, sanction in zip(case.subjects, (SQUAD_SANCTION, heavy), strict=True):
        svc.cases.record_decision(
            cid,
            DecisionSpec(sub.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号",
                         sanction, "经查，该中队对投诉推诿塞责。", "第七条第（五）项、第十一条"),
        )  # fmt: skip
    serve_all(svc, cid, datetime(2026, 4, 3, 9, 30))
    case = svc.queries.get_case(cid)
    person = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    old = next(d for d in case.decisions_in_force() if d.subject_id == person.id)
    app_id, _late = svc.cases.apply_review(
        old.id, ReviewApplicationSpec(date(2026, 4, 20), "认为处分过重，请求从轻处理")
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    light = SanctionSpec.of(
        DecisionOutcome.ACCOUNTABLE, [F.ADMINISTRATIVE_SANCTION], SanctionKind.WARNING,
        reasons="有悔改表现",
    )  # fmt: skip
    rd_id, _number = svc.cases.decide_review(
        app_id,
        ReviewDecisionSpec(date(2026, 5, 12), ReviewOutcome.CHANGE, "原处理偏重，应予纠正",
                           "复核查明，申请人所述整改情况属实", light),
    )  # fmt: skip
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    svc.cases.record_review_service(
        rd_id,
        ServiceSpec(datetime(2026, 5, 12, 16, 0), "局机关纪委办公室", ServiceMethod.DIRECT,
                    "王喆", ["纪晓岚", "崔明远"]),
    )  # fmt: skip
    new = next(
        d for d in svc.queries.get_case(cid).decisions_in_force() if d.subject_id == person.id
    )
    assert new.id != old.id and new.sanction_kind == "警告"
    rs = ReleaseService(svc.ctx, svc)
    rid = rs.release(new.id, ReleaseSpec(date(2026, 11, 20), "认真整改，表现良好", "纪委书记周正"))
    text = "".join(b.get("text", "") for b in rs.notice_content(rid)["blocks"])
    assert "给予你责令" not in text, text
    assert "问责决定给予你记大过处分，并责令你作出书面检查；" in text, text
    assert "复核决定变更为警告处分" in text, text


def test_an_application_that_only_asks_is_not_printed_as_its_own_reason(
    svc,
    world,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """A clerk records the application as 「要求从轻处理」: the review decision states that
    request, never 「申请人请求：撤销或者变更…问责决定。申请人提出的理由：要求从轻处理。」."""
    text = _review_decision_text(svc, world, tmp_path, "要求从轻处理", (2026, 5, 12))
    assert "申请人请求：从轻处理。" in text, text
    assert "撤销或者变更" not in text and "理由：要求" not in text, text


def test_a_recusal_decision_is_titled_with_the_body_that_decides_it(
    svc,
    world,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """GB/T 9704 §7.3.1: a title names the issuing body, the matter and the kind — the
    recusal decision served on the person recused is the committee's, as its signature says."""
    from app.domain.enums import DocumentKind
    from app.domain.lifecycle import Stage
    from tests.helpers.builders import advance, grant_recusal

    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(cid, world.staff[2], declared_no_conflict=True)
    grant_recusal(svc, cid, world.staff[2])
    rec = svc.queries.get_case(cid).recusals[0]
    view = svc.documents.issue_document(cid, DocumentKind.RECUSAL_DECISION, rec.id)
    out = tmp_path / "recusal.pdf"
    svc.documents.render(view.id, out)
    with pdfplumber.open(out) as pdf:
        lines = ["".join(c["text"] for c in r) for r in _rows(pdf.pages[0], 22.0)]
        title = "".join(lines)
        # the signature's page: the last but the 版记's (GB/T 9704 §7.4, on the back)
        rows = ["".join(c["text"] for c in r) for pg in pdf.pages for r in _rows(pg)]
    signer = next(t for t in rows if t.endswith("委员会"))
    assert title == f"{signer}回避决定书", (title, signer)
    # a title line breaks between words, never inside 「机关」 (§7.3.1 词意完整)
    assert lines[0].endswith(("执法局", "机关")) or len(lines) == 1, lines


def test_the_appeal_deadline_is_printed_once_moved_and_says_so(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Decided on Saturday 2026-05-09: the 15th day is Sunday 05-24, the last day Monday 05-25.
    The review decision says both, never 「至2026年5月25日，遇法定节假日顺延」 (as if the
    Monday moved again)."""
    text = _review_decision_text(svc, world, tmp_path, "认为处分过重，请求从轻处理", (2026, 5, 9))
    assert "申诉期限至2026年5月24日，因该日为法定休假日，顺延至2026年5月25日）" in text, text
    assert "遇法定节假日顺延" not in text, text


def test_the_appeal_deadline_counts_the_administrators_holiday_table(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Decided on Tuesday 2026-05-12: the 15th day, Wednesday 05-27, is a day off in the
    bureau's holiday table (系统设置 → 节假日), so the last day is Thursday 05-28 — as every
    other deadline of the case is counted (MasterDataService.calendar), not the package's
    schedule alone."""
    from datetime import date

    svc.masterdata.set_holiday(date(2026, 5, 27), is_workday=False, name="调休")
    text = _review_decision_text(svc, world, tmp_path, "认为处分过重，请求从轻处理", (2026, 5, 12))
    assert "申诉期限至2026年5月27日，因该日为法定休假日，顺延至2026年5月28日）" in text, text


def _review_decision_text(svc, world, tmp_path, grounds: str, decided: tuple[int, int, int]) -> str:  # type: ignore[no-untyped-def]
    """The printed text of an upheld 复核决定书 on the person's decision of a served case."""
    from datetime import date

    from app.domain.enums import DocumentKind, ReviewOutcome, SubjectKind
    from app.domain.lifecycle import Stage
    from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec
    from tests.helpers.builders import advance

    cid = advance(svc, world, Stage.SERVED)
    case = svc.queries.get_case(cid)
    person = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    old = next(d for d in case.decisions_in_force() if d.subject_id == person.id)
    app_id, _late = svc.cases.apply_review(
        old.id, ReviewApplicationSpec(date(2026, 4, 20), grounds)
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    rd_id, _number = svc.cases.decide_review(
        app_id,
        ReviewDecisionSpec(date(*decided), ReviewOutcome.UPHOLD, "申请人提出的理由不能成立",
                           "复核查明的事实与原问责决定认定的事实一致", None),
    )  # fmt: skip
    view = svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    out = tmp_path / "review.pdf"
    svc.documents.render(view.id, out)
    with pdfplumber.open(out) as pdf:
        return "".join("".join(c["text"] for r in _rows(pg) for c in r) for pg in pdf.pages)


def _entrusted_proof(svc, world, tmp_path, unit: str):  # type: ignore[no-untyped-def]
    """A decided case, the person's decision served by entrusting ``unit`` (委托送达): the
    service's id and the rows of its 送达回证 as printed."""
    from app.domain.enums import DocumentKind, ServiceMethod, SubjectKind
    from app.domain.lifecycle import Stage
    from app.domain.rules import ServiceSpec
    from tests.helpers.builders import advance

    cid = advance(svc, world, Stage.DECIDED)
    case = svc.queries.get_case(cid)
    person = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    d = next(x for x in case.decisions_in_force() if x.subject_id == person.id)
    svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    sid, _window = svc.cases.record_service(
        d.id,
        ServiceSpec(datetime(2026, 4, 3, 9, 30), "石岛司法所", ServiceMethod.ENTRUSTED,
                    "王喆", ["刘建国", "陈立新"], entrusted_unit=unit),
    )  # fmt: skip
    return cid, d.id, sid


def _proof_rows(svc, cid: int, decision_id: int, out) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The issued 送达回证's table as printed: (label, value) a row."""
    from app.domain.enums import DocumentKind

    view = svc.documents.issue_document(cid, DocumentKind.SERVICE_PROOF, decision_id)
    svc.documents.render(view.id, out)
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 1  # a 送达回证 is one sheet
        return [(r[0] or "", r[1] or "") for r in pdf.pages[0].extract_table()]


def test_a_proof_of_service_by_entrusting_names_the_unit_and_who_served_for_it(
    svc,
    world,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """委托送达: the 送达回证 names the 受托单位 and the people who served on its behalf, in
    a row of its own after the method; the unit is kept on the service (and its correction)."""
    cid, did, sid = _entrusted_proof(svc, world, tmp_path, " 荣成市石岛管理区司法所 ")
    served = next(d.service for d in svc.queries.get_case(cid).decisions if d.id == did)
    assert served.entrusted_unit == "荣成市石岛管理区司法所"
    rows = _proof_rows(svc, cid, did, tmp_path / "proof.pdf")
    labels = [label for label, _value in rows]
    at = labels.index("受托单位")
    assert labels[at - 1 : at + 2] == ["送达方式", "受托单位", "受送达人签收"], rows
    assert rows[at][1] == "荣成市石岛管理区司法所\n代为送达人：刘建国、陈立新", rows
    svc.cases.correct_service(sid, "受托单位名称有误", entrusted_unit="荣成市石岛司法所")
    rows = _proof_rows(svc, cid, did, tmp_path / "proof2.pdf")
    assert ("受托单位", "荣成市石岛司法所\n代为送达人：刘建国、陈立新") in rows, rows


def test_a_direct_service_has_no_entrusted_unit_row(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.domain.enums import SubjectKind
    from app.domain.lifecycle import Stage
    from tests.helpers.builders import advance

    cid = advance(svc, world, Stage.SERVED)
    case = svc.queries.get_case(cid)
    person = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    d = next(x for x in case.decisions_in_force() if x.subject_id == person.id)
    rows = _proof_rows(svc, cid, d.id, tmp_path / "proof.pdf")
    assert "受托单位" not in [label for label, _value in rows], rows


def test_an_entrusted_service_without_its_unit_leaves_the_unit_to_be_written_in(
    svc,
    world,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """A 委托送达 recorded before the unit was (NULL since migration 0021) or without it: the
    row is there, the unit blank above who served."""
    cid, did, _sid = _entrusted_proof(svc, world, tmp_path, "")
    rows = dict(_proof_rows(svc, cid, did, tmp_path / "proof.pdf"))
    assert rows["受托单位"].strip() == "代为送达人：刘建国、陈立新", rows


def test_services_recorded_before_migration_0021_read_as_without_an_entrusted_unit(
    svc, world, db
) -> None:  # type: ignore[no-untyped-def]
    """The column added by 0021 is NULL on the rows already there: the read model says ""
    (as a service recorded without the unit), and a correction can name the unit."""
    from alembic import command
    from sqlalchemy import text

    from app.domain.enums import SubjectKind
    from app.domain.lifecycle import Stage
    from app.storage.engine import alembic_config
    from tests.helpers.builders import advance

    cid = advance(svc, world, Stage.SERVED)
    command.downgrade(alembic_config(db.url, db.engine), "0021_entrusted_unit@-1")
    db.migrate()
    case = svc.queries.get_case(cid)
    person = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    served = next(d.service for d in case.decisions if d.subject_id == person.id and d.service)
    with db.read() as s:
        stored = s.execute(text("SELECT entrusted_unit FROM services WHERE id = :i"),
                           {"i": served.id}).scalar_one()  # fmt: skip
    assert stored is None and served.entrusted_unit == ""
    new = svc.cases.correct_service(
        served.id, "改为委托送达", method="委托送达", entrusted_unit="荣成市石岛司法所"
    )
    corrected = [d.service for d in svc.queries.get_case(cid).decisions if d.service]
    assert [x.entrusted_unit for x in corrected if x.id == new] == ["荣成市石岛司法所"]
