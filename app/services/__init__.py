"""The use-case API the UI and CLI call; the only code that touches database sessions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
    return Services(
        ctx=ctx,
        masterdata=md,
        leads=LeadService(ctx, vault),
        cases=CaseService(ctx, md),
        queries=CaseQueryService(ctx),
        audit=AuditService(ctx),
    )


__all__ = ["Actor", "Services", "build_services"]
