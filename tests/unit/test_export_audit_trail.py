"""What the audit trail says of an export (导出文书) is what the export did. The one record
was written before any file, with the planned count: a case voided meanwhile (第十三条) and
left out, or an export stopped midway (作废 of one case's export, a recusal granted meanwhile:
第十二条), still read as every planned document exported, and a crash after the first file
left the same claim. Now a record at the start says what is planned (document_export_begun,
claiming no file) and the record at the end (document_export) says what was written, what
was left out and why, and whether the export stopped. A run that finds a case voided takes
out only the files it created, never an earlier export's file of the same name.

The audit records are read back with SQL, as an auditor reading the file would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.enums import UserRole
from app.domain.lifecycle import Stage
from app.services.base import Actor, ServiceError
from tests.helpers.builders import advance, grant_recusal, issue_missing
from tests.helpers.exporting import during_render, two_decided_cases

ALLOWED = {
    "export", "planned", "documents", "cases", "kinds", "folder", "case", "document_ids",
    "left_out", "stopped", "not_exported",
}  # fmt: skip


@pytest.fixture
def scene(sqlite_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two decided cases (either may still be voided), every document issued."""
    svc, world, (first, second) = two_decided_cases(sqlite_db, tmp_path)
    return svc, world, svc.queries.get_case(first), svc.queries.get_case(second)


def _trail(svc) -> list[tuple[str, str, dict]]:  # type: ignore[no-untyped-def]
    """(entity, action, after) of every export record, in order, read with SQL."""
    with svc.db.read() as s:
        rows = s.execute(
            text(
                "SELECT entity, action, after FROM audit_records "
                "WHERE entity LIKE 'document_export%' ORDER BY seq"
            )
        ).all()
    out = []
    for entity, action, after in rows:
        after = json.loads(after) if isinstance(after, str) else after
        assert set(after) <= ALLOWED, after  # nothing else (no reporter: 第十条)
        out.append((entity, action, after))
    return out


def _closing(svc) -> dict:  # type: ignore[no-untyped-def]
    trail = _trail(svc)
    assert [e for e, _a, _after in trail] == ["document_export_begun", "document_export"], trail
    assert {a for _e, a, _after in trail} == {"导出文书"}
    return trail[-1][2]


