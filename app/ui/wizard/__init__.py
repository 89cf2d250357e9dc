"""The case wizard (issue 4): ``open_wizard(services, case_id_or_None, parent)``."""

from app.ui.wizard.wizard import CaseWizard, open_wizard

__all__ = ["CaseWizard", "open_wizard"]
