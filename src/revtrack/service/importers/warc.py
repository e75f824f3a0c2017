"""`import --from warc FILES…`: the HTML pages captured in WARC files, as their articles' revisions.

Every ``response`` record with a 200 HTML page is a version of its URL's article at its
WARC-Date, read exactly as `ingest URL` reads a live page (charset from the HTTP headers,
trafilatura's extraction); the URL is the page's canonical link where it has one, so the
captures of ``…/story?utm_source=x`` and ``…/story`` are one article, keyed as `ingest URL`
keys it. A ``revisit`` record (the crawler saw the same payload again) and a response whose
payload digest was seen before are versions too, of the text already read: unchanged, or a
revert when the page went back to an earlier text. Redirects, error responses, non-HTML
responses and records of other types are counted, not stored.

Files are streamed with warcio (gzip per record, or uncompressed). A first pass reads every
record once, keeping only where each page is (file, offset) and its headers, so memory does
not grow with the size of the files; the reader processes then read each article's records
by offset, extract and analyse them. A record that cannot be read is named with its file and
offset and the rest is imported: the scan resumes at the next intact record.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, ClassVar
from urllib.parse import urldefrag, urljoin

from revtrack.errors import SourceError
from revtrack.service.importers.base import (
    Capture,
    KeyBook,
    Plan,
    ScanReport,
    analysed,
    name,
    utc,
)
from revtrack.service.sources import Fetched, SourceKind, from_response, max_bytes_allowed

_CANONICAL = re.compile(rb"""<link\b[^>]*?\brel\s*=\s*["']?canonical["']?[^>]*>""", re.I | re.S)
_HREF = re.compile(rb"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
HEAD_BYTES = 65536  # where a page's canonical link is looked for
GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/1."


@dataclass(frozen=True)
class Record:
    """Where one captured page is, and what its headers said."""

    file: str
    offset: int
    date: datetime
    record_id: str
    uri: str
    digest: str | None
    content_type: str
    revisit_of: tuple[str, int] | None = None  # the response a revisit record stands for


@dataclass(frozen=True)
class PageHistory:
    key: str
    url: str
    records: tuple[Record, ...]


def canonical_url(head: bytes, uri: str) -> str:
    """The page's canonical URL (its ``<link rel=canonical>``), else its own, fragment cut."""
    match = _CANONICAL.search(head)
    if match:
        href = _HREF.search(match.group(0))
        if href:
            raw = next(g for g in href.groups() if g is not None).decode("utf-8", "replace")
            if raw.strip():
                return str(urldefrag(urljoin(uri, raw.strip())).url)
    return str(urldefrag(uri).url)


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


def _next_start(handle: BinaryIO, after: int, gzipped: bool) -> int | None:
    """Where the next record may start after a damaged one (the next gzip member or WARC
    header line), or None at the end of the file."""
    magic = GZIP_MAGIC if gzipped else WARC_MAGIC
    position = after + 1
    handle.seek(position)
    carry = b""
    while True:
        chunk = handle.read(1 << 20)
        if not chunk:
            return None
        data = carry + chunk
        found = data.find(magic)
        if found >= 0:
            return position - len(carry) + found
        carry = data[-(len(magic) - 1) :]
        position += len(chunk)


def load_record(handle: BinaryIO, offset: int) -> tuple[bytes, str]:
    """The HTTP body and content type of the response record at ``offset``."""
    from warcio.archiveiterator import ArchiveIterator

    handle.seek(offset)
    record = next(iter(ArchiveIterator(handle)))
    content_type = record.http_headers.get_header("Content-Type") or ""
    body = record.content_stream().read(max_bytes_allowed() + 1)
    return body, content_type


@dataclass(frozen=True)
class WarcArchive:
    files: tuple[str, ...]

    importer: ClassVar[SourceKind] = "warc"
    keep_order: ClassVar[bool] = False

    @property
    def paths(self) -> tuple[str, ...]:
        """The files given, a folder standing for the WARC files in it (a crawler's output)."""
        found: set[str] = set()
        for given in map(Path, self.files):
            if given.is_dir():
                found.update(
                    str(p.resolve())
                    for p in given.iterdir()
                    if p.is_file() and p.name.lower().endswith((".warc", ".warc.gz"))
                )
            else:
                found.add(str(given.resolve()))
        return tuple(sorted(found))

    @property
    def batch(self) -> str:
        return name("warc", *self.paths)

    def scan(self, report: ScanReport) -> dict[str, PageHistory]:
        pages: dict[str, list[Record]] = {}
        first_of: dict[str, tuple[str, int, str]] = {}  # payload digest -> first response, URL
        revisits: list[Record] = []
        if not self.paths:
            raise SourceError(
                f"No WARC files in {', '.join(self.files)}.",
                "Give .warc or .warc.gz files, or a folder that holds them.",
            )
        for path in self.paths:
            if not Path(path).is_file():
                raise SourceError(f"No such WARC file: {path}.", "Check the path.")
            self._scan_file(path, pages, first_of, revisits, report)
        for revisit in revisits:
            original = first_of.get(revisit.digest or "")
            if original is None:
                report.counts["revisits of records not in these files"] += 1
                continue
            where, offset, url = original
            pages.setdefault(url, []).append(replace(revisit, revisit_of=(where, offset)))
        keys = KeyBook(pages)
        units: dict[str, PageHistory] = {}
        for url, records in pages.items():
            records.sort(key=lambda r: (r.date, self.paths.index(r.file), r.offset))
            history = PageHistory(keys[url], url, tuple(records))
            units[name(history.key, records[-1].record_id)] = history
        return units

    def _scan_file(
        self,
        path: str,
        pages: dict[str, list[Record]],
        first_of: dict[str, tuple[str, int, str]],
        revisits: list[Record],
        report: ScanReport,
    ) -> None:
        from warcio.archiveiterator import ArchiveIterator

        label = Path(path).name
        limit = max_bytes_allowed()
        with open(path, "rb") as handle:
            gzipped = handle.read(3) == GZIP_MAGIC
            start: int | None = 0
            resyncing = False  # looking for the next intact record after a damaged one
            while start is not None:
                handle.seek(start)
                iterator = ArchiveIterator(handle)
                read = 0
                try:
                    for record in iterator:
                        self._one(
                            record, path, iterator.offset, limit, pages, first_of, revisits, report
                        )
                        iterator.read_to_end()
                        read += 1
                    start = None
                except Exception as exc:  # warcio, zlib and header parsing raise many kinds
                    if not (resyncing and read == 0):
                        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
                        report.problems.append(
                            f"{label}: the record at offset {iterator.offset} is damaged "
                            f"({type(exc).__name__}{': ' + reason if reason else ''}); "
                            "reading went on at the next intact record."
                        )
                    # A false start (the magic bytes inside compressed data) fails at once and
                    # is passed over silently.
                    resyncing = True
                    start = _next_start(handle, max(iterator.offset, start), gzipped)

    def _one(
        self,
        record: Any,
        path: str,
        offset: int,
        limit: int,
        pages: dict[str, list[Record]],
        first_of: dict[str, tuple[str, int, str]],
        revisits: list[Record],
        report: ScanReport,
    ) -> None:
        kind = record.rec_type
        if kind not in ("response", "revisit"):
            report.counts[f"{kind} records"] += 1
            return
        headers = record.rec_headers
        uri = headers.get_header("WARC-Target-URI") or ""
        when = _date(headers.get_header("WARC-Date"))
        if not uri.lower().startswith(("http://", "https://")) or when is None:
            report.counts["records without an http(s) URI or a date"] += 1
            return
        http = record.http_headers
        status = int(http.get_statuscode() or 0) if http is not None else 0
        record_id = headers.get_header("WARC-Record-ID") or f"{Path(path).name}@{offset}"
        digest = headers.get_header("WARC-Payload-Digest")
        content_type = (http.get_header("Content-Type") or "") if http is not None else ""
        if kind == "revisit":
            if status not in (0, 200) or not digest:
                report.counts["revisits of other responses"] += 1
                return
            found = Record(path, offset, when, record_id, uri, digest, content_type)
            revisits.append(found)
            return
        if status != 200:
            label = (
                "redirects"
                if 300 <= status < 400
                else "error responses"
                if status >= 400
                else "responses without a page"
            )
            report.counts[label] += 1
            return
        if content_type and "html" not in content_type.lower():
            report.counts["non-HTML responses"] += 1
            return
        stream = record.content_stream()
        head = stream.read(HEAD_BYTES)
        if not digest:
            hasher = hashlib.sha1(head)
            size = len(head)
            while size <= limit:
                chunk = stream.read(1 << 16)
                if not chunk:
                    break
                hasher.update(chunk)
                size += len(chunk)
            digest = "sha1:" + base64.b32encode(hasher.digest()).decode("ascii")
        url = canonical_url(head, uri)
        first_of.setdefault(digest, (path, offset, url))
        pages.setdefault(url, []).append(
            Record(path, offset, when, record_id, uri, digest, content_type)
        )

    def read(self, unit: PageHistory) -> Plan:
        handles: dict[str, BinaryIO] = {}
        try:
            return self._read(unit, handles)
        finally:
            for handle in handles.values():
                handle.close()

    def _read(self, unit: PageHistory, handles: dict[str, BinaryIO]) -> Plan:
        captures: list[Capture] = []
        problems: list[str] = []
        counts: dict[str, int] = {}
        read_before: dict[str, Fetched] = {}  # payload digest -> the page it gave
        limit = max_bytes_allowed()
        for record in unit.records:
            where_file, where_offset = record.revisit_of or (record.file, record.offset)
            label = f"{Path(record.file).name}: record {record.record_id} at offset {record.offset}"
            fetched = read_before.get(record.digest or "")
            if fetched is None:
                try:
                    if where_file not in handles:
                        handles[where_file] = open(where_file, "rb")  # noqa: SIM115
                    body, content_type = load_record(handles[where_file], where_offset)
                except Exception as exc:  # a damaged record: named, the others still read
                    problems.append(f"{label} cannot be read ({type(exc).__name__}).")
                    continue
                try:
                    fetched = from_response(
                        body,
                        url=record.uri,
                        content_type=content_type or record.content_type,
                        source=record.uri,
                        max_bytes=limit,
                        kind="warc",
                    )
                except SourceError as exc:
                    problems.append(f"{label} ({record.uri}): {exc.message}")
                    continue
                if record.digest:
                    read_before[record.digest] = fetched
            else:
                reason = "revisits" if record.revisit_of else "duplicate payloads"
                counts[reason] = counts.get(reason, 0) + 1
            meta: dict[str, Any] = {
                "file": Path(record.file).name,
                "offset": record.offset,
                "target_uri": record.uri,
            }
            if record.digest:
                meta["payload_digest"] = record.digest
            if record.revisit_of:
                meta["revisit"] = True
            captures.append(
                Capture(
                    text=fetched.text,
                    captured_at=record.date,
                    source=f"warc:{Path(record.file).name}:{record.offset}",
                    source_id=record.record_id,
                    title=fetched.title,
                    byline=fetched.byline,
                    url=unit.url,
                    outlet=fetched.outlet,
                    meta=meta,
                )
            )
        return Plan(unit.key, analysed(captures), tuple(problems), counts, url=unit.url)
