"""Review rev54b: the 台账's cells are broken into lines by the app, not by the renderer.

Printed through LibreOffice, the 台账 broke 「第八条第（五」 over 「）项」, 「乔兰新、崔霞」 over
「静」, 「侯芳、办公室」 over 「、李国立」 and began a summary's line with 「。」 or 「，」: left
to wrap a cell, it breaks anywhere. ``xlsx.cell_lines`` writes the breaks itself.
"""

from __future__ import annotations

from datetime import date, timedelta

import openpyxl
import pytest

from app.documents.linebreak import NO_END, NO_START
from app.reports.xlsx import _width, cell_lines

SUMMARY = "乔兰新不执行局关于人民广场流动摊贩疏导安置的规定，另搞一套，造成群众投诉和不良影响。"


@pytest.mark.parametrize(
    ("text", "cap", "lines"),
    [
        # a clause list: the article over its clause, never inside the brackets
        ("第八条第（五）项", 14, ("第八条", "第（五）项")),
        (
            "第七条第（十一）项、第八条第（二）项",
            14,
            ("第七条", "第（十一）项、", "第八条", "第（二）项"),
        ),
        # names and units: whole, the 、 ending the line
        ("乔兰新、崔霞静", 12, ("乔兰新、", "崔霞静")),
        ("侯芳、办公室、李国立", 12, ("侯芳、", "办公室、", "李国立")),
        ("赵新秀、综合协调科", 12, ("赵新秀、", "综合协调科")),
        ("城区一中队、王喆", 12, ("城区一中队、", "王喆")),
        # a bracket with the word before it when both fit, else on a line of its own
        ("行政处分（记过）", 16, ("行政处分（记过）",)),
        ("行政处分（记过）", 9, ("行政处分", "（记过）")),
        # a document number and a telephone stay whole
        ("荣综执纪〔2026〕19号", 20, ("荣综执纪〔2026〕19号",)),
        ("来电13912345678反映", 12, ("来电", "13912345678", "反映")),
        # a last line of one character takes one more from the line above
        ("待处理决定", 8, ("待处理", "决定")),
        ("致使当事人合法权益受到损害。", 24, ("致使当事人合法权益受到", "损害。")),
        # paragraphs keep their own lines; a fitting text is left alone
        ("第一段\n第二段", 20, ("第一段", "第二段")),
        ("办公室", 12, ("办公室",)),
    ],
)
def test_cell_lines(text: str, cap: int, lines: tuple[str, ...]) -> None:
    assert cell_lines(text, cap) == lines


@pytest.mark.parametrize("cap", [6, 8, 10, 12, 20, 28, 41])
def test_no_line_breaks_the_rules(cap: int) -> None:
    """Whatever the width: every line fits it, none begins with a closing mark or ends with an
    opening one, and nothing is lost or added."""
    texts = [
        SUMMARY,
        "赵新秀因宁津街道拆违措施不力引发多次聚众上访，影响社会秩序。",
        "第八条第（五）项、第七条第（十一）项、第八条第（二）项",
        "侯芳、办公室、李国立、城区一中队、综合协调科",
        "他说：“这件事（即占道经营）不归我管。”随后离开。",
        '=HYPERLINK("http://x","点我")',
    ]
    for text in texts:
        lines = cell_lines(text, cap)
        assert "".join(lines) == text
        for n, line in enumerate(lines):
            assert line and _width(line) <= cap, (cap, lines)
            if n:
                assert line[0] not in NO_START, (cap, lines)
            if n < len(lines) - 1:
                assert line[-1] not in NO_END, (cap, lines)
        brackets = [line for line in lines if "（" in line or "）" in line]
        if cap >= 12 and "（五）" in text:
            assert all(line.count("（") == line.count("）") for line in brackets), lines


