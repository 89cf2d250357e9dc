"""Moved to app.cli.reports (the command list lives in app.cli.COMMANDS)."""

from app.cli.reports import cmd_ledger, cmd_monthly, register

__all__ = ["cmd_ledger", "cmd_monthly", "register"]
