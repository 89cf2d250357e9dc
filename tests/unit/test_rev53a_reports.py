"""Review rev53a: the 问责统计月报 and the 台账 read as the 机关纪委 reads them, months later."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl

from app.domain.enums import ReviewOutcome
from app.domain.lifecycle import Stage
from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec
from app.readmodels import Period
from app.reports.monthly import write_monthly
from app.storage import open_database
from tests.helpers.builders import REVIEW_WARNING, advance, served_leader


def _sheet_rows(svc, period: Period, tmp_path, kind: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    """(案件编号, 问责对象, 到期日) of the printed 期限 sheet's rows of ``kind``."""
    out = tmp_path / f"{period.label}.xlsx"
    write_monthly(svc.reports.monthly(period), out)
    ws = openpyxl.load_workbook(out)["期限"]
    head = next(
        [c for c in r]
        for r in ws.iter_rows(min_row=1, max_row=6, values_only=True)
        if "期限类型" in r
    )
    at = {name: head.index(name) for name in ("案件编号", "期限类型", "截止日期")}
    subject = next(i for i, name in enumerate(head) if name and "对象" in name)
    rows = []
    for r in ws.iter_rows(min_row=4, values_only=True):
        if r[at["期限类型"]] == kind:
            due = r[at["截止日期"]]
            rows.append((r[at["案件编号"]], r[subject], due.date() if due else None))
    return rows


