"""`verify` against every kind of tampering, done with raw SQL after the guards are dropped.

The history (built once through the API, then copied per test: onto a SQLite file, or restored
from its export into a fresh PostgreSQL schema) has two articles; `ferry` has four revisions (a
note detected in v3 and gone in v4), three notes (one added by hand and superseded, one
retracted), links, states, an unchanged ingest and their events. Each case edits one covered
column, removes a first, middle or last row, or swaps two rows, with the append-only triggers
(and foreign keys) out of the way as an adversary would have them, and `verify` must fail
with its first problem naming the row. A history replaced consistently (every hash and head
recomputed) passes `verify` and is caught only against a checkpoint taken before.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from revtrack import Revtrack
from revtrack.cli import cli
from revtrack.errors import InvalidInput
from revtrack.store.schema_version import SCHEMA_HEAD

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "ferry"

V1 = (EXAMPLE / "v1.txt").read_text()
V2 = (EXAMPLE / "v2.txt").read_text()
V3 = (EXAMPLE / "v3.txt").read_text()
V4 = V3.split("\n\nCorrection:")[0] + "\n"
HARBOUR = "The harbour reopened on Monday after the storm.\n"


def build(rt: Revtrack) -> None:
    rt.ingest_text(V1, article="ferry", at="2024-03-01T10:00", title="Ferry vote")
    rt.ingest_text(V2, article="ferry", at="2024-03-01T12:00", url="https://example.com/ferry")
    rt.ingest_text(V3, article="ferry", at="2024-03-02T09:00")
    rt.ingest_text(V3, article="ferry", at="2024-03-02T10:00")  # unchanged
    rt.correct("ferry", "The cost was misstated.", rev="v2")
    rt.supersede(2, "An earlier version misstated the cost.")
    rt.ingest_text(V4, article="ferry", at="2024-03-03T09:00")  # the detected note goes
    rt.retract(1, "The note was wrong.")
    rt.ingest_text(HARBOUR, article="harbour", at="2024-03-04T09:00")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The history on SQLite, and its export."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.db"
    rt = Revtrack(str(path), create=True, actor="tester")
    build(rt)
    dump = folder / "dump.jsonl"
    dump.write_text("".join(line + "\n" for line in rt.export()))
    rt.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path, dump


@pytest.fixture
def db(
    request: pytest.FixtureRequest, template: tuple[Path, Path], tmp_path: Path, db_url: str
) -> Iterator[str]:
    """A copy of the history on each backend."""
    if db_url.startswith("postgresql"):
        rt = Revtrack(db_url, create=True, actor="tester")
        rt.restore(template[1].read_text().splitlines())
        rt.close()
        yield db_url
        return
    shutil.copy(template[0], db_url)
    yield db_url


def tamper(url: str, *statements: str) -> None:
    """Run raw SQL as an adversary would: guards dropped, foreign keys not enforced."""
    if not url.startswith("postgresql"):
        with sqlite3.connect(url) as conn:
            conn.execute("PRAGMA foreign_keys = OFF")
            names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in names.fetchall():
                conn.execute(f"DROP TRIGGER {name}")
            for statement in statements:
                conn.execute(statement)
        return
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("SET session_replication_role = replica")  # no triggers, no foreign keys
        for statement in statements:
            conn.execute(statement)


def verify(url: str, against: str | None = None) -> list[str]:
    rt = Revtrack(url)
    try:
        return rt.verify(against=against).problems
    finally:
        rt.close()


def rev(n: int, key: str = "ferry") -> str:
    return (
        "(SELECT r.id FROM revisions r JOIN articles a ON a.id = r.article_id "
        f"WHERE a.key = '{key}' AND r.number = {n})"
    )


def note(place: int) -> str:
    """The id of ferry's ``place``-th note (they are 1, 2, 3 in the template)."""
    return str(place)


def event(seq: int, key: str = "ferry") -> str:
    return (
        "(SELECT e.id FROM events e JOIN event_chains c ON c.id = e.chain_id "
        f"WHERE c.name = '{key}' AND e.seq = {seq})"
    )


