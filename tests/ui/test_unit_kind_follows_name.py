"""The 单位 panel's 类别 follows what the typed name says (the previous 执法中队 was kept)."""

from __future__ import annotations

from app.ui.masterdata_view import UnitsPanel


def test_the_kind_follows_the_name(qtbot, svc) -> None:  # type: ignore[no-untyped-def]
    panel = UnitsPanel(svc)
    qtbot.addWidget(panel)
    panel.name.setText("城区九中队")  # (keyClicks cannot type CJK under offscreen)
    assert panel.kind.currentData() == "执法中队"
    panel.add_unit()
    panel.name.setText("法制科")
    assert panel.kind.currentData() == "科室"
    assert panel.add_unit() is not None
    kinds = {u.name: u.kind for u in svc.masterdata.list_units()}
    assert kinds["法制科"] == "科室" and kinds["城区九中队"] == "执法中队"
