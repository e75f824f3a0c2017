"""`Revtrack`: everything revtrack does, as one typed Python object.

The CLI and the web UI are thin clients of this class; a Python user can call it directly.
Each method runs in one transaction of the store. Read methods never create a database;
``create=True`` (used by init, ingest, import and correct) makes or upgrades one.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, BinaryIO

from revtrack.audit import SEVERITIES
from revtrack.diff import Diff, Granularity, diff_texts
from revtrack.errors import (
    InvalidInput,
    RevtrackError,
    UnknownArticle,
    UnknownRevision,
)
from revtrack.service.auditing import ArticleAudit, BlameLine, audit_article, blame_revision
from revtrack.service.corrections import (
    CorrectionView,
    RelinkChange,
    add_manual,
    relink_article,
)
from revtrack.service.corrections import retract as retract_correction
from revtrack.service.corrections import supersede as supersede_correction
from revtrack.service.corrections import views as correction_views
from revtrack.service.ingest import ingest_fetched
from revtrack.service.integrity import VerifyReport, verify_article, verify_chain
from revtrack.service.refs import parse_rev, parse_time, split_ref
from revtrack.service.results import ArticleLog, DiffResult, IngestResult
from revtrack.service.sources import Fetched, read_source, slugify
from revtrack.service.transfer import (
    Restorer,
    dumps,
    export_article,
    export_chain,
)
from revtrack.service.transfer import header as export_header
from revtrack.store import ArticleRecord, Pick, RevisionRecord, Store, Tx

Progress = Callable[[int, int], None]
"""Called with (done, total) as long work advances."""


def default_actor() -> str:
    actor = os.environ.get("REVTRACK_ACTOR")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "revtrack"


class Revtrack:
    """A revtrack database: ``Revtrack("revtrack.db")`` or ``Revtrack("postgresql://…")``."""

    def __init__(
        self,
        db: str | None = None,
        *,
        create: bool = False,
        actor: str | None = None,
        check_schema: bool = True,
    ) -> None:
        self.store = Store(db, create=create, check=check_schema)
        self.actor = actor or default_actor()

    def close(self) -> None:
        self.store.dispose()

    def __enter__(self) -> Revtrack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest -----------------------------------------------------------------------
    def ingest(
        self,
        sources: Sequence[str],
        *,
        article: str | None = None,
        at: str | None = None,
        title: str | None = None,
        url: str | None = None,
        stdin: BinaryIO | None = None,
    ) -> Iterator[IngestResult]:
        """Ingest each source as the next revision; each one in its own transaction.

        Sources are all read (and refused, if bad) before anything is stored, so one bad file
        in a list leaves the database as it was.
        """
        captured = parse_time(at) if at else None
        fetched = [
            read_source(spec, stdin, validators=self._validators(spec, article)) for spec in sources
        ]
        for item in fetched:
            yield self.ingest_fetched(
                item, article=article, captured_at=captured, title=title, url=url
            )

    def _validators(self, spec: str, article: str | None) -> dict[str, str]:
        """The ETag/Last-Modified of the last fetch of URL ``spec``, for a conditional GET."""
        if not spec.lower().startswith(("http://", "https://")):
            return {}
        with self.store.read() as tx:
            fetched = tx.latest_fetch_of(spec)
            latest = tx.latest_revision(fetched.article_id) if fetched else None
        # Only when that fetch is still the article's latest revision (and the article is
        # the one asked for): else the full page is needed to compare.
        if fetched is None or latest is None or latest.id != fetched.id:
            return {}
        if article and slugify(article) != latest.article_key:
            return {}
        return {k: str(latest.meta[k]) for k in ("etag", "last_modified") if latest.meta.get(k)}

    def ingest_text(
        self,
        text: str,
        *,
        article: str,
        at: datetime | str | None = None,
        title: str | None = None,
        url: str | None = None,
        source: str = "api",
    ) -> IngestResult:
        """Ingest a text given directly (the Python API's way in)."""
        captured = parse_time(at) if isinstance(at, str) else at
        item = Fetched(text=text, source=source, kind="stdin", key_hint=article)
        return self.ingest_fetched(
            item, article=article, captured_at=captured, title=title, url=url
        )

    def ingest_fetched(
        self,
        item: Fetched,
        *,
        article: str | None = None,
        captured_at: datetime | None = None,
        title: str | None = None,
        url: str | None = None,
    ) -> IngestResult:
        key = slugify(article) if article else item.key_hint
        if not key:
            raise InvalidInput(
                f"Cannot tell which article {item.source} belongs to.", "Pass --article KEY."
            )
        with self.store.write() as tx:
            return ingest_fetched(
                tx,
                item,
                key=key,
                captured_at=captured_at,
                title=title,
                url=url,
                actor=self.actor,
            )

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

    # -- reading ----------------------------------------------------------------------
    def articles(self, *, offset: int = 0, limit: int | None = None) -> list[ArticleRecord]:
        """Articles in key order with their counts; page with ``offset`` and ``limit``."""
        with self.store.read() as tx:
            return tx.articles(offset=offset, limit=limit)

    def article_count(self) -> int:
        with self.store.read() as tx:
            return tx.article_count()

    def log(self, key: str) -> ArticleLog:
        quick = self.store.article_log(key)  # Core statements, no Session (store/quick.py)
        if quick is not None:
            article, revisions, corrections = quick
            return ArticleLog(article=article, revisions=revisions, corrections=corrections)
        with self.store.read() as tx:  # no such article: the general path words the error
            article = self._article(tx, key)
            article = tx.articles(keys=[article.key])[0]  # with its counts and times
            return ArticleLog(
                article=article,
                revisions=tx.revisions(article.id),
                corrections=tx.corrections(article.id),
            )

    def revision(self, ref: str, default: str = "latest") -> RevisionRecord:
        with self.store.read() as tx:
            return self._resolve(tx, ref, default)[1]

    def show(self, ref: str) -> tuple[RevisionRecord, str]:
        """The revision ``ref`` names and its exact text.

        A number (``v3``, ``first~2``) or the latest (``key``, ``key@latest``), the common
        cases, take the store's one-statement path; other refs, and a ref that finds
        nothing, take the general one, which also words the error.
        """
        key, rev = split_ref(ref)
        spec = parse_rev(rev) if rev else None
        if spec is None or (spec.kind == "latest" and spec.offset == 0):
            found = self.store.revision_with_text(key)
        elif spec.kind == "number":
            found = self.store.revision_with_text(key, spec.number)
        elif spec.kind == "first":
            found = self.store.revision_with_text(key, 1 + spec.offset)
        else:
            found = None
        if found is not None:
            return found
        with self.store.read() as tx:
            _, revision = self._resolve(tx, ref, "latest")
            return revision, tx.load_text(revision.id)

    def diff(
        self,
        ref: str,
        rev_a: str | None = None,
        rev_b: str | None = None,
        *,
        by: Granularity = "word",
    ) -> DiffResult:
        """Diff two revisions. No revs: latest~1 → latest; one: that → latest.

        ``ref`` may carry a revision (``key@v1``); then ``rev_a`` may be another full ref
        (``key@v2``) or a bare rev.
        """
        key, first_rev = split_ref(ref)
        revs = [r for r in (first_rev, rev_a, rev_b) if r is not None]
        if len(revs) > 2:
            raise InvalidInput("Give at most two revisions to compare.")
        for other in (rev_a, rev_b):
            if other and "@" in other and split_ref(other)[0] != key:
                raise InvalidInput(
                    f"Cannot compare {key} with {split_ref(other)[0]}: diff compares two "
                    "revisions of one article.",
                    f"Write it as `revtrack diff {key}@v1 {key}@v2`.",
                )
        revs = [split_ref(r)[1] or r if "@" in r else r for r in revs]

        found = self._quick_pair(key, revs)
        if found is not None:
            article, (old, old_text), (new, new_text) = found
        else:
            article, old, new, old_text, new_text = self._diff_load(key, revs)
        diff = diff_texts(old_text, new_text, by)
        title_diff: Diff | None = None
        if (old.title or "") != (new.title or ""):
            title_diff = diff_texts(old.title or "", new.title or "", "word")
        return DiffResult(article=article, old=old, new=new, diff=diff, title_diff=title_diff)

    def _quick_pair(
        self, key: str, revs: list[str]
    ) -> tuple[ArticleRecord, tuple[RevisionRecord, str], tuple[RevisionRecord, str]] | None:
        """`diff`'s load in one Core statement (store/quick.py), when both refs are a number,
        the latest or first with an offset; None sends the caller to :meth:`_diff_load`,
        which also words any error."""
        wanted = list(revs)
        if not wanted:
            wanted = ["latest~1", "latest"]
        elif len(wanted) == 1:
            wanted.append("latest")
        picks: list[Pick] = []
        for rev in wanted:
            try:
                spec = parse_rev(rev)
            except RevtrackError:
                return None
            if spec.kind == "number":
                picks.append(("number", spec.number))
            elif spec.kind == "first":
                picks.append(("number", 1 + spec.offset))
            elif spec.kind == "latest":
                picks.append(("latest", spec.offset))
            else:
                return None
        return self.store.revision_pair(key, picks[0], picks[1])

    def _diff_load(
        self, key: str, revs: list[str]
    ) -> tuple[ArticleRecord, RevisionRecord, RevisionRecord, str, str]:
        """`diff`'s general load: resolve the refs in a read transaction, then the texts."""
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
                revs = ["latest~1", "latest"]
            elif len(revs) == 1:
                revs.append("latest")
            old = self._resolve_in(tx, article, revs[0])
            new = self._resolve_in(tx, article, revs[1])
            return article, old, new, tx.load_text(old.id), tx.load_text(new.id)

    # -- corrections ------------------------------------------------------------------
    def corrections(self, key: str | None = None) -> list[CorrectionView]:
        """The correction history of one article, or of every article."""
        with self.store.read() as tx:
            article_id = self._article(tx, key).id if key else None
            return correction_views(tx, tx.corrections(article_id))

    def correct(
        self, ref: str, note: str, *, rev: str | None = None, kind: str = "correction"
    ) -> CorrectionView:
        """Attach a note a person adds; ``rev`` is the revision it is about (default latest)."""
        key, inline_rev = split_ref(ref)
        with self.store.write() as tx:
            article = self._article(tx, key)
            revision = self._resolve_in(tx, article, rev or inline_rev or "latest")
            cid = add_manual(tx, article, revision, note, kind, self.actor)
            return correction_views(tx, tx.corrections(ids=[cid]))[0]

    def supersede(
        self, correction_id: int, note: str, *, kind: str | None = None
    ) -> CorrectionView:
        """Replace a note's text by a new correction that supersedes it."""
        with self.store.write() as tx:
            cid = supersede_correction(tx, correction_id, note, kind, self.actor)
            return correction_views(tx, tx.corrections(ids=[cid]))[0]

    def retract(self, correction_id: int, reason: str) -> CorrectionView:
        """Mark a note retracted (it stays in the history, with the reason)."""
        with self.store.write() as tx:
            retract_correction(tx, correction_id, reason, self.actor)
            return correction_views(tx, tx.corrections(ids=[correction_id]))[0]

    def relink(self, key: str | None = None) -> list[RelinkChange]:
        """Re-run linking for every note (of one article, or all), recording what moved."""
        keys = [key] if key else None
        out: list[RelinkChange] = []
        after: str | None = None
        while True:
            with self.store.read() as tx:
                batch = keys if keys is not None else tx.article_keys(after=after, limit=200)
            if not batch:
                return out
            for article_key in batch:
                with self.store.write() as tx:
                    out += relink_article(tx, self._article(tx, article_key), self.actor)
            if keys is not None:
                return out
            after = batch[-1]

    # -- audit, blame, verify ---------------------------------------------------------
    def audit(
        self,
        key: str | None = None,
        *,
        since: str | None = None,
        min_severity: str | None = None,
        progress: Progress | None = None,
    ) -> Iterator[ArticleAudit]:
        """Audit one article, or stream every article's audit in key order."""
        moment = parse_time(since) if since else None
        if min_severity and min_severity not in SEVERITIES:
            raise InvalidInput(
                f"Unknown severity {min_severity!r}.", f"Use one of: {', '.join(SEVERITIES)}."
            )
        for article_key, _, _ in self._walk(key, progress):
            with self.store.read() as tx:
                article = self._article(tx, article_key)
                yield audit_article(tx, article, since=moment, min_severity=min_severity)

    def blame(self, ref: str) -> tuple[RevisionRecord, list[BlameLine]]:
        """Which revision introduced, and which last changed, each sentence of ``ref``."""
        with self.store.read() as tx:
            article, revision = self._resolve(tx, ref, "latest")
            return revision, blame_revision(tx, article, revision.number)

    def verify(self, progress: Progress | None = None) -> VerifyReport:
        """Rebuild and rehash every revision; walk every hash chain."""
        report = VerifyReport()
        for key, _, _ in self._walk(None, progress):
            with self.store.read() as tx:
                verify_article(tx, key, report)
        with self.store.read() as tx:
            chains = tx.chains()
        for chain in chains:
            with self.store.read() as tx:
                verify_chain(tx, chain, report)
        return report

    def export(self, key: str | None = None, progress: Progress | None = None) -> Iterator[str]:
        """JSON lines (see :mod:`revtrack.service.transfer`), one article at a time."""
        with self.store.read() as tx:
            if key:
                self._article(tx, key)
            yield dumps(export_header(self.store.version() or ""))
        for article_key, _, _ in self._walk(key, progress):
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
        with self.store.write() as tx:
            restorer = Restorer(tx)
            for number, line in enumerate(lines, start=1):
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

        ``jobs`` > 1 reads and analyses documents in that many worker processes.

        The result counts documents, revisions and notes, and lists ``failures`` (one line per
        document that could not be imported; the others are imported all the same).
        """
        from pathlib import Path

        from revtrack.service.bulk import import_directory

        return import_directory(
            self.store,
            Path(path),
            actor=self.actor,
            batch_size=batch_size,
            progress=progress,
            worker=worker,
            jobs=jobs,
        )

    def _walk(self, key: str | None, progress: Progress | None) -> Iterator[tuple[str, int, int]]:
        """Article keys in order, a page at a time (bounded memory), reporting progress."""
        if key is not None:
            with self.store.read() as tx:
                self._article(tx, key)
            if progress:
                progress(0, 1)
            yield key, 1, 1
            if progress:
                progress(1, 1)
            return
        with self.store.read() as tx:
            total = tx.article_count()
        done = 0
        after: str | None = None
        while True:
            with self.store.read() as tx:
                page = tx.article_keys(after=after, limit=500)
            if not page:
                return
            for article_key in page:
                yield article_key, done, total
                done += 1
                if progress:
                    progress(done, total)
            after = page[-1]

    # -- resolution -------------------------------------------------------------------
    def _article(self, tx: Tx, key: str) -> ArticleRecord:
        article = tx.get_article(key)
        if article is None:
            similar = tx.similar_keys(key) or tx.article_keys(limit=5)
            hint = (
                f"Known articles include: {', '.join(similar)}."
                if similar
                else "The database has no articles yet; ingest one first."
            )
            raise UnknownArticle(f"No article {key!r}.", hint)
        return article

    def _resolve(self, tx: Tx, ref: str, default: str) -> tuple[ArticleRecord, RevisionRecord]:
        key, rev = split_ref(ref)
        article = self._article(tx, key)
        return article, self._resolve_in(tx, article, rev or default)

    def _resolve_in(self, tx: Tx, article: ArticleRecord, rev: str) -> RevisionRecord:
        spec = parse_rev(rev)
        found: RevisionRecord | None = None
        if spec.kind == "number":
            found = tx.revision(article.id, spec.number)
        elif spec.kind == "latest" and spec.offset == 0:
            found = tx.latest_revision(article.id)
        elif spec.kind == "latest":
            count = tx.revision_count(article.id)
            if count - spec.offset >= 1:
                found = tx.revision(article.id, count - spec.offset)
        elif spec.kind == "first":
            found = tx.revision(article.id, 1 + spec.offset)
        elif spec.kind == "time":
            assert spec.moment is not None
            found = tx.revision_at(article.id, spec.moment)
        if found is not None:
            return found
        count = tx.revision_count(article.id)  # only to say what exists
        if count == 0:
            have = f"{article.key} has no revisions"
        elif count == 1:
            have = f"{article.key} has 1 revision, v1"
        else:
            have = f"{article.key} has {count} revisions, v1–v{count}"
        if spec.kind == "time":
            raise UnknownRevision(
                f"No revision of {article.key} existed at {spec.text}; {have}.",
                "Give a later time or a revision number.",
            )
        raise UnknownRevision(
            f"No revision {rev!r}: {have}.", f"Run `revtrack log {article.key}` to see them."
        )
