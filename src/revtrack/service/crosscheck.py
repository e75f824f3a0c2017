"""Events against the rows they describe, and every row against its event.

The event log is its own hash chain; the rows are sealed in theirs. This ties the two: each
revision has exactly one ``ingest`` event naming its number (and the provenance an importer
gave); each note has the one event that found or added it, with its kind, label and text;
a note's links and states match, in order, the events that linked, relinked, removed, brought
back or retracted it. A row removed with its seal chain mended still leaves its event; an
event removed leaves its row without one.
"""

from __future__ import annotations

from typing import Any

from revtrack.records import EventRecord
from revtrack.service.history import (
    History,
    VerifyReport,
    where_event,
    where_note,
    where_revision,
)

NOTE_MADE = {
    "correction.detected",
    "correction.amended",
    "correction.added",
    "correction.superseded",
}
LINKED = {"correction.linked", "correction.relinked"}
STATED = {
    "correction.removed": "removed",
    "correction.returned": "returned",
    "correction.retracted": "retracted",
}
PROVENANCE = ("importer", "source_id")


def cross_check(h: History, report: VerifyReport) -> None:
    notes = {int(c["id"]): c for c in h.corrections}
    ingests: dict[int, list[EventRecord]] = {}
    made: dict[int, list[EventRecord]] = {}
    linked: dict[int, list[EventRecord]] = {}
    stated: dict[int, list[EventRecord]] = {}
    for event in h.events:
        where = where_event(h, event)
        number = None
        if event.revision_id is not None:
            number = h.numbers.get(int(event.revision_id))
            if number is None:
                report.problem(
                    f"{where}: refers to revision {event.revision_id}, "
                    f"which is not a revision of {h.name}."
                )
        note = event.correction_id
        if note is not None and int(note) not in notes:
            report.problem(f"{where}: refers to note #{note}, which is not a note of {h.name}.")
            note = None
        payload = event.payload
        said = payload.get("revision")
        if number is not None and isinstance(said, int) and said != number:
            report.problem(f"{where}: says v{said}, the revision it names is v{number}.")
        if event.action == "ingest":
            if number is not None:
                ingests.setdefault(number, []).append(event)
            if number is not None and payload.get("number") != number:
                report.problem(
                    f"{where}: says v{payload.get('number')}, its revision is v{number}."
                )
        elif event.action == "ingest.unchanged":
            same = payload.get("same_as")
            if same is not None and number is not None and same != number:
                report.problem(f"{where}: says unchanged from v{same}, its revision is v{number}.")
        elif note is None:
            continue
        elif event.action in NOTE_MADE:
            made.setdefault(int(note), []).append(event)
        elif event.action in LINKED:
            linked.setdefault(int(note), []).append(event)
        elif event.action in STATED:
            stated.setdefault(int(note), []).append(event)
    _revisions(h, report, ingests)
    _notes(h, report, made)
    _pairs(h, report, "links", linked, _link_matches)
    _pairs(h, report, "states", stated, _state_matches)


def _revisions(h: History, report: VerifyReport, ingests: dict[int, list[EventRecord]]) -> None:
    for revision in h.revisions:
        where = where_revision(h, revision)
        events = ingests.get(revision.number, [])
        if not events:
            report.problem(f"{where}: no ingest event records it.")
            continue
        if len(events) > 1:
            report.problem(f"{where}: recorded by {len(events)} ingest events.")
        payload = events[0].payload
        claimed = {k: payload.get(k) for k in (*PROVENANCE, "source") if k in payload}
        stored = {k: revision.meta.get(k) for k in PROVENANCE if revision.meta.get(k)}
        if not claimed and not stored:
            continue
        if stored:
            stored["source"] = revision.source
        if claimed != stored:
            report.problem(f"{where}: source or provenance does not match its ingest event.")


def _notes(h: History, report: VerifyReport, made: dict[int, list[EventRecord]]) -> None:
    for place, row in enumerate(h.corrections, start=1):
        where = where_note(h, "corrections", row, place)
        events = made.get(int(row["id"]), [])
        if len(events) != 1:
            report.problem(
                f"{where}: no event records it."
                if not events
                else f"{where}: recorded by {len(events)} events."
            )
            continue
        payload = events[0].payload
        for name in ("kind", "label", "text"):
            if name in payload and payload[name] != row[name]:
                report.problem(f"{where}: {name} does not match its {events[0].action} event.")
        if (payload.get("supersedes") is None) != (row.get("supersedes_id") is None):
            report.problem(f"{where}: supersedes does not match its {events[0].action} event.")
        if events[0].action in {"correction.detected", "correction.amended"}:
            disclosed = row.get("disclosed_revision_id")
            number = None if disclosed is None else h.numbers.get(int(disclosed))
            if payload.get("revision") != number:
                report.problem(
                    f"{where}: disclosing revision does not match its {events[0].action} event."
                )


def _link_matches(row: dict[str, Any], number: int | None, event: EventRecord) -> str | None:
    payload = event.payload
    said = payload.get("fixing_revision", payload.get("to"))
    if said != number:
        return "fixing revision"
    if abs(float(payload.get("confidence", 0.0)) - float(row["confidence"])) > 5e-5:
        return "confidence"
    if "matched" in payload and bool(payload["matched"]) != bool(row["matched"]):
        return "matched"
    if payload.get("linker") != row["linker_version"]:
        return "linker"
    return None


def _state_matches(row: dict[str, Any], number: int | None, event: EventRecord) -> str | None:
    payload = event.payload
    if STATED[event.action] != row["state"]:
        return "state"
    if "revision" in payload and payload["revision"] != number:
        return "revision"
    if "reason" in payload and payload["reason"] != row["reason"]:
        return "reason"
    return None


def _pairs(
    h: History,
    report: VerifyReport,
    table: str,
    events: dict[int, list[EventRecord]],
    matches: Any,
) -> None:
    """The k-th link (state) row of each note against the k-th event that made it."""
    ref = "fixing_revision_id" if table == "links" else "revision_id"
    rows = h.links if table == "links" else h.states
    seen: dict[int, int] = {}
    for place, row in enumerate(rows, start=1):
        note = int(row["correction_id"])
        k = seen.get(note, 0)
        seen[note] = k + 1
        where = where_note(h, table, row, place)
        mine = events.get(note, [])
        if k >= len(mine):
            report.problem(f"{where}: no event records it.")
            continue
        revision = row.get(ref)
        number = None if revision is None else h.numbers.get(int(revision))
        wrong = matches(row, number, mine[k])
        if wrong:
            report.problem(f"{where}: {wrong} does not match its {mine[k].action} event.")
    for note, mine in events.items():
        for event in mine[seen.get(note, 0) :]:
            report.problem(
                f"{where_event(h, event)}: the {table[:-1]} it records of note #{note} is missing."
            )
