"""`verify`: prove that what is stored is what was ingested, and that nobody edited it since.

Every revision is rebuilt through its delta chain and hashed; its normalized hash and its link
in the article's hash chain are recomputed; every event chain is walked and rehashed. Any
mismatch is reported with the article and revision (or event) it concerns.

An imported revision's provenance (the importer and the archive's id of the version: a commit,
a WARC record, an archive URL) is in the revision's row and again in its ingest event. The row
is outside the revision hash chain, the event is inside its own, so the two are compared: a
source or provenance edited behind revtrack's back no longer matches what the chain vouches for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from revtrack.records import RevisionRecord
from revtrack.store import Tx
from revtrack.store.hashing import GENESIS, event_hash, revision_chain_hash
from revtrack.text.normalize import content_hash, exact_hash


@dataclass
class VerifyReport:
    articles: int = 0
    revisions: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_article(tx: Tx, key: str, report: VerifyReport) -> None:
    article = tx.get_article(key)
    assert article is not None
    report.articles += 1
    prev_chain = GENESIS
    walked: list[RevisionRecord] = []
    for expected, revision in enumerate(tx.revisions(article.id), start=1):
        report.revisions += 1
        where = f"{key}@v{revision.number}"
        if revision.number != expected:
            report.problems.append(f"{where}: numbering gap (expected v{expected}).")
        try:
            text = tx.load_text(revision.id)
        except Exception as exc:  # a corrupt blob must be reported, not crash the walk
            report.problems.append(f"{where}: stored text cannot be rebuilt ({exc}).")
            continue
        if exact_hash(text) != revision.text_hash:
            report.problems.append(f"{where}: stored text does not match its SHA-256.")
        if content_hash(text) != revision.content_hash:
            report.problems.append(f"{where}: content hash does not match the text.")
        chain = revision_chain_hash(
            prev_chain,
            key,
            revision.number,
            revision.text_hash,
            revision.captured_at,
            revision.revert_of,
        )
        if chain != revision.chain_hash:
            report.problems.append(f"{where}: revision hash chain broken.")
        prev_chain = revision.chain_hash
        walked.append(revision)
    verify_provenance(tx, key, walked, report)
    from revtrack.service.kept import verify_kept

    verify_kept(tx, key, article.id, walked, report)


PROVENANCE = ("importer", "source_id")


def verify_provenance(
    tx: Tx, key: str, revisions: list[RevisionRecord], report: VerifyReport
) -> None:
    """Compare each imported revision's source and provenance with its ingest event."""
    events: dict[int, dict[str, Any]] = {
        e.revision_id: e.payload
        for e in tx.chain_events(key)
        if e.action == "ingest" and e.revision_id is not None
    }
    for revision in revisions:
        payload = events.get(revision.id, {})
        claimed = {k: payload.get(k) for k in (*PROVENANCE, "source") if k in payload}
        stored = {k: revision.meta.get(k) for k in PROVENANCE if revision.meta.get(k)}
        if not claimed and not stored:
            continue
        if stored:
            stored["source"] = revision.source
        if claimed != stored:
            report.problems.append(
                f"{key}@v{revision.number}: source or provenance does not match its ingest event."
            )


def verify_chain(tx: Tx, chain: str, report: VerifyReport) -> None:
    prev = GENESIS
    for expected, event in enumerate(tx.chain_events(chain), start=1):
        report.events += 1
        where = f"event log of {chain!r}, entry {event.seq} ({event.action})"
        if event.seq != expected:
            report.problems.append(f"{where}: sequence gap (expected {expected}).")
        if event.prev_hash != prev:
            report.problems.append(f"{where}: does not follow the entry before it.")
        fields = {
            "chain": event.chain,
            "seq": event.seq,
            "at": event.at,
            "actor": event.actor,
            "action": event.action,
            "payload": event.payload,
        }
        if event_hash(event.prev_hash, fields) != event.hash:
            report.problems.append(f"{where}: content does not match its hash.")
        prev = event.hash
