"""Corrections end to end: detected on ingest, linked to the fix, kept with their history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from revtrack import Revtrack
from revtrack.cli import cli


@pytest.fixture
def seeded(runner: CliRunner, db_url: str, example: Path) -> CliRunner:
    for n, at in ((1, "2024-05-01T09:00"), (2, "2024-05-01T13:00"), (3, "2024-05-02T08:00")):
        result = runner.invoke(cli, ["ingest", str(example / f"v{n}.txt"), "--at", at])
        assert result.exit_code == 0, result.output
    return runner


def corrections_json(runner: CliRunner, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(cli, ["corrections", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_example_note_is_disclosed_and_fixed_in_v3_and_linked_to_the_islands(
    seeded: CliRunner,
) -> None:
    [note] = corrections_json(seeded, "ferry")
    assert note["kind"] == "correction"
    assert note["origin"] == "detected"
    assert note["disclosed_revision"] == 3
    assert note["fixing_revision"] == 3
    assert note["matched"] is True
    assert note["lag_seconds"] == 0
    [best, *_] = note["evidence"]  # type: ignore[misc]
    assert (best["old"], best["new"], best["revision"]) == ("two", "three", 3)
    assert "islands" in best["matched_words"]
    # The evidence is the corrected phrase, with the change marked in it, and the change it
    # was weighed against.
    assert best["phrase"].startswith("PORT ALDER")
    assert "linking the town with the three outer islands" in best["phrase"]
    assert note["runner_up"]["revision"] == 2  # type: ignore[index]
    text = seeded.invoke(cli, ["corrections", "ferry"]).output
    assert "fixed in v3, disclosed in v3, lag 0s" in text
    assert "the town with the [-two-]{+three+} outer islands" in text
    assert "runner-up v2:" in text
    assert "correction #1; fix for #1" in seeded.invoke(cli, ["log", "ferry"]).output


def test_a_note_added_by_hand_is_linked_the_same_way(seeded: CliRunner) -> None:
    result = seeded.invoke(
        cli,
        [
            "correct",
            "ferry",
            "--rev",
            "v2",
            "--note",
            "An earlier version misstated the cost of the route.",
        ],
    )
    assert result.exit_code == 0, result.output
    notes = corrections_json(seeded, "ferry")
    manual = notes[-1]
    assert manual["origin"] == "manual" and manual["disclosed_revision"] is None
    assert manual["fixing_revision"] == 2
    assert manual["evidence"][0]["old"] == "$4.2"  # type: ignore[index]


def test_a_note_with_no_matching_change_stays_low(seeded: CliRunner) -> None:
    seeded.invoke(
        cli,
        [
            "correct",
            "ferry",
            "--rev",
            "v2",
            "--note",
            "An earlier version gave the wrong day for the school board election.",
        ],
    )
    manual = corrections_json(seeded, "ferry")[-1]
    assert manual["matched"] is False
    assert manual["confidence"] < 0.3
    assert "no matching change found" in seeded.invoke(cli, ["corrections", "ferry"]).output


def test_supersede_and_retract_keep_every_version(seeded: CliRunner) -> None:
    seeded.invoke(cli, ["correct", "ferry", "--rev", "v2", "--note", "The cost was wrong."])
    result = seeded.invoke(
        cli,
        [
            "correct",
            "--supersede",
            "2",
            "--note",
            "An earlier version misstated the cost as $4.2 million.",
        ],
    )
    assert result.exit_code == 0, result.output
    result = seeded.invoke(cli, ["correct", "--retract", "1", "--reason", "test entry"])
    assert result.exit_code == 0, result.output
    notes = {n["id"]: n for n in corrections_json(seeded, "ferry")}
    assert notes[2]["status"] == "superseded" and notes[2]["superseded_by"] == 3
    assert notes[3]["supersedes"] == 2 and notes[3]["status"] == "active"
    assert notes[1]["status"] == "retracted"
    assert notes[1]["states"][0]["reason"] == "test entry"  # type: ignore[index]
    again = seeded.invoke(cli, ["correct", "--supersede", "2", "--note", "x"])
    assert again.exit_code == 1
    assert again.output == (
        "Error: Correction #2 is already superseded. Supersede the newest version of the "
        "note instead.\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["correct", "--retract", "99", "--reason", "x"],
            "Error: No correction #99. Run `revtrack corrections` to list them.",
        ),
        (
            ["correct", "--retract", "1"],
            "Error: A retraction needs a reason. Give it with --reason.",
        ),
        (
            ["correct", "ferry", "--note", "x", "--kind", "oops"],
            "Error: Unknown note kind 'oops'. Use one of: correction, clarification, editors-note, "
            "update, retraction.",
        ),
        (
            ["correct", "ferry"],
            "Error: Name the article and give the note. Example: revtrack correct ferry --rev v2 "
            "--note TEXT",
        ),
    ],
)
def test_correct_errors(seeded: CliRunner, args: list[str], message: str) -> None:
    result = seeded.invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.strip() == message


def test_relink_records_only_what_moved(seeded: CliRunner, db_url: str) -> None:
    result = seeded.invoke(cli, ["relink"])
    assert result.output.strip().endswith("1 note(s) relinked, 0 changed.")
    rt = Revtrack(db_url)
    with rt.store.read() as tx:
        actions = [e.action for e in tx.events(limit=100)]
    rt.close()
    assert actions.count("correction.relinked") == 0
    assert actions.count("correction.detected") == 1
    assert actions.count("ingest") == 3


def test_a_vanished_note_is_recorded_as_removed(
    runner: CliRunner, db_url: str, example: Path, tmp_path: Path
) -> None:
    for n in (1, 2, 3):
        runner.invoke(cli, ["ingest", str(example / f"v{n}.txt")], catch_exceptions=False)
    v4 = tmp_path / "v4.txt"
    v4.write_text((example / "v3.txt").read_text().split("\nCorrection:")[0])
    runner.invoke(cli, ["ingest", str(v4), "-a", "ferry"], catch_exceptions=False)
    [note] = corrections_json(runner, "ferry")
    assert note["status"] == "removed"
    assert note["states"][0]["revision"] == 4  # type: ignore[index]


def test_a_note_that_vanishes_and_returns_is_the_same_note(
    runner: CliRunner, db_url: str, example: Path, tmp_path: Path
) -> None:
    for n in (1, 2, 3):
        runner.invoke(cli, ["ingest", str(example / f"v{n}.txt")], catch_exceptions=False)
    v3 = (example / "v3.txt").read_text()
    v4 = tmp_path / "v4.txt"
    v4.write_text(v3.split("\nCorrection:")[0] + "\nThe ferry starts in May.\n")
    v5 = tmp_path / "v5.txt"
    v5.write_text(v3 + "\nThe ferry starts in May.\n")
    for path in (v4, v5):
        runner.invoke(cli, ["ingest", str(path), "-a", "ferry"], catch_exceptions=False)
    [note] = corrections_json(runner, "ferry")
    assert note["status"] == "active"
    assert [(s["state"], s["revision"]) for s in note["states"]] == [  # type: ignore[attr-defined]
        ("removed", 4),
        ("returned", 5),
    ]
    rt = Revtrack(db_url)
    with rt.store.read() as tx:
        actions = [e.action for e in tx.events(limit=100)]
    rt.close()
    assert actions.count("correction.detected") == 1
    assert actions.count("correction.returned") == 1


def test_a_note_that_returns_reworded_is_a_new_version_of_it(
    runner: CliRunner, db_url: str, example: Path, tmp_path: Path
) -> None:
    for n in (1, 2, 3):
        runner.invoke(cli, ["ingest", str(example / f"v{n}.txt")], catch_exceptions=False)
    v3 = (example / "v3.txt").read_text()
    body, note = v3.split("\nCorrection:")
    v4 = tmp_path / "v4.txt"
    v4.write_text(body)
    v5 = tmp_path / "v5.txt"
    v5.write_text(body + "\nCorrection:" + note.rstrip().rstrip(".") + ", which we regret.\n")
    for path in (v4, v5):
        runner.invoke(cli, ["ingest", str(path), "-a", "ferry"], catch_exceptions=False)
    old, new = corrections_json(runner, "ferry")
    assert (old["status"], new["status"]) == ("superseded", "active")
    assert new["supersedes"] == old["id"]
    assert new["fixing_revision"] == old["fixing_revision"] == 3


def test_a_note_reworded_in_place_is_a_new_version_linked_to_the_old(
    runner: CliRunner, example: Path, tmp_path: Path
) -> None:
    for n in (1, 2, 3):
        runner.invoke(cli, ["ingest", str(example / f"v{n}.txt")], catch_exceptions=False)
    v3 = (example / "v3.txt").read_text()
    v4 = tmp_path / "v4.txt"
    v4.write_text(v3.rstrip() + " The online version has been corrected.\n")
    runner.invoke(cli, ["ingest", str(v4), "-a", "ferry"], catch_exceptions=False)
    old, new = corrections_json(runner, "ferry")
    assert (old["status"], new["status"]) == ("superseded", "active")
    assert (new["supersedes"], old["superseded_by"]) == (old["id"], new["id"])
    assert new["fixing_revision"] == old["fixing_revision"] == 3
    assert str(new["text"]).endswith("The online version has been corrected.")


def test_evidence_on_a_hard_wrapped_story_is_the_whole_sentence(
    runner: CliRunner, tmp_path: Path
) -> None:
    head = "Harbour council backs ferry\n\nBy Ana Lisle\n\n"
    wrapped = (
        "The council voted on Tuesday to open a ferry route linking the town\n"
        "with the {n} outer islands, ending a decade of debate.\n\n"
        "The service will start in May.\n"
    )
    note = "\nCorrection: An earlier version of this story misstated the number of islands.\n"
    for name, body in (("v1", wrapped.format(n="two")), ("v2", wrapped.format(n="three") + note)):
        path = tmp_path / f"{name}.txt"
        path.write_text(head + body)
        result = runner.invoke(cli, ["ingest", str(path), "-a", "route"])
        assert result.exit_code == 0, result.output
    [found] = corrections_json(runner, "route")
    [best, *_] = found["evidence"]  # type: ignore[misc]
    assert (best["old"], best["new"]) == ("two", "three")
    # The phrase is the whole sentence across the single line break, not the line alone.
    assert best["phrase"].startswith("The council voted on Tuesday")
    assert best["phrase"].rstrip().endswith("ending a decade of debate.")
    text = runner.invoke(cli, ["corrections", "route"]).output
    assert "with the [-two-]{+three+} outer islands" in text


def test_corrections_shows_the_corrected_phrase_its_confidence_and_the_runner_up(
    runner: CliRunner, tmp_path: Path
) -> None:
    head = "Harbour council backs ferry\n\nBy Ana Lisle\n\n"
    body = (
        "The council voted on Tuesday to open a ferry route to the {n} outer islands.\n\n"
        "The first sailing is planned for {month}, weather permitting.\n\n"
        "Tickets will be sold at the harbour office and on board.\n"
    )
    note = "\nCorrection: An earlier version of this story misstated the number of islands.\n"
    versions = (
        ("v1", body.format(n="two", month="May")),
        ("v2", body.format(n="three", month="June") + note),  # the fix and a look-alike edit
    )
    for name, text in versions:
        path = tmp_path / f"{name}.txt"
        path.write_text(head + text)
        result = runner.invoke(cli, ["ingest", str(path), "-a", "route"])
        assert result.exit_code == 0, result.output
    [found] = corrections_json(runner, "route")
    [best, *_] = found["evidence"]  # type: ignore[misc]
    assert (best["old"], best["new"]) == ("two", "three")
    runner_up = found["runner_up"]
    assert isinstance(runner_up, dict) and (runner_up["old"], runner_up["new"]) == ("May", "June")
    assert 0 < float(found["confidence"]) <= 1  # type: ignore[arg-type]
    out = runner.invoke(cli, ["corrections", "route"]).output
    assert f"confidence {float(found['confidence']):.2f}" in out  # type: ignore[arg-type]
    # the evidence is the corrected phrase, the sentence with the change marked in it
    assert "to the [-two-]{+three+} outer islands" in out
    assert "runner-up v2: " in out and "[-May-]{+June+}" in out
