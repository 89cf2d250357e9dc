"""校验审计链 reports its walk batch by batch, so a long chain shows a moving bar."""

from __future__ import annotations

from tests.helpers.builders import proposal


def test_the_walk_is_reported_after_each_batch(svc, world) -> None:  # type: ignore[no-untyped-def]
    svc.cases.propose_case(proposal(world))
    heard: list[tuple[int, int]] = []
    report = svc.audit.verify_chain(batch=3, progress=lambda n, t: heard.append((n, t)))
    assert report.ok and report.records > 6
    total = report.records
    assert [n for n, _ in heard] == [min(k, total) for k in range(3, total + 3, 3)]
    assert {t for _, t in heard} == {total}
