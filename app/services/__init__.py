"""The use-case API the UI and CLI call; the only code that touches database sessions."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.services.base import SYSTEM, Actor, ServiceContext
from app.services.vault import FileKeyProvider, KeyProvider, ReporterVault
from app.storage.engine import Database

if TYPE_CHECKING:  # concrete types for readers and checkers; each module loads on first use
    from app.services.attachments import AttachmentService
    from app.services.audit import AuditService
    from app.services.backup import BackupService
    from app.services.beyond_stats import FourFormsService
    from app.services.cases import CaseService
    from app.services.dispositions import DispositionService
    from app.services.documents import DocumentService
    from app.services.drafts import DraftService
    from app.services.leads import LeadService
    from app.services.listing import ListingService
    from app.services.masterdata import MasterDataService
    from app.services.precedents import PrecedentService
    from app.services.queries import CaseQueryService
    from app.services.releases import ReleaseService
    from app.services.reporting import ReportService
    from app.services.roster import RosterService
    from app.services.users import UserService

# Every service of the bundle: (module, class, what its constructor takes after the context:
# nothing, the reporter vault, the master-data service, or the bundle itself).
SERVICES: dict[str, tuple[str, str, str]] = {
    "masterdata": ("masterdata", "MasterDataService", ""),
    "leads": ("leads", "LeadService", "vault"),
    "cases": ("cases", "CaseService", "masterdata"),
    "queries": ("queries", "CaseQueryService", ""),
    "audit": ("audit", "AuditService", ""),
    "listing": ("listing", "ListingService", "bundle"),
    "drafts": ("drafts", "DraftService", "bundle"),
    "documents": ("documents", "DocumentService", "bundle"),
    "reports": ("reporting", "ReportService", "bundle"),
    "users": ("users", "UserService", "bundle"),
    "backups": ("backup", "BackupService", "bundle"),
    "attachments": ("attachments", "AttachmentService", "bundle"),
    "dispositions": ("dispositions", "DispositionService", "bundle"),
    "roster": ("roster", "RosterService", "bundle"),
    "four_forms": ("beyond_stats", "FourFormsService", "bundle"),
    "releases": ("releases", "ReleaseService", "bundle"),
    "precedents": ("precedents", "PrecedentService", "bundle"),
}


class Services:
    """The bundle widgets receive through their constructors (no global registry).

    Every service is named and typed here (``SERVICES`` says how each is built) and none is
    registered by importing a module. Each is built on first use, with its module: the
    main window's first content needs the listing and master data, not ReportLab (the
    documents), the rulebook's acts (the wizard) or openpyxl (reports), which would add
    ≈ 0.4 s and tens of MB before anything is shown.
    """

    ctx: ServiceContext
    vault: ReporterVault
    masterdata: MasterDataService
    leads: LeadService
    cases: CaseService
    queries: CaseQueryService
    audit: AuditService
    listing: ListingService
    drafts: DraftService
    documents: DocumentService
    reports: ReportService
    users: UserService
    backups: BackupService
    attachments: AttachmentService
    dispositions: DispositionService
    roster: RosterService
    four_forms: FourFormsService
    releases: ReleaseService
    precedents: PrecedentService

    def __init__(self, ctx: ServiceContext, vault: ReporterVault) -> None:
        self._building = threading.RLock()  # widgets' worker threads may ask at the same time
        self.ctx = ctx
        self.vault = vault

    def __getattr__(self, name: str) -> Any:
        """Build a service the first time it is asked for (then it is a plain attribute)."""
        if name not in SERVICES:
            raise AttributeError(name)
        with self._building:
            if name in self.__dict__:
                return self.__dict__[name]
            service = new_service(self, name)
            setattr(self, name, service)
            return service

    @property
    def db(self) -> Database:
        return self.ctx.db


def new_service(bundle: Any, name: str) -> Any:
    """A new ``name`` service for ``bundle``, built as ``SERVICES`` says: the bundle's own
    first use, and a widget's where an older or trimmed container (a test's, a screenshot's)
    does not carry that service."""
    module, cls, takes = SERVICES[name]
    service_class = getattr(importlib.import_module(f"app.services.{module}"), cls)
    if takes == "vault":
        return service_class(bundle.ctx, bundle.vault)
    if takes == "masterdata":  # the case service: and the vault, for 第十条's checks
        return service_class(bundle.ctx, bundle.masterdata, getattr(bundle, "vault", None))
    if takes == "bundle":
        return service_class(bundle.ctx, bundle)
    return service_class(bundle.ctx)


def build_services(
    db: Database,
    *,
    actor: Actor = SYSTEM,
    keys: KeyProvider | None = None,
    data_dir: Path | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Services:
    ctx = ServiceContext(db, actor=actor, data_dir=data_dir, **({"clock": clock} if clock else {}))
    vault = ReporterVault(keys or FileKeyProvider(ctx.data_dir / "keys" / "reporter.key"))
    return Services(ctx, vault)


__all__ = ["SERVICES", "Actor", "Services", "build_services", "new_service"]
