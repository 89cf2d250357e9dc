"""The role matrix, declared once: every service action and the roles allowed to perform it.

``ServiceAction`` values are exactly the Chinese labels passed to ``ServiceBase.tx(...)`` and
written into the audit trail, so ``self.tx("提出问责")`` and ``self.tx(ServiceAction.PROPOSE)``
are the same thing. ``check_role`` fails closed: an action that is not declared here is
refused for every role, so renaming a label can never silently drop its check.

``METHOD_ACTIONS`` maps every public method of every service class to the action it
performs; ``ServiceBase`` checks it when the method is called, and a test walks every public
method of every service class for every role, so a new method without an entry fails.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.enums import UserRole
from app.domain.issuing import INITIATION_CORRECTION, PROPOSAL_CORRECTION

ADMIN = UserRole.ADMIN
OFFICER = UserRole.OFFICER
LEADER = UserRole.LEADER
AUDITOR = UserRole.AUDITOR
EVERYONE = frozenset(UserRole)
CASEWORK = frozenset({ADMIN, OFFICER})
ADMIN_ONLY = frozenset({ADMIN})


class ServiceAction(StrEnum):
    # --- cases (audit labels of CaseService / BulkCaseBuilder)
    PROPOSE = "提出问责"
    DECIDE_INITIATION = "党组会议决定是否启动问责"
    ASSIGN_INVESTIGATOR = "指派调查人员"
    ASSIGN_REVIEWER = "指派复核人员"
    RECUSAL = "回避决定"
    ADD_EVIDENCE = "登记证据"
    RECORD_STATEMENT = "记录陈述申辩"
    RECORD_CONDUCT = "记录配合调查情况"
    EXTEND_INVESTIGATION = "延长调查期限"
    EXTEND_TIME_LIMIT = "延长办案期限"
    SUBMIT_REPORT = "提交调查报告"
    RECORD_DECISION = "党组处理决定"
    RECORD_SERVICE = "送达处理决定"
    APPLY_REVIEW = "登记复核申请"
    DECIDE_REVIEW = "作出复核决定"
    CLOSE_CASE = "结案归档"
    VOID_CASE = "作废案件"
    CORRECT_DECISION = "更正处理决定"
    CORRECT_RECORD = "更正记录"
    CORRECT_MEETING = INITIATION_CORRECTION
    CORRECT_DECLARATION = "更正利害关系声明"
    CORRECT_REVIEW_DECISION = "更正复核决定"
    CORRECT_REVIEW_APPLICATION = "更正复核申请"
    CORRECT_PROPOSAL = PROPOSAL_CORRECTION
    CORRECT_REPORT = "更正调查报告"
    CORRECT_SERVICE = "更正送达记录"
    SERVE_REVIEW_DECISION = "送达复核决定"
    BULK_WRITE = "批量写入案件"
    EDIT_DRAFT = "保存办案草稿"
    # --- leads
    REGISTER_LEAD = "登记线索"
    UPDATE_LEAD = "修改线索"
    LINK_LEAD = "关联线索与案件"
    VOID_LEAD = "作废线索"
    REVEAL_REPORTER = "查看举报人信息"
    # --- documents
    ISSUE_DOCUMENT = "印发文书"
    ISSUE_DECISION = "印发问责决定书"
    ISSUE_SERVICE_PROOF = "印发送达回证"
    ISSUE_REVIEW_DECISION = "印发复核决定书"
    ISSUE_REVIEW_SERVICE_PROOF = "印发复核决定书送达回证"
    ISSUE_INITIATION_FORM = "印发启动问责审批表"
    ISSUE_RECUSAL_DECISION = "印发回避决定书"
    ISSUE_INVESTIGATION_REPORT = "印发调查报告"
    ISSUE_DOSSIER = "印发卷宗"
    ISSUE_RELEASE_NOTICE = "印发解除处分通知书"
    # --- master data and settings
    CREATE_UNIT = "新增单位"
    UPDATE_UNIT = "修改单位"
    CREATE_PERSON = "新增人员"
    UPDATE_PERSON = "修改人员"
    SET_HOLIDAY = "修改节假日"
    IMPORT_HOLIDAYS = "导入节假日安排"
    UPDATE_SETTINGS = "修改系统设置"
    # --- reports
    EXPORT_MONTHLY = "导出问责统计月报"
    EXPORT_LEDGER = "导出案件台账"
    EXPORT_DOCUMENTS = "导出文书"
    # --- users and keys
    CREATE_FIRST_ADMIN = "创建管理员"
    CREATE_USER = "新增用户"
    UPDATE_USER = "修改用户"
    UNLOCK_USER = "解除账户锁定"
    RESET_PASSWORD = "重置密码"
    CHANGE_PASSWORD = "修改密码"
    GRANT_REPORTER_ACCESS = "授予查看举报人信息权限"
    REVOKE_REPORTER_ACCESS = "撤销查看举报人信息权限"
    GRANT_FROM_RECOVERY_KEY = "以恢复密钥重新授予"
    NEW_RECOVERY_KEY = "生成恢复密钥"
    LIST_USERS = "查看用户列表"
    LOGIN = "登录"
    LOGIN_FAILED = "登录失败"
    LOGIN_REFUSED = "登录被拒绝"
    LOGOUT = "注销"
    # --- backups and audit
    BACKUP = "备份数据库"
    BACKUP_ELSEWHERE = "备份到指定位置"
    MANAGE_BACKUPS = "管理备份"
    RESTORE = "恢复数据库"
    VERIFY_AUDIT = "校验审计链"
    # --- attachments
    STORE_ATTACHMENT = "保存附件"
    EXPORT_ATTACHMENT = "导出证据附件"
    SEAL_ATTACHMENTS = "加密旧附件"
    # --- beyond the regulation (issue 16): lead disposition, roster, release
    DISPOSE_LEAD = "处置线索"
    RECORD_VERIFICATION_REPORT = "登记初步核实报告"
    RECORD_TALK = "登记谈话函询情况"
    CORRECT_DISPOSITION = "更正处置意见"
    CORRECT_LEAD_RECORD = "更正初核报告或谈话函询情况"
    IMPORT_ROSTER = "导入人员名册"
    RELEASE_SANCTION = "解除处分"
    CORRECT_RELEASE = "更正解除处分"
    # --- reads every role may make (recusal filtering and the reporter key still apply)
    READ = "查阅"


A = ServiceAction

#: 导出证据附件 among them: a scan may carry what 第十条 protects, and the evidence of a case is
#: the 机关纪委's to keep (an 审计员 checks it is intact: ``wenze audit verify``).
_CASE_WRITES = {
    A.PROPOSE, A.DECIDE_INITIATION, A.ASSIGN_INVESTIGATOR, A.ASSIGN_REVIEWER, A.RECUSAL,
    A.ADD_EVIDENCE, A.RECORD_STATEMENT, A.RECORD_CONDUCT, A.EXTEND_INVESTIGATION,
    A.EXTEND_TIME_LIMIT, A.SUBMIT_REPORT, A.RECORD_DECISION, A.RECORD_SERVICE,
    A.APPLY_REVIEW, A.DECIDE_REVIEW, A.CLOSE_CASE, A.VOID_CASE, A.CORRECT_DECISION,
    A.CORRECT_RECORD, A.CORRECT_MEETING, A.CORRECT_DECLARATION, A.CORRECT_REVIEW_DECISION,
    A.CORRECT_REVIEW_APPLICATION, A.CORRECT_PROPOSAL, A.CORRECT_REPORT, A.CORRECT_SERVICE,
    A.SERVE_REVIEW_DECISION, A.BULK_WRITE, A.EDIT_DRAFT, A.STORE_ATTACHMENT, A.EXPORT_ATTACHMENT,
    A.REGISTER_LEAD, A.UPDATE_LEAD, A.LINK_LEAD, A.VOID_LEAD,
    A.ISSUE_DOCUMENT, A.ISSUE_DECISION, A.ISSUE_SERVICE_PROOF, A.ISSUE_REVIEW_DECISION,
    A.ISSUE_REVIEW_SERVICE_PROOF, A.ISSUE_INITIATION_FORM, A.ISSUE_RECUSAL_DECISION,
    A.ISSUE_INVESTIGATION_REPORT, A.ISSUE_DOSSIER, A.ISSUE_RELEASE_NOTICE,
    A.CREATE_UNIT, A.UPDATE_UNIT, A.CREATE_PERSON, A.UPDATE_PERSON,
    A.DISPOSE_LEAD, A.RECORD_VERIFICATION_REPORT, A.RECORD_TALK, A.IMPORT_ROSTER,
    A.RELEASE_SANCTION, A.CORRECT_RELEASE, A.CORRECT_DISPOSITION, A.CORRECT_LEAD_RECORD,
}  # fmt: skip
_ADMIN_ACTIONS = {
    A.SET_HOLIDAY, A.IMPORT_HOLIDAYS, A.UPDATE_SETTINGS, A.CREATE_FIRST_ADMIN, A.CREATE_USER,
    A.UPDATE_USER, A.UNLOCK_USER, A.RESET_PASSWORD, A.GRANT_REPORTER_ACCESS,
    A.REVOKE_REPORTER_ACCESS, A.GRANT_FROM_RECOVERY_KEY, A.NEW_RECOVERY_KEY, A.LIST_USERS,
    A.BACKUP_ELSEWHERE, A.MANAGE_BACKUPS, A.RESTORE, A.SEAL_ATTACHMENTS,
}  # fmt: skip
_EVERYONE_ACTIONS = {
    A.READ, A.EXPORT_MONTHLY, A.EXPORT_LEDGER, A.EXPORT_DOCUMENTS,
    A.CHANGE_PASSWORD, A.LOGIN, A.LOGIN_FAILED,
    A.LOGIN_REFUSED, A.LOGOUT, A.BACKUP, A.VERIFY_AUDIT,
    # The role allows asking; the reporter data key (held only by 查看举报人信息 users) decides.
    A.REVEAL_REPORTER,
}  # fmt: skip

ROLE_MATRIX: dict[ServiceAction, frozenset[UserRole]] = {
    **{a: CASEWORK for a in _CASE_WRITES},
    **{a: ADMIN_ONLY for a in _ADMIN_ACTIONS},
    **{a: EVERYONE for a in _EVERYONE_ACTIONS},
}

#: The acts of a case itself (registering, deciding, recording, correcting and issuing its
#: documents): 第九条 gives the investigation and report to the 机关纪委 and the decision to the
#: Party group meeting, so the records of a case are the 机关纪委's to keep.
_CASE_ACTS = {
    a for a in _CASE_WRITES
    if a not in {A.CREATE_UNIT, A.UPDATE_UNIT, A.CREATE_PERSON, A.UPDATE_PERSON, A.IMPORT_ROSTER,
                 A.REGISTER_LEAD, A.UPDATE_LEAD, A.LINK_LEAD, A.VOID_LEAD, A.DISPOSE_LEAD,
                 A.RECORD_VERIFICATION_REPORT, A.RECORD_TALK, A.CORRECT_DISPOSITION,
                 A.CORRECT_LEAD_RECORD,
                 A.RELEASE_SANCTION,
                 A.CORRECT_RELEASE, A.ISSUE_RELEASE_NOTICE}
}  # fmt: skip
ARTICLE_9 = "第九条（问责由局党组会议研究决定，责成机关纪委调查核实并报告）及本系统的角色权限设置"
#: What the regulation does not settle (accounts, keys, settings, backups, leads, the roster,
#: 解除处分): the system's own division of work, named as such — no article is claimed.
OWN_SETTINGS = "本系统的角色权限设置（岗位分工；本办法对此未作规定）"


def denial(role: UserRole, action: str) -> str:
    """The refusal of ``action`` to ``role``, in Chinese, citing its basis: 第九条 for the acts
    of a case, otherwise the system's role settings by name (never an invented article)."""
    roles = ROLE_MATRIX.get(action, frozenset())  # type: ignore[call-overload]
    who = "管理员" if roles == ADMIN_ONLY else "机关纪委的纪检干事或管理员"
    basis = ARTICLE_9 if action in _CASE_ACTS else OWN_SETTINGS
    return f"依据{basis}，当前角色（{role}）无权执行“{action}”，此项由{who}办理。"


