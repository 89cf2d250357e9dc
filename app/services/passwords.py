"""Password rules after NIST SP 800-63B §5.1.1.2: length, a blocklist, no context words.

No composition rules (no "one digit, one symbol"): at least 10 characters, not a common or
breached password (shipped list, no network), not sequential, repeated or a keyboard row,
and not containing the user name or the display name. Messages are for the user, in Chinese.
"""

from __future__ import annotations

import functools
import itertools
import re
import secrets

from app.resources import resource_path
from app.services.base import ServiceError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
BLOCKLIST = ("passwords", "common-passwords.txt")

_KEYBOARD_ROWS = (
    "`1234567890-=",
    "qwertyuiop[]\\",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
    "qazwsxedcrfvtgbyhnujmikolp",
    "zaqxswcdevfrbgtnhymjukilop",
)
_LEET = str.maketrans(
    {"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"}
)
_EDGE = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class PasswordRejected(ServiceError):
    """The message says which rule the password breaks."""


@functools.cache
def blocklist() -> frozenset[str]:
    path = resource_path(*BLOCKLIST)
    words = path.read_text("utf-8").split()
    return frozenset(w.strip().lower() for w in words if w.strip())


def _is_sequential(s: str) -> bool:
    """abcdefgh, 87654321, aaaaaaaa, abcabcabc, qwertyuiop, 1qaz2wsx …"""
    if len(s) < 4:
        return False
    if len(set(s)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(s)}
    if len(steps) == 1 and steps.pop() in (-1, 0, 1):
        return True
    for period in range(1, len(s) // 2 + 1):  # a repeated unit: abcabcabc, 121212
        unit = s[:period]
        if (unit * (len(s) // period + 1))[: len(s)] == s:
            return True
    return any(s in row or s in row[::-1] for row in _KEYBOARD_ROWS)


def _is_common(s: str) -> bool:
    words = blocklist()
    low = s.lower()
    candidates = {low, low.translate(_LEET)}
    core = _EDGE.sub("", low)
    if len(core) >= 4:
        candidates |= {core, core.translate(_LEET)}
    return any(c in words for c in candidates)


def check_password(password: str, *, username: str = "", display_name: str = "") -> None:
    """Raise PasswordRejected with a Chinese message when ``password`` breaks a rule."""
    if password is None:
        password = ""
    if "\x00" in password:
        raise PasswordRejected("密码不能包含空字符")
    if any("\ud800" <= ch <= "\udfff" for ch in password):
        raise PasswordRejected("密码中含有无效字符，请重新输入")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRejected(
            f"密码至少{MIN_PASSWORD_LENGTH}位（可使用一句容易记住的话，中文、字母、数字、空格均可）"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordRejected(f"密码最多{MAX_PASSWORD_LENGTH}位")
    low = password.lower()
    for label, word in (("用户名", username), ("姓名", display_name)):
        word = (word or "").strip().lower()
        # Two Chinese characters are a name (张伟); two Latin letters (li, wu) are too common.
        if len(word) >= (3 if word.isascii() else 2) and word in low:
            raise PasswordRejected(f"密码不能包含{label}“{word}”")
    if _is_sequential(low) or _is_sequential(_EDGE.sub("", low)):
        raise PasswordRejected("密码过于简单：不能是连续、重复的字符或键盘上相邻的一排键")
    if _is_common(password):
        raise PasswordRejected("该密码是常见密码或在泄露的密码库中出现过，容易被猜到，请换一个")


__all__ = ["MIN_PASSWORD_LENGTH", "PasswordRejected", "blocklist", "check_password"]


# ---- recovery keys (shown once at first run; also wrap the reporter and audit keys)

RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U
RECOVERY_GROUPS = 6
RECOVERY_GROUP_LEN = 5


def new_recovery_key() -> str:
    """About 147 bits in six groups of five letters/digits, e.g. 7KQ2M-…; easy to type."""
    groups = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LEN))
        for _ in range(RECOVERY_GROUPS)
    ]
    return "-".join(groups)


def normalise_recovery_key(text: str) -> str:
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    size = RECOVERY_GROUP_LEN
    return "-".join(raw[i : i + size] for i in range(0, len(raw), size))
