"""`import --from newsdiffs|diffengine|newsedits PATH`: the databases of tools revtrack replaces.

Each tool's documented schema is mapped onto articles, revisions and capture times; what has
no place in revtrack (reader votes, tweet ids, the tools' own diffs and sentence alignments,
last-checked times) is counted and reported, never dropped silently. A database whose tables
lack the columns the mapping needs is refused with the columns it lacks.

NewsDiffs (ecprice/newsdiffs, Django): ``Articles`` (url, initial_date, last_update,
last_check, git_dir) and ``version`` (article_id, v: a commit id, title, byline, date,
boring, diff_json). The text of a version is the article's file at commit ``v`` in the git
repository ``articles/<git_dir>`` (a repository per month, "old" for the first ones): the
date line the site printed, the title, the byline, then the body. Its times are naive local
times of the server (TIME_ZONE America/New_York in its settings).

diffengine (DocNow/diffengine, peewee): ``entry`` (url, created, checked), ``entryversion``
(title, url: the canonical URL after redirects, summary: the readability text as ``<p>``
paragraphs, created, archive_url, entry_id), ``feed``/``feedentry`` (the feeds an entry came
from) and ``diff`` (old_id, new_id, tweeted, emailed, blogged). Its times are UTC.

NewsEdits (isi-nlp/NewsEdits, the per-outlet ``newssniffer-<outlet>.db`` files):
``entryversion`` (entry_id, version, title, summary as ``<p>`` paragraphs, and where present
created, url, archive_url, num_versions) and ``diff`` (old_id, new_id); the sentence tables of
the processed files (``split_sentences``, ``matched_sentences``) are derived data. Articles are
keyed ``<outlet>/<entry_id>``, as the data set names them.
"""

from __future__ import annotations

import html
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from revtrack.errors import InvalidInput, SourceError
from revtrack.service.importers.base import Capture, KeyBook, Plan, ScanReport, analysed, name, utc
from revtrack.service.sources import SourceKind, from_bytes, max_bytes_allowed, slugify

_PARAGRAPH_END = re.compile(r"</p\s*>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")


def paragraphs_text(summary: str) -> str:
    """diffengine's and NewsEdits' summaries (``<p>`` paragraphs) as revtrack text: one
    paragraph per block, a blank line between them, entities decoded."""
    parts = [html.unescape(_TAG.sub("", p)).strip() for p in _PARAGRAPH_END.split(summary)]
    parts = [" ".join(p.split()) for p in parts if p.strip()]
    return "\n\n".join(parts) + "\n" if parts else ""


@contextmanager
def _connect(path: str) -> Iterator[sqlite3.Connection]:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.DatabaseError as exc:
        raise SourceError(
            f"{path} is not an SQLite database ({exc}).", "Give the tool's database file."
        ) from None
    try:
        yield conn
    finally:
        conn.close()


def _tables(conn: sqlite3.Connection) -> dict[str, set[str]]:
    names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {
        table: {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')} for table in names
    }


def _require(
    path: str, tool: str, tables: dict[str, set[str]], needed: dict[str, set[str]]
) -> None:
    """Refuse a database that lacks what the mapping needs, naming what is missing."""
    for table, columns in needed.items():
        if table not in tables:
            found = ", ".join(sorted(tables)) or "none"
            raise SourceError(
                f"{path} is not a {tool} database: it has no table {table!r} "
                f"(its tables: {found}).",
                f"Give the database {tool} writes (see `revtrack import --help`).",
            )
        missing = sorted(columns - tables[table])
        if missing:
            raise SourceError(
                f"{path}: table {table!r} lacks column(s) {', '.join(missing)}, which revtrack "
                f"needs from {tool}'s schema (a version it does not know?).",
                "Upgrade the database with the tool first, or export it to a directory of "
                "versions.",
            )


def _zone(value: str | None, default: str) -> ZoneInfo:
    try:
        return ZoneInfo(value or default)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"Unknown time zone {value!r}.", "Give an IANA name such as UTC or Europe/Paris."
        ) from None


