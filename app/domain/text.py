"""What a person can read in a text: the one test of "left blank" and of characters no
record may hold.

A required field (错误事实, 处理依据, 处理理由, 会议纪要 …) must say something a reader sees:
text made only of spaces, zero-width characters (U+200B, U+2060, U+FEFF) or control
characters is blank (Art. 13: 处理决定应当说明错误事实、处理理由和依据). Control characters
and bidirectional overrides would also print as nothing, or reorder what a document says,
so they are refused wherever text is stored.
"""

from __future__ import annotations

import re
import unicodedata

#: Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder the
#: characters a reader sees («经查\u202e实属» reads 经查属实 but says 经查实属).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Line breaks and tabs: the only control characters multi-line text may hold.
ALLOWED_CONTROLS = frozenset("\n\r\t")


def typed(text: str) -> str:
    """What the user meant to type: full-width forms (an input method left in 全角 mode,
    「２０２６－１１－０２」, 「ＷＺ２０２６」) folded to ASCII (NFKC), surrounding spaces dropped."""
    return unicodedata.normalize("NFKC", text).strip()


def visible(text: str) -> str:
    """The text as read: compatibility forms folded (NFKC), spaces, control characters and
    invisible format marks dropped, so 「决\u200b定」 or 「决 定」 is 「决定」."""
    text = "".join(unicodedata.normalize("NFKC", text).split())  # every kind of space
    if text.isprintable():  # no Cc, Cf (nor Cs, Co, Cn) left: the usual case, at C speed
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc"))


def is_blank(text: str | None) -> bool:
    """True when a reader would see nothing in ``text``: only spaces, control characters
    and format marks. (No character changes between visible and invisible under NFKC —
    every code point checked — so the folding :func:`visible` does is not needed here.)"""
    bare = "".join((text or "").split())
    if bare.isprintable():  # no Cc or Cf left: blank only when nothing is left
        return not bare
    return all(unicodedata.category(ch) in ("Cf", "Cc") for ch in bare)


def says_nothing(text: str | None) -> bool:
    """True when ``text`` holds no letter, character or digit: blank, or punctuation and
    symbols alone («。», «——», «/»). A reason of that kind is kept with the old version and
    in the audit record as if it explained the act, and explains nothing."""
    return not any(unicodedata.category(ch)[0] in "LN" for ch in visible(text or ""))


def bad_character_message(text: str) -> str:
    """Why ``text`` may not be stored (empty when it may): a control character other than a
    line break or tab, or a bidirectional override."""
    for ch in text:
        code = ord(ch)
        if (code < 0x20 or 0x7F <= code <= 0x9F) and ch not in ALLOWED_CONTROLS:
            if ch == "\x00":
                return "输入的文字中含有空字符（NUL），无法保存，请删除后重试"
            return (
                f"输入的文字中含有不可见的控制字符（U+{code:04X}），打印后看不到或显示错乱，"
                "无法保存，请删除后重新输入"
            )
        if ch in BIDI_CONTROLS:
            return (
                f"输入的文字中含有改变文字显示顺序的控制字符（U+{code:04X}），"
                "文书显示的内容会与实际记录不一致，无法保存，请删除后重新输入"
            )
    return ""


def unreadable_file(exc: BaseException, what: str) -> str:
    """Why a file the user picked (``what``: 名册文件, 节假日文件) could not be read, in Chinese
    (the system says it in English: 「Is a directory」); empty for any other failure."""
    if isinstance(exc, FileNotFoundError):
        return "文件不存在，请核对路径"
    if isinstance(exc, IsADirectoryError):
        return f"这是一个文件夹，请选择{what}"
    if isinstance(exc, PermissionError):
        return "没有读取该文件的权限（或文件正被其他程序占用），请关闭后重试"
    return ""


def without_bad_characters(text: str) -> str:
    """``text`` with what :func:`bad_character_message` refuses taken out (to go on checking
    a row that will be refused anyway)."""
    return "".join(ch for ch in text if not bad_character_message(ch))


#: A note in brackets after a name (「李梅（王喆之妻）」, 「甲某某(副书记)」) is no part of it.
_NOTE = re.compile(r"[（(【\[〔].*$", re.S)
#: What separates a name from a title typed after it (「甲某某 纪委副书记」, 「甲某某，副书记」).
_APART = re.compile(r"[\s,，、;；/]+")


def _bare(text: str) -> str:
    """A name as typed, without spaces, a note in brackets or a trailing 「同志」."""
    said = "".join(_NOTE.sub("", text).split())
    return said.removesuffix("同志") if len(said) > 2 else said


def names_person(text: str, name: str) -> bool:
    """Whether ``text`` (a 送达人, 见证人, 受送达人 or 确认人 as typed: 「社区工作人员刘文华」,
    「王喆（城区一中队负责人）」) names the person ``name``: spaces not counting, a title
    before the name (two characters at least: 「张李明」 is another person than 「李明」), a
    note in brackets or 「同志」 after it, or a title after it typed apart (「甲某某 纪委副书记」;
    a one-character part is a name's own: 「张 李明」 is 张李明) allowed."""
    who = _bare(name)
    if not who:
        return False

    def names(said: str) -> bool:
        return said == who or (said.endswith(who) and len(said) >= len(who) + 2)

    if names(_bare(text)):
        return True
    parts = [_bare(x) for x in _APART.split(_NOTE.sub("", text)) if x.strip()]
    return any(
        names(part) and all(len(other) >= 2 for j, other in enumerate(parts) if j != i)
        for i, part in enumerate(parts)
    )
