"""Walking a whole database for `verify`, and anchoring its end outside it.

`verify` walks every article (one read transaction each, so memory and locks stay bounded
on a large database) and then every event chain of no article, through
:func:`revtrack.service.integrity.check_history`. A history rewritten consistently, seals and
heads recomputed, passes that walk; only something kept outside the database catches it.
`revtrack checkpoint` writes that: per chain the number of rows of each of its five chains
and the head over their last hashes, and the database-wide root over all heads.
`verify --against` recomputes, for each chain of the checkpoint, the head *after as many rows
as the checkpoint counted*: growth since then is accepted, while removed rows (fewer than
counted) or rewritten ones (a different head at that point) are named.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from revtrack.errors import InvalidInput
from revtrack.service.history import History, VerifyReport
from revtrack.service.integrity import Walk, check_history
from revtrack.store import Store, Tx
from revtrack.store.hashing import TABLES, root

FORMAT = "revtrack.checkpoint/1"


def db_history(tx: Tx, key: str) -> History:
    """An article of the database as a :class:`History`."""
    article = tx.get_article(key)
    assert article is not None
    revisions = tx.revisions(article.id)
    rows = tx.note_rows(article.id)
    return History(
        name=key,
        article={
            "key": key,
            "url": article.url,
            "outlet": article.outlet,
            "title": article.title,
            "created_at": article.created_at,
        },
        revisions=revisions,
        text=lambda r: tx.load_text(r.id),
        corrections=rows["corrections"],
        links=rows["links"],
        states=rows["states"],
        events=tx.chain_events(key),
        stored_head=tx.stored_head(key),
        numbers={r.id: r.number for r in revisions},
        article_id=article.id,
    )


def chain_history(tx: Tx, name: str) -> History:
    """An event chain of no article ("-", an importer's, a watch's) as a :class:`History`."""
    return History(
        name=name,
        article=None,
        revisions=(),
        text=lambda r: "",
        corrections=[],
        links=[],
        states=[],
        events=tx.chain_events(name),
        stored_head=tx.stored_head(name),
        numbers={},
    )


def verify_store(store: Store, keys: Iterator[str], checkpoint: str | None = None) -> VerifyReport:
    """Walk every article in ``keys`` and every chain of no article; compare with the
    checkpoint file when one is given."""
    against = load_checkpoint(checkpoint) if checkpoint else None
    report = VerifyReport()
    from revtrack.service.kept import verify_kept

    for key in keys:
        with store.read() as tx:
            history = db_history(tx, key)
            compare_chain(history, check_history(history, report), report, against)
            if history.article_id is not None:  # kept pages and re-derived texts (reextract)
                verify_kept(tx, key, history.article_id, list(history.revisions), report)
    with store.read() as tx:
        detached = tx.detached_chains()
        for pack_id in tx.broken_packs():  # `revtrack pack`'s blobs (their texts were rebuilt)
            report.problem(
                f"text_packs #{pack_id}: does not match its SHA-256 (a packed text changed)."
            )
    for name in detached:
        with store.read() as tx:
            history = chain_history(tx, name)
            compare_chain(history, check_history(history, report), report, against)
    if against is not None:
        _gone(report, against)
    return report


def compare_chain(
    h: History, walk: Walk, report: VerifyReport, anchor: dict[str, Any] | None
) -> None:
    """Compare one chain with its entry in the checkpoint, if it has one."""
    if anchor is None:
        return
    entry = anchor["chains"].get(h.name)
    if entry is None:
        report.against["new"] += 1
        return
    report.against["checked"] += 1
    then = [int(n) for n in entry["counts"]]
    now = walk.counts()
    where = f"{h.name} (checkpoint of {anchor.get('at')})"
    for table, n_then, n_now in zip(TABLES, then, now, strict=True):
        if n_now < n_then:
            report.problem(
                f"{where}: {n_then} {table} then, {n_now} now: history was truncated since."
            )
            return
    if walk.head(h.name, then) != entry["head"]:
        report.problem(
            f"{where}: its first {_counted(then)} were rewritten since (their head differs)."
        )
        return
    if now != then:
        report.against["grew"] += 1


def _counted(counts: list[int]) -> str:
    return ", ".join(f"{n} {t}" for t, n in zip(TABLES, counts, strict=True) if n)


def _gone(report: VerifyReport, anchor: dict[str, Any]) -> None:
    seen = {name for name, _ in report.heads}
    for name in sorted(set(anchor["chains"]) - seen):
        report.problem(f"{name} (checkpoint of {anchor.get('at')}): in the checkpoint, gone now.")


def make_checkpoint(store: Store) -> dict[str, Any]:
    """Every chain's stored head and the root over them (read in pages, one transaction)."""
    chains: dict[str, dict[str, Any]] = {}
    with store.read() as tx:
        after: str | None = None
        while page := tx.heads_page(after):
            for name, counts, value in page:
                chains[name] = {"counts": counts, "head": value}
            after = page[-1][0]
    return {
        "format": FORMAT,
        "schema": store.version(),
        "at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "tables": list(TABLES),
        "root": root(sorted((n, c["head"]) for n, c in chains.items())),
        "chains": chains,
    }


def load_checkpoint(path: str) -> dict[str, Any]:
    """A checkpoint file, refused unless it is one and its root matches its heads."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"Cannot read the checkpoint {path}: {exc.strerror}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidInput(
            f"{path} is not a checkpoint (not JSON).",
            "Give a file written by `revtrack checkpoint`.",
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(
            f"{path} is not a revtrack checkpoint.", "Give a file written by `revtrack checkpoint`."
        )
    chains = data.get("chains")
    if not isinstance(chains, dict) or data.get("root") != root(
        sorted((str(n), str(c.get("head"))) for n, c in chains.items())
    ):
        raise InvalidInput(
            f"The checkpoint {path} does not match its own root: it was edited.",
            "Use the copy you kept or published.",
        )
    return data
