"""`backfill URL`: the Internet Archive's captures of one article URL, as its revisions.

The CDX server lists the captures (``/cdx/search/cdx``: timestamp, original URL, MIME type,
status, payload digest); each 200 HTML capture is fetched in its original form
(``/web/<timestamp>id_/<url>``, the page as the crawler saw it, without the archive's
banner) and read as `ingest URL` reads a live page, at the capture's time, with its archive
URL as source. A capture whose digest is the one before it is an unchanged version and costs
no request. Requests are spaced (one a second by default, ``REVTRACK_WAYBACK_INTERVAL``) and
retried with back-off on 429, 5xx and timeouts, honouring Retry-After.

The captures are imported in chunks, each committed on its own through the bulk path, so an
interrupted backfill resumes after the last chunk it stored and a rerun asks only for what is
new. A CDX line that is not a capture is named and skipped. History is kept in capture order:
an article that already has revisions gets only captures after its latest one.

httpx talks to the archive (already revtrack's HTTP client); EDGI's ``wayback`` library
fixes the archive's host in the module and stops at the first unparseable CDX line, which
would lose the lines after it. ``REVTRACK_WAYBACK_URL`` points at another Wayback-compatible
server (a local one in the tests).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from revtrack.errors import SourceError
from revtrack.service.importers.base import Capture, Plan, ScanReport, analysed, name
from revtrack.service.sources import Fetched, SourceKind, from_response, max_bytes_allowed

DEFAULT_ARCHIVE = "https://web.archive.org"
CHUNK = 10  # captures per committed unit: what an interruption can lose
TRIES = 4
USER_AGENT = "revtrack backfill (+revision tracking of news articles)"


def archive_base() -> str:
    return os.environ.get("REVTRACK_WAYBACK_URL", DEFAULT_ARCHIVE).rstrip("/")


def interval() -> float:
    return float(os.environ.get("REVTRACK_WAYBACK_INTERVAL", "1"))


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d%H%M%S")


@dataclass(frozen=True)
class Snapshot:
    timestamp: str  # 14 digits, UTC
    original: str
    digest: str

    @property
    def when(self) -> datetime:
        return datetime.strptime(self.timestamp, "%Y%m%d%H%M%S")


@dataclass(frozen=True)
class Chunk:
    key: str
    url: str
    snapshots: tuple[Snapshot, ...]
    before: str | None  # the digest of the capture just before this chunk, if any


class Client:
    """Polite GETs to the archive: spaced, retried with back-off, one connection."""

    def __init__(self) -> None:
        import httpx

        self.http = httpx.Client(
            timeout=30, follow_redirects=True, headers={"User-Agent": USER_AGENT}
        )
        self.last = 0.0

    def get(self, url: str, params: dict[str, Any] | None = None) -> Any:
        import httpx

        wait = max(interval(), 0.0)
        for attempt in range(TRIES):
            pause = self.last + wait - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            self.last = time.monotonic()
            try:
                response = self.http.get(url, params=params)
            except httpx.HTTPError as exc:
                if attempt == TRIES - 1:
                    raise SourceError(
                        f"{url} did not answer ({type(exc).__name__}).",
                        "Check the network and run the backfill again; it resumes.",
                    ) from None
                time.sleep(wait * 2**attempt)
                continue
            if response.status_code in (429, 500, 502, 503, 504) and attempt < TRIES - 1:
                retry = response.headers.get("retry-after", "")
                time.sleep(float(retry) if retry.isdigit() else wait * 2**attempt)
                continue
            return response
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.http.close()


@dataclass(frozen=True)
class WaybackArchive:
    url: str
    key: str
    since: datetime | None = None
    until: datetime | None = None
    limit: int | None = None
    skip: frozenset[str] = field(default_factory=frozenset)  # archive URLs already imported

    importer: ClassVar[SourceKind] = "wayback"
    keep_order: ClassVar[bool] = False
    extracts_html: ClassVar[bool] = True

    @property
    def batch(self) -> str:
        return name("wayback", self.key, self.url)

    def scan(self, report: ScanReport) -> dict[str, Chunk]:
        client = Client()
        try:
            snapshots = self._captures(client, report)
        finally:
            client.close()
        units: dict[str, Chunk] = {}
        previous: str | None = None
        for start in range(0, len(snapshots), CHUNK):
            part = tuple(snapshots[start : start + CHUNK])
            # Names sort as the captures do, so chunks are claimed oldest first.
            units[name(self.key, part[-1].timestamp)] = Chunk(self.key, self.url, part, previous)
            previous = part[-1].digest
        return units

    def _captures(self, client: Client, report: ScanReport) -> list[Snapshot]:
        params: dict[str, Any] = {
            "url": self.url,
            "fl": "timestamp,original,mimetype,statuscode,digest",
        }
        if self.since:
            params["from"] = stamp(self.since)
        if self.until:
            params["to"] = stamp(self.until)
        cdx = f"{archive_base()}/cdx/search/cdx"
        response = client.get(cdx, params)
        if response.status_code != 200:
            raise SourceError(
                f"The archive's CDX server answered HTTP {response.status_code} for {self.url}.",
                "Try again later.",
            )
        found: list[Snapshot] = []
        for number, line in enumerate(response.text.splitlines(), start=1):
            if not line.strip():
                continue
            fields = line.split()
            if (
                len(fields) != 5
                or not (len(fields[0]) == 14 and fields[0].isdigit())
                or not fields[1].lower().startswith(("http://", "https://"))
            ):
                report.problems.append(
                    f"CDX line {number}: {line.strip()[:80]!r} is not a capture; skipped."
                )
                continue
            timestamp, original, mimetype, status, digest = fields
            try:
                Snapshot(timestamp, original, digest).when  # noqa: B018 - a real date?
            except ValueError:
                report.problems.append(f"CDX line {number}: {timestamp} is not a date; skipped.")
                continue
            if status != "200":
                kind = "redirects" if status.startswith("3") else "error captures"
                report.counts[kind if status != "-" else "revisit captures"] += 1
                continue
            if "html" not in mimetype.lower():
                report.counts["non-HTML captures"] += 1
                continue
            snapshot = Snapshot(timestamp, original, digest)
            if self.archive_url(snapshot) in self.skip:
                report.counts["already imported"] += 1
                continue
            found.append(snapshot)
        found.sort(key=lambda s: s.timestamp)
        if self.limit is not None and len(found) > self.limit:
            report.counts["beyond --limit"] += len(found) - self.limit
            found = found[: self.limit]
        return found

    @staticmethod
    def archive_url(snapshot: Snapshot) -> str:
        return f"{archive_base()}/web/{snapshot.timestamp}id_/{snapshot.original}"

    def read(self, unit: Chunk) -> Plan:
        client = Client()
        try:
            return self._read(unit, client)
        finally:
            client.close()

    def _read(self, unit: Chunk, client: Client) -> Plan:
        captures: list[Capture] = []
        problems: list[str] = []
        counts: dict[str, int] = {}
        last: tuple[str, Fetched] | None = None
        for snapshot in unit.snapshots:
            address = self.archive_url(snapshot)
            if last is not None and last[0] == snapshot.digest:
                fetched = last[1]  # the same payload as the capture before: no request
                counts["repeated payloads"] = counts.get("repeated payloads", 0) + 1
            else:
                try:
                    response = client.get(address)
                except SourceError as exc:
                    problems.append(f"{address}: {exc.message}")
                    continue
                if response.status_code != 200:
                    problems.append(f"{address}: the archive answered HTTP {response.status_code}.")
                    continue
                try:
                    fetched = from_response(
                        response.content,
                        url=snapshot.original,
                        content_type=response.headers.get("content-type", ""),
                        source=address,
                        max_bytes=max_bytes_allowed(),
                        kind="wayback",
                    )
                except SourceError as exc:
                    problems.append(f"{address}: {exc.message}")
                    continue
            last = (snapshot.digest, fetched)
            captures.append(
                Capture(
                    text=fetched.text,
                    captured_at=snapshot.when,
                    source=address,
                    source_id=address,
                    title=fetched.title,
                    byline=fetched.byline,
                    url=self.url,
                    outlet=fetched.outlet,
                    meta={"digest": snapshot.digest, "original": snapshot.original},
                )
            )
        return Plan(unit.key, analysed(captures), tuple(problems), counts)
