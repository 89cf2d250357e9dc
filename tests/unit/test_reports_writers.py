"""Workbook properties: empty month, print set-up, text safety, no reporter, ledger, CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date

import openpyxl
import pytest
from sqlalchemy import text

from app.domain.enums import LeadChannel, LeadSource
from app.domain.lifecycle import Stage
from app.readmodels import Period
from app.reports.ledger import COLUMNS
from app.services.vault import ReporterIdentity
from tests.helpers.builders import advance, proposal

NOVEMBER = Period.month(2026, 11)
DANGEROUS = ('=HYPERLINK("http://x","点我")', "+1+2", "-3-4", "@SUM(A1:A2)")


def _text(wb) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(
        str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value
    )


def test_empty_month_is_a_valid_report_that_says_so(svc, world, tmp_path):  # type: ignore[no-untyped-def]
    advance(svc, world, Stage.PROPOSED, proposed_on=date(2026, 3, 2))  # not in November
    path = tmp_path / "empty.xlsx"
    report = svc.reports.export_monthly(path, NOVEMBER)
    assert report.is_empty
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        *("汇总", "按单位", "按情形", "按方式", "图表", "明细", "期限"),
        *("四种形态", "线索处置"),  # issue 16, from ReportService.monthly's report.beyond
    ]
    ws = wb["汇总"]
    month = [r[1] for r in ws.iter_rows(min_row=4, max_row=21, values_only=True)]
    ytd = [r[2] for r in ws.iter_rows(min_row=4, max_row=21, values_only=True)]
    assert all(v == 0 for v in month[:4]) and month[5:14] == [0] * 9
    assert ytd[1] == 1  # the March case is in the year to date
    body = _text(wb)
    assert "本期无问责案件及线索发生" in body
    assert "本期无案件办理活动" in body
    assert len(wb["图表"]._charts) == 2


def test_print_setup_and_signature(svc, world, tmp_path):  # type: ignore[no-untyped-def]
    svc.masterdata.update_settings(bureau_name="某某市综合行政执法局")
    path = tmp_path / "m.xlsx"
    svc.reports.export_monthly(path, Period.month(2026, 3))
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == "9"  # A4
        # Every sheet one page wide (tests/unit/test_print_filed.py: at >= 8 pt).
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert not ws.print_title_cols
        assert ws.print_title_rows == "$1:$3"
        assert ws.oddFooter.center.text == "第 &P 页　共 &N 页"
        assert ws.oddFooter.left.text == f"问责统计月报（2026年3月）·{ws.title}"
        assert "制表人：系统" in ws.oddFooter.right.text
        assert "制表日期：2026年11月25日" in ws.oddFooter.right.text
    assert wb["汇总"].freeze_panes == "A4"
    assert wb["明细"].freeze_panes == "C4"
    assert wb["汇总"].column_dimensions["A"].width >= 30
    assert "制表单位：某某市综合行政执法局" in _text(wb)


def test_text_starting_like_a_formula_stays_text(svc, world, tmp_path):  # type: ignore[no-untyped-def]
    for i, summary in enumerate(DANGEROUS):
        svc.cases.propose_case(proposal(world, proposed_on=date(2026, 11, 2 + i), summary=summary))
    ledger = tmp_path / "l.xlsx"
    svc.reports.export_ledger(ledger)
    ws = openpyxl.load_workbook(ledger)["案件台账"]
    col = [t for t, _, _ in COLUMNS].index("案情摘要")
    found = []
    for row in ws.iter_rows(min_row=4):
        cell = row[col]
        assert cell.data_type == "s" and isinstance(cell.value, str)
        found.append(cell.value.replace("\n", ""))  # printed in lines (rev54b)
        if cell.value.startswith(("=", "+", "-", "@")):
            assert cell.quotePrefix
    assert sorted(found) == sorted(DANGEROUS)
    monthly = tmp_path / "m.xlsx"
    svc.reports.export_monthly(monthly, NOVEMBER)
    wb = openpyxl.load_workbook(monthly)
    assert not [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.data_type == "f"]


def test_no_reporter_identity_anywhere(svc, world, tmp_path):  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED, proposed_on=date(2026, 3, 2))
    who = ReporterIdentity("欧阳举报", "13912345678", "370000199001011234", "幸福路1号", "某公司")
    lead = svc.leads.register_lead(
        received_on=date(2026, 3, 1),
        source=LeadSource.ACCUSATION,
        channel=LeadChannel.PHONE,
        content="反映推诿",
        reporter=who,
    )
    svc.leads.link_lead(lead, cid)
    monthly, ledger = tmp_path / "m.xlsx", tmp_path / "l.xlsx"
    report = svc.reports.export_monthly(monthly, Period.month(2026, 3))
    assert report.month.leads == 1
    svc.reports.export_ledger(ledger)
    for path in (monthly, ledger):
        raw = _unzipped(path)
        for secret in ("欧阳举报", "13912345678", "370000199001011234", "幸福路1号"):
            assert secret not in raw


def _unzipped(path) -> str:  # type: ignore[no-untyped-def]
    import zipfile

    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_ledger_streams_every_case_with_progress(svc, world, tmp_path):  # type: ignore[no-untyped-def]
    from tests.helpers.bulk import bulk_cases

    cid = advance(svc, world, Stage.DECIDED, proposed_on=date(2026, 3, 2))
    svc.cases.void_case(advance(svc, world, Stage.PROPOSED), "重复")
    bulk_cases(svc.db, 2500, seed=3)
    calls: list[tuple[int, int]] = []
    path = tmp_path / "ledger.xlsx"
    n = svc.reports.export_ledger(path, lambda d, t: calls.append((d, t)), batch_size=400)
    with svc.db.engine.connect() as conn:
        expected = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
        number = conn.execute(text("SELECT number FROM cases WHERE id = :i"), {"i": cid}).scalar()
    assert n == expected == 2502
    assert calls[0] == (0, expected) and calls[-1] == (expected, expected)
    assert len(calls) >= expected // 400 and [d for d, _ in calls] == sorted(d for d, _ in calls)
    wb = openpyxl.load_workbook(path)
    ws = wb["案件台账"]
    assert ws.max_row == 3 + expected
    assert ws.freeze_panes == "C4"
    last = openpyxl.utils.get_column_letter(len(COLUMNS))  # T: 案情摘要（全文） (rev53a)
    assert ws.auto_filter.ref == f"A3:{last}{3 + expected}" == f"A3:T{3 + expected}"
    titles = [c.value for c in ws[3]]
    summary = openpyxl.utils.get_column_letter(titles.index("案情摘要") + 1)
    # the widest printed column (a line of the others holds a name, a unit, a clause: rev54b)
    printed = [
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width for i in range(1, 12)
    ]
    assert ws.column_dimensions[summary].width == max(printed) >= 28
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$3"
    assert ws.oddFooter.center.text == "第 &P 页　共 &N 页"
    assert titles == [t for t, _, _ in COLUMNS]
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    mine = dict(zip(titles, rows[number], strict=True))
    assert mine["当前环节"] == "待送达" and mine["所处步骤"] == "第6步 送达"
    assert mine["处理决定日期"].date() == date(2026, 4, 1)
    assert mine["启动日期"].date() == date(2026, 3, 5)
    # printed a name (or a clause) a line, broken after its 、 (rev54b)
    assert mine["问责对象"] == "城区一中队、\n王喆"
    assert mine["问责情形"].startswith("第七条\n第（五）项、\n")
    assert sum(1 for r in rows.values() if r[titles.index("状态")] == "已作废") == 1


def test_cli_monthly_and_ledger(tmp_path, capsys):  # type: ignore[no-untyped-def]
    from app.cli import main
    from app.services import build_services
    from app.storage import open_database
    from tests.conftest import Clock
    from tests.helpers.builders import seed_world

    db = open_database(tmp_path)
    svc = build_services(db, data_dir=tmp_path, clock=Clock())
    advance(svc, seed_world(svc), Stage.SERVED, proposed_on=date(2026, 3, 2))
    db.dispose()
    out = tmp_path / "m.xlsx"
    assert main(["report", "monthly", "--month", "2026-04", "-o", str(out), "--data-dir",
                 str(tmp_path)]) == 0  # fmt: skip
    assert "处理决定 2 人次" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out)["汇总"]
    assert ws["B10"].value == 2 and "2026年4月" in ws["A1"].value
    rng = tmp_path / "r.xlsx"
    assert main(["report", "monthly", "--from", "2026-03-01", "--to", "2026-04-15", "-o",
                 str(rng), "--data-dir", str(tmp_path)]) == 0  # fmt: skip
    ws = openpyxl.load_workbook(rng)["汇总"]
    assert "2026年3月1日至2026年4月15日" in ws["A1"].value
    assert [ws["B5"].value, ws["B10"].value, ws["B12"].value] == [1, 2, 2]
    led = tmp_path / "l.xlsx"
    assert main(["report", "ledger", "-o", str(led), "--data-dir", str(tmp_path)]) == 0
    assert "已导出案件台账 1 件" in capsys.readouterr().out
    assert openpyxl.load_workbook(led)["案件台账"].max_row == 4


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_converts_the_monthly_report(svc, world, tmp_path):  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    advance(svc, world, Stage.SERVED, proposed_on=date(2026, 3, 2))
    path = tmp_path / "report.xlsx"
    svc.reports.export_monthly(path, Period.month(2026, 4))
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    reader = PdfReader(tmp_path / "report.pdf")
    assert len(reader.pages) >= 7  # one page per sheet at least; charts on their own pages
    first = reader.pages[0].extract_text()
    assert "问责统计月报" in first and "第 1 页" in first


def test_text_of_control_characters_only_and_a_failed_export_leave_nothing_open(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Found by the hostile-text test: a value that cleans to nothing, then a failure mid-write."""
    import gc
    from datetime import date as _date

    from openpyxl import Workbook, load_workbook

    from app.reports import xlsx
    from app.reports.ledger import write_ledger

    wb = Workbook(write_only=True)
    xlsx.add_styles(wb)
    ws = wb.create_sheet("s")
    xlsx.RowWriter(ws, 2).append(["\x15\x16", "=1+1"])
    xlsx.save_atomically(wb, tmp_path / "a.xlsx")
    cells = [c.value for row in load_workbook(tmp_path / "a.xlsx")["s"].iter_rows() for c in row]
    assert cells[0] in ("", None) and cells[1] == "=1+1"  # text, not a formula

    def batches():  # type: ignore[no-untyped-def]
        raise OSError("disk full")
        yield []

    with pytest.raises(OSError):
        write_ledger(
            tmp_path / "b.xlsx", batches(), total=1, bureau_name="局", prepared_by="甲",
            prepared_on=_date(2026, 11, 25),
        )  # fmt: skip
    gc.collect()  # an open row stream would raise here, inside the collector
    assert not (tmp_path / "b.xlsx").exists()


def test_the_first_tables_caption_is_a_note_under_the_tables(svc, world, tmp_path):  # type: ignore[no-untyped-def]
    """The first table's header is the printed title row, so its caption is said under the
    tables: printed alone there, 「按问责方式统计（…）」 read as the title of nothing."""
    path = tmp_path / "m.xlsx"
    svc.reports.export_monthly(path, NOVEMBER)
    wb = openpyxl.load_workbook(path)
    for sheet, said in (
        ("按方式", "注：第一张表为按问责方式统计"),
        ("按单位", "注：本表为按单位统计"),
    ):
        cells = [str(r[0]) for r in wb[sheet].iter_rows(values_only=True) if r[0]]
        assert any(c.startswith(said) for c in cells), (sheet, cells[-3:])
        assert not any(c.startswith(("按问责方式统计", "按单位统计")) for c in cells), sheet
