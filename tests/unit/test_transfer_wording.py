"""第十一条第二款: 「构成犯罪的，依法追究刑事责任」. Since 《监察法》 a public official's 职务犯罪
(贪污贿赂、失职渎职) goes to the 监察机关, another crime to the 公安、司法机关: the 调查报告's
recommendation and the 问责决定书 said 「移送司法机关」 for every crime. Both now say
「移送有关国家机关依法处理」, as 《中国共产党纪律处分条例》 does (review 51g)."""

from __future__ import annotations

import json
from dataclasses import replace

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.domain.rules import ReportItemSpec
from tests.helpers.builders import LEADER_SANCTION, advance, investigate, report_spec


def test_the_report_recommends_the_transfer_to_the_organs_concerned(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    case = investigate(svc, world, cid)
    spec = report_spec(case)
    transfer = replace(LEADER_SANCTION, transfer_to_judicial=True)
    items = [
        spec.items[0],
        ReportItemSpec(case.subjects[1].id, spec.items[1].responsibility, transfer),
    ]
    svc.cases.submit_report(cid, replace(spec, items=items))
    report = svc.queries.get_case(cid).report
    doc = svc.documents.issue_document(cid, DocumentKind.INVESTIGATION_REPORT, report.id)
    said = json.dumps(svc.documents.get_document(doc.id)[1], ensure_ascii=False)
    assert "建议移送有关国家机关依法处理" in said and "移送司法机关" not in said
