"""An account is what the audit trail made it (threat model: whoever holds the file).

The role (what the account may do, permissions.py), the person it stands for (whom the
recusals of 第十二条 name) and whether it is active are written only by audited acts
(创建管理员, 新增用户, 修改用户, …), each record naming the new values. A users row that
disagrees with the last sealed record that wrote a field was edited around the application;
logging in with it would let a password act beyond what the administrator granted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from app.domain.enums import UserRole
from app.domain.text import typed

#: The basis of a refusal about accounts: the system's own settings, not an article.
ACCOUNT_BASIS = "依据本系统的角色权限设置（账户由系统管理员管理；本办法对此未作规定）"

#: What each role is for, as the user dialogs offer it.
ROLE_DUTIES: dict[UserRole, str] = {
    UserRole.ADMIN: "用户、系统设置、节假日、备份",
    UserRole.OFFICER: "登记线索、办理案件",
    UserRole.LEADER: "阅看和审批",
    UserRole.AUDITOR: "查阅审计记录",
}

#: The account fields the trail records, and what a refusal calls them.
ACCOUNT_FIELDS: dict[str, str] = {
    "role": "角色",
    "person_id": "对应人员",
    "active": "启用状态",
    "can_view_reporters": "查看举报人信息权限",
    "password_sha256": "密码",
}

#: The password as the trail records it: the SHA-256 of the account's argon2id hash (the hash
#: is in the users row already). Without it, the holder of the file and of any password could
#: copy his own hash and audit-key wrap onto the administrator's row and log in as him.
PASSWORD_MARK = "password_sha256"

#: The basis every account refusal cites.
BASIS = "依据第十二条和审计记录（账号的角色、对应人员、权限和密码只能在本系统中设置并记入审计链）"


def account_trail_problems(
    stored: dict[str, Any], audited: dict[str, tuple[Any, int, bool]]
) -> list[str]:
    """What of ``stored`` (the users row) the trail does not back.

    ``audited`` holds, per field, (value, seq, sealed) of the last audit record that wrote it;
    ``sealed`` is False when that record's seal does not verify under the key in memory. A
    field no record wrote (a database older than these payloads) is not compared."""
    problems = []
    for name, label in ACCOUNT_FIELDS.items():
        if name not in audited:
            continue
        value, seq, sealed = audited[name]
        if not sealed:
            problems.append(f"写入{label}的第{seq}条审计记录没有有效的密钥签名")
        elif _plain(stored.get(name)) != _plain(value):
            problems.append(f"{label}与第{seq}条审计记录不符")
    return problems


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "value"):  # an enum member
        return value.value
    return value


def password_mark(password_hash: str | None) -> str:
    """What the trail records of a password (see :data:`PASSWORD_MARK`); "" for none."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest() if password_hash else ""


def name_clash(username: str, existing: Iterable[str]) -> str | None:
    """Why ``username`` may not be added beside ``existing`` (None where it may): one name,
    one account. Names differing only in case or 全角/半角 read alike in the audit trail and at
    the login, which folds 全角 as ``--user`` does. A blank inside a name ("li si") is typed
    with one space too many or too few at the login, and reads as two words in the trail."""
    if any(ch.isspace() for ch in username):
        return f"{ACCOUNT_BASIS}，用户名“{username}”不能包含空格，请连写（如 lisi）"
    folded = typed(username).casefold()
    for name in existing:
        if name == username:
            return f"用户名“{username}”已存在"
        if typed(name).casefold() == folded:
            return (
                f"{ACCOUNT_BASIS}，用户名“{username}”与已有用户“{name}”仅大小写或全角半角不同，"
                "登录和审计记录中难以区分，请另取一个用户名"
            )
    return None
