"""`verify` for what is kept beside the text: each revision's raw page.

A kept page is rebuilt through its delta chain and hashed; the hash must be the row's and the
one the revision's ingest event recorded (the event is inside its chain's hash chain, the row
is not), so a page swapped or edited behind revtrack's back is found.
"""

from __future__ import annotations

from revtrack.records import RevisionRecord
from revtrack.service.integrity import VerifyReport
from revtrack.store import Tx
from revtrack.store.raw import raw_hash


def verify_kept(
    tx: Tx, key: str, article_id: int, revisions: list[RevisionRecord], report: VerifyReport
) -> None:
    infos = tx.raw_infos(article_id)
    if not infos:
        return
    numbers = {r.id: r.number for r in revisions}
    claims = {
        e.revision_id: e.payload.get("raw")
        for e in tx.chain_events(key)
        if e.action == "ingest" and e.revision_id is not None
    }
    for info in infos:
        where = f"{key}@v{numbers.get(info.revision_id, '?')}"
        try:
            page = tx.load_raw(info.revision_id)
        except Exception as exc:  # a corrupt blob is reported, not a crash of the walk
            report.problems.append(f"{where}: kept page cannot be rebuilt ({exc}).")
            continue
        assert page is not None
        if raw_hash(page.body) != info.sha256 or len(page.body) != info.size:
            report.problems.append(f"{where}: kept page does not match its SHA-256.")
        if claims.get(info.revision_id) != info.sha256:
            report.problems.append(f"{where}: kept page does not match its ingest event.")