def test_the_ledger_writes_the_breaks_and_their_height(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The printed columns hold the lines (the row as tall as they are); the whole summary
    stays unbroken in 案情摘要（全文）."""
    from app.readmodels import LedgerRow
    from app.reports.ledger import COLUMNS, write_ledger
    from app.reports.xlsx import LINE_PT

    row = LedgerRow(
        case_number="WZ2025-0005", proposed_on=date(2025, 1, 9), proposer="主管领导·分管副局长",
        subjects="侯芳、办公室、李国立", units="办公室", grounds="第八条第（一）项",
        behaviour="不履行", stage="已结案", step="第8步 结案归档", opened_on=None,
        investigation_deadline=None, reported_on=None, decided_on=date(2025, 2, 15),
        closed_on=date(2025, 3, 22), next_deadline=None, next_deadline_kind="",
        summary=SUMMARY, status="正常",
    )  # fmt: skip
    out = tmp_path / "台账.xlsx"
    write_ledger(
        out, [[row]], total=1, bureau_name="某局", prepared_by="纪检干事",
        prepared_on=date(2026, 12, 7),
    )  # fmt: skip
    ws = openpyxl.load_workbook(out).active
    titles = [t for t, _, _ in COLUMNS]
    cells = {t: ws.cell(4, i + 1).value for i, t in enumerate(titles)}
    assert cells["问责对象"] == "侯芳、\n办公室、\n李国立"
    assert cells["问责情形"] == "第八条\n第（一）项"
    printed = cells["案情摘要"].split("\n")
    assert "".join(printed) == SUMMARY and all(p[0] not in NO_START for p in printed)
    assert cells["案情摘要（全文）"] == SUMMARY
    assert ws.row_dimensions[4].height == max(3, len(printed)) * LINE_PT + 2


def test_the_monthly_detail_sheet_keeps_brackets_and_clauses_whole(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The 明细 printed 「第七条第（五）」 over 「项」 and 「行政处分（记过」 over 「）」."""
    from app.domain.lifecycle import Stage
    from app.readmodels import Period
    from app.reports.monthly import write_monthly
    from tests.helpers.builders import advance

    advance(svc, world, Stage.SERVED)
    out = tmp_path / "月报.xlsx"
    write_monthly(svc.reports.monthly(Period.month(2026, 4)), out)
    ws = openpyxl.load_workbook(out)["明细"]
    head = next(r for r in ws.iter_rows(max_row=6, values_only=True) if "问责方式" in r)
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[1] and r != head]
    forms = {r[head.index("问责方式")] for r in rows}
    assert "行政处分\n（记过）" in forms, forms
    grounds = {r[head.index("问责情形")] for r in rows}
    assert grounds == {"第七条\n第（五）项、\n第八条\n第（二）项"}, grounds


def test_the_deadline_sheet_says_due_that_day_not_today_when_printed_later(
    svc, world, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """An item due on the as-of day read 「今日到期」 on a past period's sheet printed a week
    later: it was due that day, not today."""
    from datetime import datetime

    from app.domain.lifecycle import Stage
    from app.readmodels import Period
    from app.reports.monthly import write_monthly
    from tests.helpers.builders import advance

    clock.now = datetime(2026, 3, 6, 9, 0)
    cid = advance(svc, world, Stage.INVESTIGATING)
    due = svc.queries.get_case(cid).investigation_deadline
    period = Period.span(date(2026, 3, 1), due)

    def status_and_basis(today: date) -> tuple[str, str]:
        clock.now = datetime.combine(today, datetime.min.time()).replace(hour=9)
        out = tmp_path / f"{today}.xlsx"
        write_monthly(svc.reports.monthly(period), out)
        ws = openpyxl.load_workbook(out)["期限"]
        head = next(r for r in ws.iter_rows(max_row=6, values_only=True) if "状态" in r)
        row = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[2] == "调查期限")
        return row[head.index("状态")], row[head.index("依据")]

    assert status_and_basis(due)[0] == "今日到期"
    status, basis = status_and_basis(due + timedelta(days=7))
    assert status == "当日到期"
    assert all(len(line) > 1 for line in basis.split("\n")), basis
