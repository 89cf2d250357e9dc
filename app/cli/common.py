"""What every command shares: one ``open_services``, date parsing, optional login."""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
import typing
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from app.domain.text import typed

# From this many demo cases on, `wenze demo` writes through app.services.bulk.
BULK_THRESHOLD = 2000
ENV_PASSWORD = "WENZE_PASSWORD"


class Progress:
    """A long command's progress: redrawn in place on a terminal; written one message a line
    into a file or a pipe (``… | cat``, a cron log), where the carriage returns ran every
    message together on one line. Each twentieth step and the last are said."""

    def __init__(self, stream: typing.TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        isatty = getattr(self.stream, "isatty", None)
        self.tty = bool(isatty and isatty())
        self._open = False  # a line drawn in place, not yet ended
        self._next = 0

    def step(self, done: int, total: int, text: str) -> None:
        """Say ``text`` for ``done`` of ``total``."""
        if done < self._next and done < total:
            return
        self._next = done + max(total // 20, 1)
        if self.tty:
            print(f"\r{text}", end="", file=self.stream, flush=True)
            self._open = True
        else:
            print(text, file=self.stream, flush=True)

    def end(self) -> None:
        """End the line drawn in place (nothing off a terminal, nor twice)."""
        if self._open:
            print(file=self.stream, flush=True)
            self._open = False


def _cli_actor():  # type: ignore[no-untyped-def]
    from app.domain.enums import UserRole
    from app.services.base import Actor

    return Actor("cli", "命令行（未登录）", UserRole.AUDITOR)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(typed(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"日期应为 YYYY-MM-DD 格式的真实日期（如 2026-11-02）：{text}"
        ) from exc


def bounded_int(low: int, high: int, what: str) -> typing.Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high`` (全角 digits read)."""

    def parse(text: str) -> int:
        try:
            value = int(typed(text))
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what}应为{low}至{high}之间的整数：{text}")
        return value

    return parse


# argparse's own complaints (English), as the Chinese the user reads; anything else is kept.
_ARGPARSE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.+)", "缺少必须给出的参数：\\1"),
    (r"unrecognized arguments: (.+)", "无法识别的参数：\\1"),
    (
        r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)",
        "参数 \\1 的取值 \\2 无效，可选：\\3",
    ),
    (r"argument (\S+): invalid int value: (.+)", "参数 \\1 应为整数：\\2"),
    (r"argument (\S+): expected one argument", "参数 \\1 后须给出一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", "参数 \\1 不能与 \\2 同时给出"),
    (r"argument (\S+): (.+)", "参数 \\1：\\2"),
)


def chinese_argparse_message(message: str) -> str:

    for pattern, chinese in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message, re.S):
            return re.sub(pattern, chinese, message, flags=re.S)
    return message


def _wide(text: str) -> int:
    """How many of ``text``'s characters take two columns in a terminal (汉字, full-width)."""
    return sum(unicodedata.east_asian_width(c) in "WF" for c in text)


class _ChineseHelpFormatter(argparse.HelpFormatter):
    """「用法：」 for usage:, and the help column kept straight after Chinese metavars (argparse
    counts a 汉字 as one column; a terminal shows it in two)."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def format_help(self) -> str:
        # A section heading (选项, 位置参数, 命令) ends in a full-width colon, as 「用法：」 does.
        return re.sub(r"^(\S[^\n]*):$", r"\1：", super().format_help(), flags=re.MULTILINE)

    def _format_usage(self, usage, actions, groups, prefix) -> str:  # type: ignore[no-untyped-def]
        # argparse wraps by characters and indents by them (「用法：」 is six columns wide).
        text = super()._format_usage(usage, actions, groups, prefix)
        if "\n" not in text.strip() and len(text.strip()) + _wide(text) <= self._width:
            return text
        lead = f"{'用法：' if prefix is None else prefix}{self._prog} "
        rest = " ".join(text.split())[len(lead) :]
        indent = len(lead) + _wide(lead)
        lines, line = [], lead
        for part in re.findall(r"\[[^\]]*\]|-\S+ (?![-[])\S+|\S+", rest):
            if line.strip() != lead.strip() and len(line + part) + _wide(line + part) > self._width:
                lines.append(line.rstrip())
                line = " " * indent
            line += part + " "
        return "\n".join([*lines, line.rstrip()]) + "\n\n"

    def _split_lines(self, text: str, width: int) -> list[str]:
        """Help wrapped by terminal columns: a 汉字 is two, and a line may break before any
        汉字 (not before closing punctuation), as between words."""
        lines: list[str] = []
        line, used = "", 0
        for token in re.findall(r"[ -~]+?(?= |$|[^ -~])| |[^ -~]", " ".join(text.split())):
            size = len(token) + _wide(token)
            if line and used + size > width and token != " " and token not in "，。；：）」、":
                lines.append(line.rstrip())
                line, used = "", 0
            if line or token != " ":
                line, used = line + token, used + size
        return [*lines, line.rstrip()] if line else lines

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:  # the column as wide as the widest shown
            self._widen_to(action)
            for sub in self._iter_indented_subactions(action):  # indented while iterated
                self._widen_to(sub)

    def _widen_to(self, action: argparse.Action) -> None:
        header = self._format_action_invocation(action)
        width = len(header) + _wide(header) + self._current_indent
        self._action_max_length = max(self._action_max_length, width)

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        header = self._format_action_invocation(action)
        extra = _wide(header)
        first, newline, rest = text.partition("\n")
        at = first.find(header)
        if extra and at >= 0:
            end = at + len(header)
            help_text = first[end:].lstrip(" ")
            gap = len(first) - end - len(help_text)
            if help_text and gap - extra >= 2:
                first = first[:end] + " " * (gap - extra) + help_text
            elif help_text:  # too wide for the column: the help on a line of its own
                column = min(self._action_max_length + 2, self._max_help_position)
                first = first[:end] + "\n" + " " * column + help_text
        return first + newline + rest


DATA_DIR_HELP = "数据目录（默认：系统用户数据目录）"


class ChineseArgumentParser(argparse.ArgumentParser):
    """``--help`` and argument errors in Chinese: argparse's own headings (usage:, options:,
    positional arguments:, show this help message and exit) and complaints are English. An
    error says where to find the usage (exit code 2, as argparse). Sub-command parsers are of
    this class too (argparse makes them of the parent's class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _ChineseHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出"
            )

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        if "--data-dir" in args:  # every command takes it: one wording
            kwargs.setdefault("help", DATA_DIR_HELP)
            kwargs.setdefault("metavar", "目录")
        return super().add_argument(*args, **kwargs)

    def error(self, message: str) -> typing.NoReturn:
        self.exit(
            2,
            f"{self.prog}：命令参数有误：{chinese_argparse_message(message)}\n"
            f"用法请运行：{self.prog} --help\n",
        )


def data_dir_of(args: argparse.Namespace) -> Path:
    from app.config import resolve_data_dir

    return resolve_data_dir(getattr(args, "data_dir", None))


def refuse_missing_database(data_dir: str | None) -> None:
    """Raise a Chinese refusal, before any folder or file is made, when the chosen data
    directory (a folder, or none yet) holds no SQLite database."""
    from app.config import chosen_data_dir, resolve_database_url
    from app.services.base import ServiceError
    from app.storage.engine import sqlite_path

    directory = chosen_data_dir(data_dir)
    if directory.exists() and not directory.is_dir():
        return  # a file named as the folder: opening it says it cannot be written
    file = sqlite_path(resolve_database_url(directory))
    if file is None or file.exists():
        return
    raise ServiceError(
        f"数据目录“{directory}”中没有问责案管数据库（wenze.db），未做任何操作。"
        "请核对 --data-dir 是否写错；首次使用请先启动程序建立数据库，"
        "或用 wenze restore 从备份恢复"
    )


def _password(prompt: str) -> str:
    """From $WENZE_PASSWORD, a terminal prompt, or one line of standard input (scripts)."""
    if os.environ.get(ENV_PASSWORD):
        return os.environ[ENV_PASSWORD]
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    return (sys.stdin.readline() if sys.stdin else "").rstrip("\n")


OPENED: list[Any] = []  # the databases this process's commands opened, closed by close_opened


def close_opened() -> None:
    """Close every database a command opened: an open PostgreSQL connection left to the garbage
    collector warns wherever it is collected, and a caller of ``main`` that runs on (the smoke
    check, the tests) would hold server connections it no longer uses."""
    while OPENED:
        OPENED.pop().dispose()


def open_services(
    args: argparse.Namespace, *, login: bool | None = None, create: bool = False
) -> Any:
    """Open the data directory's database and the services for this command.

    Only ``create`` (``wenze demo``, ``wenze restore``) may start a database where there is
    none: any other command given a mistyped ``--data-dir`` made an empty one there and
    answered from it (「审计链校验通过：共0条记录」, a backup of nothing).

    Before any user exists (a fresh data directory, ``wenze demo``) the services use the key
    files; afterwards never a plain key file: with ``--user NAME`` the command logs in (the
    password from $WENZE_PASSWORD, the terminal or stdin), which brings the audit key and, for
    查看举报人信息 holders, the reporter key into memory for this run only.
    """
    from app.fsutil import clear_app_temp, use_app_temp
    from app.services import build_services
    from app.services.keys import SessionKeyProvider
    from app.services.startup import open_data

    CLI_ACTOR = _cli_actor()
    if not create:
        refuse_missing_database(getattr(args, "data_dir", None))
    directory = data_dir_of(args)
    if directory is not None:
        from app.services.restore import finish_interrupted_restore

        finish_interrupted_restore(Path(directory))  # a restore killed after its switch
    db = open_data(directory)
    OPENED.append(db)
    if db.upgrade_recovery is not None:  # an upgrade killed part way, undone and run again
        print(f"提示：{db.upgrade_recovery.message}", file=sys.stderr)
    clear_app_temp(directory)
    use_app_temp(directory)
    anon = build_services(db, data_dir=db.data_dir, keys=SessionKeyProvider())
    username = getattr(args, "user", None)
    if login is None:
        login = bool(username)
    if anon.users.needs_first_admin():
        if username:  # said, not ignored: he expects to act as that user
            print(f"提示：该数据目录尚未创建任何用户，未以“{username}”登录（以系统身份运行）。"
                  "请先启动程序创建首位管理员。", file=sys.stderr)  # fmt: skip
        return build_services(db, data_dir=db.data_dir)
    if not login:
        # Users exist: without --user the command acts with read-and-report rights only
        # (审计员), never as the administrator.
        return build_services(db, actor=CLI_ACTOR, data_dir=db.data_dir, keys=SessionKeyProvider())
    result = anon.users.authenticate(username or "", _password(f"{username} 的密码："))
    return build_services(
        db,
        actor=result.actor,
        keys=SessionKeyProvider(result.data_key),
        data_dir=db.data_dir,
    )


def _username(text: str) -> str:
    """An empty ``--user ""`` (an unset shell variable) would run as 审计员 without a word."""
    name = typed(text).strip()
    if not name:
        raise argparse.ArgumentTypeError("--user 的用户名不能为空")
    return name


def add_user_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--user",
        type=_username,
        metavar="用户名",
        help="以该用户登录（密码取自环境变量 WENZE_PASSWORD、终端输入或标准输入）",
    )


def data_options(
    p: argparse.ArgumentParser,
    func: typing.Callable[[argparse.Namespace], int],
    *,
    user: bool = True,
) -> None:
    """End a command that opens the data directory: ``--data-dir`` (here or before the
    command), ``--user`` unless ``user`` is False, and the function that runs it."""
    p.add_argument("--data-dir", default=argparse.SUPPRESS)
    if user:
        add_user_option(p)
    p.set_defaults(func=func)


__all__ = ["BULK_THRESHOLD", "add_user_option", "data_options", "open_services", "parse_date"]
