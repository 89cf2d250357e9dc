"""Review rev56e: what the database file alone says of a reporter (第十条).

A sealed reporter was as long as his identity: AES-GCM adds a fixed 32 bytes (marker, nonce,
tag) to the JSON of his fields, so whoever held only ``wenze.db`` read from ``length(
reporter_blob)`` whether a 身份证号 or an address was given and how long the name is — and
could tell a two-character name from a four-character one. Sealed identities are now padded
to whole blocks: ordinary reporters' blobs are all of one length, and each still opens.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.services.vault import ReporterIdentity
from app.storage.models import Lead

WHO = [
    ReporterIdentity(name="王五"),
    ReporterIdentity(name="欧阳某某", phone="13900000000"),
    ReporterIdentity(
        name="司马某某",
        phone="13900000001",
        id_number="110101199001011234",
        address="幸福小区3号楼501室",
        workplace="城区一中队",
    ),
    ReporterIdentity(name="某街道办事处", phone="010-12345678", address="城区大街1号", unit=True),
]


def test_sealed_reporters_do_not_tell_their_length(svc) -> None:  # type: ignore[no-untyped-def]
    ids = [
        svc.leads.register_lead(
            received_on=date(2026, 11, 1),
            source="举报",
            channel="来信",
            content="反映推诿。",
            reporter=who,
        )
        for who in WHO
    ]
    with svc.db.read() as s:  # what the file holds, read without any key
        lengths = {len(b) for b in s.scalars(select(Lead.reporter_blob).where(Lead.id.in_(ids)))}
    assert len(lengths) == 1, lengths
    assert [svc.leads.reveal_reporter(i) for i in ids] == WHO
