"""Moved to app.cli.docs (the command list lives in app.cli.COMMANDS)."""

from app.cli.docs import cmd_docs_export, cmd_verify_doc, register

__all__ = ["cmd_docs_export", "cmd_verify_doc", "register"]
