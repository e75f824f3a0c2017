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
record once, keeping only where each page is (file, offset) and its headers, and the revisit
records in a temporary SQLite file (:class:`Revisits`) until every file is read, so memory
grows with the pages found (a few hundred bytes each), not with the records or the bytes of
the files; the reader processes then read each article's records by offset, extract and
analyse them. A record that cannot be read is named with its file and
offset and the rest is imported: the scan resumes at the next intact record.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
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


class Revisits:
    """The revisit records of a scan, kept in a temporary SQLite file until every file is read.

    A revisit stands for an earlier response with the same payload digest, which may be in a
    file read later (or earlier), so none can be resolved before the scan ends; and in a crawl
    nearly all are of images, scripts and styles (31,000 of 53,000 records in a gigabyte of
    the benchmark's crawl), which never match a page. Held in memory they made the scan grow
    with the files (about 500 bytes each); here they cost a few pages of SQLite's cache.
    """

    BATCH = 1000  # rows buffered before they are written

    def __init__(self) -> None:
        import sqlite3
        import tempfile

        self._folder = tempfile.TemporaryDirectory(prefix="revtrack-warc-")
        self._db = sqlite3.connect(str(Path(self._folder.name) / "revisits.db"))
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute(
            "CREATE TABLE revisits (file TEXT, offset INTEGER, date TEXT, record_id TEXT, "
            "uri TEXT, digest TEXT, content_type TEXT)"
        )
        self._buffer: list[tuple[str, int, str, str, str, str | None, str]] = []
        self.count = 0

    def append(self, record: Record) -> None:
        self._buffer.append(
            (
                record.file,
                record.offset,
                record.date.isoformat(),
                record.record_id,
                record.uri,
                record.digest,
                record.content_type,
            )
        )
        self.count += 1
        if len(self._buffer) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO revisits VALUES (?, ?, ?, ?, ?, ?, ?)", self._buffer)
        self._buffer.clear()

    def mark(self) -> int:
        """Where the records added from now on start (see :meth:`drop_from`)."""
        return self.count

    def drop_from(self, mark: int) -> None:
        """Forget the records added since ``mark`` (a file read again from its start)."""
        self._flush()
        self._db.execute("DELETE FROM revisits WHERE rowid > ?", (mark,))
        self.count = mark

    def __iter__(self) -> Iterator[Record]:
        """Every record, in the order they were added."""
        self._flush()
        rows = self._db.execute(
            "SELECT file, offset, date, record_id, uri, digest, content_type FROM revisits "
            "ORDER BY rowid"
        )
        for file, offset, date, record_id, uri, digest, content_type in rows:
            yield Record(
                file, offset, datetime.fromisoformat(date), record_id, uri, digest, content_type
            )

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()


@dataclass(frozen=True)
class Head:
    """What the scan needs of a record's headers, from warcio or from fastwarc alike."""

    kind: str
    uri: str
    date: str | None
    status: int  # of the HTTP response the record holds; 0 without one
    record_id: str | None
    digest: str | None
    content_type: str

    def sort(self, path: str, offset: int) -> str | tuple[bool, Record]:
        """The reason the record is left out (the count's label), or whether it is a revisit
        and its :class:`Record` (a page's body is still to be read, a revisit's original to
        be found)."""
        if self.kind not in ("response", "revisit"):
            return f"{self.kind} records"
        when = _date(self.date)
        if not self.uri.lower().startswith(("http://", "https://")) or when is None:
            return "records without an http(s) URI or a date"
        record_id = self.record_id or f"{Path(path).name}@{offset}"
        found = Record(path, offset, when, record_id, self.uri, self.digest, self.content_type)
        if self.kind == "revisit":
            if self.status not in (0, 200) or not self.digest:
                return "revisits of other responses"
            return True, found
        if self.status != 200:
            if 300 <= self.status < 400:
                return "redirects"
            return "error responses" if self.status >= 400 else "responses without a page"
        if self.content_type and "html" not in self.content_type.lower():
            return "non-HTML responses"
        return False, found


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


