"""`verify-bundle`: check an export's histories alone, without any database.

An export (see :mod:`revtrack.service.transfer`) carries each article's revisions with their
full texts, its notes with every link and state, its events, each row's seal and hash, and,
closing each chain, the head its last writer recorded. A reader given one article's export
can therefore recompute everything `verify` does for that article (texts against their
hashes, seals, chains, events against rows, the head) and, given a checkpoint that the outlet
published, check that the history is the one it vouched for then.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from revtrack.errors import InvalidInput
from revtrack.records import EventRecord, RevisionRecord
from revtrack.service.checkpoint import compare_chain
from revtrack.service.history import History, VerifyReport
from revtrack.service.integrity import check_history
from revtrack.service.transfer import FORMAT, REVISION_FIELDS


def _t(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


class _Chain:
    """One chain's records as they come, until its head closes it."""

    def __init__(self, name: str, article: dict[str, Any] | None) -> None:
        self.name = name
        self.article = article
        self.revisions: list[RevisionRecord] = []
        self.texts: dict[int, str] = {}
        self.corrections: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []
        self.states: list[dict[str, Any]] = []
        self.events: list[EventRecord] = []

    def revision(self, r: dict[str, Any]) -> None:
        values: dict[str, Any] = {k: r.get(k) for k in REVISION_FIELDS}
        values["captured_at"] = _t(values["captured_at"])
        values["ingested_at"] = _t(values["ingested_at"])
        number = int(values["number"])
        self.revisions.append(
            RevisionRecord(id=number, article_id=0, article_key=self.name, **values)
        )
        self.texts[number] = str(r.get("text", ""))

    def correction(self, r: dict[str, Any]) -> None:
        note = int(r["id"])
        self.corrections.append(
            {
                **{k: r.get(k) for k in ("kind", "label", "text", "printed_date", "origin")},
                "id": note,
                "actor": r.get("actor"),
                "created_at": _t(r.get("created_at")),
                "disclosed_revision_id": r.get("disclosed_revision"),
                "supersedes_id": r.get("supersedes"),
                "seal": r.get("seal"),
            }
        )
        for link in r.get("links", []):
            self.links.append(
                {
                    **link,
                    "correction_id": note,
                    "fixing_revision_id": link.get("fixing_revision"),
                    "created_at": _t(link.get("created_at")),
                }
            )
        for state in r.get("states", []):
            self.states.append(
                {
                    **state,
                    "correction_id": note,
                    "revision_id": state.get("revision"),
                    "created_at": _t(state.get("created_at")),
                }
            )

    def event(self, r: dict[str, Any]) -> None:
        self.events.append(
            EventRecord(
                id=0,
                chain=self.name,
                seq=int(r["seq"]),
                at=_t(r["at"]),  # type: ignore[arg-type]
                actor=r["actor"],
                action=r["action"],
                article_id=None,
                revision_id=r.get("revision"),
                correction_id=r.get("correction"),
                payload=dict(r.get("payload") or {}),
                prev_hash=r["prev_hash"],
                hash=r["hash"],
            )
        )

    def history(self, stored: dict[str, Any] | None) -> History:
        numbers = {r.number: r.number for r in self.revisions}
        return History(
            name=self.name,
            article=self.article,
            revisions=self.revisions,
            text=lambda r: self.texts[r.number],
            corrections=self.corrections,
            links=self.links,
            states=self.states,
            events=self.events,
            stored_head=stored,
            numbers=numbers,
            kind="bundle",
        )


def histories(lines: Iterable[str], source: str) -> Iterator[History]:
    """Each chain of an export, closed by its head record."""
    chain: _Chain | None = None
    seen_header = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{source}, line {number}: not JSON ({exc.msg}).") from None
        kind = r.get("type") if isinstance(r, dict) else None
        if kind == "header":
            if r.get("format") != FORMAT:
                raise InvalidInput(
                    f"{source} is not a revtrack export (format {r.get('format')!r})."
                )
            seen_header = True
        elif not seen_header:
            raise InvalidInput(
                f"{source} is not a revtrack export (no header).",
                "Give a file written by `revtrack export`.",
            )
        elif kind == "article":
            chain = _Chain(r["key"], {**r, "key": r["key"], "created_at": _t(r.get("created_at"))})
        elif kind in {"revision", "correction"} and chain is not None:
            getattr(chain, kind)(r)
        elif kind == "event":
            if chain is None or chain.name != r.get("chain"):
                chain = _Chain(str(r.get("chain")), None)
            chain.event(r)
        elif kind == "head":
            if chain is None or chain.name != r.get("chain"):
                chain = _Chain(str(r.get("chain")), None)
            stored = r if "head" in r else None
            yield chain.history(stored)
            chain = None
        else:
            raise InvalidInput(f"{source}, line {number}: unexpected {kind!r} record.")
    if chain is not None:
        raise InvalidInput(
            f"{source} ends inside the history of {chain.name}, before its head.",
            "The file was cut short: export it again.",
        )


def verify_lines(
    lines: Iterable[str], source: str, against: dict[str, Any] | None = None
) -> VerifyReport:
    report = VerifyReport()
    for history in histories(lines, source):
        walk = check_history(history, report)
        compare_chain(history, walk, report, against)
    if not report.heads:
        raise InvalidInput(f"{source} holds no history with a head.", "Export it again.")
    return report