def test_a_past_months_sheet_keeps_a_review_window_a_later_review_changed(
    svc, world, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """April's 期限 sheet, as of 04-30, lists the leader's 复核申请期限 (served 04-03; 第十四条:
    30 days, past 劳动节). He applied on 05-06 and the review of 05-20 changed his 记过 to 警告:
    printed again in June, April's sheet lost the row — it read the decision's status today
    (已变更), not as it stood on 04-30, when it was in force and the window running."""
    clock.now = datetime(2026, 4, 12, 9, 0)
    cid, did, _other, _unit = served_leader(svc, world)
    number = svc.queries.get_case(cid).number
    april = Period.span(date(2026, 4, 1), date(2026, 4, 30))
    clock.now = datetime(2026, 4, 30, 17, 0)
    before = _sheet_rows(svc, april, tmp_path, "复核申请期限")
    assert [(n, d) for n, _s, d in before] == [(number, date(2026, 5, 6))], before

    clock.now = datetime(2026, 5, 20, 9, 0)
    app_id, _late = svc.cases.apply_review(did, ReviewApplicationSpec(date(2026, 5, 6), "处分过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 5, 6)
    )
    svc.cases.decide_review(
        app_id,
        ReviewDecisionSpec(
            date(2026, 5, 20), ReviewOutcome.CHANGE, "情节较轻", "经复核", REVIEW_WARNING
        ),
    )
    clock.now = datetime(2026, 6, 2, 9, 0)
    assert _sheet_rows(svc, april, tmp_path, "复核申请期限") == before


def test_a_past_months_sheet_keeps_a_sanction_end_a_later_review_revoked(
    svc, world, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The leader's 警告 of 04-01 runs out early in October (处分条例第十条 / 第二十五条: six
    months). September's sheet, as of 09-30, lists its 处分期满. A late application (with its
    reason, 第十四条) led the review of 10-12 to revoke it: September's sheet printed later
    lost the row, and a decision a review makes after 09-30 could appear on it."""
    from app.domain.enums import SubjectKind
    from tests.helpers.builders import SQUAD_SANCTION, serve_all

    clock.now = datetime(2026, 4, 5, 9, 0)
    cid = advance(svc, world, Stage.DECIDED, sanctions=(SQUAD_SANCTION, REVIEW_WARNING))
    serve_all(svc, cid, datetime(2026, 4, 3, 9, 30))
    case = svc.queries.get_case(cid)
    leader = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    did = next(d.id for d in case.decisions_in_force() if d.subject_id == leader.id)
    september = Period.span(date(2026, 9, 1), date(2026, 9, 30))
    clock.now = datetime(2026, 9, 30, 17, 0)
    before = _sheet_rows(svc, september, tmp_path, "处分期满")
    assert [(n, s) for n, s, _d in before] == [(case.number, leader.name)], before

    clock.now = datetime(2026, 10, 12, 9, 0)
    app_id, late = svc.cases.apply_review(
        did,
        ReviewApplicationSpec(date(2026, 10, 9), "处分不当", late_reason="住院治疗，无法按期申请"),
    )
    assert late
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 10, 9)
    )
    svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 10, 12), ReviewOutcome.REVOKE, "事实不清", "经复核")
    )
    clock.now = datetime(2026, 11, 2, 9, 0)
    assert _sheet_rows(svc, september, tmp_path, "处分期满") == before


# ---------------------------------------------------------------- `wenze report` as a clerk types it


def _run(capsys, *argv: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    from app.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


def test_a_report_named_pdf_is_refused_not_written_as_a_workbook(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """`wenze report monthly -o 月报.pdf` wrote an Excel workbook named .pdf and said 已导出:
    the PDF reader then called the file damaged. A name that is not .xlsx is refused."""
    data = tmp_path / "data"
    for kind in ("monthly", "ledger"):
        out = tmp_path / f"{kind}.pdf"
        code, said = _run(capsys, "report", kind, "-o", str(out), "--data-dir", str(data))
        assert code == 2, said
        assert "xlsx" in said and "已导出" not in said, said
        assert not out.exists()


def test_a_report_named_without_a_suffix_is_written_as_xlsx(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """`-o 台账` wrote a file with no suffix, which Windows does not open in Excel; the 统计报表
    view adds .xlsx to such a name, and so does the command now (and says so)."""
    data = tmp_path / "data"
    open_database(data).dispose()  # a report is of a database there
    code, said = _run(
        capsys, "report", "ledger", "-o", str(tmp_path / "台账"), "--data-dir", str(data)
    )
    assert code == 0, said
    assert (tmp_path / "台账.xlsx").exists() and not (tmp_path / "台账").exists()
    assert str(tmp_path / "台账.xlsx") in said
    openpyxl.load_workbook(tmp_path / "台账.xlsx")


def test_a_month_and_a_range_together_are_refused(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """`--month 2026-10 --from 2026-11-01 --to 2026-11-05` exported 1 to 5 November and said
    nothing of the October the clerk asked for: one period or the other, never both."""
    data = tmp_path / "data"
    out = tmp_path / "月报.xlsx"
    argv = ("report", "monthly", "--month", "2026-10", "--from", "2026-11-01", "--to", "2026-11-05")
    code, said = _run(capsys, *argv, "-o", str(out), "--data-dir", str(data))
    assert code == 2, said
    assert "--month" in said and "--from" in said, said
    assert not out.exists()


# ---------------------------------------------------------------- the 汇总 notes as printed


def test_the_summary_notes_break_at_punctuation_not_inside_a_word(svc, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The 汇总 sheet's note 1 printed 「……2025年11月30日）的状」 over 「态统计；其余为期内发生
    数。」: cut at 88 columns wherever that fell, 状态 split over two lines. A note now breaks
    after its last punctuation near the end of a line, and no line begins with 」）。，；."""
    clock.now = datetime(2026, 12, 6, 9, 0)
    out = tmp_path / "m.xlsx"
    write_monthly(svc.reports.monthly(Period.month(2026, 11)), out)
    ws = openpyxl.load_workbook(out)["汇总"]
    notes = [r[0] for r in ws.iter_rows(values_only=True) if isinstance(r[0], str)]
    start = next(i for i, t in enumerate(notes) if t.startswith("注：1."))
    first, second = notes[start], notes[start + 1]
    assert "状态统计" in first + "\n" + second and "状\n态" not in first + "\n" + second
    assert first.endswith("）"), first
    assert second.startswith("的状态统计"), second
    for line in notes[start:]:
        assert line[0] not in "，。；、：）」”》", line


# ---------------------------------------------------------------- the 台账 as printed


def test_a_summary_written_in_paragraphs_gets_the_height_of_its_lines(
    svc, world, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The 问题摘要 is a text box: an officer writes it in short paragraphs (一、… 二、… 三、…).
    The 台账 measured a row by its characters only, so ten short lines made a row of six (its
    问责情形's), and LibreOffice printed six lines with the rest over the case below."""
    from app.reports.xlsx import LINE_PT
    from tests.helpers.builders import proposal

    clock.now = datetime(2026, 3, 3, 9, 0)
    paragraphs = "\n".join(f"{n}、未办。" for n in "一二三四五六七八九十")
    number = svc.queries.get_case(
        svc.cases.propose_case(proposal(world, summary=paragraphs))
    ).number
    out = tmp_path / "台账.xlsx"
    svc.reports.export_ledger(out)
    ws = openpyxl.load_workbook(out).active
    row = next(r[0].row for r in ws.iter_rows(min_row=4) if r[1].value == number)
    head = [c.value for c in ws[3]]
    assert ws.cell(row, head.index("案情摘要") + 1).value == paragraphs
    assert (ws.row_dimensions[row].height or 0) >= 10 * LINE_PT, ws.row_dimensions[row].height


def test_a_summary_longer_than_a_page_prints_its_beginning_and_keeps_the_whole_on_screen(
    svc, world, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """A 问题摘要 may hold 1,000 characters (第九条 form). Its 台账 row was written 712 pt tall:
    more than Excel allows a row (409 pt) and more than an A4 page, so LibreOffice printed the
    header alone on one page and the row running off the next, over its footer. The printed
    column now holds what fits (a row of at most 24 lines, ``ledger.SUMMARY_LINES``) and says so; the
    whole text is kept on screen in the last column, 案情摘要（全文）."""
    import shutil
    import subprocess

    from app.reports.xlsx import LINE_PT
    from tests.helpers.builders import proposal

    clock.now = datetime(2026, 3, 3, 9, 0)
    long = ("城区一中队对占道经营投诉推诿塞责，超期未办，群众多次反映。" * 40)[:1000]
    first = svc.queries.get_case(svc.cases.propose_case(proposal(world, summary=long))).number
    second = svc.queries.get_case(svc.cases.propose_case(proposal(world))).number
    out = tmp_path / "台账.xlsx"
    svc.reports.export_ledger(out)
    ws = openpyxl.load_workbook(out).active
    head = [c.value for c in ws[3]]
    row = next(r[0].row for r in ws.iter_rows(min_row=4) if r[1].value == first)
    printed = ws.cell(row, head.index("案情摘要") + 1).value.replace("\n", "")  # lines: rev54b
    assert printed.startswith(long[:100]) and printed.endswith("全文见本表“案情摘要（全文）”列）")
    assert len(printed) < len(long)
    assert ws.cell(row, head.index("案情摘要（全文）") + 1).value == long
    height = ws.row_dimensions[row].height
    assert height <= 24 * LINE_PT + 2 <= 409, height  # ledger.SUMMARY_LINES
    # A summary that fits is printed whole and not marked.
    other = next(r[0].row for r in ws.iter_rows(min_row=4) if r[1].value == second)
    assert (
        ws.cell(other, head.index("案情摘要") + 1).value.replace("\n", "")
        == proposal(world).summary
    )

    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        return
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pages = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "台账.pdf"), "-"],
        check=True, capture_output=True, text=True,
    ).stdout.split("\f")  # fmt: skip
    assert first in pages[0], pages[0]  # the row begins on the first page, under its header