def _time(value: Any, zone: ZoneInfo) -> datetime | None:
    """A stored time (ISO text, as Django and peewee write it, or epoch seconds) in UTC."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, int | float):
            moment = datetime.fromtimestamp(float(value), zone)
        else:
            moment = datetime.fromisoformat(str(value).strip())
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone)
    except (ValueError, OverflowError, OSError):
        return None
    return utc(moment)


@dataclass(frozen=True)
class Row:
    rowid: int
    when: datetime


@dataclass(frozen=True)
class Entry:
    key: str
    url: str | None
    outlet: str | None
    rows: tuple[Row, ...]


def _unmapped(
    conn: sqlite3.Connection, tables: dict[str, set[str]], notes: dict[str, str]
) -> list[str]:
    """One line per table revtrack has no place for that holds rows."""
    lines = []
    for table, why in notes.items():
        if table in tables:
            count = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            if count:
                lines.append(f"{table}: {count} row(s), {why}")
    return lines


def _summary_capture(
    tool: str,
    label: str,
    unit: Entry,
    row: Row,
    title: str | None,
    summary: str | None,
    meta: dict[str, Any],
    counts: dict[str, int],
) -> Capture | None:
    """One ``entryversion`` row of diffengine or NewsEdits as a capture. An empty summary is
    counted under "empty versions" rather than stored: revtrack refuses empty text."""
    text = paragraphs_text(summary or "")
    if not text.strip():
        counts["empty versions"] = counts.get("empty versions", 0) + 1
        return None
    return Capture(
        text=text,
        captured_at=row.when,
        source=f"{tool}:{label}#entryversion/{row.rowid}",
        source_id=f"entryversion/{row.rowid}",
        title=title or None,
        url=unit.url,
        outlet=unit.outlet,
        meta=meta,
    )


@dataclass(frozen=True)
class DiffengineArchive:
    path: str
    timezone: str | None = None

    importer: ClassVar[SourceKind] = "diffengine"
    keep_order: ClassVar[bool] = False
    extracts_html: ClassVar[bool] = False
    tool: ClassVar[str] = "diffengine"

    @property
    def batch(self) -> str:
        return name(self.importer, str(Path(self.path).resolve()))

    def scan(self, report: ScanReport) -> dict[str, Entry]:
        zone = _zone(self.timezone, "UTC")
        with _connect(self.path) as conn:
            tables = _tables(conn)
            _require(
                self.path,
                self.tool,
                tables,
                {
                    "entry": {"id", "url"},
                    "entryversion": {"id", "title", "url", "summary", "created", "entry_id"},
                },
            )
            outlets: dict[int, str] = {}
            if {"feed", "feedentry"} <= tables.keys():
                for entry_id, feed_name in conn.execute(
                    "SELECT fe.entry_id, f.name FROM feedentry fe JOIN feed f ON f.url = fe.feed_id"
                    " ORDER BY fe.id"
                ):
                    outlets.setdefault(int(entry_id), str(feed_name))
            rows: dict[int, list[Row]] = {}
            urls: dict[int, str] = {}
            query = (
                "SELECT v.id, v.entry_id, v.created, v.url, e.url FROM entryversion v "
                "LEFT JOIN entry e ON e.id = v.entry_id ORDER BY v.entry_id, v.created, v.id"
            )
            for version_id, entry_id, created, url, entry_url in conn.execute(query):
                when = _time(created, zone)
                if when is None:
                    report.problems.append(
                        f"entryversion {version_id}: its time {created!r} cannot be read; "
                        "not imported."
                    )
                    continue
                rows.setdefault(int(entry_id), []).append(Row(int(version_id), when))
                urls[int(entry_id)] = str(url or entry_url or "")
            report.unmapped.extend(
                _unmapped(
                    conn,
                    tables,
                    {
                        "diff": "diffengine's own diffs (revtrack computes its own; their "
                        "tweeted/emailed/blogged times are not kept)",
                    },
                )
            )
            if "checked" in tables["entry"]:
                report.unmapped.append(
                    "entry.checked: when diffengine last looked at each entry (revtrack keeps "
                    "only versions)"
                )
        keys = KeyBook(u for u in urls.values() if u)
        units: dict[str, Entry] = {}
        for entry_id, found in rows.items():
            url = urls[entry_id] or None
            key = keys[url] if url else f"diffengine/{entry_id}"
            entry = Entry(key, url, outlets.get(entry_id), tuple(found))
            units[name(key, str(found[-1].rowid))] = entry
        return units

    def read(self, unit: Entry) -> Plan:
        captures: list[Capture] = []
        counts: dict[str, int] = {}
        label = Path(self.path).name
        with _connect(self.path) as conn:
            has_archive = "archive_url" in _tables(conn)["entryversion"]
            for row in unit.rows:
                title, summary, url, archive_url = conn.execute(
                    "SELECT title, summary, url, "
                    + ("archive_url" if has_archive else "NULL")
                    + " FROM entryversion WHERE id = ?",
                    (row.rowid,),
                ).fetchone()
                meta: dict[str, Any] = {"url": url}
                if archive_url:
                    meta["archive_url"] = archive_url
                found = _summary_capture(
                    "diffengine", label, unit, row, title, summary, meta, counts
                )
                if found is not None:
                    captures.append(found)
        keyed_by_url = unit.url if unit.url and not unit.key.startswith("diffengine/") else None
        return Plan(unit.key, analysed(captures), (), counts, url=keyed_by_url)


@dataclass(frozen=True)
class NewsEditsArchive:
    path: str
    timezone: str | None = None

    importer: ClassVar[SourceKind] = "newsedits"
    keep_order: ClassVar[bool] = False
    extracts_html: ClassVar[bool] = False

    @property
    def batch(self) -> str:
        return name(self.importer, str(Path(self.path).resolve()))

    @property
    def outlet(self) -> str:
        stem = Path(self.path).name.split(".")[0]
        return slugify(stem.removeprefix("newssniffer-").removesuffix("-db")) or "newsedits"

    def scan(self, report: ScanReport) -> dict[str, Entry]:
        from revtrack.store import utcnow  # here: readers of a unit never load the store

        zone = _zone(self.timezone, "UTC")
        now = utcnow()
        with _connect(self.path) as conn:
            tables = _tables(conn)
            _require(
                self.path,
                "NewsEdits",
                tables,
                {"entryversion": {"entry_id", "version", "title", "summary"}},
            )
            columns = tables["entryversion"]
            created = "created" if "created" in columns else "NULL"
            url = "url" if "url" in columns else "NULL"
            rows: dict[int, list[Row]] = {}
            urls: dict[int, str] = {}
            untimed = 0
            query = (
                f"SELECT rowid, entry_id, version, {created}, {url} FROM entryversion "
                "ORDER BY entry_id, CAST(version AS REAL), rowid"
            )
            for rowid, entry_id, version, stamp, page in conn.execute(query):
                when = _time(stamp, zone)
                if when is None:
                    untimed += 1
                    when = now
                found = rows.setdefault(int(entry_id), [])
                if found and when < found[-1].when:
                    report.problems.append(
                        f"entryversion {rowid} (entry {entry_id}, version {version}): dated "
                        "before the version it follows; given the earlier one's time."
                    )
                    when = found[-1].when
                found.append(Row(int(rowid), when))
                if page:
                    urls[int(entry_id)] = str(page)
            if untimed:
                report.unmapped.append(
                    f"entryversion: {untimed} version(s) without a time (no created column or "
                    "an empty one), stored at the import's time in version order"
                )
            report.unmapped.extend(
                _unmapped(
                    conn,
                    tables,
                    {
                        "diff": "NewsEdits' links between versions (revtrack orders versions "
                        "by number and time, and diffs them itself)",
                        "split_sentences": "NewsEdits' sentence splits (derived data)",
                        "matched_sentences": "NewsEdits' sentence alignments (derived data)",
                    },
                )
            )
        units: dict[str, Entry] = {}
        for entry_id, found in rows.items():
            key = f"{self.outlet}/{entry_id}"
            entry = Entry(key, urls.get(entry_id), self.outlet, tuple(found))
            units[name(key, str(found[-1].rowid))] = entry
        return units

    def read(self, unit: Entry) -> Plan:
        captures: list[Capture] = []
        counts: dict[str, int] = {}
        label = Path(self.path).name
        with _connect(self.path) as conn:
            columns = _tables(conn)["entryversion"]
            archive = "archive_url" if "archive_url" in columns else "NULL"
            for row in unit.rows:
                version, title, summary, archive_url = conn.execute(
                    f"SELECT version, title, summary, {archive} FROM entryversion WHERE rowid = ?",
                    (row.rowid,),
                ).fetchone()
                meta: dict[str, Any] = {"version": version}
                if archive_url:
                    meta["archive_url"] = archive_url
                found = _summary_capture(
                    "newsedits", label, unit, row, title, summary, meta, counts
                )
                if found is not None:
                    captures.append(found)
        return Plan(unit.key, analysed(captures), (), counts)


@dataclass(frozen=True)
class NewsDiffsVersion:
    rowid: int
    when: datetime
    commit: str
    title: str
    byline: str
    boring: bool


@dataclass(frozen=True)
class NewsDiffsArticle:
    key: str
    url: str
    git_dir: str
    filename: str
    versions: tuple[NewsDiffsVersion, ...]


def newsdiffs_filename(url: str) -> str:
    """Where NewsDiffs kept an article's text in its git repository (its Article.filename)."""
    plain = url.rstrip("/")
    if plain.startswith("http://"):
        return plain[len("http://") :]
    if plain.startswith("https://"):
        return "https:/" + plain[len("https://") :]
    raise ValueError(url)