LINK = "(SELECT MIN(id) FROM correction_links WHERE correction_id = 2)"
STATE = "(SELECT MIN(id) FROM correction_states WHERE correction_id = 1)"
REVISION = r"^revisions id \d+ \(ferry@v2\): "
NOTE = r"^corrections #2 \(ferry\): "
LINKED = r"^correction_links id \d+ \(ferry, note #2\): "
STATED = r"^correction_states id \d+ \(ferry, note #1\): "
EVENT = r"^events id \d+: event log of 'ferry', entry 3 \("

EDITS = {
    # every shown column of a revision
    "revision title": (f"UPDATE revisions SET title = 'Forged' WHERE id = {rev(2)}", REVISION),
    "revision byline": (f"UPDATE revisions SET byline = 'Mallory' WHERE id = {rev(2)}", REVISION),
    "revision source": (f"UPDATE revisions SET source = 'forged' WHERE id = {rev(2)}", REVISION),
    "revision source kind": (
        f"UPDATE revisions SET source_kind = 'url' WHERE id = {rev(2)}",
        REVISION,
    ),
    "revision capture time": (
        f"UPDATE revisions SET captured_at = captured_at + 1 WHERE id = {rev(2)}",
        REVISION + "revision hash chain broken",
    ),
    "revision ingest time": (
        f"UPDATE revisions SET ingested_at = ingested_at - 60000000 WHERE id = {rev(2)}",
        REVISION + "does not match its seal",
    ),
    "revision provenance": (
        f'UPDATE revisions SET meta = \'{{"importer": "git"}}\' WHERE id = {rev(2)}',
        REVISION,
    ),
    "revision statistics": (
        f"UPDATE revisions SET words_added = 7, stats = '{{}}' WHERE id = {rev(2)}",
        REVISION,
    ),
    "revision words": (f"UPDATE revisions SET words = 3 WHERE id = {rev(2)}", REVISION),
    "revision revert": (
        f"UPDATE revisions SET revert_of_id = {rev(1)} WHERE id = {rev(2)}",
        REVISION + "revision hash chain broken",
    ),
    "revision content hash": (
        f"UPDATE revisions SET content_hash = (SELECT content_hash FROM revisions WHERE id = "
        f"{rev(1)}) WHERE id = {rev(2)}",
        REVISION + "content hash does not match the text",
    ),
    # every shown column of a note, a link, a state
    "note text": ("UPDATE corrections SET text = 'Nothing was wrong.' WHERE id = 2", NOTE),
    "note kind": ("UPDATE corrections SET kind = 'update' WHERE id = 2", NOTE),
    "note label": ("UPDATE corrections SET label = 'Update:' WHERE id = 2", NOTE),
    "note printed date": ("UPDATE corrections SET printed_date = 'May 1' WHERE id = 2", NOTE),
    "note origin": ("UPDATE corrections SET origin = 'detected' WHERE id = 2", NOTE),
    "note actor": ("UPDATE corrections SET actor = 'mallory' WHERE id = 2", NOTE),
    "note time": ("UPDATE corrections SET created_at = created_at + 1 WHERE id = 2", NOTE),
    "note disclosing revision": (
        f"UPDATE corrections SET disclosed_revision_id = {rev(1)} WHERE id = 2",
        NOTE,
    ),
    "note supersedes": (
        "UPDATE corrections SET supersedes_id = 1 WHERE id = 3",
        r"^corrections #3",
    ),
    "link fixing revision": (
        f"UPDATE correction_links SET fixing_revision_id = {rev(1)} WHERE id = {LINK}",
        LINKED,
    ),
    "link confidence": (f"UPDATE correction_links SET confidence = 0.99 WHERE id = {LINK}", LINKED),
    "link matched": (
        f"UPDATE correction_links SET matched = NOT matched WHERE id = {LINK}",
        LINKED,
    ),
    "link evidence": (
        "UPDATE correction_links SET evidence = '[]' WHERE correction_id = 1",
        r"^correction_links id \d+ \(ferry, note #1\): does not match its seal",
    ),
    "link linker": (
        f"UPDATE correction_links SET linker_version = 'old' WHERE id = {LINK}",
        LINKED,
    ),
    "state kind": (f"UPDATE correction_states SET state = 'returned' WHERE id = {STATE}", STATED),
    "state reason": (f"UPDATE correction_states SET reason = 'x' WHERE id = {STATE}", STATED),
    "state revision": (
        f"UPDATE correction_states SET revision_id = {rev(1)} WHERE id = {STATE}",
        STATED,
    ),
    # the event log, and where its entries point
    "event actor": (f"UPDATE events SET actor = 'mallory' WHERE id = {event(3)}", EVENT),
    "event payload": (f"UPDATE events SET payload = '{{}}' WHERE id = {event(3)}", EVENT),
    "event revision": (f"UPDATE events SET revision_id = {rev(1)} WHERE id = {event(3)}", EVENT),
    "event note": (
        f"UPDATE events SET correction_id = 3 WHERE id = {event(8)}",
        r"^correction_links id \d+ \(ferry, note #2\): no event records it\.$",
    ),
    "event article": (
        f"UPDATE events SET article_id = (SELECT id FROM articles WHERE key = 'harbour') "
        f"WHERE id = {event(3)}",
        EVENT,
    ),
    # the article row and the recorded head
    "article url": (
        "UPDATE articles SET url = 'https://forged.example/' WHERE key = 'ferry'",
        r"^articles \(ferry\): url, outlet, title or creation time changed",
    ),
    "article title": (
        "UPDATE articles SET title = 'Forged' WHERE key = 'ferry'",
        r"^articles \(ferry\)",
    ),
    "article outlet": (
        "UPDATE articles SET outlet = 'Forged' WHERE key = 'ferry'",
        r"^articles \(ferry\)",
    ),
    "head": (
        "UPDATE heads SET events = events + 1 WHERE chain_id = "
        "(SELECT id FROM event_chains WHERE name = 'ferry')",
        r"^heads \(ferry\): 14 events recorded, 13 stored: entry 14 missing\.$",
    ),
}


