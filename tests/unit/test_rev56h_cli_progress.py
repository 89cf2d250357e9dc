"""`wenze docs export` (and `wenze demo`, `wenze report ledger`) redraw their progress in place
with a carriage return. Sent to a file or a pipe (``… | cat``, a cron log) every message ran
together on one line: off a terminal each message is a line of its own; on a terminal the
line is redrawn in place as before."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from app.domain.lifecycle import Stage
from app.services import build_services
from app.storage import open_database
from tests.helpers.builders import advance, issue_missing, seed_world

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str) -> tuple[int, str, str]:
    """The command as a clerk runs it, its output into a pipe (not a terminal): the exit
    code, stdout and stderr as written (bytes decoded, no newline translation, which would
    turn each carriage return into a line break)."""
    result = subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        capture_output=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("WENZE_")},
        timeout=600,
    )
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def _data_with_documents(data: Path) -> int:
    """A data directory (no users: the CLI uses its key files) with one decided case's
    documents issued; how many."""
    db = open_database(data)
    try:
        svc = build_services(db, data_dir=db.data_dir)  # no users yet: the key files, as the CLI
        cid = advance(svc, seed_world(svc), Stage.DECIDED)
        issue_missing(svc, cid)
        issued = len(svc.documents.list_documents(cid))
    finally:
        db.dispose()
    assert issued >= 2
    return issued


def test_docs_export_into_a_pipe_says_one_message_a_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    issued = _data_with_documents(data)
    out = tmp_path / "导出"
    code, stdout, stderr = _cli("docs", "export", "-o", str(out), "--data-dir", str(data))
    assert code == 0, stderr
    assert "\r" not in stdout, repr(stdout)
    lines = stdout.split("\n")[:-1]
    assert stdout.endswith("\n")
    assert f"已导出 {issued}/{issued} 份文书" in lines  # the last progress: a line of its own
    assert lines[-1] == f"共导出 {issued} 份文书到 {out}"
    assert all(line.strip() for line in lines)  # no blank line left from the in-place form
    assert len(list(out.glob("*.pdf"))) == issued


def test_docs_export_on_a_terminal_redraws_in_place(tmp_path: Path) -> None:
    """On a terminal (a pseudo-terminal here) the progress stays one line, redrawn."""
    import pty

    data = tmp_path / "data"
    issued = _data_with_documents(data)
    main_fd, term_fd = pty.openpty()
    command = [sys.executable, "-m", "app", "docs", "export", "-o", str(tmp_path / "导出")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("WENZE_")}
    said = b""
    try:
        with subprocess.Popen(
            [*command, "--data-dir", str(data)],
            cwd=ROOT, stdout=term_fd, stderr=subprocess.PIPE, env=env,
        ) as proc:  # fmt: skip
            os.close(term_fd)
            while True:
                try:
                    chunk = os.read(main_fd, 4096)
                except OSError:  # the terminal's other end closed
                    break
                if not chunk:
                    break
                said += chunk
            errors = proc.stderr.read() if proc.stderr else b""
            assert proc.wait(timeout=600) == 0, errors.decode("utf-8")
    finally:
        os.close(main_fd)
    text = said.decode("utf-8").replace("\r\n", "\n")  # the terminal's own line ends
    assert f"\r已导出 {issued}/{issued} 份文书\n" in text
    assert text.count("\n") == 1 + text.count("共导出")  # the progress one line, redrawn


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_is_redrawn_in_place() -> None:
    from app.cli.common import Progress

    screen = _Terminal()
    progress = Progress(screen)
    for done in (1, 2, 3):
        progress.step(done, 3, f"已导出 {done}/3 份文书")
    progress.end()
    progress.end()  # a second end adds nothing
    assert screen.getvalue() == "\r已导出 1/3 份文书\r已导出 2/3 份文书\r已导出 3/3 份文书\n"


def test_progress_into_a_file_is_thinned_to_lines() -> None:
    """Off a terminal each twentieth and the last, one a line (a 2000-document export does
    not write 2000 lines into the log)."""
    from app.cli.common import Progress

    log = io.StringIO()
    progress = Progress(log)
    for done in range(1, 101):
        progress.step(done, 100, f"{done}/100")
    progress.end()
    lines = log.getvalue().splitlines()
    assert lines[0] == "1/100" and lines[-1] == "100/100"
    assert len(lines) == 21 and "\r" not in log.getvalue()
