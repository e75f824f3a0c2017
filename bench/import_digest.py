"""What an import stored, as one digest: the check that a faster import stores the same.

Usage: python bench/import_digest.py DB [--dump FILE]

Reads a revtrack SQLite database and prints a SHA-256 over everything an import decides:
articles (key, URL, outlet, title), revisions (number, capture time, source, title, byline,
hashes, revert, sizes, statistics, meta), the stored texts (decoded), corrections, their
links and states, every event's action, article, revision and payload (the importing
process's name in ``import.batch`` events left out, as are ids, recording times and chain
hashes, which differ between any two runs; a batch's folder is left out of its name), and the
audit's findings per article. Two runs of the same import on the same input, by two versions
of revtrack, must print the same digest;
``--dump`` writes the canonical rows (one JSON line each) to compare where they do not.

The benchmarks call :func:`digest` on their databases so that each run prints it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def _rows(db: Path) -> Iterator[list[Any]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        keys = dict(conn.execute("SELECT id, key FROM articles"))
        numbers = {
            rid: (keys[aid], n)
            for rid, aid, n in conn.execute("SELECT id, article_id, number FROM revisions")
        }
        for row in conn.execute("SELECT key, url, outlet, title FROM articles ORDER BY key"):
            yield ["article", *row]
        for row in conn.execute(
            "SELECT article_id, number, captured_at, source, source_kind, title, byline, "
            "hex(content_hash), hex(text_hash), revert_of_id, chars, words, words_added, "
            "words_removed, hunks, substantive_hunks, stats, meta FROM revisions"
        ):
            aid, number, *rest = row
            rest[7] = numbers.get(rest[7])  # revert_of_id -> (key, number)
            yield ["revision", keys[aid], number, *rest]
        corrections: dict[int, list[Any]] = {}
        for cid, aid, kind, label, text, printed, origin, disclosed, supersedes in conn.execute(
            "SELECT id, article_id, kind, label, text, printed_date, origin, "
            "disclosed_revision_id, supersedes_id FROM corrections ORDER BY id"
        ):
            # A correction is named by its article, its disclosing revision and its text.
            corrections[cid] = [keys[aid], numbers.get(disclosed), kind, label, text]
            yield [
                "correction",
                *corrections[cid],
                printed,
                origin,
                corrections.get(supersedes) if supersedes else None,
            ]
        for cid, fixing, confidence, matched, evidence, version in conn.execute(
            "SELECT correction_id, fixing_revision_id, confidence, matched, evidence, "
            "linker_version FROM correction_links ORDER BY id"
        ):
            yield ["link", corrections[cid], numbers.get(fixing), confidence, matched, evidence]
            del version  # the linker's version is the code's, not the import's
        for cid, state, rid, reason in conn.execute(
            "SELECT correction_id, state, revision_id, reason FROM correction_states ORDER BY id"
        ):
            yield ["state", corrections[cid], state, numbers.get(rid), reason]
        for action, aid, rid, payload in conn.execute(
            "SELECT action, article_id, revision_id, payload FROM events ORDER BY id"
        ):
            data = json.loads(payload)
            if action == "import.batch":
                data.pop("worker", None)
                # The batch names the archive by its absolute path: keep the file's name.
                data["batch"] = re.sub(r"/[^:]*/", "", str(data.get("batch", "")))
            yield ["event", action, keys.get(aid), numbers.get(rid), data]
    finally:
        conn.close()


def _texts(db: Path) -> Iterator[list[Any]]:
    from revtrack import Revtrack

    rt = Revtrack(str(db))
    try:
        for article in rt.articles():
            for revision in rt.log(article.key).revisions:
                text = rt.show(f"{article.key}@v{revision.number}")[1]
                sha = hashlib.sha256(text.encode()).hexdigest()
                yield ["text", article.key, revision.number, sha]
        for audit in rt.audit():
            yield ["audit", audit.article.key, repr(audit.findings), repr(audit.fixes)]
    finally:
        rt.close()


def canonical(db: Path) -> list[str]:
    """The database's import-relevant content, one canonical JSON line per row, sorted."""
    lines = [json.dumps(r, sort_keys=True, default=str) for r in _rows(db)]
    lines += [json.dumps(r, sort_keys=True, default=str) for r in _texts(db)]
    return sorted(lines)


def digest(db: Path, dump: Path | None = None) -> str:
    lines = canonical(db)
    if dump is not None:
        dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    print(digest(args.db, args.dump))


if __name__ == "__main__":
    main()