def first_problem(url: str) -> str:
    problems = verify(url)
    assert problems, "verify passed a tampered database"
    return problems[0]


def test_a_clean_history_passes(db: str) -> None:
    rt = Revtrack(db)
    report = rt.verify()
    rt.close()
    assert report.problems == []
    assert (report.articles, report.revisions, report.corrections, report.events) == (2, 5, 3, 14)


@pytest.mark.parametrize("case", sorted(EDITS))
def test_an_edited_column_is_named(db: str, case: str) -> None:
    statement, expected = EDITS[case]
    tamper(db, statement)
    assert re.match(expected, first_problem(db)), first_problem(db)


@pytest.mark.parametrize(("n", "where"), [(1, "first"), (2, "middle"), (4, "last")])
def test_a_removed_revision_is_named(db: str, n: int, where: str) -> None:
    tamper(
        db,
        f"DELETE FROM revision_texts WHERE revision_id = {rev(n)}",
        f"DELETE FROM revisions WHERE id = {rev(n)}",
    )
    problems = verify(db)
    assert problems[0] == f"heads (ferry): 4 revisions recorded, 3 stored: v{n} missing."
    # the events that recorded it still point at it
    assert any(re.match(r"^events id \d+: .*which is not a revision of ferry", p) for p in problems)


def test_the_last_revision_removed_with_its_events_is_named(db: str) -> None:
    """As if the newest revision had never been ingested: its events go with it."""
    rt = Revtrack(db)
    with rt.store.read() as tx:
        last = tx.chain_events("ferry")[-1].seq
        ingest = [e.seq for e in tx.chain_events("ferry") if e.action == "ingest"][-1]
    rt.close()
    tamper(
        db,
        *(f"DELETE FROM events WHERE id = {event(seq)}" for seq in range(ingest, last + 1)),
        "DELETE FROM correction_states WHERE revision_id IS NOT NULL",
        f"DELETE FROM revision_texts WHERE revision_id = {rev(4)}",
        f"DELETE FROM revisions WHERE id = {rev(4)}",
    )
    assert verify(db)[0] == "heads (ferry): 4 revisions recorded, 3 stored: v4 missing."


