"""Bytes per version of each step of migration 0008, applied one by one to a real database.

Usage: python bench/bench_store_steps.py DB --versions N --git B

DB is a revtrack SQLite database at schema 0006 (e.g. the one `bench/bench_store.py --keep`
imports the shared corpora into, with the code before 0008); N the input versions it holds and
B git's `gc --aggressive` pack in bytes per version measured in the same run (both printed by
bench_store.py). Each step is applied, cumulatively, to a copy, which is then VACUUMed (so a
step's figure is what a database written that way from the start takes); the last row is the
real migration (`Store(create=True)` upgrades the untouched copy) VACUUMed, which must equal
the last step. The database given is not changed.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from revtrack.store import Store  # noqa: E402
from revtrack.store.packed import pack, unpack  # noqa: E402


def _unguarded(conn: sqlite3.Connection, table: str, sql: Callable[[], None]) -> None:
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    sql()
    for _, create in triggers:
        conn.execute(create)


def pack_json(conn: sqlite3.Connection) -> None:
    def run() -> None:  # as the migration does it: add, fill, drop, rename
        for column in ("stats", "meta"):
            conn.execute(f"ALTER TABLE revisions ADD COLUMN {column}_new BLOB")
        rows = conn.execute("SELECT id, stats, meta FROM revisions").fetchall()
        conn.executemany(
            "UPDATE revisions SET stats_new = ?, meta_new = ? WHERE id = ?",
            [(pack(unpack(s)), pack(unpack(m)), i) for i, s, m in rows],
        )
        for column in ("stats", "meta"):
            conn.execute(f"ALTER TABLE revisions DROP COLUMN {column}")
            conn.execute(f"ALTER TABLE revisions RENAME COLUMN {column}_new TO {column}")

    _unguarded(conn, "revisions", run)


def drop_prev_hash(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE events DROP COLUMN prev_hash")


def prefix_index(conn: sqlite3.Connection) -> None:
    conn.execute("DROP INDEX ix_revisions_article_content")
    conn.execute(
        "CREATE INDEX ix_revisions_article_content8 ON revisions "
        "(article_id, substr(content_hash, 1, 8))"
    )


def drop_captured_index(conn: sqlite3.Connection) -> None:
    conn.execute("DROP INDEX ix_revisions_article_captured")


def drop_base_index(conn: sqlite3.Connection) -> None:
    conn.execute("DROP INDEX ix_revision_texts_base_revision_id")


def drop_event_article_index(conn: sqlite3.Connection) -> None:
    conn.execute("DROP INDEX ix_events_article_id")


STEPS: list[tuple[str, Callable[[sqlite3.Connection], None] | None]] = [
    ("schema 0006 (before)", None),
    ("+ stats and meta packed", pack_json),
    ("+ no events.prev_hash", drop_prev_hash),
    ("+ revert index on an 8-byte prefix", prefix_index),
    ("+ no capture-time index", drop_captured_index),
    ("+ no text-base index", drop_base_index),
    ("+ no event article-id index", drop_event_article_index),
]


def _vacuumed_size(path: Path) -> int:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("VACUUM")
    conn.close()
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--versions", type=int, required=True)
    parser.add_argument("--git", type=float, required=True, help="git's pack, B/version")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "steps.db"
        source = sqlite3.connect(args.db)
        target = sqlite3.connect(work)
        source.backup(target)
        source.close()
        target.close()
        untouched = Path(tmp) / "migrated.db"
        shutil.copy(work, untouched)
        print(f"{'step':<40} {'B/version':>10} {'x git':>7}")
        for name, step in STEPS:
            if step is not None:
                conn = sqlite3.connect(work, isolation_level=None)
                conn.execute("BEGIN")
                step(conn)
                conn.execute("COMMIT")
                conn.close()
            size = _vacuumed_size(work) / args.versions
            print(f"{name:<40} {size:>10.0f} {size / args.git:>7.2f}")
        Store(str(untouched), create=True).dispose()  # the real migration
        size = _vacuumed_size(untouched) / args.versions
        print(f"{'migration 0008 itself':<40} {size:>10.0f} {size / args.git:>7.2f}")
        print(f"{'git gc --aggressive':<40} {args.git:>10.0f} {1:>7.2f}")


if __name__ == "__main__":
    main()