#: What a process holding no audit key may record: a failed or refused login, what the
#: command line does without ``--user`` (it acts as 审计员), and the restore the start-up
#: check makes of a corrupt file before anyone logs in. A keyed chain never holds any other
#: record unsealed, so one that does was written around the application: the next keyed
#: write leaves it unsealed and ``wenze audit verify`` names it (threat model).
KEYLESS_ACTIONS: frozenset[str] = frozenset(
    {a.value for a, roles in ROLE_MATRIX.items() if AUDITOR in roles} | {A.RESTORE.value}
)

# Every public method of every service class and the action it performs.
_R = A.READ
METHOD_ACTIONS: dict[str, ServiceAction] = {
    # audit
    "AuditService.count": _R,
    "AuditService.head": _R,
    "AuditService.verify_chain": A.VERIFY_AUDIT,
    "AuditService.verify": A.VERIFY_AUDIT,
    "AuditService.anchors": A.VERIFY_AUDIT,
    "AuditService.anchor_problem": _R,
    # backups
    "BackupService.backup_if_due": A.BACKUP,
    "BackupService.backup_now": A.BACKUP,
    "BackupService.backup_on_exit": A.BACKUP,
    "BackupService.check": A.MANAGE_BACKUPS,
    "BackupService.database_file": _R,
    "BackupService.list_backups": A.MANAGE_BACKUPS,
    "BackupService.set_aside": A.MANAGE_BACKUPS,
    "BackupService.newest_good_backup": A.MANAGE_BACKUPS,
    "BackupService.prune": A.MANAGE_BACKUPS,
    "BackupService.record_restore": A.RESTORE,
    "BackupService.restore": A.RESTORE,
    "BackupService.restore_warning": A.RESTORE,
    "BackupService.unproven": A.RESTORE,
    "BackupService.second_dir": _R,
    # bulk
    "BulkCaseBuilder.write": A.BULK_WRITE,
    # cases
    "CaseService.add_evidence": A.ADD_EVIDENCE,
    "CaseService.apply_review": A.APPLY_REVIEW,
    "CaseService.assign_investigator": A.ASSIGN_INVESTIGATOR,
    "CaseService.assign_reviewer": A.ASSIGN_REVIEWER,
    "CaseService.close_case": A.CLOSE_CASE,
    "CaseService.correct_decision": A.CORRECT_DECISION,
    "CaseService.correct_proposal": A.CORRECT_PROPOSAL,
    "CaseService.correct_initiation": A.CORRECT_MEETING,
    "CaseService.correct_declaration": A.CORRECT_DECLARATION,
    "CaseService.correct_evidence": A.CORRECT_RECORD,
    "CaseService.correct_statement": A.CORRECT_RECORD,
    "CaseService.correct_conduct": A.CORRECT_RECORD,
    "CaseService.correct_report": A.CORRECT_REPORT,
    "CaseService.correct_service": A.CORRECT_SERVICE,
    "CaseService.correct_review_application": A.CORRECT_REVIEW_APPLICATION,
    "CaseService.correct_review_decision": A.CORRECT_REVIEW_DECISION,
    "CaseService.decide_initiation": A.DECIDE_INITIATION,
    "CaseService.decide_review": A.DECIDE_REVIEW,
    "CaseService.extend_investigation": A.EXTEND_INVESTIGATION,
    "CaseService.extend_time_limit": A.EXTEND_TIME_LIMIT,
    "CaseService.propose_case": A.PROPOSE,
    "CaseService.record_conduct": A.RECORD_CONDUCT,
    "CaseService.record_decision": A.RECORD_DECISION,
    "CaseService.record_recusal": A.RECUSAL,
    "CaseService.record_service": A.RECORD_SERVICE,
    "CaseService.record_statement": A.RECORD_STATEMENT,
    "CaseService.refresh": _R,
    "CaseService.submit_report": A.SUBMIT_REPORT,
    "CaseService.void_case": A.VOID_CASE,
    "CaseService.clock": _R,
    "CaseService.state": _R,
    "CaseService.record_review_service": A.SERVE_REVIEW_DECISION,
    "CaseService.close_problems": _R,
    "CaseService.proposal_problems": _R,
    "CaseService.initiation_problems": _R,
    "CaseService.report_problems": _R,
    "CaseService.decision_problems": _R,
    "CaseService.decision_numbers_ahead": _R,
    # beyond the regulation (issue 16)
    "FourFormsService.mapping": _R,
    "FourFormsService.update_mapping": A.UPDATE_SETTINGS,
    "FourFormsService.four_forms": _R,
    "FourFormsService.four_forms_breakdown": _R,
    "FourFormsService.lead_figures": _R,
    "FourFormsService.lead_breakdown": _R,
    "FourFormsService.lead_status": _R,
    "FourFormsService.lead_status_breakdown": _R,
    "RosterService.read": _R,
    "RosterService.preview": _R,
    "RosterService.staff_numbers": _R,
    "RosterService.import_roster": A.IMPORT_ROSTER,
    # documents
    "DocumentService.draft_document": _R,
    "DocumentService.export_all": A.EXPORT_DOCUMENTS,
    "DocumentService.export_case": A.EXPORT_DOCUMENTS,
    "DocumentService.save_document": A.EXPORT_DOCUMENTS,
    "DocumentService.file_name": _R,
    "DocumentService.get_document": _R,
    "DocumentService.issuable": _R,
    "DocumentService.issue_document": A.ISSUE_DOCUMENT,
    "DocumentService.list_documents": _R,
    "DocumentService.render": _R,
    "DocumentService.print_problems": _R,
    "DocumentService.draft_print_problems": _R,
    "DocumentService.render_content": _R,
    "DocumentService.verify": _R,
    # drafts
    "DraftService.clear": A.EDIT_DRAFT,
    "DraftService.key": _R,
    "DraftService.load": _R,
    "DraftService.is_unsealed": _R,
    "DraftService.save": A.EDIT_DRAFT,
    "DraftService.steps": _R,
    # leads
    "LeadService.get_lead": _R,
    "LeadService.link_lead": A.LINK_LEAD,
    "LeadService.list_leads": _R,
    "LeadService.register_lead": A.REGISTER_LEAD,
    # 第十条 check of a document about to be issued: asked by issue_document, by issuers only.
    "LeadService.reporter_problems": A.ISSUE_DOCUMENT,
    "LeadService.reveal_reporter": A.REVEAL_REPORTER,
    "LeadService.update_lead": A.UPDATE_LEAD,
    "LeadService.void_lead": A.VOID_LEAD,
    # listing
    "ListingService.chart_cases": _R,
    "ListingService.chart_counts": _R,
    "ListingService.count_cases": _R,
    "ListingService.dashboard": _R,
    "ListingService.due_items": _R,
    "ListingService.find_case_id": _R,
    "ListingService.page": _R,
    "ListingService.schedule_warnings": _R,
    "ListingService.stage_counts": _R,
    "ListingService.years": _R,
    # master data
    "MasterDataService.calendar": _R,
    "MasterDataService.count_units": _R,
    "MasterDataService.create_person": A.CREATE_PERSON,
    "MasterDataService.create_unit": A.CREATE_UNIT,
    "MasterDataService.get_person": _R,
    "MasterDataService.holiday_years": _R,
    "MasterDataService.import_holidays": A.IMPORT_HOLIDAYS,
    "MasterDataService.list_holidays": _R,
    "MasterDataService.list_people": _R,
    "MasterDataService.list_units": _R,
    "MasterDataService.set_holiday": A.SET_HOLIDAY,
    "MasterDataService.settings": _R,
    "MasterDataService.update_person": A.UPDATE_PERSON,
    "MasterDataService.update_settings": A.UPDATE_SETTINGS,
    "MasterDataService.update_unit": A.UPDATE_UNIT,
    # queries
    "CaseQueryService.get_case": _R,
    # reports
    "ReportService.as_of": _R,
    "ReportService.counts": _R,
    "ReportService.deadline_items": _R,
    "ReportService.export_ledger": A.EXPORT_LEDGER,
    "ReportService.export_monthly": A.EXPORT_MONTHLY,
    "ReportService.iter_ledger": _R,
    "ReportService.ledger_count": _R,
    "ReportService.monthly": _R,
    "ReportService.summary": _R,
    # users (authenticate and first-run run before anyone is logged in)
    "UserService.authenticate": A.LOGIN,
    "UserService.change_password": A.CHANGE_PASSWORD,
    "UserService.count": _R,
    "UserService.create_first_admin": A.CREATE_FIRST_ADMIN,
    "UserService.create_user": A.CREATE_USER,
    "UserService.get_user": A.LIST_USERS,
    "UserService.list_users": A.LIST_USERS,
    "UserService.needs_first_admin": _R,
    "UserService.reporter_blob_count": _R,
    "UserService.reset_password": A.RESET_PASSWORD,
    "UserService.set_reporter_access": A.GRANT_REPORTER_ACCESS,
    "UserService.unlock_user": A.UNLOCK_USER,
    "UserService.update_user": A.UPDATE_USER,
    "UserService.verify_unlock": A.LOGIN,
    "UserService.key_holders": A.LIST_USERS,
    "UserService.grant_from_recovery_key": A.GRANT_FROM_RECOVERY_KEY,
    "UserService.new_recovery_key": A.NEW_RECOVERY_KEY,
    "UserService.has_recovery_key": _R,
    "UserService.logout": A.LOGOUT,
    # beyond the regulation (issue 16)
    "DispositionService.disposition_days": _R,
    "DispositionService.verification_days": _R,
    "DispositionService.default_verification_due": _R,
    "DispositionService.update_settings": A.UPDATE_SETTINGS,
    "DispositionService.summary": _R,
    "DispositionService.problems": _R,
    "DispositionService.statuses": _R,
    "DispositionService.due_items": _R,
    "DispositionService.overdue_items": _R,
    "DispositionService.dispose": A.DISPOSE_LEAD,
    "DispositionService.record_verification_report": A.RECORD_VERIFICATION_REPORT,
    "DispositionService.record_talk": A.RECORD_TALK,
    "DispositionService.correct_disposition": A.CORRECT_DISPOSITION,
    "DispositionService.correct_record": A.CORRECT_LEAD_RECORD,
    "DispositionService.correction_problems": _R,
    "DispositionService.record_correction_problems": _R,
    "DispositionService.due_follows": _R,
    "ReleaseService.sanctions": _R,
    "ReleaseService.due_releases": _R,
    "ReleaseService.get_release": _R,
    "ReleaseService.release": A.RELEASE_SANCTION,
    "ReleaseService.correct_release": A.CORRECT_RELEASE,
    "ReleaseService.notice_content": _R,
    "ReleaseService.releases_of_case": _R,
    "ReleaseService.render_notice": _R,
    "ReleaseService.issued_notice": _R,
    "PrecedentService.similar": _R,
    "PrecedentService.proposal_warning": _R,
    # attachments
    "AttachmentService.sweep": _R,
    "AttachmentService.path_for": _R,
    "AttachmentService.max_bytes": _R,
    "AttachmentService.export": A.EXPORT_ATTACHMENT,
    "AttachmentService.seal_plain": A.SEAL_ATTACHMENTS,
}


def allowed_roles(action: str) -> frozenset[UserRole]:
    """The roles that may perform ``action``; empty (nobody) for an undeclared action."""
    try:
        return ROLE_MATRIX[ServiceAction(action)]
    except ValueError:
        return frozenset()


def is_allowed(role: UserRole | str, action: str) -> bool:
    try:
        return UserRole(role) in allowed_roles(action)
    except ValueError:
        return False


def casework_denial(role: UserRole | str) -> str | None:
    """Why ``role`` may read a case but not work it (None where it may): the window says
    so before the role fills a form that 保存 would refuse (领导 and 审计员 read and export)."""
    if is_allowed(role, ServiceAction.PROPOSE):
        return None
    return (
        f"依据{ARTICLE_9}，当前角色（{role}）只能查阅案件，不能办理；"
        "提出、调查、决定、送达、复核和结案由机关纪委的纪检干事或管理员办理。"
    )


def method_action(qualname: str) -> ServiceAction | None:
    return METHOD_ACTIONS.get(qualname)


__all__ = [
    "METHOD_ACTIONS",
    "ROLE_MATRIX",
    "ServiceAction",
    "allowed_roles",
    "is_allowed",
    "method_action",
]
