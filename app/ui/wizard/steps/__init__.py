"""One module per wizard step (Arts. 9–14), on the shared StepPage base."""

from app.ui.wizard.steps.close import ClosePage
from app.ui.wizard.steps.decision import DecisionPage
from app.ui.wizard.steps.initiation import InitiationPage
from app.ui.wizard.steps.investigation import InvestigationPage
from app.ui.wizard.steps.proposal import ProposalPage
from app.ui.wizard.steps.report import ReportPage
from app.ui.wizard.steps.review import ReviewPage
from app.ui.wizard.steps.service import ServicePage

__all__ = [
    "ClosePage",
    "DecisionPage",
    "InitiationPage",
    "InvestigationPage",
    "ProposalPage",
    "ReportPage",
    "ReviewPage",
    "ServicePage",
]