@dataclass(frozen=True)
class NewsDiffsArchive:
    path: str
    timezone: str | None = None

    importer: ClassVar[SourceKind] = "newsdiffs"
    keep_order: ClassVar[bool] = False
    extracts_html: ClassVar[bool] = False

    @property
    def database(self) -> Path:
        given = Path(self.path)
        if given.is_file():
            return given
        for candidate in (given / "newsdiffs.db", given / "website" / "newsdiffs.db"):
            if candidate.is_file():
                return candidate
        raise SourceError(
            f"No NewsDiffs database in {self.path}.",
            "Give the newsdiffs.db file, or the NewsDiffs folder that holds it.",
        )

    @property
    def articles_dir(self) -> Path:
        db = self.database.resolve()
        for candidate in (db.parent / "articles", db.parent.parent / "articles"):
            if candidate.is_dir():
                return candidate
        raise SourceError(
            f"No articles/ folder beside {db}: NewsDiffs keeps the text of every version in "
            "git repositories there.",
            "Copy it next to the database (articles/<month>/.git) and import again.",
        )

    @property
    def batch(self) -> str:
        return name(self.importer, str(self.database.resolve()))

    def scan(self, report: ScanReport) -> dict[str, NewsDiffsArticle]:
        zone = _zone(self.timezone, "America/New_York")
        db = str(self.database)
        self.articles_dir  # noqa: B018 - refuse early when the texts are not there
        with _connect(db) as conn:
            tables = _tables(conn)
            _require(
                db,
                "NewsDiffs",
                tables,
                {
                    "Articles": {"id", "url", "git_dir"},
                    "version": {"id", "article_id", "v", "title", "byline", "date", "boring"},
                },
            )
            articles = {
                int(i): (str(url), str(git_dir))
                for i, url, git_dir in conn.execute("SELECT id, url, git_dir FROM Articles")
            }
            found: dict[int, list[NewsDiffsVersion]] = {}
            for rowid, article_id, v, title, byline, date, boring in conn.execute(
                "SELECT id, article_id, v, title, byline, date, boring FROM version "
                "ORDER BY article_id, date, id"
            ):
                when = _time(date, zone)
                if int(article_id) not in articles or when is None or not v:
                    report.problems.append(
                        f"version {rowid}: no article, time or commit to read it from; not "
                        "imported."
                    )
                    continue
                found.setdefault(int(article_id), []).append(
                    NewsDiffsVersion(
                        int(rowid), when, str(v), str(title or ""), str(byline or ""), bool(boring)
                    )
                )
            report.unmapped.extend(
                _unmapped(
                    conn,
                    tables,
                    {"upvotes": "readers' votes on diffs (revtrack has no place for them)"},
                )
            )
            if "diff_json" in tables["version"]:
                report.unmapped.append(
                    "version.diff_json: NewsDiffs' own diff statistics (revtrack computes its own)"
                )
            if "last_check" in tables["Articles"]:
                report.unmapped.append(
                    "Articles.last_check: when NewsDiffs last looked at each article"
                )
        keys = KeyBook(url for url, _ in articles.values())
        units: dict[str, NewsDiffsArticle] = {}
        for article_id, versions in found.items():
            url, git_dir = articles[article_id]
            try:
                filename = newsdiffs_filename(url)
            except ValueError:
                report.problems.append(f"Articles {article_id}: {url!r} is not an http(s) URL.")
                continue
            unit = NewsDiffsArticle(keys[url], url, git_dir, filename, tuple(versions))
            units[name(unit.key, versions[-1].commit)] = unit
        return units

    def read(self, unit: NewsDiffsArticle) -> Plan:
        from revtrack.service.importers.git import _open

        captures: list[Capture] = []
        problems: list[str] = []
        counts: dict[str, int] = {}
        root = self.articles_dir / unit.git_dir
        try:
            repo = _open(str(root))
        except SourceError as exc:
            return Plan(unit.key, (), (f"{unit.url}: {exc.message}",), {})
        for version in unit.versions:
            where = f"version {version.rowid} (commit {version.commit[:12]} in {root.name})"
            try:
                data = repo.revparse_single(f"{version.commit}:{unit.filename}").data
            except (KeyError, ValueError, AttributeError) as exc:
                problems.append(f"{where}: {unit.filename} cannot be read ({type(exc).__name__}).")
                continue
            try:
                fetched = from_bytes(
                    data,
                    source=unit.url,
                    kind="newsdiffs",
                    key_hint=unit.key,
                    max_bytes=max_bytes_allowed(),
                )
            except SourceError as exc:
                problems.append(f"{where}: {exc.message}")
                continue
            # The file is what NewsDiffs' parsers printed: date line, title, byline, body.
            lines = fetched.text.split("\n", 3)
            printed_date = lines[0].strip() if lines else ""
            body = lines[3].lstrip("\n") if len(lines) > 3 else ""
            if not body.strip():
                counts["empty versions"] = counts.get("empty versions", 0) + 1
                continue
            meta: dict[str, Any] = {"commit": version.commit, "printed_date": printed_date}
            if version.boring:
                meta["boring"] = True
            captures.append(
                Capture(
                    text=body,
                    captured_at=version.when,
                    source=f"newsdiffs:{unit.git_dir}@{version.commit}:{unit.filename}",
                    source_id=f"version/{version.rowid}",
                    title=version.title or (lines[1].strip() if len(lines) > 1 else None),
                    byline=version.byline or (lines[2].strip() if len(lines) > 2 else None),
                    url=unit.url,
                    meta=meta,
                )
            )
        return Plan(unit.key, analysed(captures), tuple(problems), counts, url=unit.url)


def open_database(kind: str, path: str, *, timezone: str | None) -> Any:
    if not Path(path).exists():
        raise SourceError(f"No such file or directory: {path}.", "Check the path.")
    if kind == "newsdiffs":
        return NewsDiffsArchive(path, timezone)
    if kind == "diffengine":
        return DiffengineArchive(path, timezone)
    return NewsEditsArchive(path, timezone)
