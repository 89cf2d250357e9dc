"""Review 10b: the command line against odd input and a data directory holding users.

Every failure below is the user's input, not a fault of the program: the message must be
Chinese, name the fix, exit non-zero and write nothing — never 「发生了意外错误」 (which sends
the clerk to technical support) and never an English library message.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.cli import main
from app.services import build_services
from app.storage import open_database

UNEXPECTED = "发生了意外错误"
ADMIN_PW = "Adm1n-口令-2026x"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """A migrated data directory with no cases (no users yet)."""
    directory = tmp_path_factory.mktemp("cli") / "data"
    db = open_database(directory)
    db.dispose()
    return directory


def run(capsys, *argv: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


def assert_refused_in_chinese(code: int, out: str) -> None:
    assert code != 0, out
    assert UNEXPECTED not in out, out
    assert "Error" not in out and "Errno" not in out, out


# --- an output path that cannot be a file: a folder, or under a file ------------------------


def test_report_into_a_path_under_a_file_is_explained(data: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    afile = tmp_path / "报表"
    afile.write_text("not a folder", encoding="utf-8")
    code, out = run(
        capsys, "report", "ledger", "-o", str(afile / "台账.xlsx"), "--data-dir", str(data)
    )
    assert_refused_in_chinese(code, out)
    assert "无法写入" in out and str(afile) in out
    assert afile.read_text(encoding="utf-8") == "not a folder"


def test_report_onto_a_folder_is_explained(data: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "out"
    folder.mkdir()
    code, out = run(capsys, "report", "ledger", "-o", str(folder), "--data-dir", str(data))
    assert_refused_in_chinese(code, out)
    assert "无法写入" in out and f"“{folder}”" in out, out
    assert list(folder.iterdir()) == []


def test_docs_export_onto_a_file_is_explained(data: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    afile = tmp_path / "文书"
    afile.write_text("keep", encoding="utf-8")
    code, out = run(capsys, "docs", "export", "-o", str(afile), "--data-dir", str(data))
    assert_refused_in_chinese(code, out)
    assert "无法写入" in out
    assert afile.read_text(encoding="utf-8") == "keep"


# --- dates and numbers beyond the calendar -------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ("deadline", "review", "9999-12-31"),
        ("deadline", "case-limit", "9999-12-01"),
        ("report", "monthly", "--from", "0001-01-01", "--to", "9999-12-31", "-o", "{out}"),
    ],
)
def test_dates_beyond_the_calendar_are_explained(data: Path, tmp_path: Path, capsys, argv) -> None:  # type: ignore[no-untyped-def]
    out_file = tmp_path / "月报.xlsx"
    args = [a.format(out=out_file) for a in argv] + ["--data-dir", str(data)]
    code, out = run(capsys, *args)
    assert_refused_in_chinese(code, out)
    assert "超出可处理的范围" in out
    assert not out_file.exists()


@pytest.mark.parametrize("case", ["²", "999999999999999999999999"])
def test_docs_export_of_an_impossible_case_id_is_not_found(
    data: Path, tmp_path: Path, capsys, case: str
) -> None:  # type: ignore[no-untyped-def]
    code, out = run(
        capsys, "docs", "export", "--case", case, "-o", str(tmp_path / "o"), "--data-dir", str(data)
    )
    assert_refused_in_chinese(code, out)
    assert f"找不到案件：{case}" in out
    assert not (tmp_path / "o").exists()


# --- import roster ----------------------------------------------------------------------------


def roster_file(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "单位", "职务", "是否领导职务", "工号", "职级"])
    ws.append(["新人甲", "办公室", "科员", "否", "X0001", "一级科员"])
    wb.save(path)
    return path


@pytest.mark.parametrize("what", ["missing", "not-a-workbook"])
def test_roster_file_that_cannot_be_read_is_explained_in_chinese(
    data: Path, tmp_path: Path, capsys, what: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "名册.xlsx"
    if what == "not-a-workbook":
        path.write_text("姓名,单位\n张三,办公室\n", encoding="utf-8")
    code, out = run(capsys, "import", "roster", str(path), "--data-dir", str(data))
    assert_refused_in_chinese(code, out)
    assert "无法读取Excel名册" in out
    english = re.findall(r"[A-Za-z]{3,}", out.replace("Excel", "").replace(".xlsx", ""))
    assert english == [], out  # openpyxl's "File is not a zip file", the OS's "No such file"


def test_roster_import_logs_in_once_users_exist(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Without a login the command line is 审计员, who may not import: --user must exist."""
    directory = tmp_path / "data"
    db = open_database(directory)
    first = build_services(db, data_dir=directory)
    first.masterdata.create_unit("办公室", "科室")
    first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    db.dispose()
    path = roster_file(tmp_path / "名册.xlsx")
    code, out = run(capsys, "import", "roster", str(path), "--data-dir", str(directory))
    assert code == 1 and "审计员" in out, out
    monkeypatch.setenv("WENZE_PASSWORD", ADMIN_PW)
    code, out = run(
        capsys, "import", "roster", str(path), "--user", "admin", "--data-dir", str(directory)
    )
    assert code == 0, out
    assert "新增1人" in out


