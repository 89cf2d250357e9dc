"""The case lifecycle of DESIGN §4 as a state machine: which action is allowed in which stage."""

from __future__ import annotations

from enum import StrEnum

from app.domain.rules import RuleViolation


class Stage(StrEnum):
    PROPOSED = "待党组决定"
    INVESTIGATING = "调查核实"
    REPORTED = "待处理决定"
    DECIDED = "待送达"
    SERVED = "已送达"
    REVIEWING = "复核中"
    CLOSED = "已结案"
    NOT_INITIATED = "不予启动"

    @property
    def step(self) -> int:
        """The wizard step (1–8) the officer works on in this stage."""
        return _STEP[self]

    @property
    def is_terminal(self) -> bool:
        return self in (Stage.CLOSED, Stage.NOT_INITIATED)


_STEP = {
    Stage.PROPOSED: 2,
    Stage.INVESTIGATING: 3,
    Stage.REPORTED: 5,
    Stage.DECIDED: 6,
    Stage.SERVED: 7,
    Stage.REVIEWING: 7,
    Stage.CLOSED: 8,
    Stage.NOT_INITIATED: 8,
}

STEP_TITLES = {
    1: "提出问责",
    2: "党组会议决定启动",
    3: "调查核实",
    4: "调查报告",
    5: "党组处理决定",
    6: "送达",
    7: "复核",
    8: "结案归档",
}


class Action(StrEnum):
    DECIDE_INITIATION = "党组会议决定启动问责"
    INVESTIGATE = "调查核实"
    SUBMIT_REPORT = "提交调查报告"
    DECIDE = "作出处理决定"
    SERVE = "送达处理决定"
    APPLY_REVIEW = "登记复核申请"
    DECIDE_REVIEW = "作出复核决定"
    CLOSE = "结案归档"


# Where each action may happen, and which article makes it so (cited on refusal).
_ALLOWED: dict[Action, tuple[frozenset[Stage], str]] = {
    Action.DECIDE_INITIATION: (frozenset({Stage.PROPOSED}), "第九条"),
    Action.INVESTIGATE: (frozenset({Stage.INVESTIGATING}), "第九条"),
    Action.SUBMIT_REPORT: (frozenset({Stage.INVESTIGATING}), "第九条"),
    Action.DECIDE: (frozenset({Stage.REPORTED, Stage.DECIDED}), "第九条"),
    Action.SERVE: (frozenset({Stage.DECIDED, Stage.SERVED, Stage.REVIEWING}), "第十三条"),
    # A subject served may apply while another's decision is still unserved (第十四条 counts
    # his 30 days from his own receipt); the decision itself must be served (acts).
    Action.APPLY_REVIEW: (frozenset({Stage.DECIDED, Stage.SERVED, Stage.REVIEWING}), "第十四条"),
    Action.DECIDE_REVIEW: (frozenset({Stage.REVIEWING}), "第十四条"),
    Action.CLOSE: (frozenset({Stage.SERVED}), "第十三条、第十四条"),
}

_REASONS = {
    Action.DECIDE_INITIATION: "党组会议只能对已提出的问责作出是否启动的决定",
    Action.INVESTIGATE: "调查核实只能在党组会议决定启动问责之后、提交调查报告之前进行",
    Action.SUBMIT_REPORT: "调查报告只能在调查核实阶段提交",
    Action.DECIDE: "党组处理决定须在机关纪委报告调查结果、提出处理建议之后作出",
    Action.SERVE: "送达须在作出处理决定之后进行",
    Action.APPLY_REVIEW: "复核申请须在处理决定送达之后提出",
    Action.DECIDE_REVIEW: "复核决定须针对已登记的复核申请作出",
    Action.CLOSE: "全部处理决定送达且复核完毕后方可结案归档",
}


def allowed_stages(action: Action) -> frozenset[Stage]:
    """Where ``action`` may happen (what :func:`require_stage` checks)."""
    return _ALLOWED[action][0]


def require_stage(stage: Stage, action: Action) -> None:
    """Refuse an action out of order: a step cannot be skipped (DESIGN §4)."""
    allowed, article = _ALLOWED[action]
    if stage not in allowed:
        raise RuleViolation(
            f"依据{article}，{_REASONS[action]}（当前环节：{stage.value}）", article=article
        )
