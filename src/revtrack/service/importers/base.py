"""What every archive importer shares: captures, one article's plan, and how a plan is stored.

An importer reads an archive someone already has (a git history, WARC files, the database of
NewsDiffs, diffengine or NewsEdits, the Wayback Machine's captures of a URL) and hands the bulk
import path (:func:`revtrack.service.bulk.run_import`) one *unit* per article. A unit is small
and picklable (where to find each version, not the text); reading it — decoding, extracting
HTML, analysing each version against the one before — is the text work, done in reader
processes; storing the plan it gives is the writer's, inside the claiming transaction.

A unit's name in ``import_items`` is the article key and the archive's id of its last version
(``posts/ferry@3f2a…``): a rerun finds the names of unchanged articles already done and skips
them unread, while an article with new versions gets a new name and is read again, the
versions already stored being skipped by their archive id (``source_id``), which every
imported revision keeps in its row and in its ingest event. So a rerun imports nothing twice.

History is append-only and kept in capture order, so a version captured before the article's
latest revision cannot be put in its place: it is reported, not imported, except where the
archive's own order is the truth (a git branch's commits), where its time is moved forward
and the original kept beside it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from revtrack.service.analysis import Analysis, Parent, analyze
from revtrack.service.sources import Fetched, SourceKind, key_from_url, slugify

if TYPE_CHECKING:
    # Only the writer stores: a reader process, which unpickles an importer (and so imports
    # this module) to read units, never loads SQLAlchemy and the store (0.4 s of its start).
    from revtrack.store import Store, Tx

MAX_NAME = 500  # import_items.batch and .doc are VARCHAR(500)


@dataclass(frozen=True)
class Capture:
    """One version of an article as an archive holds it, ready to store."""

    text: str
    captured_at: datetime  # naive UTC
    source: str  # the revision's source: where exactly it came from
    source_id: str  # the archive's own id of this version (commit, WARC-Record-ID, row id…)
    title: str | None = None
    byline: str | None = None
    url: str | None = None
    outlet: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    analysis: Analysis | None = None


@dataclass(frozen=True)
class Plan:
    """One article's captures, oldest first, and what could not be read of it."""

    key: str
    captures: tuple[Capture, ...]
    problems: tuple[str, ...] = ()  # one line each, naming the record
    counts: dict[str, int] = field(default_factory=dict)  # versions left out, by reason
    url: str | None = None  # set when the key was made from this URL (see settle_key)


class Archive(Protocol):
    """An importer: a batch name, units found by a scan, and the reading of one unit."""

    importer: ClassVar[SourceKind]
    keep_order: ClassVar[bool]  # the archive's order is the truth: times may be moved forward
    # Reading extracts HTML pages: left to the readers alone, as the extractor would add about
    # 50 MB to the writer (see run_import's writer_reads).
    extracts_html: ClassVar[bool]

    @property
    def batch(self) -> str: ...

    def scan(self, report: ScanReport) -> dict[str, Any]: ...

    def read(self, unit: Any) -> Plan: ...


@dataclass
class ScanReport:
    """What an importer found beside the units: counts of records left out, by reason;
    records it could not read; parts of a foreign schema revtrack has no place for."""

    counts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)


def name(*parts: str) -> str:
    """A batch or unit name from ``parts``, shortened with a digest when too long."""
    joined = ":".join(parts)
    if len(joined) <= MAX_NAME:
        return joined
    digest = hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]
    return f"{joined[: MAX_NAME - 18]}~{digest}"


