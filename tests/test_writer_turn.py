"""Writers of one SQLite file take turns on a lock file beside it (store/writer_turn.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from revtrack import Revtrack
from revtrack.errors import DatabaseLocked
from revtrack.store.writer_turn import lock_file_of, writer_turn


def test_a_waiting_writer_starts_as_soon_as_the_turn_is_free(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    order: list[str] = []
    held = threading.Event()

    def first() -> None:
        with writer_turn(db, timeout=5):
            held.set()
            time.sleep(0.2)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    held.wait()
    with writer_turn(db, timeout=5):
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]
    assert lock_file_of(db).exists()


def test_a_turn_held_past_the_timeout_says_the_database_is_locked(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    with (
        writer_turn(db, timeout=5),
        pytest.raises(DatabaseLocked) as caught,
        writer_turn(db, timeout=0.05),
    ):
        pass
    assert str(caught.value).startswith("The database is locked by another process.")


def test_an_ingest_waits_its_turn_and_stores_everything(tmp_path: Path) -> None:
    db = tmp_path / "story.db"
    with Revtrack(str(db), create=True) as rt:
        rt.ingest_text("First version.", article="a")
        done: list[int] = []

        def other() -> None:
            with Revtrack(str(db)) as second:
                done.append(second.ingest_text("Second version.", article="a").revision.number)

        with writer_turn(db, timeout=5):
            thread = threading.Thread(target=other)
            thread.start()
            time.sleep(0.2)
            assert done == []  # still waiting for the turn
        thread.join()
        assert done == [2]
        assert rt.show("a")[1] == "Second version."


def test_postgresql_and_memory_urls_take_no_turn(tmp_path: Path) -> None:
    with writer_turn(None, timeout=0.01), writer_turn(None, timeout=0.01):
        pass  # nothing to lock: the server (or the one connection) orders writers
    assert list(tmp_path.iterdir()) == []


def test_a_queue_that_moves_outlasts_the_timeout(tmp_path: Path) -> None:
    """Four writers holding their turn 0.1 s each: the last waits ~0.3 s with a timeout of
    0.15 s, and still gets its turn, because a turn was taken meanwhile."""
    db = tmp_path / "x.db"
    got: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(name: str) -> None:
        start.wait()
        try:
            with writer_turn(db, timeout=0.15):
                time.sleep(0.1)
                got.append(name)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(str(i),)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(got) == ["0", "1", "2", "3"]