def test_an_empty_user_is_refused_not_run_as_the_auditor(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """``--user "$NAME"`` with the variable unset ran the command as 审计员 without a word."""
    with pytest.raises(SystemExit) as exit_:
        main(["report", "ledger", "-o", str(tmp_path / "x.xlsx"), "--user", " ",
              "--data-dir", str(tmp_path / "data")])  # fmt: skip
    assert exit_.value.code == 2
    assert "用户名不能为空" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


# --- audit verify --anchors: the folder off the PC is the only check against a rollback ------


def test_verify_against_an_anchor_folder_that_holds_no_backup_does_not_pass(
    tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    """A mistyped path or an unplugged USB stick used to verify as 「审计链校验通过」, so the
    rollback the folder exists to reveal went unnoticed."""
    directory = tmp_path / "data"
    open_database(directory).dispose()
    usb = tmp_path / "U盘"
    code, out = run(capsys, "audit", "verify", "--anchors", str(usb), "--data-dir", str(directory))
    assert code == 2, out
    assert "校验通过" not in out and f"指定的锚点文件夹不存在或不是文件夹：{usb}" in out, out
    usb.mkdir()
    code, out = run(capsys, "audit", "verify", "--anchors", str(usb), "--data-dir", str(directory))
    assert code == 2, out
    assert f"指定的锚点文件夹中没有备份文件：{usb}" in out, out
    code, out = run(capsys, "backup", "--to", str(usb), "--data-dir", str(directory))
    assert code == 0, out
    code, out = run(capsys, "audit", "verify", "--anchors", str(usb), "--data-dir", str(directory))
    assert code == 0, out
    assert "审计链校验通过" in out


# --- a fault whose log cannot be written -----------------------------------------------------


def test_a_fault_that_cannot_be_logged_prints_no_traceback(tmp_path: Path) -> None:
    """--data-dir naming a file: the log beside it cannot be written either, and the detail
    used to go to ``logging``'s last-resort handler — an English traceback on stderr. A real
    process (pytest installs logging handlers of its own, which would hide it)."""
    afile = tmp_path / "数据"
    afile.write_text("keep", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "app", "deadline", "due", "--data-dir", str(afile)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("WENZE_")},
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and 'File "' not in result.stderr, result.stderr
    assert "Error" not in result.stderr, result.stderr
    assert "无法写入" in result.stderr
    assert afile.read_text(encoding="utf-8") == "keep"


# --- verify-doc: a code typed with the input method in 全角 mode ------------------------------


def test_verify_doc_reads_a_full_width_code(data: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from app.documents.verify import check_code, verification_code

    content = "问责决定书：测试内容"
    printed = verification_code(content)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in printed)  # 「７Ｑ４Ｋ－９ＭＺＸ」
    assert check_code(content, full_width)
    assert check_code(content, full_width.replace("－", "\u3000"))  # a full-width space
    code, out = run(capsys, "verify-doc", "７Ｑ４Ｋ－９ＭＺＸ", "--data-dir", str(data))
    assert code == 1 and "格式不正确" not in out, out
    assert "校验码 7Q4K-9MZX 不对应本系统印发的任何文书" in out, out


# --- argument errors: argparse's English, and a date typed in 全角 ----------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("report", "monthly"), "缺少必须给出的参数：-o/--output"),
        (("deadline", "soon"), "参数 期限种类 的取值 'soon' 无效"),
        (("deadline", "due", "--days", "六十"), "天数应为0至3660之间的整数：六十"),
        (("docs", "export", "-o"), "参数 -o/--output 后须给出一个值"),
        (("report", "ledger", "-o", "x.xlsx", "--bogus"), "无法识别的参数：--bogus"),
        (("deadline", "review", "2026-02-30"), "日期应为 YYYY-MM-DD 格式的真实日期"),
        (("deadline", "due", "--days", "-5"), "天数应为0至3660之间的整数：-5"),
        (("deadline", "due", "--days", "99999999999999999999"), "天数应为0至3660之间的整数"),
        (("demo", "--cases", "-5"), "案件数应为1至1000000之间的整数：-5"),
    ],
)
def test_argument_errors_are_chinese(
    tmp_path: Path, monkeypatch, capsys, argv, expected: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("WENZE_DATA_DIR", str(tmp_path))  # never the real one, even if accepted
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and "命令参数有误" in err and "--help" in err, err
    english = re.findall(r"\b(?:usage|error|argument|required|invalid|expected)\b", err)
    assert english == [], err


def test_a_date_typed_in_full_width_is_read(data: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = run(capsys, "deadline", "review", "２０２６－１１－０２", "--data-dir", str(data))
    assert code == 0, out
    assert "复核申请期限" in out and "2026-12-02" in out, out


def test_backup_whose_copy_to_the_named_folder_failed_exits_non_zero(
    tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    """`wenze backup --to E:\\` in a scheduled task: the copy off the PC not made used to exit
    0 with a warning line, so the task read success."""
    directory = tmp_path / "data"
    open_database(directory).dispose()
    afile = tmp_path / "U盘"
    afile.write_text("not a folder", encoding="utf-8")
    code, out = run(capsys, "backup", "--to", str(afile), "--data-dir", str(directory))
    assert code == 1, out
    assert f"未能复制到指定位置 {afile}" in out and UNEXPECTED not in out, out
    assert afile.read_text(encoding="utf-8") == "not a folder"
