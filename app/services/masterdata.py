"""Units, people, the holiday table and settings: the administrator's master data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select

from app.config import Settings
from app.domain.acts import Clock
from app.domain.case import EARLIEST_PLAUSIBLE
from app.domain.dating import holiday_day_problems
from app.domain.enums import UnitKind
from app.domain.holidays import HolidayCalendar, parse_schedule_file
from app.domain.interest import head_appointment_problems, own_record_problems
from app.domain.rules import ensure
from app.domain.settings_rules import backup_dir_problems, settings_problems
from app.domain.units import name_problems, unit_name_kind_problems, unit_name_taken
from app.services.base import (
    NotFound,
    ServiceBase,
    ServiceContext,
    ServiceError,
    pick,
    taken,
    view_of,
)
from app.services.case_store import member_case_states, record_head
from app.services.person_accounts import disable_accounts_of
from app.services.recalendar import calendar_from, recount_windows
from app.storage.models import Case, Evidence, Holiday, Lead, Person, Setting, Statement, Unit


@dataclass(frozen=True)
class UnitView:
    id: int
    name: str
    kind: str
    active: bool


PERSON_CHANGED = (
    "“{name}”的信息在您打开后已被其他用户（或另一窗口、名册导入）修改，本次修改未保存："
    "请重新选择该人员，核对后再修改"
)


@dataclass(frozen=True)
class PersonView:
    id: int
    name: str
    unit_id: int | None
    unit_name: str
    post: str
    is_leader: bool
    cadre_level: str
    active: bool


@dataclass(frozen=True)
class HolidayView:
    id: int
    day: date
    is_workday: bool
    name: str


def _unit_view(u: Unit) -> UnitView:
    return view_of(UnitView, u)


def _person_view(p: Person) -> PersonView:
    return view_of(PersonView, p, unit_name=p.unit.name if p.unit else "")


class MasterDataService(ServiceBase):
    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__(ctx)
        self._calendar: HolidayCalendar | None = None
        self._calendar_rows: tuple[tuple[Any, ...], ...] = ()

    # ------------------------------------------------------------------ units
    def create_unit(self, name: str, kind: UnitKind | str) -> int:
        name = name.strip()  # a blank one is refused on its basis (name_problems, 第十三条)
        kind = UnitKind(kind)
        ensure(name_problems(name, "单位名称") + unit_name_kind_problems(name, kind))
        with self.tx("新增单位") as t:
            if t.session.scalar(select(Unit.id).where(Unit.name == name)):
                raise ServiceError(unit_name_taken(name))
            u = Unit(
                name=name, kind=kind, created_at=self.ctx.now(), created_by=self.ctx.actor.username
            )
            t.session.add(u)
            with taken(unit_name_taken(name)):
                t.session.flush()
            t.audit("unit", u.id, after={"name": name, "kind": kind})
            return u.id

    def update_unit(
        self, unit_id: int, *, name: str | None = None, active: bool | None = None
    ) -> None:
        with self.tx("修改单位") as t:
            u = t.session.get(Unit, unit_id)
            if u is None:
                raise NotFound("单位不存在")
            before = {"name": u.name, "active": u.active}
            if name is not None and name.strip() and name.strip() != u.name:
                name = name.strip()
                ensure(name_problems(name, "单位名称") + unit_name_kind_problems(name, u.kind))
                clash = select(Unit.id).where(Unit.name == name, Unit.id != u.id)
                if t.session.scalar(clash) is not None:
                    raise ServiceError(unit_name_taken(name))
                u.name = name
                with taken(unit_name_taken(name)):
                    t.session.flush()
            if active is not None:
                u.active = active
            t.audit("unit", u.id, before=before, after={"name": u.name, "active": u.active})

    def list_units(self, *, include_inactive: bool = False) -> list[UnitView]:
        with self.db.read() as s:
            q = select(Unit).order_by(Unit.sort_order, Unit.id)
            if not include_inactive:
                q = q.where(Unit.active.is_(True))
            return [_unit_view(u) for u in s.scalars(q)]

    # ------------------------------------------------------------------ people
    def create_person(
        self,
        name: str,
        unit_id: int | None,
        post: str = "",
        *,
        is_leader: bool = False,
        cadre_level: str = "",
    ) -> int:
        name = name.strip()
        ensure(name_problems(name, "姓名"))  # blank: refused on its basis (第十三条)
        _yes_or_no({"is_leader": is_leader})
        with self.tx("新增人员") as t:
            _joinable(t.session, unit_id)
            p = Person(
                name=name,
                unit_id=unit_id,
                post=post.strip(),
                is_leader=is_leader,
                cadre_level=cadre_level.strip(),
                created_at=self.ctx.now(),
                created_by=self.ctx.actor.username,
            )
            t.session.add(p)
            t.session.flush()
            t.audit("person", p.id, after=_person_fields(p))
            if p.is_leader:
                record_head(t, p.id, p.unit_id)
            return p.id

    def update_person(
        self, person_id: int, *, expect: Mapping[str, object] | None = None, **changes: object
    ) -> list[str]:
        """``expect``: the fields as the form showed them; changed since by another window (or
        a roster import), the save is refused rather than undoing that change unseen.

        停用 disables the person's enabled login accounts in the same act (one who left can
        no longer log in; :mod:`app.services.person_accounts`); returns their usernames.
        Restoring him enables none: that is 用户管理's, on purpose."""
        allowed = {"name", "unit_id", "post", "is_leader", "cadre_level", "active"}
        unknown = set(changes) - allowed
        if unknown:
            raise ServiceError(f"不能修改的字段：{', '.join(sorted(unknown))}")
        _yes_or_no(changes)
        with self.tx("修改人员") as t:
            # Locked before ``expect`` is compared: a roster import (or another window) saving
            # him at the same moment is waited for and read, never undone unseen.
            p = t.session.get(Person, person_id, with_for_update=True)
            if p is None:
                raise NotFound("人员不存在")
            ensure(own_record_problems(self.ctx.actor.person_id, person_id))
            before = _person_fields(p)
            if expect is not None and any(before.get(k) != v for k, v in expect.items()):
                raise ServiceError(PERSON_CHANGED.format(name=p.name))
            if "name" in changes:
                ensure(name_problems(str(changes["name"] or "").strip(), "姓名"))
            if changes.get("unit_id", p.unit_id) != p.unit_id:
                _joinable(t.session, changes["unit_id"])  # type: ignore[arg-type]
            for key, value in changes.items():
                setattr(p, key, value.strip() if isinstance(value, str) else value)
            ensure(name_problems(p.name, "姓名"))
            if (p.unit_id, p.is_leader, p.active) != tuple(
                before[k] for k in ("unit_id", "is_leader", "active")
            ):
                states = member_case_states(t.session, p.id)
                ensure(head_appointment_problems(p.id, p.unit_id, p.is_leader and p.active, states))
            t.audit("person", p.id, before=before, after=_person_fields(p))
            if p.is_leader and p.active:
                record_head(t, p.id, p.unit_id)
            if before["active"] and not p.active:
                return disable_accounts_of(t, self.ctx.actor, p.id, p.name)
            return []

    def list_people(
        self, unit_id: int | None = None, *, include_inactive: bool = False
    ) -> list[PersonView]:
        with self.db.read() as s:
            q = select(Person).order_by(Person.unit_id, Person.id)
            if unit_id is not None:
                q = q.where(Person.unit_id == unit_id)
            if not include_inactive:
                q = q.where(Person.active.is_(True))
            return [_person_view(p) for p in s.scalars(q)]

    def get_person(self, person_id: int) -> PersonView:
        with self.db.read() as s:
            p = s.get(Person, person_id)
            if p is None:
                raise NotFound("人员不存在")
            return _person_view(p)

    # ------------------------------------------------------------------ holidays
    def calendar(self) -> HolidayCalendar:
        """The holiday calendar: chinesecalendar plus the administrator's table.

        The table is read each time (a few rows a year): another instance — an administrator's
        window, a `wenze` command — may have changed it since; the calendar built from it is
        kept while it reads the same (第十四条: a window is counted on the table as it stands)."""
        with self.db.read() as s:
            q = select(Holiday.year, Holiday.day, Holiday.is_workday).order_by(Holiday.day)
            rows = tuple(tuple(r) for r in s.execute(q))
        if self._calendar is None or rows != self._calendar_rows:
            self._calendar = calendar_from(SimpleNamespace(year=y, day=d, is_workday=w)
                                           for y, d, w in rows)  # fmt: skip
            self._calendar_rows = rows
        return self._calendar

    def list_holidays(self, year: int | None = None) -> list[HolidayView]:
        with self.db.read() as s:
            q = select(Holiday).order_by(Holiday.day)
            if year is not None:
                q = q.where(Holiday.year == year)
            return [HolidayView(h.id, h.day, h.is_workday, h.name) for h in s.scalars(q)]

    def holiday_years(self) -> list[int]:
        with self.db.read() as s:
            return sorted(s.scalars(select(Holiday.year).group_by(Holiday.year)))

    def set_holiday(self, day: date, *, is_workday: bool, name: str = "") -> None:
        """Add or change one day of the table (a make-up working day or a day off)."""
        with self.tx("修改节假日") as t:
            ensure(holiday_day_problems(day, clock_in(t.session, self.ctx.today())))
            _yes_or_no({"is_workday": is_workday})
            h = t.session.scalar(select(Holiday).where(Holiday.day == day))
            before = None if h is None else {"is_workday": h.is_workday, "name": h.name}
            if h is None:
                h = Holiday(
                    day=day,
                    year=day.year,
                    created_at=self.ctx.now(),
                    created_by=self.ctx.actor.username,
                )
                t.session.add(h)
            h.is_workday = is_workday
            h.name = name
            t.session.flush()
            held = recount_windows(t, [day], self.ctx.today())
            after = {"day": day, "is_workday": is_workday, "name": name}
            _audit_first(t, "holiday", h.id, before, after, held)
        self._calendar = None

    def import_holidays(self, source: str | Path | bytes) -> dict[int, int]:
        """Import a State Council schedule file; returns days imported per year."""
        schedules = parse_schedule_file(source)
        counts: dict[int, int] = {}
        with self.tx("导入节假日安排") as t:
            clock = clock_in(t.session, self.ctx.today())
            days = (d for sched in schedules.values() for d in (*sched.holidays, *sched.workdays))
            ensure([p for d in sorted(days) for p in holiday_day_problems(d, clock)][:3])
            for year, sched in schedules.items():
                existing = {
                    h.day: h for h in t.session.scalars(select(Holiday).where(Holiday.year == year))
                }
                n = 0
                for day, is_work in [(d, False) for d in sched.holidays] + [
                    (d, True) for d in sched.workdays
                ]:
                    h = existing.get(day)
                    if h is None:
                        h = Holiday(
                            day=day,
                            year=year,
                            created_at=self.ctx.now(),
                            created_by=self.ctx.actor.username,
                        )
                        t.session.add(h)
                    h.is_workday = is_work
                    h.name = (sched.names or {}).get(day, "") if hasattr(sched, "names") else ""
                    n += 1
                counts[year] = n
            changed = [
                d for sched in schedules.values() for d in (*sched.holidays, *sched.workdays)
            ]
            held = recount_windows(t, changed, self.ctx.today())
            _audit_first(t, "holiday", None, None, {"years": counts}, held)
        self._calendar = None
        return counts

    # ------------------------------------------------------------------ settings
    def settings(self) -> Settings:
        with self.db.read() as s:
            return _settings_in(s)

    def update_settings(self, **changes: object) -> Settings:
        """Read, checked and written in one transaction: another process's change made
        meanwhile is neither written back over (a lost update) nor missed by the checks."""
        for key in changes:
            if not hasattr(Settings, key):
                raise ServiceError(f"未知的设置项：{key}")
        with self.tx("修改系统设置") as t:
            current = _settings_in(t.session)
            before = current.to_mapping()
            # the earliest date on record is read only when that setting changes
            on_record = _earliest_on_record(t.session) if "earliest_date" in changes else None
            ensure(settings_problems(changes, self.ctx.today(), before, on_record))
            raw = str(changes.get("backup_dir", before.get("backup_dir", "")))
            if raw.strip() != str(before.get("backup_dir", "")).strip():  # a USB stick
                # unplugged since it was set does not refuse saving the other settings
                from app.services.backup_files import second_folder_state

                ensure(backup_dir_problems(raw, *second_folder_state(raw, self.ctx.data_dir)))
            for key, value in changes.items():
                setattr(current, key, value)
            after = current.to_mapping()
            for key, value in after.items():  # every setting kept as a row (replay reads them)
                row = t.session.get(Setting, key)
                if row is None:
                    t.session.add(Setting(key=key, value=value))
                elif key in changes:  # not another's, as this change read it
                    row.value = value
            t.audit("settings", None, before=before, after=after)
        return current

    def count_units(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count(Unit.id))) or 0