def utc(moment: datetime) -> datetime:
    """A datetime as the store keeps it: naive UTC (naive input is taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def analysed(captures: Iterable[Capture]) -> tuple[Capture, ...]:
    """Each capture analysed against the one before it that changed the text.

    This assumes the article has no revision before the first capture: the writer checks
    that (:meth:`Analysis.fits`) and analyses again where it does not hold.
    """
    parent: Parent | None = None
    done: list[Capture] = []
    for capture in captures:
        analysis = analyze(capture.text, capture.title, parent)
        if not analysis.unchanged:
            parent = Parent(
                capture.text,
                analysis.text_hash,
                analysis.content_hash,
                analysis.title,
                analysis.words,
            )
        done.append(replace(capture, analysis=analysis.without_diff()))
    return tuple(done)


class KeyBook:
    """Article keys from URLs as ``ingest URL`` makes them (the last path segment), so a page
    imported from an archive and the same page ingested live are one article; two different
    URLs that would share a key both get the longer one of host and path instead."""

    def __init__(self, urls: Iterable[str]) -> None:
        by_key: dict[str, set[str]] = {}
        for url in urls:
            by_key.setdefault(key_from_url(url) or "page", set()).add(url)
        self.keys: dict[str, str] = {}
        for key, group in by_key.items():
            for url in group:
                self.keys[url] = key if len(group) == 1 else long_key(url)

    def __getitem__(self, url: str) -> str:
        return self.keys[url]


def long_key(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return slugify(f"{host}{parts.path}{'-' + parts.query if parts.query else ''}") or "page"


def settle_key(tx: Tx, plan: Plan) -> str:
    """The key of a URL-keyed plan, kept stable across imports.

    :class:`KeyBook` decides from the URLs of one import; the database may already hold the
    page under its short or its long key (from an import where it did or did not share its
    short key with another page), or another page under its short key.
    """
    url = plan.url
    if not url:
        return plan.key
    short, long = key_from_url(url) or "page", long_key(url)
    if plan.key not in (short, long) or short == long:
        return plan.key
    for candidate in (short, long):
        article = tx.get_article(candidate)
        if article is not None and article.url == url:
            return candidate
    if tx.get_article(short) is not None:  # another page has it
        return long
    return plan.key


def seen_ids(tx: Tx, key: str) -> tuple[set[str], datetime | None]:
    """The archive ids already stored for ``key`` (as revisions or as unchanged versions),
    and its latest capture time."""
    article = tx.get_article(key)
    if article is None:
        return set(), None
    seen = {str(r.meta["source_id"]) for r in tx.revisions(article.id) if r.meta.get("source_id")}
    for event in tx.chain_events(key):
        if event.action == "ingest.unchanged" and event.payload.get("source_id"):
            seen.add(str(event.payload["source_id"]))
    latest = tx.latest_revision(article.id)
    return seen, latest.captured_at if latest else None


def store_plan(
    tx: Tx, plan: Plan, *, importer: SourceKind, actor: str, keep_order: bool, tally: Counter[str]
) -> tuple[int, int, list[str]]:
    """Store ``plan``'s captures not stored before; return (revisions, notes, problems)."""
    from revtrack.service.ingest import ingest_fetched

    key = settle_key(tx, plan)
    seen, latest_at = seen_ids(tx, key)
    added = notes = 0
    problems = list(plan.problems)
    tally.update(plan.counts)
    for capture in plan.captures:
        if capture.source_id in seen:
            tally["already imported"] += 1
            continue
        when = capture.captured_at
        meta = {"importer": importer, "source_id": capture.source_id, **capture.meta}
        if latest_at is not None and when < latest_at:
            if not keep_order:
                problems.append(
                    f"{capture.source}: captured {when.isoformat(timespec='seconds')}, before "
                    f"{key}'s latest revision ({latest_at.isoformat(timespec='seconds')}); "
                    "history is kept in capture order, so it was not imported."
                )
                continue
            meta["archived_at"] = when.isoformat(timespec="seconds")
            when = latest_at
        fetched = Fetched(
            text=capture.text,
            source=capture.source,
            kind=importer,
            key_hint=key,
            title=capture.title,
            byline=capture.byline,
            url=capture.url,
            outlet=capture.outlet,
        )
        result = ingest_fetched(
            tx,
            fetched,
            key=key,
            captured_at=when,
            title=None,
            url=capture.url,
            actor=actor,
            meta=meta,
            ready=capture.analysis,
            provenance={
                "importer": importer,
                "source_id": capture.source_id,
                "source": capture.source,
            },
        )
        seen.add(capture.source_id)
        latest_at = when
        if result.status == "unchanged":
            tally["unchanged versions"] += 1
        else:
            added += 1
        notes += len(result.notes_added)
    return added, notes, problems


def versions_in(unit: Any) -> int:
    """How many versions a unit holds, for the progress bar's total: the length of its first
    tuple field (each importer's unit keeps its versions in one: steps, records, rows…)."""
    if dataclasses.is_dataclass(unit):
        for f in dataclasses.fields(unit):
            value = getattr(unit, f.name)
            if isinstance(value, tuple):
                return len(value)
    return 1


def run_archive(
    store: Store,
    archive: Archive,
    *,
    actor: str,
    batch_size: int = 50,
    progress: Callable[[int, int], None] | None = None,
    worker: str | None = None,
    jobs: int = 1,
) -> dict[str, Any]:
    """Scan ``archive`` and import its units through the bulk path.

    The summary is :func:`run_import`'s (documents, revisions, corrections, skipped,
    failures) with ``counts`` (versions and records left out, by reason), ``problems`` (one
    line per record that could not be read or placed) and ``unmapped`` (what of a foreign
    schema has no place in revtrack).
    """
    from revtrack.service.bulk import run_import
    from revtrack.service.reader_pool import start_early

    if jobs > 1:
        # Readers will most likely be wanted: their server loads during the scan.
        start_early(html=archive.extracts_html)
    report = ScanReport()
    units = archive.scan(report)
    problems: list[str] = list(report.problems)
    tally: Counter[str] = Counter(report.counts)

    def write(tx: Tx, unit: Any, plan: Plan | None) -> tuple[int, int]:
        if plan is None:
            plan = archive.read(unit)
        added, notes, found = store_plan(
            tx,
            plan,
            importer=archive.importer,
            actor=actor,
            keep_order=archive.keep_order,
            tally=tally,
        )
        problems.extend(found)
        return added, notes

    summary = run_import(
        store,
        archive.batch,
        units,
        read=archive.read,
        write=write,
        actor=actor,
        batch_size=batch_size,
        progress=progress,
        worker=worker,
        jobs=jobs,
        size=versions_in,
        writer_reads=not archive.extracts_html,
    )
    summary["counts"] = dict(sorted(tally.items()))
    summary["problems"] = problems
    summary["unmapped"] = list(report.unmapped)
    return summary
