"""Round 11: a refusal to close says where the officer goes to clear it, not only that the
case cannot close."""

from __future__ import annotations

from app.domain.rules import check_close


def test_close_refusals_name_the_step_that_clears_them() -> None:
    unserved, pending = check_close(["王喆"], 1, [])
    assert unserved.message.startswith("依据第十三条")
    assert "第6步“送达”" in unserved.message
    assert pending.message.startswith("依据第十四条")
    assert "第7步“复核决定”" in pending.message