@pytest.mark.parametrize(("seq", "where"), [(1, "first"), (7, "middle"), (13, "last")])
def test_a_removed_event_is_named(db: str, seq: int, where: str) -> None:
    tamper(db, f"DELETE FROM events WHERE id = {event(seq)}")
    assert verify(db)[0] == f"heads (ferry): 13 events recorded, 12 stored: entry {seq} missing."


@pytest.mark.parametrize("place", [1, 2, 3])
def test_a_removed_note_is_named(db: str, place: int) -> None:
    tamper(db, f"DELETE FROM corrections WHERE id = {note(place)}")
    problems = verify(db)
    assert problems[0] == "heads (ferry): 3 corrections recorded, 2 stored: 1 removed."
    assert any(f"refers to note #{place}, which is not a note of ferry" in p for p in problems)


def test_a_removed_link_and_state_are_found(db: str) -> None:
    tamper(db, f"DELETE FROM correction_links WHERE id = {LINK}")
    problems = verify(db)
    assert problems[0] == "heads (ferry): 3 links recorded, 2 stored: 1 removed."
    assert any("the link it records of note #2 is missing" in p for p in problems)


def test_two_revisions_swapped_are_named(db: str) -> None:
    tamper(
        db,
        f"UPDATE revisions SET number = 99 WHERE id = {rev(1)}",
        f"UPDATE revisions SET number = 1 WHERE id = {rev(2)}",
        "UPDATE revisions SET number = 2 WHERE number = 99",
    )
    assert re.match(r"^revisions id \d+ \(ferry@v1\): revision hash chain broken", verify(db)[0])


def test_two_events_swapped_are_named(db: str) -> None:
    tamper(
        db,
        f"UPDATE events SET seq = 99 WHERE id = {event(1)}",
        f"UPDATE events SET seq = 1 WHERE id = {event(2)}",
        f"UPDATE events SET seq = 2 WHERE id = {event(99)}",
    )
    assert re.match(
        r"^events id \d+: event log of 'ferry', entry 1 \(\S+\): does not follow", verify(db)[0]
    )


def test_two_notes_swapped_are_named(db: str) -> None:
    tamper(
        db,
        "UPDATE corrections SET text = (SELECT text FROM corrections WHERE id = 1) WHERE id = 2",
        "UPDATE corrections SET text = 'The cost was misstated.' WHERE id = 1",
    )
    assert verify(db)[0].startswith("corrections #1 (ferry): does not match its seal")


def _replace_harbour(url: str) -> None:
    """Rewrite `harbour` consistently: its rows removed and a forged history ingested anew,
    so every hash, seal and head is right."""
    chain = "(SELECT id FROM event_chains WHERE name = 'harbour')"
    tamper(
        url,
        f"DELETE FROM revision_texts WHERE revision_id = {rev(1, 'harbour')}",
        f"DELETE FROM events WHERE chain_id = {chain}",
        f"DELETE FROM heads WHERE chain_id = {chain}",
        f"DELETE FROM revisions WHERE id = {rev(1, 'harbour')}",
    )
    rt = Revtrack(url, actor="tester")
    rt.ingest_text("The harbour stayed closed.\n", article="harbour", at="2024-03-04T09:00")
    rt.close()


def test_a_history_replaced_consistently_is_caught_only_against_a_checkpoint(
    db: str, tmp_path: Path
) -> None:
    saved = tmp_path / "checkpoint.json"
    rt = Revtrack(db, actor="tester")
    saved.write_text(json.dumps(rt.checkpoint()))
    rt.close()
    _replace_harbour(db)
    assert verify(db) == []
    problems = verify(db, against=str(saved))
    assert len(problems) == 1
    assert re.match(
        r"^harbour \(checkpoint of \S+\): its first 1 revisions, 1 events were rewritten since",
        problems[0],
    )


