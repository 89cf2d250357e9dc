"""Staff roster import (导入人员名册): an Excel roster into 基础数据 → 人员.

Read the workbook, map its columns (姓名, 单位, 职务, 是否领导职务, 工号, 职级) with a
preview, check every row and list each problem in Chinese by its Excel row number, then
import only the valid rows in one transaction with one audit record. A re-import updates
people by their 工号 without duplicating them; nobody is ever deleted or deactivated.
A person 停用 in 人员管理 whom the file still lists is left as he is, the row named, unless the
officer chooses to restore him (app.domain.roster_rules): an older file read again must not put
back on the roster someone who left after it was made.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from itertools import zip_longest
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select, text

from app.domain.interest import head_appointment_problems, own_record_problems
from app.domain.roster_rules import ACTION_INACTIVE, inactive_row_warning, may_reactivate
from app.domain.text import bad_character_message, unreadable_file, without_bad_characters
from app.domain.units import name_problems
from app.services.base import ServiceBase, ServiceContext, ServiceError
from app.services.case_store import member_case_states, record_head
from app.storage.models import Person, StaffNumber, Unit

ACTION_IMPORT = "导入人员名册"

# field → (label, header aliases); the order is the preview's column order.
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "staff_no": ("工号", ("工号", "人员编号", "编号", "职工号", "员工编号")),
    "name": ("姓名", ("姓名", "名字", "人员姓名")),
    "unit": ("单位", ("单位", "所在单位", "部门", "所属单位", "科室", "中队", "科室/中队")),
    "post": ("职务", ("职务", "岗位", "职位")),
    "is_leader": ("是否领导职务", ("是否领导职务", "领导职务", "是否领导", "领导")),
    "cadre_level": ("职级", ("职级", "级别", "干部级别")),
}
REQUIRED = ("name", "unit")
TRUE_WORDS = frozenset({"是", "Y", "YES", "TRUE", "1", "√", "领导", "领导职务"})
FALSE_WORDS = frozenset({"否", "N", "NO", "FALSE", "0", "×", "", "非领导", "非领导职务"})
LIMITS = {"staff_no": 32, "name": 64, "post": 64, "cadre_level": 32}
MAX_ROWS = 20000
HEADER_SCAN = 10
HIDDEN_ROW = (
    "在Excel中是隐藏行（被隐藏或被筛选掉），看不到的行不导入；确需导入的，"
    "请在Excel中取消隐藏或清除筛选后重新导入"
)


@dataclass(frozen=True)
class RosterSheet:
    """The raw cells of a roster: header row and data rows (as text), with row numbers."""

    file_name: str
    sheet_name: str
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (Excel row number, cells)
    #: (Excel row number, column index) of the formula cells saved without their result:
    #: read as empty, they are no value the clerk sees (:func:`read_roster`).
    uncomputed: frozenset[tuple[int, int]] = frozenset()
    #: The Excel rows hidden or filtered out: not seen, not imported (:func:`_hidden_rows`).
    hidden: frozenset[int] = frozenset()


@dataclass(frozen=True)
class RowCheck:
    row: int  # the Excel row number, as the officer sees it
    values: dict[str, str]
    errors: tuple[str, ...]
    action: str  # 新增 / 更新 / 无变化 / 已停用 / 有误
    person_id: int | None = None
    #: Why a row that is no error is still not imported (a person 停用, roster_rules).
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class RosterPreview:
    sheet: RosterSheet
    mapping: dict[str, int | None]
    rows: tuple[RowCheck, ...]

    @property
    def errors(self) -> list[str]:
        return [e for r in self.rows for e in r.errors]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def warnings(self) -> list[str]:
        return [w for r in self.rows for w in r.warnings]


@dataclass
class RosterResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    #: Rows naming a person 停用 whom the officer did not choose to restore (not imported).
    inactive: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        kept = f"，已停用未恢复{self.inactive}人" if self.inactive else ""
        return (
            f"新增{self.created}人，更新{self.updated}人，无变化{self.unchanged}人，"
            f"有误未导入{self.skipped}行{kept}"
        )


# ----------------------------------------------------------------------------- reading


def _text(value: Any) -> str:
    """A cell as the clerk sees it in Excel: 100 not 100.0, a date as 2020-01-01 (a date cell
    read as 「2020-01-01 00:00:00」 is no 职级 anyone typed)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime) and value.time() == time(0):
        value = value.date()
    return str(value).strip()


