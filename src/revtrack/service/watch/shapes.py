"""The watch records as the dicts both faces print (`watch list --format json`, status)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from revtrack.records import HostRecord, WatchRecord
from revtrack.service.watch.schedule import format_duration


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def watch_dict(w: WatchRecord) -> dict[str, Any]:
    return {
        "id": w.id,
        "kind": w.kind,
        "url": w.url,
        "host": w.host,
        "pattern": w.pattern or None,
        "state": w.state,
        "article": w.article_key,
        "parent": w.parent_id,
        "merged_into": w.merged_into,
        "every_seconds": w.every_s,
        "until_seconds": w.until_s,
        "first_seen": _iso(w.born_at),
        "added_at": _iso(w.added_at),
        "next_at": None if w.claim_token else _iso(w.next_at),
        "fetching": w.claim_token is not None,
        "last_fetch_at": _iso(w.last_fetch_at),
        "last_status": w.last_status,
        "last_result": w.last_result or None,
        "last_error": w.last_error or None,
        "last_change_at": _iso(w.last_change_at),
        "changes": w.change_count,
        "fetches": w.fetch_count,
        "failures": w.fails,
    }


def host_dict(h: HostRecord) -> dict[str, Any]:
    return {
        "host": h.host,
        "concurrency": h.concurrency,
        "delay_seconds": h.delay_ms / 1000,
        "skip": list(h.skip),
        "include": list(h.include),
        "remove": list(h.remove),
        "robots": h.robots,
    }


def next_text(w: WatchRecord, now: datetime) -> str:
    """When it is next due, for a table: 'now', 'in 15m', 'fetching', '-'."""
    if w.claim_token:
        return "fetching"
    if w.next_at is None:
        return "-"
    if w.next_at <= now:
        return "now"
    return "in " + format_duration(w.next_at - now)


def last_text(w: WatchRecord) -> str:
    if w.last_fetch_at is None:
        return "never"
    status = f" {w.last_status}" if w.last_status else ""
    return f"{w.last_result or '?'}{status}"
