"""`verify`: prove that what is stored is what was ingested, and that nobody edited it since.

One article's history is its revisions (each rebuilt through its delta chain and rehashed),
its notes with their links and states, and its event log. Every row's seal is recomputed over
all its fields and its predecessor (see :mod:`revtrack.store.hashing`); the original revision
chain and the event chain are walked as before; each event that speaks of a row (an ingest,
a note found, linked, retracted …) is compared with the row, and every row must have its
event; and the recomputed head of the whole history must equal the head its last writer
recorded, which is what makes a removed newest row visible. A checkpoint (see
:mod:`revtrack.service.checkpoint`) anchors the heads outside the database.

The same walk checks a database article and an export bundle: both are turned into a
:class:`History` of plain values first. Problems name the row: its table, its id (or place),
the article, and what does not match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from revtrack.service.crosscheck import cross_check
from revtrack.service.history import (
    History,
    VerifyReport,
    where_event,
    where_note,
    where_revision,
)
from revtrack.store.hashing import (
    GENESIS,
    REVISION_SEALED,
    TABLES,
    article_seal,
    event_hash,
    head,
    revision_chain_hash,
    row_seal,
)
from revtrack.text.normalize import content_hash, exact_hash


@dataclass
class Walk:
    """What the walk of one history found: each chain's seals in order, for heads."""

    seals: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in TABLES})

    def head(self, name: str, counts: Sequence[int] | None = None) -> str:
        """The head after ``counts`` rows of each chain (default: all of them)."""
        counts = counts or [len(self.seals[t]) for t in TABLES]
        tails = [
            self.seals[t][n - 1] if n else GENESIS for t, n in zip(TABLES, counts, strict=True)
        ]
        return head(name, counts, tails)

    def counts(self) -> list[int]:
        return [len(self.seals[t]) for t in TABLES]


def check_history(h: History, report: VerifyReport) -> Walk:
    """Check every row and link of ``h``; return the seals it walked (for heads)."""
    walk = Walk()
    _check_counts(h, report)
    if h.article is not None:
        report.articles += 1
        _check_revisions(h, report, walk)
        _check_notes(h, report, walk)
    _check_events(h, report, walk)
    if h.article is not None:
        cross_check(h, report)
    _check_head(h, report, walk)
    report.heads.append((h.name, walk.head(h.name)))
    return walk


def _check_revisions(h: History, report: VerifyReport, walk: Walk) -> None:
    prev_chain = prev_seal = GENESIS
    for expected, revision in enumerate(h.revisions, start=1):
        report.revisions += 1
        where = where_revision(h, revision)
        if revision.number != expected:
            report.problem(f"{where}: numbering gap (expected v{expected}).")
        try:
            text = h.text(revision)
        except Exception as exc:  # a corrupt blob must be reported, not crash the walk
            report.problem(f"{where}: stored text cannot be rebuilt ({exc}).")
            text = None
        if text is not None:
            if exact_hash(text) != revision.text_hash:
                report.problem(f"{where}: stored text does not match its SHA-256.")
            elif content_hash(text) != revision.content_hash:
                report.problem(f"{where}: content hash does not match the text.")
        chain = revision_chain_hash(
            prev_chain,
            h.name,
            revision.number,
            revision.text_hash,
            revision.captured_at,
            revision.revert_of,
        )
        if chain != revision.chain_hash:
            report.problem(
                f"{where}: revision hash chain broken (number, text hash, capture time or "
                "revert changed, or a revision before it removed)."
            )
        prev_chain = revision.chain_hash
        values = {k: getattr(revision, k) for k in REVISION_SEALED}
        prev_seal = _seal(report, where, "revisions", h.name, prev_seal, values, revision.seal)
        walk.seals["revisions"].append(revision.seal or GENESIS)


_SHOWN = {
    "revisions": "title, byline, source, capture time, provenance, text hash or statistics",
    "corrections": "kind, label, text, date, origin, disclosing revision or superseded note",
    "links": "fixing revision, confidence, matched, evidence, linker, actor or time",
    "states": "state, revision, reason, actor or time",
}


def _seal(
    report: VerifyReport,
    where: str,
    table: str,
    name: str,
    prev: str,
    values: dict[str, Any],
    stored: str | None,
) -> str:
    """Check one seal against its predecessor's *stored* seal, so that an edited row is
    named alone (the rows after it still follow it); return the stored seal."""
    if stored is None:
        report.problem(f"{where}: not sealed (its hash chain was broken before migration 0005).")
        return prev
    if row_seal(prev, table, name, values) != stored:
        report.problem(
            f"{where}: does not match its seal ({_SHOWN[table]} changed, or the row "
            "before it removed or moved)."
        )
    return stored