#: Spaces inside a Chinese name: rosters pad two-character names to line up with
#: three-character ones (「张　三」); the person is 张三 (a foreign name keeps its space).
_NAME_PADDING = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\s[^>]*>")
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_HIDDEN = re.compile(rb'\shidden="(?:1|true)"')


def staff_number(text: str) -> str:
    """A 工号 as stored and compared: typed in 全角 (ＲＣ１００) it is the same 工号 (RC100);
    with an invisible character in it (「A\u200b001」, a roster pasted from a web page) it is
    the 工号 the clerk sees (A001), not a new one that added the person a second time."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()


def staff_key(no: str) -> str:
    """What two 工号 are compared by: one of digits is the same with or without leading zeros
    (「007」 retyped in Excel becomes the number 7); letters in either case (rc001 is RC001)."""
    return (no.lstrip("0") or "0") if no.isascii() and no.isdigit() else no.upper()


def person_name(text: str) -> str:
    return _NAME_PADDING.sub("", text.strip())


def _sheet_xml(ws: Any) -> bytes:
    """The sheet's XML: what the read-only reader skips (merged cells, hidden rows) is read
    from it, after its rows."""
    try:
        with ws._get_source() as src:
            return src.read()
    except Exception:  # not a read-only sheet of a file: nothing more known
        return b""


def _first_shown(wb: Any) -> Any:
    """The first sheet the clerk sees: a hidden one (an old copy kept behind 人员名册) was read
    instead of the tab Excel shows (named with ``--sheet``, it is read)."""
    return next((w for w in wb.worksheets if w.sheet_state == "visible"), wb.worksheets[0])


def _merged_ranges(data: bytes) -> list[tuple[int, int, int, int]]:
    """(first row, last row, first column, last column), 1-based, of the sheet's merged cells."""
    from openpyxl.utils import column_index_from_string as col

    return [
        (int(r1), int(r2), col(c1.decode()), col(c2.decode()))
        for c1, r1, c2, r2 in _MERGE_REF.findall(data)
    ]


def _hidden_rows(data: bytes) -> frozenset[int]:
    """The Excel rows hidden (by hand, or by a filter: 「只看城区一中队」): rows the clerk does
    not see, so does not mean to import."""
    rows = (m.group(0) for m in _ROW_TAG.finditer(data))
    return frozenset(
        int(r.group(1))
        for tag in rows
        if _HIDDEN.search(tag) and (r := _ROW_NUMBER.search(tag)) is not None
    )


def _fill_merged(
    rows: list[tuple[int, tuple[str, ...]]], merged: list[tuple[int, int, int, int]], header: int
) -> list[tuple[int, tuple[str, ...]]]:
    """A cell merged down several data rows (a 单位 over its people) is each row's value, as
    Excel shows it; merges across one row (a title) and in the header are left as they are.
    A row left empty stays empty (skipped)."""
    down = [m for m in merged if m[1] > m[0] and m[0] > header]
    if not down:
        return rows
    by_row = dict(rows)
    out = []
    for n, cells in rows:
        values = list(cells)
        for r1, r2, c1, c2 in down:
            if r1 < n <= r2:
                top = by_row.get(r1, ())
                for c in range(c1, c2 + 1):
                    if c - 1 < len(top) and top[c - 1]:
                        values.extend([""] * (c - len(values)))
                        values[c - 1] = values[c - 1] or top[c - 1]
        out.append((n, tuple(values)))
    return out


def _unreadable(exc: Exception) -> str:
    """Why a roster file could not be opened, in Chinese (never openpyxl's English)."""
    return unreadable_file(exc, "名册文件") or (
        "不是有效的Excel工作簿（.xlsx），请在Excel中打开后另存为“Excel工作簿(*.xlsx)”再导入"
    )


def _formulas(raw: tuple[Any, ...]) -> set[int]:
    """The column indexes of the formula cells of one row read with its formulas."""
    from openpyxl.worksheet.formula import ArrayFormula

    return {
        c
        for c, v in enumerate(raw)
        if isinstance(v, ArrayFormula) or (isinstance(v, str) and v.startswith("="))
    }


def _sheet_rows(ws: Any, wf: Any) -> Iterator[tuple[int, tuple[Any, ...], set[int]]]:
    """(Excel row, its values as saved, its formula columns), the two readings of the sheet
    walked side by side: reading stops where the caller stops (at the row limit), not after
    a scan of the whole sheet for formulas first."""
    for n, (raw, formula_row) in enumerate(
        zip_longest(ws.iter_rows(values_only=True), wf.iter_rows(values_only=True), fillvalue=()),
        start=1,
    ):
        yield n, tuple(raw), _formulas(tuple(formula_row))


