"""Audit, blame, verify and export/import on the bundled example, on both backends."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from revtrack.cli import cli


@pytest.fixture
def seeded(runner: CliRunner, db_url: str, example: Path) -> CliRunner:
    for n, at in ((1, "2024-05-01T09:00"), (2, "2024-05-01T13:00"), (3, "2024-05-02T08:00")):
        result = runner.invoke(cli, ["ingest", str(example / f"v{n}.txt"), "--at", at])
        assert result.exit_code == 0, result.output
    return runner


def audit_json(runner: CliRunner, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(cli, ["audit", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_audit_reports_the_silent_number_change_and_the_disclosed_fix(seeded: CliRunner) -> None:
    article, summary = audit_json(seeded, "ferry")
    assert article["type"] == "article" and summary["type"] == "summary"
    findings = article["undisclosed"]
    cost = [f for f in findings if f["old"] == "$4.2"]  # type: ignore[union-attr,index]
    assert len(cost) == 1
    assert cost[0]["revision"] == 2 and cost[0]["new"] == "$4.8"
    assert "number" in cost[0]["kinds"] and cost[0]["severity"] == "high"
    assert not any(f["revision"] == 3 and "number" in f["kinds"] for f in findings)  # type: ignore[union-attr,index]
    [fix] = article["disclosed_fixes"]  # type: ignore[misc]
    assert (fix["fixing_revision"], fix["disclosing_revision"], fix["lag_seconds"]) == (3, 3, 0)
    assert article["vanished_notes"] == []
    text = seeded.invoke(cli, ["audit", "ferry"]).output
    assert "v2  high   number: [-$4.2-]{+$4.8+}" in text
    assert "#1 correction: fixed v3, disclosed v3, lag 0s" in text
    assert "Vanished notes: none" in text


def test_audit_filters_by_severity_and_time(seeded: CliRunner) -> None:
    [article, _] = audit_json(seeded, "ferry", "--min-severity", "high")
    assert {f["severity"] for f in article["undisclosed"]} == {"high"}  # type: ignore[union-attr,index]
    [article, _] = audit_json(seeded, "ferry", "--since", "2024-05-02")
    assert article["undisclosed"] == []


def test_whole_database_audit_streams_and_summarizes(seeded: CliRunner, example: Path) -> None:
    seeded.invoke(cli, ["ingest", str(example / "v1.txt"), "-a", "other"])
    records = audit_json(seeded)
    assert [r["type"] for r in records] == ["article", "article", "summary"]
    total = records[-1]["total"]
    assert total["articles"] == 2  # type: ignore[index]
    text = seeded.invoke(cli, ["audit"]).output
    assert text.splitlines()[-2].startswith("Summary: 2 articles,")
    csv_lines = seeded.invoke(cli, ["audit", "--format", "csv"]).output.splitlines()
    assert csv_lines[0] == "article,revision,captured_at,severity,kinds,op,old,new,reason"
    assert any(line.startswith("ferry,2,") and "$4.2" in line for line in csv_lines)


def test_vanished_note_is_audited(seeded: CliRunner, example: Path, tmp_path: Path) -> None:
    v4 = tmp_path / "v4.txt"
    v4.write_text((example / "v3.txt").read_text().split("\nCorrection:")[0])
    seeded.invoke(cli, ["ingest", str(v4), "-a", "ferry"], catch_exceptions=False)
    [article, _] = audit_json(seeded, "ferry")
    [vanished] = article["vanished_notes"]  # type: ignore[misc]
    assert vanished["revision"] == 4 and vanished["first_seen"] == 3


def test_blame_attributes_sentences_to_revisions(seeded: CliRunner) -> None:
    result = seeded.invoke(cli, ["blame", "ferry@v3", "--format", "json"])
    sentences = json.loads(result.output)["sentences"]

    def find(fragment: str) -> dict[str, object]:
        [match] = [s for s in sentences if fragment in s["text"]]
        return match  # type: ignore[no-any-return]

    islands = find("outer islands, ending")
    assert (islands["origin"], islands["last_changed"]) == (1, 3)
    assert islands["corrections"] == [1]
    assert (find("harbor master")["origin"], find("applauded")["origin"]) == (2, 2)
    cost = find("will cost")
    assert (cost["origin"], cost["last_changed"]) == (1, 2)
    assert find("It is three, not two")["origin"] == 3
    text = seeded.invoke(cli, ["blame", "ferry@v3"]).output
    assert any(line.startswith("v1   v3   #1") for line in text.splitlines())


def test_blame_of_an_older_revision(seeded: CliRunner) -> None:
    sentences = json.loads(seeded.invoke(cli, ["blame", "ferry@v1", "--format", "json"]).output)[
        "sentences"
    ]
    assert {s["origin"] for s in sentences} == {1}


def test_verify_passes_then_finds_text_altered_behind_our_back(
    runner: CliRunner, tmp_path: Path, example: Path
) -> None:
    db = tmp_path / "tamper.db"
    for n in (1, 2, 3):
        runner.invoke(
            cli, ["--db", str(db), "ingest", str(example / f"v{n}.txt")], catch_exceptions=False
        )
    ok = runner.invoke(cli, ["--db", str(db), "verify"])
    assert ok.exit_code == 0
    assert ok.output == "OK: 1 articles, 3 revisions and 5 events verified.\n"
    from revtrack.store import codec

    with sqlite3.connect(db) as conn:
        # someone with the file and sqlite3 drops the append-only guard first
        conn.execute("DROP TRIGGER revision_texts_no_update")
        rev_id = conn.execute("SELECT id FROM revisions WHERE number = 1").fetchone()[0]
        forged = (example / "v1.txt").read_text().replace("5-2", "6-1")
        conn.execute(
            "UPDATE revision_texts SET codec = 'zstd', base_revision_id = NULL, "
            "data = ? WHERE revision_id = ?",
            (codec.encode(forged), rev_id),
        )
    bad = runner.invoke(cli, ["--db", str(db), "verify"])
    assert bad.exit_code == 2
    assert "revisions id 1 (ferry@v1): stored text does not match its SHA-256." in bad.output
    # v2 and v3 are deltas against v1's keyframe, so they no longer rebuild to their text either
    assert "revisions id 3 (ferry@v3): stored text does not match its SHA-256." in bad.output
    last = bad.output.strip().splitlines()[-1]
    assert last == (
        "Error: verify found 3 problem(s) in 3 revisions and 5 events; the first: revisions id 1 "
        "(ferry@v1): stored text does not match its SHA-256. Restore the database from a backup "
        "or an export."
    )


def test_verify_finds_an_edited_event(runner: CliRunner, tmp_path: Path, example: Path) -> None:
    db = tmp_path / "events.db"
    runner.invoke(cli, ["--db", str(db), "ingest", str(example / "v1.txt")], catch_exceptions=False)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER events_no_update")
        conn.execute("UPDATE events SET actor = 'mallory' WHERE seq = 1")
    bad = runner.invoke(cli, ["--db", str(db), "verify"])
    assert bad.exit_code == 2
    assert (
        "events id 1: event log of 'ferry', entry 1 (ingest): content does not match its hash."
        in bad.output
    )


def test_export_import_export_is_identical(seeded: CliRunner, tmp_path: Path, db_url: str) -> None:
    seeded.invoke(cli, ["correct", "ferry", "--rev", "v2", "--note", "The cost was misstated."])
    seeded.invoke(
        cli, ["correct", "--supersede", "2", "--note", "An earlier version misstated the cost."]
    )
    first = seeded.invoke(cli, ["export"]).stdout
    dump = tmp_path / "dump.jsonl"
    dump.write_text(first)
    copy = tmp_path / "copy.db"
    result = seeded.invoke(cli, ["--db", str(copy), "import", str(dump)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Imported 1 article(s), 3 revision(s), 3 correction(s)")
    second = seeded.invoke(cli, ["--db", str(copy), "export"]).stdout
    assert second == first
    assert seeded.invoke(cli, ["--db", str(copy), "verify"]).exit_code == 0
    again = seeded.invoke(cli, ["--db", str(copy), "import", str(dump)])
    assert "skipped 1 article(s) already present" in again.output


def test_export_to_a_file_is_whole_or_absent(seeded: CliRunner, tmp_path: Path) -> None:
    """The file appears only once the export is complete (written beside its name, then moved
    into place); a path that cannot be written, or a device that fills, is one error line."""
    stdout = seeded.invoke(cli, ["export"]).stdout
    out = tmp_path / "backup.jsonl"
    out.write_text("an older backup\n")
    result = seeded.invoke(cli, ["export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text() == stdout and list(tmp_path.glob("*.partial")) == []

    missing = tmp_path / "no-such-folder" / "x.jsonl"
    result = seeded.invoke(cli, ["export", "-o", str(missing)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Cannot write {missing}: No such file or directory. Choose another path.\n"
    )
    if Path("/dev/full").is_char_device():  # a device is written in place, never replaced
        result = seeded.invoke(cli, ["export", "-o", "/dev/full"])
        assert result.exit_code == 1
        assert result.output.startswith("Error: Cannot write /dev/full: No space left on device.")
        assert Path("/dev/full").is_char_device()


def test_import_of_a_file_that_is_not_an_export(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    bad = tmp_path / "notes.jsonl"
    bad.write_text('{"type": "header", "format": "something/2"}\n')
    result = runner.invoke(cli, ["import", str(bad)])
    assert result.exit_code == 1
    assert result.output == (
        "Error: Not a revtrack export (format 'something/2'). Expected revtrack.export/1, "
        "written by `revtrack export`.\n"
    )
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n")
    result = runner.invoke(cli, ["import", str(broken)])
    assert result.output.startswith(f"Error: {broken}, line 1: not JSON (")


def test_import_of_a_file_that_is_not_utf8_stores_nothing(
    seeded: CliRunner, tmp_path: Path
) -> None:
    exported = seeded.invoke(cli, ["export"])
    assert exported.exit_code == 0
    latin = tmp_path / "latin1.jsonl"
    latin.write_bytes(exported.output.encode("utf-8") + b'{"type": "caf\xe9"}\n')
    before = seeded.invoke(cli, ["articles"]).output
    fresh = tmp_path / "fresh.db"
    result = seeded.invoke(cli, ["--db", str(fresh), "import", str(latin)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {latin}, after line ")
    assert result.output.endswith(": not UTF-8 text. Give a file written by `revtrack export`.\n")
    assert "Traceback" not in result.output
    assert seeded.invoke(cli, ["--db", str(fresh), "articles"]).output.startswith("No articles")
    assert seeded.invoke(cli, ["articles"]).output == before


TYPO_V1 = (
    "Ferry to open\n\nThe council said residents will recieve a timetable. "
    "The route serves two islands.\n"
)
TYPO_V2 = (
    "Ferry to open\n\nThe council said residents will receive a timetable. "
    "The route serves four islands.\n"
)


@pytest.fixture
def typo_fixed(runner: CliRunner, tmp_path: Path) -> CliRunner:
    for n, text in ((1, TYPO_V1), (2, TYPO_V2)):
        path = tmp_path / f"v{n}.txt"
        path.write_text(text)
        result = runner.invoke(cli, ["ingest", str(path), "--article", "typo"])
        assert result.exit_code == 0, result.output
    return runner


def test_a_typo_fix_is_minor_and_never_an_undisclosed_edit(typo_fixed: CliRunner) -> None:
    article, _ = audit_json(typo_fixed, "typo")
    assert [(f["old"], f["new"]) for f in article["undisclosed"]] == [("two", "four")]  # type: ignore[union-attr,index]
    assert article["minor_edits"] == [
        {"revision": 2, "hunk": 0, "kind": "typo", "old": "recieve", "new": "receive"}
    ]
    text = typo_fixed.invoke(cli, ["audit", "typo"]).output
    assert "Minor edits (not counted as undisclosed): 1 (typo 1)" in text


def test_diff_json_gives_each_hunk_its_class(typo_fixed: CliRunner) -> None:
    result = typo_fixed.invoke(cli, ["diff", "typo", "--format", "json"])
    hunks = json.loads(result.output)["hunks"]
    assert [(h["old"], h["class"], h["kinds"]) for h in hunks] == [
        ("recieve", "minor", ["minor", "typo"]),
        ("two", "substantive", ["number"]),
    ]


def test_diff_substantive_only_hides_minor_changes(typo_fixed: CliRunner) -> None:
    shown = typo_fixed.invoke(cli, ["diff", "typo"]).output
    hidden = typo_fixed.invoke(cli, ["diff", "typo", "--substantive-only"]).output
    assert "[-recieve-]" in shown
    assert "recieve" not in hidden and "receive" in hidden
    assert "[-two-]{+four+}" in hidden