def _read_head(stream: Any, found: Record, limit: int) -> tuple[bytes, str]:
    """A page's first bytes (where its canonical link is looked for) and its payload digest:
    the record's own, else the SHA-1 of the body, read to the end for it."""
    first: bytes = stream.read(HEAD_BYTES)
    if found.digest:
        return first, found.digest
    hasher = hashlib.sha1(first)
    size = len(first)
    while size <= limit:
        chunk = stream.read(1 << 16)
        if not chunk:
            break
        hasher.update(chunk)
        size += len(chunk)
    return first, "sha1:" + base64.b32encode(hasher.digest()).decode("ascii")


def _add_page(
    found: Record,
    first: bytes,
    digest: str,
    pages: dict[str, list[Record]],
    first_of: dict[str, tuple[str, int, str]],
) -> None:
    url = canonical_url(first, found.uri)
    first_of.setdefault(digest, (found.file, found.offset, url))
    pages.setdefault(url, []).append(replace(found, digest=digest))


def _plain_body(record: Any) -> bool:
    """Whether a fastwarc record's payload is the page's bytes as warcio would give them
    (warcio undoes chunked transfer and content encodings; such records are left to it)."""
    http = record.http_headers
    return (
        http is not None and not http.get("Content-Encoding") and not http.get("Transfer-Encoding")
    )


def _target_uri(uri: str) -> str:
    """The target URI as warcio gives it (it mends two faults of some crawlers' files)."""
    if uri.startswith("<") and uri.endswith(">"):
        uri = uri[1:-1]
    return uri.replace(" ", "%20")