def _yes_or_no(values: Mapping[str, object]) -> None:
    """是否领导职务 and 启用 are a yes or a no: 「否」 as text is true to Python and failed in
    the database driver (a raw error where a refusal belongs)."""
    labels = {"is_leader": "是否领导职务", "active": "是否启用", "is_workday": "是否调休上班"}
    for key, label in labels.items():
        if key in values and not isinstance(values[key], bool):
            raise ServiceError(f"“{label}”只能是是或否，不能是“{values[key]}”")


def _joinable(s: Any, unit_id: int | None) -> None:
    """The unit a person is put in (新增, 调入) exists and is not 停用: one stood down takes
    no one in, as the roster import says (the move failed on a raw key error before)."""
    if unit_id is None:
        return
    unit = s.get(Unit, unit_id)
    if unit is None:
        raise NotFound("所属单位不存在")
    if not unit.active:
        raise ServiceError(
            f"依据第三条，单位“{unit.name}”已停用，不再是本局的科室或执法中队，不能新增或调入人员；"
            "确需调入的，请先在基础数据中启用该单位"
        )


#: A person's columns 新增人员/修改人员 audit (replay compares them).
PERSON_AUDITED = ("name", "unit_id", "post", "is_leader", "cadre_level", "active")


def _person_fields(p: Person) -> dict[str, object]:
    return pick(p, *PERSON_AUDITED)


