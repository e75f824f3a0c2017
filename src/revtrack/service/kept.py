"""`verify` for what is kept beside the text: each revision's raw page and re-derived texts.

A kept page is rebuilt through its delta chain and hashed; the hash must be the row's and the
one the revision's ingest event recorded (the event is inside its chain's hash chain, the row
is not), so a page swapped or edited behind revtrack's back is found. A re-derived text
(`reextract`) is rebuilt and hashed the same way, against its row and its ``reextract`` event.
"""

from __future__ import annotations

from collections import Counter

from revtrack.records import RevisionRecord
from revtrack.service.history import VerifyReport
from revtrack.store import Tx
from revtrack.store.raw import RawInfo, raw_hash
from revtrack.text.normalize import content_hash, exact_hash


def verify_kept(
    tx: Tx, key: str, article_id: int, revisions: list[RevisionRecord], report: VerifyReport
) -> None:
    numbers = {r.id: r.number for r in revisions}
    infos = tx.raw_infos(article_id)
    if infos:
        _pages(tx, key, infos, numbers, report)
    _rederived(tx, key, article_id, numbers, report)


def _pages(
    tx: Tx, key: str, infos: list[RawInfo], numbers: dict[int, int], report: VerifyReport
) -> None:
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


def _rederived(
    tx: Tx, key: str, article_id: int, numbers: dict[int, int], report: VerifyReport
) -> None:
    try:
        rows = tx.article_rederived(article_id)
    except Exception as exc:  # a corrupt blob is reported, not a crash of the walk
        report.problems.append(f"{key}: a re-derived text cannot be rebuilt ({exc}).")
        return
    if not rows:
        return
    vouched = Counter(
        (e.revision_id, e.payload.get("text_hash"))
        for e in tx.chain_events(key)
        if e.action == "reextract"
    )
    for row in rows:
        where = f"{key}@v{numbers.get(row.revision_id, '?')} (re-derived {row.id})"
        if exact_hash(row.text) != row.text_hash or content_hash(row.text) != row.content_hash:
            report.problems.append(f"{where}: re-derived text does not match its SHA-256.")
        if vouched[(row.revision_id, row.text_hash)] <= 0:
            report.problems.append(f"{where}: re-derived text has no reextract event.")
        vouched[(row.revision_id, row.text_hash)] -= 1
