"""Moved to app.cli.trust (the command list lives in app.cli.COMMANDS)."""

from app.cli.trust import cmd_audit_verify, cmd_backup, cmd_restore, register

__all__ = ["cmd_audit_verify", "cmd_backup", "cmd_restore", "register"]