def test_a_case_voided_meanwhile_is_recorded_as_left_out(scene, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    svc, _world, first, second = scene
    out = tmp_path / "all"
    planned = len(svc.documents.list_documents(first.id)) + len(
        svc.documents.list_documents(second.id)
    )
    during_render(monkeypatch, lambda: svc.cases.void_case(first.id, "重复立案"))
    made = svc.documents.export_all(out)
    files = list(out.glob("*.pdf"))
    assert made.voided == [first.number] and len(files) == len(made) < planned
    begun = _trail(svc)[0][2]
    assert begun["planned"] == planned and "documents" not in begun  # it claims no file
    end = _closing(svc)
    assert end["documents"] == len(files), end  # what was written, not what was planned
    assert end["cases"] == 1 and end["folder"] == "all"
    assert set(end["left_out"]) == {first.number}
    assert "作废" in end["left_out"][first.number] and "第十三条" in end["left_out"][first.number]
    assert "stopped" not in end


def test_one_case_export_stopped_by_a_voiding_is_recorded_as_stopped(
    scene, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    svc, _world, first, _second = scene
    out = tmp_path / "one"
    during_render(monkeypatch, lambda: svc.cases.void_case(first.id, "重复立案"))
    with pytest.raises(ServiceError, match="第十三条"):
        svc.documents.export_case(first.id, out)
    assert not list(out.glob("*.pdf"))
    end = _closing(svc)
    assert end["documents"] == 0 and end["document_ids"] == [] and end["case"] == first.number
    assert "第十三条" in end["stopped"] and end["not_exported"] >= 2
    assert set(end["left_out"]) == {first.number}


def test_an_export_stopped_by_a_recusal_granted_meanwhile_says_so(
    scene, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    svc, world, first, second = scene
    actor = Actor("yan", "严守法", UserRole.OFFICER, 99, world.staff[3])
    yan = build_services(svc.db, actor=actor, data_dir=tmp_path, keys=StaticKeyProvider(b"k" * 32))
    out = tmp_path / "yan"
    during_render(monkeypatch, lambda: grant_recusal(svc, second.id, world.staff[3]))
    with pytest.raises(ServiceError, match="第十二条"):
        yan.documents.export_all(out)
    files = list(out.glob("*.pdf"))
    assert files and all(first.number in p.name for p in files)
    end = _closing(svc)
    assert end["documents"] == len(files) and end["cases"] == 1
    assert "第十二条" in end["stopped"] and "回避" in end["stopped"]
    assert end["not_exported"] == _trail(svc)[0][2]["planned"] - len(files)
    assert set(end["left_out"]) == {second.number} and "第十二条" in end["left_out"][second.number]


def test_a_crash_midway_leaves_no_claim_of_files_not_written(scene, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    svc, _world, _first, _second = scene

    def crash() -> None:
        raise KeyboardInterrupt  # the process ends here: nothing after it runs

    during_render(monkeypatch, crash)
    with pytest.raises(KeyboardInterrupt):
        svc.documents.export_all(tmp_path / "crash")
    trail = _trail(svc)
    assert [e for e, _a, _after in trail] == ["document_export_begun"], trail
    assert "documents" not in trail[0][2]  # planned, never claimed as exported


def test_the_command_records_the_folder_it_names_not_a_temporary_one(scene, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main

    svc, _world, _first, _second = scene
    assert main(["docs", "export", "-o", str(tmp_path / "pdf"), "--data-dir", str(tmp_path)]) == 0
    end = _closing(svc)
    assert end["folder"] == "pdf" and _trail(svc)[0][2]["folder"] == "pdf"
    assert end["documents"] == len(list((tmp_path / "pdf").glob("*.pdf")))


def test_a_voiding_midway_keeps_an_earlier_exports_file_of_the_same_name(
    scene, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    svc, _world, first, _second = scene
    out = tmp_path / "kept"
    earlier = svc.documents.export_case(first.id, out)  # an earlier export, audited then
    assert len(earlier) >= 2
    before = {p.name: p.read_bytes() for p in earlier}
    during_render(monkeypatch, lambda: svc.cases.void_case(first.id, "重复立案"))
    made = svc.documents.export_all(out)
    assert made.voided == [first.number]
    for name, data in before.items():  # not this run's to remove
        assert (out / name).exists(), f"the earlier export's {name} was deleted"
        assert (out / name).read_bytes() == data


def test_the_command_stopped_by_a_recusal_keeps_in_a_new_folder_what_it_recorded(
    tmp_path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    """`wenze docs export -o NEW --user yan`, a recusal granted meanwhile: the command said
    「已导出的文件保留在所选文件夹中」 while the new folder was thrown away whole. What was
    written stays, and the trail counts exactly those files, under the folder's own name."""
    from app.cli import main
    from app.services import build_services
    from app.services.keys import SessionKeyProvider
    from app.storage import open_database
    from tests.helpers.builders import seed_world

    data = tmp_path / "data"
    db = open_database(data)
    first = build_services(db, data_dir=data, keys=SessionKeyProvider())
    r = first.users.create_first_admin("admin", "管理员甲", "Adm1n-口令-2026t")
    admin = build_services(db, actor=r.actor, keys=SessionKeyProvider(r.data_key), data_dir=data)
    world = seed_world(admin)
    cases = [advance(admin, world, Stage.DECIDED) for _ in range(2)]
    for cid in cases:
        issue_missing(admin, cid)
    admin.users.create_user(
        "yan", "yan", UserRole.OFFICER, "Off1cer-口令-2026t", person_id=world.staff[3]
    )
    monkeypatch.setenv("WENZE_PASSWORD", "Off1cer-口令-2026t")
    numbers = [admin.queries.get_case(c).number for c in cases]
    during_render(monkeypatch, lambda: grant_recusal(admin, cases[1], world.staff[3]))
    out = tmp_path / "new"
    code = main(["docs", "export", "-o", str(out), "--data-dir", str(data), "--user", "yan"])
    said = capsys.readouterr()
    assert code != 0 and "第十二条" in said.err + said.out, said
    files = list(out.glob("*.pdf"))
    assert files and all(numbers[0] in p.name for p in files), list(tmp_path.iterdir())
    end = _closing(admin)
    assert end["documents"] == len(files) and end["folder"] == "new"
    assert set(end["left_out"]) == {numbers[1]} and "stopped" in end
    db.dispose()
