"""The use-case API the UI and CLI call; the only code that touches database sessions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.services.audit import AuditService
from app.services.base import SYSTEM, Actor, ServiceContext
from app.services.cases import CaseService
from app.services.leads import LeadService
from app.services.masterdata import MasterDataService
from app.services.queries import CaseQueryService
from app.services.vault import FileKeyProvider, KeyProvider, ReporterVault
from app.storage.engine import Database

if TYPE_CHECKING:  # concrete types for readers and checkers; imported lazily at run time
    from app.services.attachments import AttachmentService
    from app.services.backup import BackupService
    from app.services.beyond_stats import FourFormsService
    from app.services.dispositions import DispositionService
    from app.services.documents import DocumentService
    from app.services.drafts import DraftService
    from app.services.listing import ListingService
    from app.services.precedents import PrecedentService
    from app.services.releases import ReleaseService
    from app.services.reporting import ReportService
    from app.services.roster import RosterService
    from app.services.users import UserService


@dataclass
class Services:
    """The bundle widgets receive through their constructors (no global registry).

    Every service is named and typed here and built by :func:`build_services`; none is
    registered by importing a module.
    """

    ctx: ServiceContext
    masterdata: MasterDataService
    leads: LeadService
    cases: CaseService
    queries: CaseQueryService
    audit: AuditService
    vault: ReporterVault
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

    @property
    def db(self) -> Database:
        return self.ctx.db


def build_services(
    db: Database,
    *,
    actor: Actor = SYSTEM,
    keys: KeyProvider | None = None,
    data_dir: Path | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Services:
    # Imported here, not at module level: the GUI paints its frame before ReportLab,
    # openpyxl and the reporting queries load (see app/ui/app.py).
    from app.services.attachments import AttachmentService
    from app.services.backup import BackupService
    from app.services.beyond_stats import FourFormsService
    from app.services.dispositions import DispositionService
    from app.services.documents import DocumentService
    from app.services.drafts import DraftService
    from app.services.listing import ListingService
    from app.services.precedents import PrecedentService
    from app.services.releases import ReleaseService
    from app.services.reporting import ReportService
    from app.services.roster import RosterService
    from app.services.users import UserService

    ctx = ServiceContext(db, actor=actor, data_dir=data_dir, **({"clock": clock} if clock else {}))
    vault = ReporterVault(keys or FileKeyProvider(ctx.data_dir / "keys" / "reporter.key"))
    md = MasterDataService(ctx)
    late = {
        "listing": ListingService, "drafts": DraftService, "documents": DocumentService,
        "reports": ReportService, "users": UserService, "backups": BackupService,
        "attachments": AttachmentService, "dispositions": DispositionService,
        "roster": RosterService, "four_forms": FourFormsService, "releases": ReleaseService,
        "precedents": PrecedentService,
    }  # fmt: skip
    services = Services(
        ctx=ctx,
        masterdata=md,
        leads=LeadService(ctx, vault),
        cases=CaseService(ctx, md),
        queries=CaseQueryService(ctx),
        audit=AuditService(ctx),
        vault=vault,
        **dict.fromkeys(late),  # type: ignore[arg-type]
    )
    # These take the bundle itself (they call other services), so they come second.
    for name, service in late.items():
        setattr(services, name, service(ctx, services))
    return services


__all__ = ["Actor", "Services", "build_services"]
