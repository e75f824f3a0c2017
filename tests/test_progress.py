"""Progress is counted in revisions, where the work is done: in the reader processes of a
bulk import (through a queue), in the writer when it analyses itself, and per article's
revisions when audit, verify, export or relink walk the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from revtrack import Revtrack
from revtrack.cli import cli
from revtrack.service import progress as progress_module
from revtrack.service.progress import Counter, counting, tick
from test_bulk_import import make_corpus


class Calls(list[tuple[int, int]]):
    def __call__(self, done: int, total: int) -> None:
        self.append((done, total))


def check_counts(calls: Calls, total: int) -> None:
    """Starts at zero, never goes back, never changes its total, ends at the total."""
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert {t for _, t in calls} == {total}


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bulk_import_counts_every_version_analysed(
    db_url: str, tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each version is counted as it is analysed, one by one, in the reader processes too
    (with reports unthrottled, every count from 0 to the total is seen)."""
    monkeypatch.setattr(progress_module, "EVERY", 0.0)
    corpus = make_corpus(tmp_path, docs=20, versions=3)  # 20 ≥ READERS_FROM: readers at 2
    calls = Calls()
    rt = Revtrack(db_url, create=True)
    try:
        summary = rt.import_directory(str(corpus), progress=calls, jobs=jobs)
    finally:
        rt.close()
    assert summary["revisions"] == 60
    check_counts(calls, 60)
    assert sorted({d for d, _ in calls}) == list(range(61))
    assert progress_module._sink is None, "the writer's sink is removed afterwards"


def test_an_import_of_nothing_new_reports_no_work(db_url: str, tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, docs=2, versions=2)
    rt = Revtrack(db_url, create=True)
    try:
        rt.import_directory(str(corpus), jobs=1)
        calls = Calls()
        rt.import_directory(str(corpus), progress=calls, jobs=1)
    finally:
        rt.close()
    assert calls == [(0, 0), (0, 0)]


def test_walks_count_the_revisions_of_each_article(db_url: str, tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, docs=3, versions=4)
    rt = Revtrack(db_url, create=True)
    try:
        rt.import_directory(str(corpus), jobs=1)
        for run in (
            lambda p: list(rt.audit(progress=p)),
            lambda p: rt.verify(progress=p),
            lambda p: list(rt.export(progress=p)),
            lambda p: rt.relink(progress=p),
        ):
            calls = Calls()
            run(calls)
            check_counts(calls, 12)
        one = Calls()
        list(rt.audit("gazette/story-001", progress=one))
        check_counts(one, 4)
    finally:
        rt.close()


def test_a_counter_reports_at_most_every_so_often_and_once_at_the_end() -> None:
    calls = Calls()
    counter = Counter(calls, 1000)
    with counting(counter):
        for _ in range(1000):
            tick()
    tick()  # outside: counted nowhere
    assert counter.done == 1000
    assert calls[-1] == (1000, 1000)
    assert len(calls) < 100, "reports are spaced, not one per revision"


def test_an_unknown_total_stays_unknown() -> None:
    calls = Calls()
    counter = Counter(calls)
    counter.add(3)
    counter.flush()
    assert calls[-1] == (3, 0)


def test_the_closing_lines_go_beside_the_output_not_into_it(
    runner: CliRunner, example: Path
) -> None:
    ferry = [str(example / f"v{n}.txt") for n in (1, 2, 3)]
    assert runner.invoke(cli, ["ingest", *ferry, "--article", "ferry"]).exit_code == 0
    export = runner.invoke(cli, ["export"])
    assert export.stderr == "Exported 1 article(s), 3 revision(s).\n"
    assert all(line.startswith("{") for line in export.stdout.splitlines())
    audit = runner.invoke(cli, ["audit", "--format", "csv", "--quiet"])
    rows = audit.stdout.splitlines()
    assert rows[0].startswith("article,revision,")
    assert audit.stderr == f"Audited 1 article(s) (3 revisions): {len(rows) - 1} finding(s).\n"
    relink = runner.invoke(cli, ["relink", "-q"])
    assert relink.output.endswith("note(s) relinked, 0 changed.\n")