def _check_notes(h: History, report: VerifyReport, walk: Walk) -> None:
    seals: dict[int, str | None] = {}
    prev = GENESIS
    for place, row in enumerate(h.corrections, start=1):
        report.corrections += 1
        where = where_note(h, "corrections", row, place)
        supersedes = row.get("supersedes_id")
        values = {
            **row,
            "disclosed_revision": _number(h, report, where, row.get("disclosed_revision_id")),
            "supersedes": None if supersedes is None else seals.get(int(supersedes), "?"),
        }
        if supersedes is not None and int(supersedes) not in seals:
            report.problem(f"{where}: supersedes note #{supersedes}, not an earlier note of it.")
        prev = _seal(report, where, "corrections", h.name, prev, values, row.get("seal"))
        seals[int(row["id"])] = row.get("seal")
        walk.seals["corrections"].append(row.get("seal") or GENESIS)
    for table, ref in (("links", "fixing_revision_id"), ("states", "revision_id")):
        prev = GENESIS
        for place, row in enumerate(h.links if table == "links" else h.states, start=1):
            where = where_note(h, table, row, place)
            note = int(row["correction_id"])
            if note not in seals:
                report.problem(f"{where}: belongs to note #{note}, which is not in {h.name}.")
            number = _number(h, report, where, row.get(ref))
            values = {**row, "correction": seals.get(note), "fixing_revision": number}
            values["revision"] = number
            prev = _seal(report, where, table, h.name, prev, values, row.get("seal"))
            walk.seals[table].append(row.get("seal") or GENESIS)


def _number(h: History, report: VerifyReport, where: str, ref: int | None) -> int | None:
    if ref is None:
        return None
    number = h.numbers.get(int(ref))
    if number is None:
        report.problem(f"{where}: refers to revision {ref}, which is not a revision of {h.name}.")
    return number


_NEAR = 8
"""How many entries either side an event whose hash fails is tried after (a moved row)."""


def _check_events(h: History, report: VerifyReport, walk: Walk) -> None:
    """Each event against its predecessor's hash (derived by the store from ``seq - 1``).

    A predecessor that is missing is reported as a break, not as the event's content being
    wrong: its hash was taken over a value that is gone. An event whose hash fails but holds
    after a nearby entry's hash was moved there (rows swapped or reordered) is reported as not
    following, the cause, rather than as edited content (for the first few such events of a
    chain: each try costs a few hundred hashes)."""
    prev = GENESIS
    tries = _NEAR
    for expected, event in enumerate(h.events, start=1):
        report.events += 1
        where = where_event(h, event)
        if event.seq != expected:
            report.problem(f"{where}: sequence gap (expected {expected}).")
        if event.prev_hash != prev:
            report.problem(f"{where}: does not follow the entry before it.")
        fields = {
            "chain": h.name,
            "seq": event.seq,
            "at": event.at,
            "actor": event.actor,
            "action": event.action,
            "payload": event.payload,
        }
        if event.prev_hash and event_hash(event.prev_hash, fields) != event.hash:
            tries -= 1
            if tries >= 0 and _follows_another(h, expected - 1, fields, event.hash):
                report.problem(f"{where}: does not follow the entry before it (moved).")
            else:
                report.problem(f"{where}: content does not match its hash.")
        if h.article_id is not None and event.article_id not in (None, h.article_id):
            report.problem(f"{where}: names article id {event.article_id}, not {h.name}.")
        prev = event.hash
        walk.seals["events"].append(event.hash)


def _follows_another(h: History, at: int, fields: dict[str, Any], digest: str) -> bool:
    """Whether ``fields`` hash to ``digest`` at a nearby place of the chain: after a nearby
    entry's hash (or first), with the sequence number of that place (a moved row)."""
    nearby = [GENESIS] + [e.hash for e in h.events[max(0, at - _NEAR) : at + _NEAR + 1]]
    seq = int(fields["seq"])
    for place in range(max(1, seq - _NEAR), seq + _NEAR + 1):
        moved = {**fields, "seq": place}
        if any(event_hash(other, moved) == digest for other in nearby):
            return True
    return False


def _check_counts(h: History, report: VerifyReport) -> None:
    """How many rows each chain has against the recorded head: first, since a removed row
    is the cause of what the rest of the walk finds."""
    stored = h.stored_head
    where = f"heads ({h.name})"
    if stored is None:
        report.problem(f"{where}: no recorded head (the heads row was removed).")
        return
    counts = [len(h.revisions), len(h.corrections), len(h.links), len(h.states), len(h.events)]
    for table, now, then in zip(TABLES, counts, stored["counts"], strict=True):
        if now < then:
            report.problem(
                f"{where}: {then} {table} recorded, {now} stored: {_missing(h, table, then)}."
            )
        elif now > then:
            report.problem(f"{where}: {now} {table} stored, only {then} recorded.")


def _missing(h: History, table: str, then: int) -> str:
    """Which rows of a chain are gone, where their numbers say so (revisions, events)."""
    if table == "revisions":
        gone = sorted(set(range(1, then + 1)) - {r.number for r in h.revisions})
        return ", ".join(f"v{n}" for n in gone[:5]) + " missing" if gone else "removed"
    if table == "events":
        gone = sorted(set(range(1, then + 1)) - {e.seq for e in h.events})
        return ", ".join(f"entry {n}" for n in gone[:5]) + " missing" if gone else "removed"
    return f"{then - len(getattr(h, table))} removed"


def _check_head(h: History, report: VerifyReport, walk: Walk) -> None:
    """The recomputed head against the one the last writer recorded."""
    stored = h.stored_head
    if stored is None:
        return
    where = f"heads ({h.name})"
    if walk.counts() == list(stored["counts"]) and walk.head(h.name) != stored["head"]:
        report.problem(f"{where}: the newest rows do not match the recorded head.")
    if h.article is not None:
        a = h.article
        found = article_seal(a["key"], a["url"], a["outlet"], a["title"], a["created_at"])
        if found != stored.get("article_seal"):
            report.problem(
                f"articles ({h.name}): url, outlet, title or creation time changed "
                "since revtrack last wrote it."
            )