def read_roster(source: str | Path | bytes | IO[bytes], sheet: str | None = None) -> RosterSheet:
    """Read the first sheet (or ``sheet``); the first non-empty row is the header. A formula
    is read as the result Excel saved with it; one saved without (a file a script wrote,
    never opened and saved) is marked ``uncomputed``, not read as an empty cell."""
    from openpyxl import load_workbook

    name = Path(source).name if isinstance(source, str | Path) else "名册.xlsx"
    if isinstance(source, bytes):
        data: Any = io.BytesIO(source)
    elif isinstance(source, str | Path):
        data = source
    else:  # read twice (results, then formulas): a stream is kept in memory
        data = io.BytesIO(source.read())
    try:
        wb = load_workbook(data, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file, all in English
        raise ServiceError(f"无法读取Excel名册“{name}”：{_unreadable(exc)}") from exc
    if isinstance(data, io.BytesIO):
        data.seek(0)
    wf = load_workbook(data, read_only=True, data_only=False)  # it opened just now
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise ServiceError(f"名册中没有名为“{sheet}”的工作表")
        ws = wb[sheet] if sheet is not None else _first_shown(wb)
        uncomputed: set[tuple[int, int]] = set()
        found: list[tuple[int, tuple[str, ...]]] = []
        try:
            for n, raw, formulas in _sheet_rows(ws, wf[ws.title]):
                cells = tuple(_text(v) for v in raw)
                blank = {(n, c) for c, v in enumerate(raw) if v is None or v == ""}
                blank = {(r, c) for r, c in blank if c in formulas}
                uncomputed |= blank
                if any(cells) or blank:
                    found.append((n, cells))
                if len(found) > MAX_ROWS:
                    raise ServiceError(f"名册超过{MAX_ROWS}行，请分批导入")
        except ServiceError:
            raise
        except Exception as exc:  # a sheet cut off or garbled midway: openpyxl's English
            raise ServiceError(f"无法读取Excel名册“{name}”：{_unreadable(exc)}") from exc
        if not found:
            raise ServiceError("名册是空的：没有找到表头行")
        # The header is the first of the top rows naming both 姓名 and 单位 (a title row
        # above it is common), else the first non-empty row.
        at = next(
            (
                i
                for i, (_n, cells) in enumerate(found[:HEADER_SCAN])
                if all(guess_mapping(cells)[k] is not None for k in REQUIRED)
            ),
            0,
        )
        header_row, headers = found[at]
        xml = _sheet_xml(ws)
        rows = _fill_merged(found[at + 1 :], _merged_ranges(xml), header_row)
        hidden = frozenset(n for n in _hidden_rows(xml) if n > header_row)
        return RosterSheet(
            name, ws.title, header_row, headers, tuple(rows), frozenset(uncomputed), hidden
        )
    finally:
        wb.close()
        wf.close()


def guess_mapping(headers: tuple[str, ...] | list[str]) -> dict[str, int | None]:
    """Each field's column index from the header text: every exact alias first, then a
    header containing the field's name, the longest name first — so 「是否领导职务」 is the
    leader flag, wherever it stands, and never the 职务 it contains."""
    clean = [h.replace(" ", "").replace("\u3000", "") for h in headers]
    out: dict[str, int | None] = dict.fromkeys(FIELDS)
    taken: set[int] = set()
    for key, (_label, aliases) in FIELDS.items():
        idx = next((i for i, h in enumerate(clean) if h in aliases and i not in taken), None)
        if idx is not None:
            out[key] = idx
            taken.add(idx)
    by_length = sorted(FIELDS, key=lambda k: -len(FIELDS[k][1][0]))
    for key in by_length:
        if out[key] is not None:
            continue
        name = FIELDS[key][1][0]
        idx = next((i for i, h in enumerate(clean) if h and i not in taken and name in h), None)
        if idx is not None:
            out[key] = idx
            taken.add(idx)
    return out


def parse_leader(text: str) -> bool | None:
    word = text.strip().upper()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


# ----------------------------------------------------------------------------- the service

#: The key of the PostgreSQL advisory lock held by a roster import until it commits.
ROSTER_LOCK = 0x57454E5A_0001


def lock_roster(s: Any) -> None:
    """Two roster imports at once on the LAN database: each checks every row against the people
    recorded, then writes. On PostgreSQL the second checked while the first had checked and not
    committed, so a person without a 工号 was created twice and a new 工号 failed on the unique
    index with the database's English error. Holding this lock from before the checks to the
    commit, the second waits and then checks against what the first wrote. (SQLite's write lock
    already serialises them.) A lock of its own, not a row's: it orders nothing but imports."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROSTER_LOCK})


class RosterService(ServiceBase):
    def __init__(self, ctx: ServiceContext, services: Any = None) -> None:
        super().__init__(ctx)
        self.services = services

    def read(self, source: str | Path | bytes | IO[bytes], sheet: str | None = None) -> RosterSheet:
        return read_roster(source, sheet)

    def preview(
        self,
        sheet: RosterSheet,
        mapping: Mapping[str, int | None] | None = None,
        reactivate: frozenset[int] | bool = frozenset(),
    ) -> RosterPreview:
        """Check every row against the file and the database; writes nothing. ``reactivate``:
        the people 停用 the officer chose to restore (their ids, or True for all listed)."""
        mapping = dict(mapping if mapping is not None else guess_mapping(sheet.headers))
        with self.db.read() as s:
            return RosterPreview(sheet, mapping, tuple(self._check(s, sheet, mapping, reactivate)))

    def staff_numbers(self) -> dict[int, str]:
        """person id → 工号, for the people view."""
        with self.db.read() as s:
            return dict(s.execute(select(StaffNumber.person_id, StaffNumber.staff_no)).all())

    def import_roster(
        self,
        sheet: RosterSheet,
        mapping: Mapping[str, int | None] | None = None,
        reactivate: frozenset[int] | bool = frozenset(),
    ) -> RosterResult:
        """Import the valid rows in one transaction (one audit record); skip and list the rest.
        A person 停用 is restored only when chosen in ``reactivate`` (ids, or True for all)."""
        mapping = dict(mapping if mapping is not None else guess_mapping(sheet.headers))
        with self.tx(ACTION_IMPORT) as t:
            s = t.session
            lock_roster(s)
            checks = self._check(s, sheet, mapping, reactivate)
            result = RosterResult(errors=[e for c in checks for e in c.errors])
            result.skipped = sum(1 for c in checks if not c.ok)
            result.warnings = [w for c in checks for w in c.warnings]
            result.inactive = sum(1 for c in checks if c.action == ACTION_INACTIVE)
            if not any(c.action in ("新增", "更新") for c in checks) and result.skipped:
                held = f"，已停用{result.inactive}人未恢复" if result.inactive else ""
                raise ServiceError(
                    f"名册中没有可导入的行（{result.skipped}行有误{held}）：\n"
                    + "\n".join([*result.errors, *result.warnings][:20])
                )
            units = {u.name: u.id for u in s.scalars(select(Unit))}
            created: list[dict[str, Any]] = []
            updated: list[dict[str, Any]] = []
            stamp = {"created_at": self.ctx.now(), "created_by": self.ctx.actor.username}
            for c in checks:
                v = c.values
                if c.action == "无变化":
                    result.unchanged += 1
                    continue
                if not c.ok or c.action not in ("新增", "更新"):
                    continue
                fields = {
                    "name": v["name"],
                    "unit_id": units[v["unit"]],
                    "post": v.get("post", ""),
                    "is_leader": bool(parse_leader(v.get("is_leader", ""))),
                    "cadre_level": v.get("cadre_level", ""),
                }
                if c.action == "新增":
                    p = Person(**fields, **stamp)
                    s.add(p)
                    s.flush()
                    if v.get("staff_no"):
                        s.add(StaffNumber(person_id=p.id, staff_no=v["staff_no"], **stamp))
                    created.append(
                        {"id": p.id, "row": c.row, **fields, "staff_no": v.get("staff_no", "")}
                    )
                    result.created += 1
                else:
                    p = s.get(Person, c.person_id)
                    before = {k: getattr(p, k) for k in fields}
                    for k, value in fields.items():
                        setattr(p, k, value)
                    if not p.active:  # chosen in ``reactivate`` (_check left him out else)
                        before["active"], p.active = False, True
                        fields = {**fields, "active": True}
                    held = s.scalar(
                        select(StaffNumber.staff_no).where(StaffNumber.person_id == p.id)
                    )
                    if held is None:
                        s.add(StaffNumber(person_id=p.id, staff_no=v["staff_no"], **stamp))
                    updated.append(
                        {
                            "id": p.id,
                            "row": c.row,
                            "staff_no": held or v["staff_no"],  # 「007」 kept as on record
                            "before": before,
                            "after": fields,
                        }
                    )
                    result.updated += 1
            s.flush()
            t.audit(
                "roster",
                None,
                after={
                    "file": sheet.file_name,
                    "sheet": sheet.sheet_name,
                    "created": created,
                    "updated": updated,
                    "unchanged": result.unchanged,
                    "skipped_rows": [c.row for c in checks if not c.ok],
                    "inactive_rows": [c.row for c in checks if c.action == ACTION_INACTIVE],
                },
            )
            for row in (*created, *updated):
                p = s.get(Person, row["id"])
                if p is not None and p.is_leader and p.active:
                    record_head(t, p.id, p.unit_id)
        return result

    # ................................................................. checking
    def _check(
        self,
        s: Any,
        sheet: RosterSheet,
        mapping: dict[str, int | None],
        reactivate: frozenset[int] | bool = frozenset(),
    ) -> list[RowCheck]:
        for key in REQUIRED:
            if mapping.get(key) is None:
                raise ServiceError(f"请指定名册中“{FIELDS[key][0]}”所在的列")
        used = [i for i in mapping.values() if i is not None]
        if len(used) != len(set(used)):
            raise ServiceError("同一列不能对应两个字段，请重新指定")
        for i in used:
            if not 0 <= i < len(sheet.headers):
                raise ServiceError("指定的列超出了名册的范围")
        units = {u.name: u for u in s.scalars(select(Unit))}
        by_no = {
            staff_key(staff_number(no)): pid
            for no, pid in s.execute(select(StaffNumber.staff_no, StaffNumber.person_id))
        }
        numbered = set(by_no.values())
        people = {p.id: p for p in s.scalars(select(Person))}
        by_name_unit: dict[tuple[str, int | None], list[int]] = {}
        for p in people.values():
            by_name_unit.setdefault((p.name, p.unit_id), []).append(p.id)
        seen_no: dict[str, int] = {}
        seen_name: dict[tuple[str, str], int] = {}
        # person id → the rows (indexes into ``out``) attached to him by name and unit alone
        by_name_claims: dict[int, list[int]] = {}
        out: list[RowCheck] = []
        for row, cells in sheet.rows:
            v = {
                key: (cells[idx] if idx is not None and idx < len(cells) else "")
                for key, idx in mapping.items()
                if key in FIELDS
            }
            if "staff_no" in v:
                v["staff_no"] = staff_number(v["staff_no"])
            if "name" in v:
                v["name"] = person_name(v["name"])
            errs: list[str] = []
            at = f"第{row}行："
            errs += [
                at + f"“{FIELDS[key][0]}”是公式，文件中没有保存计算结果（请在Excel中打开、"
                "保存后再导入，或将公式粘贴为数值）"
                for key, idx in mapping.items()
                if key in FIELDS and idx is not None and (row, idx) in sheet.uncomputed
            ]
            if row in sheet.hidden:
                errs.append(at + HIDDEN_ROW)
            bad = next((msg for x in v.values() if (msg := bad_character_message(x))), "")
            if any("\x00" in x for x in v.values()):
                errs.append(at + "含有空字符（NUL），请在Excel中删除后重试")
            elif bad:
                errs.append(at + bad)
            if bad:
                v = {k: without_bad_characters(x) for k, x in v.items()}
            if not v.get("name"):
                errs.append(at + "姓名为空")
            else:
                errs += [at + str(x) for x in name_problems(v["name"], "姓名")]
            for key, limit in LIMITS.items():
                if len(v.get(key, "")) > limit:
                    errs.append(at + f"{FIELDS[key][0]}超过{limit}个字符")
            unit_name = v.get("unit", "")
            unit = units.get(unit_name)
            if not unit_name:
                errs.append(at + "单位为空")
            elif unit is None:
                errs.append(at + f"单位“{unit_name}”不存在，请先在基础数据中新增该单位")
            elif not unit.active:
                errs.append(at + f"单位“{unit_name}”已停用")
            if parse_leader(v.get("is_leader", "")) is None:
                errs.append(at + f"“是否领导职务”应填“是”或“否”，不能是“{v.get('is_leader', '')}”")
            no = v.get("staff_no", "")
            if no:
                if staff_key(no) in seen_no:
                    errs.append(at + f"工号“{no}”与第{seen_no[staff_key(no)]}行重复")
                else:
                    seen_no[staff_key(no)] = row
            if v.get("name") and unit_name:
                key2 = (v["name"], unit_name)
                if not no and key2 in seen_name:
                    errs.append(at + f"“{v['name']}（{unit_name}）”与第{seen_name[key2]}行重复")
                seen_name.setdefault(key2, row)
            person_id: int | None = None
            action = "新增"
            if no and staff_key(no) in by_no:
                person_id = by_no[staff_key(no)]
                action = "更新"
                held = people[person_id].name
                if v.get("name") and v["name"] != held:
                    # A 工号 names one person: a row giving him another name is a column
                    # sorted apart from the names far more often than a change of name.
                    errs.append(
                        at + f"工号“{no}”在基础数据中是“{held}”，本行姓名为“{v['name']}”："
                        "请核对工号与姓名是否错行；确需更名的，请先在基础数据中修改其姓名"
                    )
            elif unit is not None and v.get("name"):
                namesakes = by_name_unit.get((v["name"], unit.id), [])
                same = [pid for pid in namesakes if pid not in numbered]
                held_no = [pid for pid in namesakes if pid in numbered]
                if held_no and not no:
                    # A file without 工号 (an older export) naming one on record with a 工号:
                    # added again he would be a second person, 启用 even if he left.
                    errs.append(
                        at
                        + f"基础数据中已有“{v['name']}（{unit_name}）”且已登记工号，本行未填工号："
                        "请填写工号以便更新而不重复新增"
                    )
                elif same and not no:
                    errs.append(
                        at
                        + f"基础数据中已有“{v['name']}（{unit_name}）”，请填写工号以便更新而不重复新增"
                    )
                elif len(same) > 1:
                    errs.append(
                        at + f"基础数据中有{len(same)}名“{v['name']}（{unit_name}）”均无工号，"
                        "无法确定本行是哪一位：请先在基础数据中核对（重复登记的，更正其姓名或单位）"
                    )
                elif same:
                    # First import of a roster with numbers: attach the number to that person.
                    person_id, action = same[0], "更新"
                    by_name_claims.setdefault(person_id, []).append(len(out))
            if action == "更新" and person_id is not None:
                errs += [
                    at + str(x) for x in own_record_problems(self.ctx.actor.person_id, person_id)
                ]
            warns: tuple[str, ...] = ()
            if errs:
                action = "有误"
            elif (
                action == "更新"
                and person_id is not None
                and not people[person_id].active
                and not may_reactivate(person_id, reactivate)
            ):
                action = ACTION_INACTIVE
                warns = (inactive_row_warning(row, people[person_id].name, no, unit_name),)
            elif action == "更新" and person_id is not None:
                p = people[person_id]
                new = (
                    v["name"],
                    unit.id if unit else None,
                    v.get("post", ""),
                    bool(parse_leader(v.get("is_leader", ""))),
                    v.get("cadre_level", ""),
                )
                old = (p.name, p.unit_id, p.post, p.is_leader, p.cadre_level)
                if new == old and p.active and person_id in numbered:
                    action = "无变化"
                elif new[3] and (new[1], True, True) != (p.unit_id, p.is_leader, p.active):
                    states = member_case_states(s, person_id)
                    refused = head_appointment_problems(person_id, new[1], True, states)
                    if refused:
                        errs += [at + str(x) for x in refused]
                        action = "有误"
            out.append(RowCheck(row, v, tuple(errs), action, person_id, warns))
        return _one_row_per_person(out, by_name_claims, people)


def _one_row_per_person(
    out: list[RowCheck], claims: dict[int, list[int]], people: Mapping[int, Person]
) -> list[RowCheck]:
    """Rows with different 工号 attached by name and unit to one person without a 工号 (two
    namesakes of one unit in the roster, one of them on record): which row is that person
    cannot be told, so none of them is imported (each would overwrite the other, and the
    second 工号 would be kept nowhere)."""
    for person_id, indexes in claims.items():
        if len(indexes) < 2:
            continue
        rows = [out[i].row for i in indexes]
        p = people[person_id]
        for i in indexes:
            c = out[i]
            others = "、".join(f"第{r}行" for r in rows if r != c.row)
            msg = (
                f"第{c.row}行：与{others}同名同单位（{c.values.get('name', '')}，"
                f"{c.values.get('unit', '')}），而基础数据中的“{p.name}”尚无工号，无法确定对应哪一行："
                "请先只导入其中对应原有人员的一行（登记其工号），再导入其余各行"
            )
            out[i] = replace(c, errors=(*c.errors, msg), action="有误", person_id=None)
    return out
