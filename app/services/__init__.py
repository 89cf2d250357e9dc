"""The use-case API the UI and CLI call; the only code that touches database sessions."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.services.audit import AuditService
from app.services.base import SYSTEM, Actor, ServiceContext
from app.services.cases import CaseService
from app.services.leads import LeadService
from app.services.masterdata import MasterDataService
from app.services.queries import CaseQueryService
from app.services.vault import FileKeyProvider, KeyProvider, ReporterVault
from app.storage.engine import Database


@dataclass
class Services:
    """The bundle widgets receive through their constructors (no global registry)."""

    ctx: ServiceContext
    masterdata: MasterDataService
    leads: LeadService
    cases: CaseService
    queries: CaseQueryService
    audit: AuditService
    vault: ReporterVault
    # Filled by build_services from the modules in _EXTENSIONS (each owned by one feature).
    listing: Any = None
    drafts: Any = None
    documents: Any = None
    reports: Any = None
    users: Any = None
    backups: Any = None
    attachments: Any = None
    # Issue 16: lead disposition, roster import, 四种形态 figures, 解除处分, 类案参考.
    dispositions: Any = None
    roster: Any = None
    four_forms: Any = None
    releases: Any = None
    precedents: Any = None

    @property
    def db(self) -> Database:
        return self.ctx.db


def build_services(
    db: Database,
    *,
    actor: Actor = SYSTEM,
    keys: KeyProvider | None = None,
    data_dir: Path | None = None,
    clock=None,  # type: ignore[no-untyped-def]
) -> Services:
    kwargs = {"actor": actor, "data_dir": data_dir}
    if clock is not None:
        kwargs["clock"] = clock
    ctx = ServiceContext(db, **kwargs)
    vault = ReporterVault(keys or FileKeyProvider(ctx.data_dir / "keys" / "reporter.key"))
    md = MasterDataService(ctx)
    services = Services(
        ctx=ctx,
        masterdata=md,
        leads=LeadService(ctx, vault),
        cases=CaseService(ctx, md),
        queries=CaseQueryService(ctx),
        audit=AuditService(ctx),
        vault=vault,
    )
    for attr, (module, cls) in _EXTENSIONS.items():
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module.startswith(exc.name):
                raise
            continue
        setattr(services, attr, getattr(mod, cls)(ctx, services))
    return services


# attribute -> (module, class); each class is constructed as Class(ctx, services).
_EXTENSIONS: dict[str, tuple[str, str]] = {
    "listing": ("app.services.listing", "ListingService"),
    "drafts": ("app.services.drafts", "DraftService"),
    "documents": ("app.services.documents", "DocumentService"),
    "reports": ("app.services.reporting", "ReportService"),
    "users": ("app.services.users", "UserService"),
    "backups": ("app.services.backup", "BackupService"),
    "attachments": ("app.services.attachments", "AttachmentService"),
    "dispositions": ("app.services.dispositions", "DispositionService"),
    "roster": ("app.services.roster", "RosterService"),
    "four_forms": ("app.services.beyond_stats", "FourFormsService"),
    "releases": ("app.services.releases", "ReleaseService"),
    "precedents": ("app.services.precedents", "PrecedentService"),
}


__all__ = ["Actor", "Services", "build_services"]
