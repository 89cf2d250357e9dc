"""第十三条、第十二条: who signs a 送达回证 are different people.

A 送达回证 proves service by its signatures: the 受送达人 receives (or refuses), the 送达人 of
the bureau serves, and with 留置送达 a 见证人 — a third party invited to be present (参照
《民事诉讼法》第八十九条: 由送达人、见证人签名) — attests the refusal. The services recorded a
留置送达 witnessed by the very person who refused it, or by one of the servers, a decision
received and served by the same man, and one served by the case's own subject: proofs of
service that prove nothing, printed as valid.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from app.domain.enums import DocumentKind, ReviewOutcome, ServiceMethod
from app.domain.lifecycle import Stage
from app.domain.rules import ServiceSpec
from tests.helpers.builders import advance
from tests.unit.test_rulebook import audit_count, refused, reviewed

LEFT = ServiceSpec(
    datetime(2026, 4, 3, 9, 30), "王喆家中", ServiceMethod.LEFT_AT_PREMISES, "王喆",
    ["纪晓岚", "崔明远"], witness="社区工作人员刘文华", refusal_reason="拒绝签收",
)  # fmt: skip
#: Left with his wife, who refused it for him (同住成年家属).
WIFE = "李梅（王喆之妻）"
WITNESS = "见证人须是送达人和受送达人以外的人"


def _issued(svc, world, which: int = 1):  # type: ignore[no-untyped-def]
    """A decided case with one 问责决定书 issued, not served (0: the squad's, 1: the leader's)."""
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[which]
    svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    return d


def test_the_recipient_who_refused_does_not_witness_his_refusal(svc, world) -> None:  # type: ignore[no-untyped-def]
    leader = _issued(svc, world)
    before = audit_count(svc)
    for witness in ("李梅", " 李 梅 ", "家属李梅"):
        spec = dataclasses.replace(LEFT, recipient=WIFE, witness=witness)
        refused(svc.cases.record_service, leader.id, spec, article="第十三条", text=WITNESS)
    assert audit_count(svc) == before


def test_a_server_does_not_witness_his_own_service(svc, world) -> None:  # type: ignore[no-untyped-def]
    leader = _issued(svc, world)
    spec = dataclasses.replace(LEFT, witness="纪检干事纪晓岚")
    refused(svc.cases.record_service, leader.id, spec, article="第十三条", text=WITNESS)


def test_the_recipient_does_not_serve_himself(svc, world) -> None:  # type: ignore[no-untyped-def]
    """The squad's decision, received for it by 万轩: he does not also sign as its server."""
    squad = _issued(svc, world, 0)
    spec = ServiceSpec(
        datetime(2026, 4, 3, 9, 30), "中队办公室", ServiceMethod.DIRECT,
        "城区一中队负责人万轩", ["纪晓岚", "万轩"],
    )  # fmt: skip
    refused(
        svc.cases.record_service, squad.id, spec,
        article="第十三条", text="受送达人不能同时是送达人",
    )  # fmt: skip


def test_a_subject_of_the_case_neither_serves_nor_witnesses_in_it(svc, world) -> None:  # type: ignore[no-untyped-def]
    """The leader 王喆 is a subject: he serves no decision of his case (the squad's neither),
    and does not witness one 「本人」 refused (the recipient typed as 本人 is he)."""
    cid = advance(svc, world, Stage.DECIDED)
    squad, leader = svc.queries.get_case(cid).decisions_in_force()
    svc.documents.issue_document(cid, DocumentKind.DECISION, squad.id)
    svc.documents.issue_document(cid, DocumentKind.DECISION, leader.id)
    direct = ServiceSpec(
        datetime(2026, 4, 3, 9, 30), "中队办公室", ServiceMethod.DIRECT, "", ["纪晓岚", "王喆"]
    )
    refused(
        svc.cases.record_service, squad.id, direct,
        article="第十二条", text="王喆是本案的问责对象，与本案有利害关系，不能担任送达人",
    )  # fmt: skip
    refused(
        svc.cases.record_service, leader.id,
        dataclasses.replace(LEFT, recipient="本人", witness="王喆"),
        article="第十二条", text="王喆是本案的问责对象，与本案有利害关系，不能担任见证人",
    )  # fmt: skip


def test_a_correction_does_not_make_a_party_the_witness_or_a_server(svc, world) -> None:  # type: ignore[no-untyped-def]
    leader = _issued(svc, world)
    sid, _ = svc.cases.record_service(leader.id, dataclasses.replace(LEFT, recipient=WIFE))
    before = audit_count(svc)
    refused(
        svc.cases.correct_service, sid, "见证人写错", witness="李梅",
        article="第十三条", text=WITNESS,
    )  # fmt: skip
    refused(
        svc.cases.correct_service, sid, "送达人写错", servers=["纪晓岚", "王喆"],
        article="第十二条", text="王喆是本案的问责对象，与本案有利害关系，不能担任送达人",
    )  # fmt: skip
    assert audit_count(svc) == before
    svc.cases.correct_service(sid, "见证人姓名写错", witness="社区工作人员刘文辉")  # allowed


def test_the_review_decision_is_witnessed_by_a_third_party(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    cid, rd_id = reviewed(svc, world, clock, ReviewOutcome.UPHOLD)
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    spec = dataclasses.replace(
        LEFT, served_at=datetime(2026, 5, 9, 9, 0), recipient=WIFE, witness="李梅"
    )
    refused(svc.cases.record_review_service, rd_id, spec, article="第十三条", text=WITNESS)
    svc.cases.record_review_service(rd_id, dataclasses.replace(spec, witness="社区民警郭海涛"))


def test_names_person_reads_a_title_but_not_another_name() -> None:
    """A title before the name is allowed (「纪检干事纪晓岚」 is 纪晓岚), another person's name
    ending in the same two characters is not (「张李明」 is not 李明)."""
    from app.domain.text import names_person

    assert names_person("纪检干事纪晓岚", "纪晓岚")
    assert names_person("李梅（王喆之妻）", "李梅")
    assert names_person(" 王 喆 ", "王喆")
    assert not names_person("张李明", "李明")
    assert not names_person("纪晓", "纪晓岚")
