"""A single ingest analyses the new version before it takes the write lock (issue #19).

Diffing and note detection are most of an ingest's work; under SQLite's write lock they would
serialise every concurrent ingester. The analysis is made in a read transaction first, and the
writer uses it only if the article's latest revision is still the one it was made against.
"""

from __future__ import annotations

from typing import Any

import pytest

from revtrack import Revtrack
from revtrack.service import analysis as analysis_module
from revtrack.service import ingest as ingest_module
from revtrack.service.facade import Revtrack as Facade

V1 = "Ferry cut\n\nThe council voted 5-2 to cut the ferry to two islands.\n"
V2 = V1 + "\nResidents protested on Friday.\n"
V3 = V2.replace("two islands", "three islands") + (
    "\nCorrection: An earlier version of this story misstated the number of islands.\n"
)
OTHER = V1 + "\nA version written by another process in the meantime.\n"


def test_every_analysis_is_made_outside_the_write_lock(
    rt: Revtrack, monkeypatch: pytest.MonkeyPatch
) -> None:
    under_lock: list[bool] = []
    writing = {"open": False}
    real_write = rt.store.write
    real_analyze = analysis_module.analyze

    def write() -> Any:
        class Guard:
            def __enter__(self) -> Any:
                self.inner = real_write()
                tx = self.inner.__enter__()
                writing["open"] = True
                return tx

            def __exit__(self, *exc: Any) -> Any:
                writing["open"] = False
                return self.inner.__exit__(*exc)

        return Guard()

    def spy(*args: Any) -> Any:
        under_lock.append(writing["open"])
        return real_analyze(*args)

    monkeypatch.setattr(rt.store, "write", write)
    monkeypatch.setattr(analysis_module, "analyze", spy)
    monkeypatch.setattr(ingest_module, "analyze", spy)
    results = [rt.ingest_text(t, article="ferry") for t in (V1, V2, V2, V3)]
    assert [r.status for r in results] == ["new", "new", "unchanged", "new"]
    assert under_lock == [False, False, False, False]
    assert results[3].notes_added  # the note was detected from the analysis made ahead
    log = rt.log("ferry")
    assert log.corrections[0].link is not None
    assert log.corrections[0].link.fixing_revision == 3


def test_a_revision_written_in_between_is_analysed_again_under_the_lock(
    rt: Revtrack, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt.ingest_text(V1, article="ferry")
    real_ahead = Facade._analysis_ahead
    raced: list[bool] = []

    def ahead_then_race(self: Facade, *args: Any) -> Any:
        stale = real_ahead(self, *args)  # made against v1
        if not raced:
            raced.append(True)
            with Revtrack(db_url) as other:  # another process writes v2 meanwhile
                other.ingest_text(OTHER, article="ferry")
        return stale

    monkeypatch.setattr(Facade, "_analysis_ahead", ahead_then_race)
    result = rt.ingest_text(V2, article="ferry")
    assert result.status == "new" and result.revision.number == 3
    # Against v2 (OTHER), not v1: V2 drops OTHER's sentence and adds its own.
    monkeypatch.undo()
    v2 = rt.revision("ferry@v2")
    parent = analysis_module.Parent(OTHER, v2.text_hash, v2.content_hash, v2.title, v2.words)
    expected = analysis_module.analyze(V2, None, parent)
    stored = result.revision.stats
    assert stored and stored == {k: expected.stats[k] for k in stored}
    assert (result.words_added, result.words_removed) == (
        expected.stats["words_added"],
        expected.stats["words_removed"],
    )
    assert result.words_removed > 0 and result.words_added > 0
    assert rt.show("ferry@v3")[1] == V2
