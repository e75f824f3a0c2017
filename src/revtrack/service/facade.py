"""`Revtrack`: everything revtrack does, as one typed Python object.

The CLI and the web UI are thin clients of this class; a Python user can call it directly.
Each method runs in one transaction of the store. Read methods never create a database;
``create=True`` (used by init, ingest, import and correct) makes or upgrades one.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from revtrack.errors import InvalidInput, UnknownRevision
from revtrack.records import ArticleRecord, RevisionRecord
from revtrack.service.browsing import BrowsingMixin
from revtrack.service.ingesting import IngestMixin
from revtrack.service.progress import Progress
from revtrack.service.readings import Reading, read_revision
from revtrack.service.refs import (
    LATEST,
    PREVIOUS,
    RevSpec,
    find_article,
    parse_diff_refs,
    parse_ref,
    parse_rev,
    parse_time,
    quick_pair,
    resolve,
    resolve_ref,
)
from revtrack.service.results import ArticleLog, DiffResult
from revtrack.service.walk import walk

if TYPE_CHECKING:
    from revtrack.diff import Granularity
    from revtrack.records import CorrectionView, RelinkChange
    from revtrack.service.auditing import ArticleAudit, AuditTotals, BlameLine
    from revtrack.service.history import VerifyReport
    from revtrack.service.watch.service import Watcher
    from revtrack.store import Store, Tx
    from revtrack.store.lite import LiteReader
    from revtrack.store.packs import PackResult

# The modules behind auditing, corrections, ingest, verify and export are imported by the
# methods that use them: reading a revision or a log should not load the note detector, the
# linker and the audit (a third of a `revtrack show`'s start-up).


def default_actor() -> str:
    actor = os.environ.get("REVTRACK_ACTOR")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "revtrack"


class Revtrack(IngestMixin, BrowsingMixin):
    """A revtrack database: ``Revtrack("revtrack.db")`` or ``Revtrack("postgresql://…")``."""

    def __init__(
        self,
        db: str | None = None,
        *,
        create: bool = False,
        actor: str | None = None,
        check_schema: bool = True,
        quick_start: bool = False,
    ) -> None:
        """``quick_start`` (the CLI's reading commands): read a plain SQLite file through the
        stdlib-only reader of :mod:`revtrack.store.lite` where it can answer, and open the
        store (importing SQLAlchemy, a few tenths of a second) only when something needs it."""
        self._db, self._create, self._check = db, create, check_schema
        self._store: Store | None = None
        self._lite: LiteReader | None = None
        if quick_start and not create:
            from revtrack.store.lite import LiteReader

            self._lite = LiteReader.open(db)
        if self._lite is None:
            self.store  # noqa: B018  (opens now, so a missing database is said at once)
        self.actor = actor or default_actor()

    @property
    def store(self) -> Store:
        """The database, opened (and checked or upgraded) on first use."""
        if self._store is None:
            from revtrack.store import Store

            self._store = Store(self._db, create=self._create, check=self._check)
        return self._store

    def close(self) -> None:
        if self._lite is not None:
            self._lite.close()
        if self._store is not None:
            self._store.dispose()

    def __enter__(self) -> Revtrack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def upgraded(self) -> tuple[str | None, str] | None:
        """(version before, version after) when this instance created or upgraded the schema."""
        return self.store.upgraded

    def schema_status(self) -> tuple[str | None, str]:
        """(the database's schema version, the newest this revtrack knows)."""
        from revtrack.store.migrate import SCHEMA_HEAD

        return self.store.version(), SCHEMA_HEAD

    @property
    def location(self) -> str:
        """Where the database is, for messages (a path, or a URL without its password)."""
        return self.store.display_url

    # -- watching ---------------------------------------------------------------------
    def watcher(self, **options: Any) -> Watcher:
        """Follow pages, feeds and section pages: see :class:`~revtrack.service.watch.Watcher`.

        ``options`` (``clock``, ``policy``, ``config``) are passed to it; imported on use, so
        the fetching libraries load only for commands that fetch.
        """
        from revtrack.service.watch.service import Watcher

        return Watcher(self.store, self.actor, **options)

    # -- reading ----------------------------------------------------------------------
    def articles(self, *, offset: int = 0, limit: int | None = None) -> list[ArticleRecord]:
        """Articles in key order with their counts; page with ``offset`` and ``limit``."""
        if self._lite is not None:
            listed = self._lite.articles(offset=offset, limit=limit)
            if listed is not None:
                return listed
        with self.store.read() as tx:
            return tx.articles(offset=offset, limit=limit)

    def article_count(self) -> int:
        with self.store.read() as tx:
            return tx.article_count()

    def log(self, key: str) -> ArticleLog:
        quick = self._lite.article_log(key) if self._lite is not None else None
        if quick is None:
            quick = self.store.article_log(key)  # Core statements, no Session (store/quick.py)
        if quick is not None:
            article, revisions, corrections = quick
            return ArticleLog(article=article, revisions=revisions, corrections=corrections)
        with self.store.read() as tx:  # not found as typed: the general path resolves or words it
            article = self._article(tx, key)
            article = tx.articles(keys=[article.key])[0]  # with its counts and times
            return ArticleLog(
                article=article,
                revisions=tx.revisions(article.id),
                corrections=tx.corrections(article.id),
            )

    def revision(self, ref: str, default: str = "latest") -> RevisionRecord:
        parsed = parse_ref(ref)
        with self.store.read() as tx:
            return resolve_ref(tx, parsed, parse_rev(default))[1]

    def show(self, ref: str, *, as_fetched: bool = False) -> tuple[RevisionRecord, str]:
        """The revision ``ref`` names and its text: the newest re-derived one where
        `reextract` made one, else (or with ``as_fetched``) exactly as ingested. See
        :meth:`read` for which it is."""
        found = self.read(ref, as_fetched=as_fetched)
        return found.revision, found.text

    def read(self, ref: str, *, as_fetched: bool = False) -> Reading:
        """The revision ``ref`` names, the text it reads as and the re-derivation that text is
        (:mod:`revtrack.service.readings`).

        A number (``v3``, ``first~2``) or the latest (``key``, ``key@latest``), the common
        cases, take the store's one-statement path; other refs, a re-derived revision, and a
        ref that finds nothing take the general one, which also words the error.
        """
        parsed = parse_ref(ref)
        spec = parsed.rev_or(LATEST)
        if spec.is_latest or spec.position is not None:
            found = None
            if self._lite is not None:
                found = self._lite.revision_with_text(
                    parsed.key, spec.position, as_fetched=as_fetched
                )
            if found is None:
                found = self.store.revision_with_text(
                    parsed.key, spec.position, as_fetched=as_fetched
                )
            if found is not None:
                return Reading(*found)
        with self.store.read() as tx:
            _, revision = resolve_ref(tx, parsed)
            return read_revision(tx, revision, as_fetched=as_fetched)

    def diff(
        self,
        ref: str,
        rev_a: str | None = None,
        rev_b: str | None = None,
        *,
        by: Granularity = "word",
        as_fetched: bool = False,
    ) -> DiffResult:
        """Diff two revisions. No revs: latest~1 → latest; one: that → latest.

        ``ref`` may carry a revision (``key@v1``); then ``rev_a`` may be another full ref
        (``key@v2``) or a bare rev. Each side is read as :meth:`read` reads it.
        """
        from revtrack.diff import diff_texts  # here: `show` and `log` need none of the engine

        key, revs = parse_diff_refs(ref, rev_a, rev_b)
        found = None
        if self._lite is not None:
            found = quick_pair(self._lite, key, revs, as_fetched=as_fetched)
        if found is None:
            found = quick_pair(self.store, key, revs, as_fetched=as_fetched)
        if found is not None:
            article, (old, old_text), (new, new_text) = found
            return DiffResult(
                article=article, old=old, new=new, diff=diff_texts(old_text, new_text, by)
            )
        with self.store.read() as tx:
            article = self._article(tx, key)
            if not revs:
                count = tx.revision_count(article.id)
                if count < 2:
                    raise UnknownRevision(
                        f"{key} has only {count} revision{'s' if count != 1 else ''}; "
                        "nothing to compare.",
                        "Ingest another version first.",
                    )
                revs = [PREVIOUS, LATEST]
            elif len(revs) == 1:
                revs.append(LATEST)
            a = read_revision(tx, self._resolve_in(tx, article, revs[0]), as_fetched=as_fetched)
            b = read_revision(tx, self._resolve_in(tx, article, revs[1]), as_fetched=as_fetched)
        return DiffResult(
            article=article,
            old=a.revision,
            new=b.revision,
            diff=diff_texts(a.text, b.text, by),
            old_derived=a.derived,
            new_derived=b.derived,
        )

    # -- corrections ------------------------------------------------------------------
    def corrections(self, key: str | None = None) -> list[CorrectionView]:
        """The correction history of one article, or of every article."""
        if key and self._lite is not None:
            return self.log_with_views(key)[1]  # the log's own reads (the stdlib reader's)
        from revtrack.service.corrections import views as correction_views

        with self.store.read() as tx:
            article_id = self._article(tx, key).id if key else None
            return correction_views(tx, tx.corrections(article_id))

    def correct(
        self, ref: str, note: str, *, rev: str | None = None, kind: str = "correction"
    ) -> CorrectionView:
        """Attach a note a person adds; ``rev`` is the revision it is about (default latest)."""
        from revtrack.service.corrections import add_manual
        from revtrack.service.corrections import views as correction_views

        parsed = parse_ref(ref, rev)
        with self.store.write() as tx:
            article, revision = resolve_ref(tx, parsed)
            cid = add_manual(tx, article, revision, note, kind, self.actor)
            return correction_views(tx, tx.corrections(ids=[cid]))[0]

    def supersede(
        self, correction_id: int, note: str, *, kind: str | None = None
    ) -> CorrectionView:
        """Replace a note's text by a new correction that supersedes it."""
        from revtrack.service.corrections import supersede as supersede_correction
        from revtrack.service.corrections import views as correction_views

        with self.store.write() as tx:
            cid = supersede_correction(tx, correction_id, note, kind, self.actor)
            return correction_views(tx, tx.corrections(ids=[cid]))[0]

    def retract(self, correction_id: int, reason: str) -> CorrectionView:
        """Mark a note retracted (it stays in the history, with the reason)."""
        from revtrack.service.corrections import retract as retract_correction
        from revtrack.service.corrections import views as correction_views

        with self.store.write() as tx:
            retract_correction(tx, correction_id, reason, self.actor)
            return correction_views(tx, tx.corrections(ids=[correction_id]))[0]

    def relink(
        self, key: str | None = None, progress: Progress | None = None
    ) -> list[RelinkChange]:
        """Re-run linking for every note (of one article, or all), recording what moved."""
        from revtrack.service.corrections import relink_article

        out: list[RelinkChange] = []
        for article_key in walk(self.store, key, progress):
            with self.store.write() as tx:
                out += relink_article(tx, self._article(tx, article_key), self.actor)
        return out

    def keys_starting(self, prefix: str, limit: int = 200) -> list[tuple[str, int]]:
        """Article keys starting with ``prefix``, with their revision counts, in one
        statement (what shell completion offers)."""
        with self.store.read() as tx:
            return tx.article_sizes(prefix=prefix, limit=limit)

    # -- audit, blame, verify ---------------------------------------------------------
    def audit(
        self,
        key: str | None = None,
        *,
        since: str | None = None,
        min_severity: str | None = None,
        progress: Progress | None = None,
        as_fetched: bool = False,
    ) -> Iterator[ArticleAudit]:
        """Audit one article, or stream every article's audit in key order; each revision is
        read as :meth:`read` reads it (``as_fetched``: every text as ingested)."""
        from revtrack.audit import SEVERITIES
        from revtrack.service.auditing import audit_article

        moment = parse_time(since) if since else None
        if min_severity and min_severity not in SEVERITIES:
            raise InvalidInput(
                f"Unknown severity {min_severity!r}.", f"Use one of: {', '.join(SEVERITIES)}."
            )
        for article_key in walk(self.store, key, progress):
            with self.store.read() as tx:
                article = self._article(tx, article_key)
                yield audit_article(
                    tx, article, since=moment, min_severity=min_severity, as_fetched=as_fetched
                )

    @staticmethod
    def audit_totals() -> AuditTotals:
        """Per-outlet and overall figures over a stream of :meth:`audit` results: ``add`` each
        result's ``summary``, then ask for the ``report()`` (memory bounded by outlets)."""
        from revtrack.service.auditing import AuditTotals

        return AuditTotals()

    def blame(
        self, ref: str, *, as_fetched: bool = False
    ) -> tuple[RevisionRecord, list[BlameLine]]:
        """Which revision introduced, and which last changed, each sentence of ``ref``; the
        revisions read as :meth:`read` reads them."""
        from revtrack.service.auditing import blame_revision

        parsed = parse_ref(ref)
        with self.store.read() as tx:
            article, revision = resolve_ref(tx, parsed)
            return revision, blame_revision(tx, article, revision.number, as_fetched=as_fetched)

    def verify(self, progress: Progress | None = None, against: str | None = None) -> VerifyReport:
        """Recompute every hash, seal, chain and head; ``against``: a checkpoint file too."""
        from revtrack.service.checkpoint import verify_store

        return verify_store(self.store, walk(self.store, None, progress), against)

    @staticmethod
    def verify_bundle(path: str, against: str | None = None) -> VerifyReport:
        """Check an export file's histories alone, without a database."""
        from revtrack.service.bundle import verify_file

        return verify_file(path, against)

    def checkpoint(self) -> dict[str, Any]:
        """Every chain's head and the database-wide root, to keep or publish elsewhere."""
        from revtrack.service.checkpoint import make_checkpoint

        return make_checkpoint(self.store)

    def pack(self, progress: Progress | None = None) -> PackResult:
        """Move every loose text row into packs (see :mod:`revtrack.store.packs`), one
        transaction per :data:`~revtrack.store.packs.ROWS_PER_CALL` rows, so a killed run
        keeps what it packed and the next run goes on."""
        from revtrack.store.packs import PackResult

        self.store.refuse_if_read_only()
        with self.store.read() as tx:
            loose = tx.loose_texts()[0]
        total = PackResult()
        while True:
            with self.store.write() as tx:
                step = tx.pack_texts()
            total += step
            if progress is not None and loose:
                progress(min(total.rows, loose), loose)
            if step.rows == 0:
                return total

    def export(self, key: str | None = None, progress: Progress | None = None) -> Iterator[str]:
        """JSON lines (see :mod:`revtrack.service.transfer`), one article at a time."""
        from revtrack.service.transfer import dumps, export_article, export_chain
        from revtrack.service.transfer import header as export_header

        with self.store.read() as tx:
            if key:
                self._article(tx, key)
            yield dumps(export_header(self.store.version() or ""))
        for article_key in walk(self.store, key, progress):
            with self.store.read() as tx:
                for record in export_article(tx, article_key):
                    yield dumps(record)
        if key is None:
            with self.store.read() as tx:
                for chain in tx.detached_chains():  # "-", then the importers' chains
                    for record in export_chain(tx, chain, None):
                        yield dumps(record)

    def restore(self, lines: Iterable[str], source: str = "export") -> dict[str, int]:
        """Import a JSON-lines export; articles already present are skipped, not merged."""
        from revtrack.service.transfer import Restorer

        with self.store.write() as tx:
            restorer = Restorer(tx)
            for number, line in _numbered(lines, source):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InvalidInput(
                        f"{source}, line {number}: not JSON ({exc.msg}).",
                        "Give a file written by `revtrack export`.",
                    ) from None
                restorer.feed(record)
            return restorer.counts

    def import_directory(
        self,
        path: str,
        *,
        batch_size: int = 50,
        progress: Progress | None = None,
        worker: str | None = None,
        jobs: int = 1,
    ) -> dict[str, Any]:
        """Import a directory of versioned documents; rerunning it adds nothing.

        ``jobs`` > 1 reads and analyses documents in that many worker processes; 0 takes one
        per CPU (at most 8).

        The result counts documents, revisions and notes, and lists ``failures`` (one line per
        document that could not be imported; the others are imported all the same).
        """
        from pathlib import Path

        from revtrack.service.bulk import default_jobs, import_directory

        return import_directory(
            self.store,
            Path(path),
            actor=self.actor,
            batch_size=batch_size,
            progress=progress,
            worker=worker,
            jobs=jobs or default_jobs(),
        )

    def import_archive(
        self,
        kind: str,
        paths: Sequence[str],
        *,
        branch: str | None = None,
        timezone: str | None = None,
        batch_size: int = 50,
        progress: Progress | None = None,
        worker: str | None = None,
        jobs: int = 1,
    ) -> dict[str, Any]:
        """Import an archive's history (git, warc, newsdiffs, diffengine, newsedits).

        Each version is stored at its capture time with its provenance; rerunning imports
        nothing twice. Beside :meth:`import_directory`'s counts the result has ``counts``
        (records left out, by reason), ``problems`` (records that could not be read, one
        line each) and ``unmapped`` (what of a foreign schema has no place in revtrack).
        """
        from revtrack.service.bulk import default_jobs
        from revtrack.service.importers import open_archive
        from revtrack.service.importers.base import run_archive

        archive = open_archive(kind, paths, branch=branch, timezone=timezone)
        return run_archive(
            self.store,
            archive,
            actor=self.actor,
            batch_size=batch_size,
            progress=progress,
            worker=worker,
            jobs=jobs or default_jobs(),
        )

    def backfill(
        self,
        url: str,
        *,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        article: str | None = None,
        progress: Progress | None = None,
    ) -> dict[str, Any]:
        """The Internet Archive's captures of ``url`` as revisions of its article.

        Only captures after the article's latest revision can be added (history is kept in
        capture order); rerunning asks only for captures not yet imported. The result is
        :meth:`import_archive`'s.
        """
        from datetime import timedelta

        from revtrack.service.importers.base import run_archive, seen_ids
        from revtrack.service.importers.wayback import WaybackArchive
        from revtrack.service.sources import key_from_url

        if not url.lower().startswith(("http://", "https://")):
            raise InvalidInput(f"{url!r} is not an http(s) URL.", "Give the article's address.")
        if limit is not None and limit < 1:
            raise InvalidInput("--limit must be at least 1.")
        key = article or key_from_url(url)
        start = parse_time(since) if since else None
        end = parse_time(until) if until else None
        with self.store.read() as tx:
            seen, latest = seen_ids(tx, key)
        notice = None
        if latest is not None and (start is None or start <= latest):
            start = latest + timedelta(seconds=1)
            notice = (
                f"captures before {key}'s latest revision ({latest.isoformat(timespec='seconds')})"
                ": history is kept in capture order, so only later captures were asked for"
            )
        archive = WaybackArchive(url, key, start, end, limit, frozenset(seen))
        summary = run_archive(
            self.store, archive, actor=self.actor, batch_size=1, progress=progress, jobs=1
        )
        if notice:
            summary["unmapped"].insert(0, notice)
        return summary

    # -- resolution (the rules are service/refs.py's) -------------------------------------
    def _article(self, tx: Tx, key: str) -> ArticleRecord:
        return find_article(tx, key)

    def _resolve_in(self, tx: Tx, article: ArticleRecord, rev: RevSpec) -> RevisionRecord:
        return resolve(tx, article, rev)


def _numbered(lines: Iterable[str], source: str) -> Iterator[tuple[int, str]]:
    """The export's lines with their numbers. A file read as UTF-8 that is not fails while
    it is read, inside the loop: say where, as for a line that is not JSON, instead of letting
    the decoder's traceback out (the import's one transaction then stores nothing)."""
    it = iter(lines)
    number = 0
    while True:
        try:
            line = next(it)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise InvalidInput(
                f"{source}, after line {number}: not UTF-8 text.",
                "Give a file written by `revtrack export`.",
            ) from None
        number += 1
        yield number, line