def _audit_first(
    t: Any, entity: str, entity_id: int | None, before: dict | None, after: dict, held: list[str]
) -> None:
    """The holiday change heads its audit record; the windows it moved follow as related
    entries, and the windows it left as they were (closed cases, on-time applications) are
    named, by case, for the administrator."""
    if held:
        after = {**after, "windows_kept_to_check": held}
    t.audit(entity, entity_id, before=before, after=after)
    t.entries.insert(0, t.entries.pop())


def _settings_in(s: Any) -> Settings:
    """The settings as stored, read in session ``s``."""
    return Settings.from_mapping({row.key: row.value for row in s.scalars(select(Setting))})


def _earliest_on_record(s: Any) -> date | None:
    """The earliest date a live case or lead bears (its proposal or receipt, or evidence and
    statements, which may come before the proposal)."""
    live = Case.voided.is_(False)
    firsts = [
        select(func.min(Case.proposed_on)).where(live),
        select(func.min(Lead.received_on)).where(Lead.voided.is_(False)),
        select(func.min(Evidence.collected_on)).join(Case, Case.id == Evidence.case_id).where(live),
        select(func.min(Statement.made_on)).join(Case, Case.id == Statement.case_id).where(live),
    ]
    days = [s.scalar(q) for q in firsts]
    return min((d for d in days if d is not None), default=None)


def clock_in(s: Any, today: date) -> Clock:
    """The plausible dates as the ``earliest_date`` setting stands in session ``s`` (read in
    the act's own transaction, so a setting changed meanwhile is not missed)."""
    return plausible_clock(
        s.scalar(select(Setting.value).where(Setting.key == "earliest_date")), today
    )


def plausible_clock(earliest: str | None, today: date) -> Clock:
    """The dates an act may bear: not after today, not before the bureau's earliest plausible
    date (the ``earliest_date`` setting; 2000-01-01 when unset or unreadable)."""
    try:
        first = date.fromisoformat(earliest or "")
    except ValueError:
        first = EARLIEST_PLAUSIBLE
    return Clock(today, first)
