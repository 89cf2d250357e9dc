"""Moved to app.cli.ops (the command list lives in app.cli.COMMANDS)."""

from app.cli.ops import cmd_smoke, register, run_smoke

__all__ = ["cmd_smoke", "register", "run_smoke"]
