"""导入节假日安排, tried with the wrong file: a video picked by mistake was read whole into
memory (a 2 GB file, twice over as text, on an 8 GB office PC) before it was found to be no
schedule; a folder or a file that cannot be read was explained in the system's English
(「Is a directory」). Both are refused in Chinese, the big file before it is read (review 57h)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.holidays import ScheduleFormatError


def test_a_file_far_too_big_is_refused_unread(svc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    video = tmp_path / "会议录像.mp4"
    with open(video, "wb") as fh:  # 64 MiB, sparse: a schedule is a few KB
        fh.seek((64 << 20) - 1)
        fh.write(b"\0")
    with pytest.raises(ScheduleFormatError, match=r"“会议录像\.mp4”有64 MB.*选错") as info:
        svc.masterdata.import_holidays(video)
    assert svc.masterdata.holiday_years() == [] and "Errno" not in str(info.value)


def test_a_folder_is_said_in_chinese(svc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "节假日"
    folder.mkdir()
    with pytest.raises(ScheduleFormatError) as info:
        svc.masterdata.import_holidays(folder)
    assert "文件夹" in str(info.value) and "directory" not in str(info.value), info.value


def test_a_line_too_long_for_the_reader_names_its_line(svc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Under the size limit, a line past the csv module's own (131,072 characters) raised
    its English 「field larger than field limit」."""
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n2027-01-01,休,元旦\n2027-01-02,休," + "元" * 200_000 + "\n")
    with pytest.raises(ScheduleFormatError, match="第3行过长"):
        svc.masterdata.import_holidays(path)
