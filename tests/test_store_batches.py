"""The batched writes of a fetch pass: many watch chains' heads read at once, many rows
written by one statement, and a savepoint that fails never takes earlier appends with it.

Real databases of both backends; `verify` is the judge of every chain and head.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from revtrack import Revtrack
from revtrack.store.watch import WatchRows


def test_a_failed_savepoint_keeps_what_was_appended_before_it(rt: Revtrack) -> None:
    with rt.store.write() as tx:
        tx.append_event("note", actor="tester", chain="watch:1", payload={"n": 1})
        with pytest.raises(RuntimeError), tx.savepoint():
            tx.append_event("note", actor="tester", chain="watch:2", payload={"n": 2})
            raise RuntimeError("this one is undone")
        tx.append_event("note", actor="tester", chain="watch:1", payload={"n": 3})
    with rt.store.read() as tx:
        assert [e.payload["n"] for e in tx.chain_events("watch:1")] == [1, 3]
        assert tx.chain_events("watch:2") == []
    assert rt.verify().ok


def test_prefetched_heads_chain_on_as_one_at_a_time_does(rt: Revtrack) -> None:
    chains = [f"watch:{n}" for n in range(1, 8)]
    with rt.store.write() as tx:
        for name in chains[:5]:  # five chains with a history, two new ones
            tx.append_event("fetch", actor="tester", chain=name, payload={"n": 0})
    with rt.store.write() as tx:
        tx.prefetch_chains(chains)
        tx.prefetch_heads(chains)
        for name in chains:
            tx.append_event("fetch", actor="tester", chain=name, payload={"n": 1})
    with rt.store.read() as tx:
        for name in chains:
            events = tx.chain_events(name)
            assert [e.seq for e in events] == list(range(1, len(events) + 1))
            assert all(b.prev_hash == a.hash for a, b in pairwise(events))
        assert len(tx.chain_events(chains[0])) == 2 and len(tx.chain_events(chains[-1])) == 1
    assert rt.verify().ok


def test_many_watches_are_read_and_written_as_one_at_a_time(rt: Revtrack) -> None:
    watcher = rt.watcher()
    added = [watcher.add(f"http://127.0.0.1:9/news/story-{n}") for n in range(3)]
    with rt.store.write() as tx:
        rows = WatchRows(tx)
        known = rows.lock_many([w.id for w in reversed(added)])
        assert known == {w.id: rows.get(w.id) for w in added}
        rows.finish_many(
            [
                (
                    w.id,
                    {
                        **{k: getattr(w, k, None) for k in _finish()},
                        "fetch_count": 7,
                        "claimed_by": "",
                    },
                )
                for w in added[:2]
            ]
        )
    assert [w.fetch_count for w in watcher.watches()] == [7, 7, 0]


def _finish() -> tuple[str, ...]:
    from revtrack.store.watch import FINISH

    return FINISH