def test_against_a_checkpoint_growth_passes_and_truncation_is_named(
    db: str, tmp_path: Path
) -> None:
    saved = tmp_path / "checkpoint.json"
    rt = Revtrack(db, actor="tester")
    saved.write_text(json.dumps(rt.checkpoint()))
    rt.ingest_text("The ferry sailed.\n", article="ferry")
    rt.ingest_text("A new story.\n", article="new-story")
    report = rt.verify(against=str(saved))
    rt.close()
    assert report.problems == []
    assert report.against == {"checked": 2, "grew": 1, "new": 1}
    # now the newest revision goes, consistently with its events and head: only the
    # checkpoint knows better (the revision added since the checkpoint may go freely)
    tamper(
        db,
        f"DELETE FROM revision_texts WHERE revision_id IN ({rev(5)}, {rev(4)})",
        "DELETE FROM correction_states",
        f"DELETE FROM revisions WHERE id IN ({rev(5)}, {rev(4)})",
    )
    problems = verify(db, against=str(saved))
    assert re.match(
        r"^ferry \(checkpoint of \S+\): 4 revisions then, 3 now: history was truncated since\.$",
        problems[-1],
    )


def test_an_edited_checkpoint_is_refused(db: str, tmp_path: Path, runner: CliRunner) -> None:
    saved = tmp_path / "checkpoint.json"
    assert runner.invoke(cli, ["checkpoint", "--output", str(saved)]).exit_code == 0
    data = json.loads(saved.read_text())
    data["chains"]["ferry"]["counts"][0] = 3
    data["chains"]["ferry"]["head"] = "0" * 64
    saved.write_text(json.dumps(data))
    result = runner.invoke(cli, ["verify", "--against", str(saved)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: The checkpoint {saved} does not match its own root: it was edited. "
        "Use the copy you kept or published.\n"
    )


def test_checkpoint_and_verify_on_the_command_line(
    db: str, tmp_path: Path, runner: CliRunner
) -> None:
    printed = runner.invoke(cli, ["checkpoint"])
    assert printed.exit_code == 0
    data = json.loads(printed.output)
    assert data["format"] == "revtrack.checkpoint/1" and data["schema"] == SCHEMA_HEAD
    assert data["chains"]["ferry"]["counts"] == [4, 3, 3, 2, 13]
    assert set(data["chains"]) == {"ferry", "harbour"}
    saved = tmp_path / "cp.json"
    written = runner.invoke(cli, ["checkpoint", "-o", str(saved)])
    assert written.output == (f"Checkpoint of 2 chain(s), root {data['root']}, in {saved}.\n")
    ok = runner.invoke(cli, ["verify", "--against", str(saved)])
    assert ok.output == (
        "OK: 2 articles, 5 revisions and 14 events verified.\n"
        f"Matches the checkpoint {saved}: 2 chain(s) as they were (0 grew since), 0 new since.\n"
    )
    tamper(db, f"UPDATE revisions SET title = 'Forged' WHERE id = {rev(2)}")
    bad = runner.invoke(cli, ["verify"])
    assert bad.exit_code == 2
    last = bad.output.strip().splitlines()[-1]
    assert re.match(
        r"^Error: verify found 1 problem\(s\) in 5 revisions and 14 events; the first: "
        r"revisions id \d+ \(ferry@v2\): does not match its seal \(title, byline, source, "
        r"capture time, provenance, text hash or statistics changed, or the row before it "
        r"removed or moved\)\. Restore the database from a backup or an export\.$",
        last,
    ), last


def test_an_export_is_checked_alone(db: str, tmp_path: Path, runner: CliRunner) -> None:
    saved = tmp_path / "cp.json"
    runner.invoke(cli, ["checkpoint", "-o", str(saved)])
    bundle = tmp_path / "ferry.jsonl"
    assert runner.invoke(cli, ["export", "ferry", "-o", str(bundle)]).exit_code == 0
    ok = runner.invoke(cli, ["verify-bundle", str(bundle), "--against", str(saved)])
    assert ok.output == f"OK: 1 articles, 4 revisions and 13 events in {bundle} verified.\n"
    records = [json.loads(line) for line in bundle.read_text().splitlines()]
    for record in records:
        if record["type"] == "revision" and record["number"] == 2:
            record["title"] = "Forged"
    forged = tmp_path / "forged.jsonl"
    forged.write_text("".join(json.dumps(r) + "\n" for r in records))
    bad = runner.invoke(cli, ["verify-bundle", str(forged)])
    assert bad.exit_code == 2
    assert bad.output.splitlines()[0] == (
        "revisions (ferry@v2): does not match its seal (title, byline, source, capture time, "
        "provenance, text hash or statistics changed, or the row before it removed or moved)."
    )
    cut = tmp_path / "cut.jsonl"
    kept = [r for r in records if not (r["type"] == "event" and r["seq"] == 13)]
    cut.write_text("".join(json.dumps(r) + "\n" for r in kept))
    short = runner.invoke(cli, ["verify-bundle", str(cut)])
    assert "heads (ferry): 13 events recorded, 12 stored: entry 13 missing." in short.output


def _alembic(direction: str, target: str) -> None:
    """The checkout's alembic on REVTRACK_DATABASE_URL (the `db_url` fixture sets it)."""
    from alembic import command
    from alembic.config import Config

    getattr(command, direction)(Config(str(Path(__file__).parent.parent / "alembic.ini")), target)


def _columns(url: str, table: str) -> set[str]:
    from sqlalchemy import inspect

    from revtrack.store.engine import make_engine, resolve_url

    engine = make_engine(resolve_url(url))
    try:
        return {c["name"] for c in inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def test_a_database_of_the_previous_schema_is_sealed_by_the_upgrade(
    db: str, runner: CliRunner
) -> None:
    before = runner.invoke(cli, ["export"]).output
    _alembic("downgrade", "0004")
    assert "seal" not in _columns(db, "revisions")
    upgraded = runner.invoke(cli, ["db", "upgrade"])
    assert upgraded.output.endswith(f"schema {SCHEMA_HEAD} (upgraded from 0004)\n"), upgraded.output
    assert verify(db) == []
    # the backfill seals exactly what the writers sealed: seals, heads, all of the export
    assert runner.invoke(cli, ["export"]).output == before


def test_an_edit_made_before_the_upgrade_is_not_sealed_into_validity(
    db: str, runner: CliRunner
) -> None:
    _alembic("downgrade", "0004")
    tamper(db, f"UPDATE revisions SET captured_at = captured_at + 1 WHERE id = {rev(2)}")
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    problems = verify(db)
    assert any(
        re.match(r"^revisions id \d+ \(ferry@v2\): revision hash chain broken", p) for p in problems
    )
    assert any(re.match(r"^revisions id \d+ \(ferry@v4\): not sealed", p) for p in problems)


def test_verify_bundle_says_what_is_wrong_with_its_file(tmp_path: Path, runner: CliRunner) -> None:
    missing = runner.invoke(cli, ["verify-bundle", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 1
    assert missing.output == (
        f"Error: Cannot read {tmp_path / 'none.jsonl'}: No such file or directory. "
        "Give an export file.\n"
    )
    old = tmp_path / "old.jsonl"
    old.write_text('{"type": "header", "format": "revtrack.export/1", "schema": "0004"}\n')
    empty = runner.invoke(cli, ["verify-bundle", str(old)])
    assert empty.output == f"Error: {old} holds no history with a head. Export it again.\n"


def test_a_restore_refuses_an_event_that_does_not_follow(
    template: tuple[Path, Path], tmp_path: Path
) -> None:
    """Events keep no previous hash of their own (migration 0008): an export whose event
    names another predecessor cannot be stored as it is, so it is refused, not kept."""
    lines = template[1].read_text().splitlines()
    records = [json.loads(line) for line in lines]
    for record in records:
        if record["type"] == "event" and record["chain"] == "ferry" and record["seq"] == 3:
            record["prev_hash"] = "ab" * 32
    rt = Revtrack(str(tmp_path / "copy.db"), create=True, actor="tester")
    try:
        with pytest.raises(InvalidInput, match=r"^Event 3 of chain 'ferry' in the export does"):
            rt.restore([json.dumps(r) for r in records])
        assert rt.articles() == []  # nothing of the refused restore is kept
        rt.restore(lines)
        report = rt.verify()
        assert report.ok, report.problems
        with rt.store.read() as tx:
            events = tx.chain_events("ferry")
        assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    finally:
        rt.close()
