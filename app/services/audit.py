"""Reading and verifying the hash-chained audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.services.base import GENESIS_HASH, ServiceBase, audit_payload, record_hash
from app.storage.models import AuditHead, AuditRecord


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    records: int
    head: str
    first_broken_seq: int | None = None
    message: str = ""


class AuditService(ServiceBase):
    def count(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count(AuditRecord.id))) or 0

    def head(self) -> str:
        with self.db.read() as s:
            return s.scalar(select(AuditHead.hash).where(AuditHead.id == 1)) or GENESIS_HASH

    def verify_chain(self, batch: int = 5000) -> ChainReport:
        """Walk the chain in order; name the first record whose hash or link does not hold."""
        prev = GENESIS_HASH
        expected_seq = 1
        n = 0
        with self.db.read() as s:
            last_id = 0
            while True:
                rows = s.scalars(
                    select(AuditRecord)
                    .where(AuditRecord.id > last_id)
                    .order_by(AuditRecord.id)
                    .limit(batch)
                ).all()
                if not rows:
                    break
                for r in rows:
                    n += 1
                    if r.seq != expected_seq:
                        return ChainReport(
                            False,
                            n,
                            prev,
                            r.seq,
                            f"审计记录顺序号不连续：应为第{expected_seq}条，实为第{r.seq}条（记录可能被删除或调换）",
                        )
                    if r.prev_hash != prev:
                        return ChainReport(
                            False,
                            n,
                            prev,
                            r.seq,
                            f"第{r.seq}条审计记录的前一哈希不符（记录可能被删除或调换）",
                        )
                    if record_hash(prev, audit_payload(r)) != r.hash:
                        return ChainReport(
                            False, n, prev, r.seq, f"第{r.seq}条审计记录的内容被改动"
                        )
                    prev = r.hash
                    expected_seq += 1
                    last_id = r.id
                s.expunge_all()
            head = s.scalar(select(AuditHead).where(AuditHead.id == 1))
            if head is not None and (head.hash != prev or head.seq != n):
                return ChainReport(
                    False,
                    n,
                    prev,
                    n + 1 if head.seq > n else n,
                    "审计链末尾与链头不符（最后的记录可能被删除）",
                )
        return ChainReport(True, n, prev, None, f"审计链完整，共{n}条记录")
