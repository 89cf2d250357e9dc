"""Wizard 第1步 提出问责."""

from __future__ import annotations

from app.domain.enums import (
    BEHAVIOUR_SUBTYPES,
    BehaviourType,
    Consequence,
    Fault,
    ProposerType,
    SubjectKind,
)
from app.domain.regulation import load_regulation
from app.domain.rules import ProposalSpec, RuleViolation, SubjectSpec, violation
from app.ui.wizard import formkit, pickers
from app.ui.wizard.base import StepPage

CHOOSE = "（请选择）"  # an empty first choice: the officer states the finding himself
EMPTY_ROSTER = (
    "问责对象取自本局的科室、执法中队及其执法人员，系统中尚未录入，请先在主窗口“基础数据”"
    "中新增单位和人员（或导入人员名册），再新建案件"
)


class ProposalPage(StepPage):
    STEP = 1
    FORM = "step1_proposal.ui"
    ARTICLES = (9, 2, 3, 7, 8)
    SUBTITLE = "由主要领导、主管领导或职能科室提出问责，列明对象、情形与事由（第九条）"
    WIDGETS = (
        "proposerType",
        "proposerName",
        "proposedOn",
        "subjectList",
        "groundList",
        "behaviourType",
        "behaviourSubtype",
        "fault",
        "consequenceList",
        "leadList",
        "summary",
    )

    def setup(self) -> None:
        w = self.w
        # 行为类型, its 具体情形 and 主观过错 are findings (第二条) that weigh on the sanction:
        # nothing is chosen for the officer, else a case he never looked at would say 不履行
        # （拒绝）, 故意, and the rules that ask for them (须选择行为类型) would never speak.
        # Nor who proposed it (第九条): a preset 主要领导 printed 「主要领导（法制科）」.
        for name, enum in (
            ("proposerType", ProposerType),
            ("behaviourType", BehaviourType),
            ("fault", Fault),
        ):
            formkit.fill_combo(w(name), [(CHOOSE, ""), *((v.value, v.value) for v in enum)])
        self.subject_filter = pickers.filterable_list(w("subjectList"), self.form)
        for c in Consequence:
            w("consequenceList").addItem(formkit.checkable_item(c.value, c.value))
        formkit.fit_list_to_items(w("consequenceList"))  # five consequences, all in sight
        for clause in load_regulation().ground_clauses():
            w("groundList").addItem(
                formkit.checkable_item(f"{clause.label}　{clause.text}", clause.key)
            )
        w("behaviourType").currentIndexChanged.connect(self._subtypes)
        self._subtypes()
        self._subjects: dict[str, SubjectSpec] = {}

    def _subtypes(self) -> None:
        bt = formkit.combo_value(self.w("behaviourType"))
        subs = BEHAVIOUR_SUBTYPES.get(BehaviourType(bt), ()) if bt else ()
        formkit.fill_combo(self.w("behaviourSubtype"), [(CHOOSE, ""), *((s, s) for s in subs)])

    def load(self, detail) -> None:  # type: ignore[no-untyped-def]
        w = self.w
        md = self.services.masterdata
        sl = w("subjectList")
        sl.clear()
        self._subjects = {}
        for u in md.list_units():
            if u.kind in (SubjectKind.SQUAD.value, SubjectKind.SECTION.value):
                key = f"u:{u.id}"
                self._subjects[key] = SubjectSpec(SubjectKind(u.kind), u.name, u.id)
                sl.addItem(formkit.checkable_item(f"{u.name}（{u.kind}）", key))
        for p in md.list_people():
            key = f"p:{p.id}"
            self._subjects[key] = SubjectSpec(
                SubjectKind.PERSON, p.name, p.unit_id, p.id, p.is_leader
            )
            sl.addItem(formkit.checkable_item(formkit.person_label(p), key))
        ll = w("leadList")
        ll.clear()
        for lead in self.services.leads.list_leads():
            if lead.case_id is None or (detail and lead.case_id == detail.id):
                gist = lead.content if len(lead.content) <= 30 else f"{lead.content[:30]}…"
                text = f"{lead.number}　{lead.received_on.isoformat()}\n{gist}"
                item = formkit.checkable_item(text, str(lead.id))
                item.setToolTip(lead.content)
                ll.addItem(item)
        if detail is None:
            w("proposedOn").setDate(formkit.qdate(self.today()))
            return
        formkit.set_combo_value(w("proposerType"), detail.proposer_type)
        w("proposerName").setText(detail.proposer_name)
        w("proposedOn").setDate(formkit.qdate(detail.proposed_on))
        keys = [f"p:{s.person_id}" if s.person_id else f"u:{s.unit_id}" for s in detail.subjects]
        formkit.set_checked_keys(sl, keys)
        formkit.set_checked_keys(w("groundList"), [f"{a}.{c}" for a, c in detail.grounds])
        formkit.set_combo_value(w("behaviourType"), detail.behaviour_type)
        formkit.set_combo_value(w("behaviourSubtype"), detail.behaviour_subtype)
        formkit.set_combo_value(w("fault"), detail.fault)
        formkit.set_checked_keys(w("consequenceList"), list(detail.consequences))
        leads = {lv.id for lv in self.services.leads.list_leads() if lv.case_id == detail.id}
        formkit.set_checked_keys(ll, [str(i) for i in leads])
        w("summary").setPlainText(detail.summary)

    def spec(self) -> ProposalSpec:
        w = self.w
        grounds = []
        for key in formkit.checked_keys(w("groundList")):
            art, clause = key.split(".")
            grounds.append((int(art), int(clause)))
        return ProposalSpec(
            proposer_type=formkit.combo_value(w("proposerType")),
            proposer_name=w("proposerName").text(),
            proposed_on=formkit.pydate(w("proposedOn")),
            subjects=[
                self._subjects[k]
                for k in formkit.checked_keys(w("subjectList"))
                if k in self._subjects
            ],
            grounds=grounds,
            behaviour_type=formkit.combo_value(w("behaviourType")) or None,
            behaviour_subtype=formkit.combo_value(w("behaviourSubtype")) or None,
            fault=formkit.combo_value(w("fault")) or None,
            consequences=formkit.checked_keys(w("consequenceList")),
            summary=w("summary").toPlainText(),
            lead_ids=[int(k) for k in formkit.checked_keys(w("leadList"))],
        )

    def check(self) -> list[RuleViolation]:
        # The service's own rulebook (the earliest date an act may bear, a lead received after
        # the proposal): 下一步 was enabled for them, and the service refused.
        out = self.services.cases.proposal_problems(self.spec())
        if self.w("subjectList").count():
            return out
        # A new user's empty roster: said where the missing subject is (as a notice under
        # seven problems it sat below the fold of the problem area at 1366×768).
        return [
            violation("第三条", f"须至少列明一个问责对象：{EMPTY_ROSTER}", v.field)
            if v.field == "subjects"
            else v
            for v in out
        ]

    def commit(self) -> None:
        case_id = self.services.cases.propose_case(self.spec())
        self.wiz.set_case(case_id)
        if self.services.drafts is not None:
            self.services.drafts.clear("new", self.STEP)
