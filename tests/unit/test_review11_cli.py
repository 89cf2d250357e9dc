"""Round 11: ``wenze --help`` (and every sub-command's) reads in Chinese, with its help column
straight in a terminal, where a 汉字 takes two columns.

argparse printed its own headings in English (usage:, positional arguments:, options:, show
this help message and exit) and metavars made of the option names (DATA_DIR, CASES, OUTPUT).
"""

from __future__ import annotations

import argparse
import re
import unicodedata

import pytest

from app.cli import build_parser

ENGLISH = ("usage:", "options:", "optional arguments", "positional arguments", "show this help")
# Upper-case words the help may name: an environment variable and date formats.
KNOWN_UPPER = {"WENZE_PASSWORD", "YYYY", "MM", "DD", "PDF"}


def _parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    out = []
    todo = [build_parser()]
    while todo:
        parser = todo.pop()
        out.append((parser.prog, parser))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                todo.extend(action.choices.values())
    return out


PARSERS = _parsers()


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_every_command_has_a_help() -> None:
    names = {prog for prog, _ in PARSERS}
    assert {"wenze", "wenze demo", "wenze report monthly", "wenze import roster"} <= names


@pytest.mark.parametrize("prog", [prog for prog, _ in PARSERS])
def test_help_is_chinese(prog: str) -> None:
    parser = dict(PARSERS)[prog]
    text = parser.format_help()
    assert text.startswith("用法："), text
    assert not re.findall(r"^\S.*:$", text, flags=re.MULTILINE), text  # 「选项：」, not 「选项:」
    for word in ENGLISH:
        assert word not in text, (word, text)
    upper = set(re.findall(r"\b[A-Z][A-Z_]{1,}\b", text)) - KNOWN_UPPER
    assert not upper, (upper, text)
    for action in parser._actions:
        if action.help is not argparse.SUPPRESS and not isinstance(
            action, argparse._SubParsersAction
        ):
            assert action.help, (prog, action.option_strings or action.dest)


@pytest.mark.parametrize("prog", [prog for prog, _ in PARSERS])
def test_help_column_is_straight_in_a_terminal(prog: str) -> None:
    """Each option's help starts at one terminal column (or on the next line, there)."""
    text = dict(PARSERS)[prog].format_help()
    body = text.split("\n\n", 1)[1]
    starts = set()
    for line in body.splitlines():
        m = re.match(r"^( {2,}\S.*?\S?)( {2,})(\S.*)$", line)
        if m and not line.startswith(" " * 20):
            starts.add(_columns(m.group(1) + m.group(2)))
        elif line.startswith(" " * 20):
            starts.add(len(line) - len(line.lstrip(" ")))
    assert len(starts) <= 1, (starts, text)


@pytest.mark.parametrize(
    "argv",
    [["deadline"], ["deadline", "foo"], ["report"], ["docs"], ["restore"], ["import"], ["audit"]],
)
def test_argument_errors_name_arguments_in_chinese(capsys, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    """A missing or wrong argument was named by its internal name (kind, report_kind)."""
    from app.cli import main

    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert "命令参数有误" in err and "--help" in err
    first = err.splitlines()[0].split("：", 2)[-1]
    assert not re.search(r"\b[a-z_]+_[a-z_]+\b|\bkind\b|\bfile\b|\bcommand\b", first), err


@pytest.mark.parametrize("prog", [prog for prog, _ in PARSERS])
def test_help_fits_an_80_column_terminal(monkeypatch, prog: str) -> None:  # type: ignore[no-untyped-def]
    """argparse wraps by characters; a line of 汉字 ran to twice the terminal's width."""
    monkeypatch.setenv("COLUMNS", "80")
    text = dict(PARSERS)[prog].format_help()
    wide = [line for line in text.splitlines() if _columns(line) > 80]
    assert not wide, wide