def _fast_head(record: Any) -> Head:
    """A fastwarc record's :class:`Head`; a response whose HTTP headers fastwarc did not parse
    is sorted as a page, so that warcio reads it."""
    headers = record.headers
    http = record.http_headers
    kind = str(headers.get("WARC-Type") or "")
    if http is None and kind == "response":
        status, content_type = 200, ""
    else:
        status = int(http.status_code or 0) if http is not None else 0
        content_type = str(http.get("Content-Type") or "") if http is not None else ""
    return Head(
        kind=kind,
        uri=_target_uri(str(headers.get("WARC-Target-URI") or "")),
        date=headers.get("WARC-Date"),
        status=status,
        record_id=headers.get("WARC-Record-ID"),
        digest=headers.get("WARC-Payload-Digest"),
        content_type=content_type,
    )


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
    fast: bool = True  # sort records with fastwarc where installed (False: warcio only)

    importer: ClassVar[SourceKind] = "warc"
    keep_order: ClassVar[bool] = False
    extracts_html: ClassVar[bool] = True

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
        if not self.paths:
            raise SourceError(
                f"No WARC files in {', '.join(self.files)}.",
                "Give .warc or .warc.gz files, or a folder that holds them.",
            )
        for path in self.paths:
            if not Path(path).is_file():
                raise SourceError(f"No such WARC file: {path}.", "Check the path.")
        revisits = Revisits()
        try:
            for path in self.paths:
                self._scan_file(path, pages, first_of, revisits, report)
            for revisit in revisits:
                original = first_of.get(revisit.digest or "")
                if original is None:
                    report.counts["revisits of records not in these files"] += 1
                    continue
                where, offset, url = original
                pages.setdefault(url, []).append(replace(revisit, revisit_of=(where, offset)))
        finally:
            revisits.close()
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
        revisits: Revisits,
        report: ScanReport,
    ) -> None:
        from warcio.archiveiterator import ArchiveIterator

        label = Path(path).name
        limit = max_bytes_allowed()
        with open(path, "rb") as handle:
            gzipped = handle.read(3) == GZIP_MAGIC
            start: int | None = self._scan_fast(
                path, handle, limit, pages, first_of, revisits, report
            )
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

    def _scan_fast(
        self,
        path: str,
        handle: BinaryIO,
        limit: int,
        pages: dict[str, list[Record]],
        first_of: dict[str, tuple[str, int, str]],
        revisits: Revisits,
        report: ScanReport,
    ) -> int:
        """Sort the file's records from their headers with fastwarc, where it is installed;
        return the offset where warcio must go on (0: the whole file).

        Reading every record through warcio (decompressing it, parsing its headers in Python)
        was most of the scan of a crawl, where images, scripts and revisits far outnumber
        pages. fastwarc reads headers several times faster; only the pages, whose body is
        read, and the responses whose HTTP headers it could not parse, are read again with
        warcio, so a page is read exactly as before. The last record and anything after it
        are left to warcio (fastwarc passes over a truncated last record without a word),
        and so is the whole file when fastwarc finds anything wrong: then what it found is
        dropped and warcio's reading, with its account of each damaged record, is the one.
        """
        if not self.fast:
            return 0
        try:
            from fastwarc.warc import ArchiveIterator as FastIterator
        except ImportError:
            return 0

        found: dict[str, list[Record]] = {}
        firsts: dict[str, tuple[str, int, str]] = {}
        mark = revisits.mark()
        tally = ScanReport()
        # Each record is stored when the next one is found: the last is left to warcio.
        pending: tuple[str | tuple[bool, Record], tuple[bytes, str] | None] | None = None
        last_offset = 0
        try:
            for record in FastIterator(path, parse_http=True, fsspec_args=False):
                offset = int(record.stream_pos)
                sorted_ = _fast_head(record).sort(path, offset)
                head = None
                if not isinstance(sorted_, str) and not sorted_[0] and _plain_body(record):
                    head = _read_head(record.reader, sorted_[1], limit)
                if pending is not None:
                    self._store_fast(handle, limit, *pending, found, firsts, revisits, tally)
                pending, last_offset = (sorted_, head), offset
        except Exception:  # any trouble at all: warcio reads the file and says what it was
            revisits.drop_from(mark)
            return 0
        for url, records in found.items():
            pages.setdefault(url, []).extend(records)
        for digest, where in firsts.items():
            first_of.setdefault(digest, where)
        report.counts.update(tally.counts)
        return last_offset

    def _store_fast(
        self,
        handle: BinaryIO,
        limit: int,
        sorted_: str | tuple[bool, Record],
        head: tuple[bytes, str] | None,
        pages: dict[str, list[Record]],
        first_of: dict[str, tuple[str, int, str]],
        revisits: Revisits,
        report: ScanReport,
    ) -> None:
        if isinstance(sorted_, str):
            report.counts[sorted_] += 1
            return
        is_revisit, found = sorted_
        if is_revisit:
            revisits.append(found)
        elif head is not None:
            _add_page(found, *head, pages, first_of)
        else:  # a page fastwarc cannot give as warcio does: read with warcio
            from warcio.archiveiterator import ArchiveIterator

            handle.seek(found.offset)
            page = next(iter(ArchiveIterator(handle)))
            self._one(page, found.file, found.offset, limit, pages, first_of, revisits, report)

    def _one(
        self,
        record: Any,
        path: str,
        offset: int,
        limit: int,
        pages: dict[str, list[Record]],
        first_of: dict[str, tuple[str, int, str]],
        revisits: Revisits,
        report: ScanReport,
    ) -> None:
        """Sort one record read by warcio; a page's head is read for its canonical link."""
        if record.rec_type not in ("response", "revisit"):  # a request has no status code
            report.counts[f"{record.rec_type} records"] += 1
            return
        headers = record.rec_headers
        http = record.http_headers
        head = Head(
            kind=record.rec_type,
            uri=headers.get_header("WARC-Target-URI") or "",
            date=headers.get_header("WARC-Date"),
            status=int(http.get_statuscode() or 0) if http is not None else 0,
            record_id=headers.get_header("WARC-Record-ID"),
            digest=headers.get_header("WARC-Payload-Digest"),
            content_type=(http.get_header("Content-Type") or "") if http is not None else "",
        )
        sorted_ = head.sort(path, offset)
        if isinstance(sorted_, str):
            report.counts[sorted_] += 1
            return
        is_revisit, found = sorted_
        if is_revisit:
            revisits.append(found)
            return
        _add_page(found, *_read_head(record.content_stream(), found, limit), pages, first_of)

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
