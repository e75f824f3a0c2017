"""Bulk import of a corpus directory: idempotent, crash-safe, shareable between processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from revtrack import Revtrack
from revtrack.cli import cli

SCRIPT = Path(sys.executable).parent / "revtrack"


def make_corpus(root: Path, docs: int, versions: int = 4) -> Path:
    """A small corpus in the shared layout: <corpus>/<doc>/v001.txt… with meta.json."""
    corpus = root / "gazette"
    for d in range(docs):
        folder = corpus / f"story-{d:03d}"
        folder.mkdir(parents=True)
        paragraphs = [
            f"Paragraph {p} of story {d} reports that {p * 3 + d} people attended."
            for p in range(6)
        ]
        meta_versions = []
        for v in range(1, versions + 1):
            if v > 1:
                paragraphs[v % 6] = f"Paragraph {v % 6} of story {d} now says {v * 11} attended."
            if v == versions and d % 5 == 0:
                paragraphs.append(
                    "Correction: An earlier version of this story misstated how "
                    "many people attended."
                )
            (folder / f"v{v:03d}.txt").write_text("\n\n".join(paragraphs) + "\n")
            meta_versions.append(
                {
                    "version": v,
                    "file": f"v{v:03d}.txt",
                    "timestamp": f"2023-0{1 + v % 9}-0{1 + d % 9}T10:00:00Z",
                    "edit_summary": f"edit {v}",
                    "title": f"Story {d}",
                }
            )
        (folder / "meta.json").write_text(
            json.dumps({"title": f"Story {d}", "versions": meta_versions})
        )
    return corpus


def counts(db_url: str) -> dict[str, int]:
    rt = Revtrack(db_url)
    try:
        return {a.key: a.revisions for a in rt.articles()}
    finally:
        rt.close()


def test_import_directory_then_again_adds_nothing(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    corpus = make_corpus(tmp_path, docs=6)
    first = runner.invoke(cli, ["import", str(corpus)])
    assert first.exit_code == 0, first.output
    assert first.output == (
        "Imported 6 document(s), 24 revision(s), 2 note(s) found; 0 already imported.\n"
    )
    assert counts(db_url) == {f"gazette/story-{d:03d}": 4 for d in range(6)}
    again = runner.invoke(cli, ["import", str(corpus)])
    assert again.output == (
        "Imported 0 document(s), 0 revision(s), 0 note(s) found; 6 already imported.\n"
    )
    log = json.loads(runner.invoke(cli, ["log", "gazette/story-000", "--format", "json"]).output)
    assert [r["captured_at"] for r in log][:2] == ["2023-02-01T10:00:00Z", "2023-03-01T10:00:00Z"]
    [note] = json.loads(
        runner.invoke(cli, ["corrections", "gazette/story-000", "--format", "json"]).output
    )
    assert note["disclosed_revision"] == 4


def test_import_of_a_directory_without_versions(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["import", str(tmp_path / "empty")])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'empty'} holds no versioned documents. Expected folders with "
        "v001.txt, v002.txt, … (and optionally meta.json).\n"
    )


def _env(db_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVTRACK_")}
    env["REVTRACK_DATABASE_URL"] = db_url
    return env


@pytest.mark.slow
def test_sigkill_mid_import_then_rerun_completes_without_duplicates(
    db_url: str, tmp_path: Path
) -> None:
    corpus = make_corpus(tmp_path, docs=40, versions=5)
    Revtrack(db_url, create=True).close()
    proc = subprocess.Popen(
        [str(SCRIPT), "import", str(corpus), "--batch-size", "1"],
        env=_env(db_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(counts(db_url)) < 5:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = counts(db_url)
    assert 5 <= len(partial) < 40, "the kill should land mid-import"
    assert set(partial.values()) == {5}, "a committed document is always whole"
    rerun = subprocess.run(
        [str(SCRIPT), "import", str(corpus)], env=_env(db_url), capture_output=True, text=True
    )
    assert rerun.returncode == 0, rerun.stderr
    final = counts(db_url)
    assert final == {f"gazette/story-{d:03d}": 5 for d in range(40)}
    verify = subprocess.run(
        [str(SCRIPT), "verify"], env=_env(db_url), capture_output=True, text=True
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr


@pytest.mark.slow
def test_two_importers_share_one_import(db_url: str, tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, docs=30, versions=3)
    Revtrack(db_url, create=True).close()
    env = _env(db_url)
    env["REVTRACK_BUSY_TIMEOUT_MS"] = "60000"
    procs = [
        subprocess.Popen(
            [str(SCRIPT), "import", str(corpus), "--batch-size", "2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    imported = sum(int(out.split("Imported ")[1].split(" ")[0]) for out, _ in outputs)
    assert imported == 30, outputs  # every document imported exactly once, by one of the two
    assert counts(db_url) == {f"gazette/story-{d:03d}": 3 for d in range(30)}


@pytest.mark.slow
def test_two_writers_on_one_article_never_share_a_number(db_url: str, tmp_path: Path) -> None:
    Revtrack(db_url, create=True).close()
    code = (
        "import sys\n"
        "from revtrack import Revtrack\n"
        "rt = Revtrack(sys.argv[1])\n"
        "for i in range(15):\n"
        "    rt.ingest_text(f'Writer {sys.argv[2]} says {i} things happened today.', "
        "article='shared')\n"
    )
    env = _env(db_url)
    env["REVTRACK_BUSY_TIMEOUT_MS"] = "60000"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, db_url, name], env=env, stderr=subprocess.PIPE, text=True
        )
        for name in ("a", "b")
    ]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    rt = Revtrack(db_url)
    numbers = [r.number for r in rt.log("shared").revisions]
    rt.close()
    assert numbers == list(range(1, 31))


def test_lookups_use_indexes(tmp_path: Path) -> None:
    from sqlalchemy import text

    rt = Revtrack(str(tmp_path / "plans.db"), create=True)
    rt.ingest_text("Some text.", article="a")
    queries = {
        "SELECT id FROM articles WHERE key = 'a'": "SEARCH",
        "SELECT id FROM revisions WHERE article_id = 1 AND number = 1": "SEARCH",
        "SELECT id FROM revisions WHERE article_id = 1 AND content_hash = x'00'": "SEARCH",
        "SELECT id FROM revisions WHERE article_id = 1 AND captured_at <= 1893456000000000 "
        "ORDER BY captured_at DESC": "SEARCH",
        "SELECT id FROM corrections WHERE article_id = 1": "SEARCH",
        "SELECT id FROM correction_links WHERE correction_id = 1": "SEARCH",
        "SELECT e.seq FROM event_chains c JOIN events e ON e.chain_id = c.id "
        "WHERE c.name = 'a' ORDER BY e.seq DESC LIMIT 1": "SEARCH",
        "SELECT doc FROM import_items WHERE batch = 'b' AND state = 'pending'": "SEARCH",
        "SELECT data FROM revision_texts WHERE revision_id = 1": "SEARCH",
    }
    with rt.store.engine.connect() as conn:
        for query, expected in queries.items():
            plan = " ".join(
                str(row[-1]) for row in conn.execute(text("EXPLAIN QUERY PLAN " + query))
            )
            assert expected in plan and "SCAN" not in plan.replace("SCAN CONSTANT", ""), (
                query,
                plan,
            )
    rt.close()


def test_a_bad_document_is_reported_and_the_others_imported(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    corpus = make_corpus(tmp_path, docs=4)
    bad = corpus / "story-002" / "v003.txt"
    bad.write_bytes("Caf\u00e9 au lait".encode("latin-1"))
    result = runner.invoke(cli, ["import", str(corpus)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        lines[0] == "Imported 3 document(s), 12 revision(s), 1 note(s) found; 0 already imported."
    )
    assert lines[1].startswith(f"failed: gazette/story-002: {bad} is not valid UTF-8")
    assert lines[-1] == (
        "Error: 1 document(s) could not be imported. Fix them and import them again "
        "(e.g. `revtrack import DIR/doc`)."
    )
    assert "gazette/story-002" not in counts(db_url)  # nothing half-imported


@pytest.mark.parametrize("meta", ["[1, 2]", '"a title"', '{"versions": [1]}', '{"versions": 3}'])
def test_a_meta_json_of_another_shape_is_refused_not_read_as_empty(
    runner: CliRunner, db_url: str, tmp_path: Path, meta: str
) -> None:
    corpus = make_corpus(tmp_path, docs=2)
    odd = corpus / "story-001" / "meta.json"
    odd.write_text(meta)
    result = runner.invoke(cli, ["import", str(corpus)])
    assert result.exit_code == 1
    assert (
        f"failed: gazette/story-001: {odd} is not a JSON object with a list of version objects."
        in result.output
    )
    found = counts(db_url)
    assert "gazette/story-001" not in found and "gazette/story-000" in found


def test_importing_a_folder_inside_an_imported_one_adds_only_new_versions(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    corpus = make_corpus(tmp_path, docs=2, versions=3)
    assert runner.invoke(cli, ["import", str(tmp_path)]).exit_code == 0
    again = runner.invoke(cli, ["import", str(corpus)])
    assert again.output.startswith("Imported 2 document(s), 0 revision(s)")
    (corpus / "story-001" / "v004.txt").write_text("A fourth version of story 1.\n")
    more = runner.invoke(cli, ["import", str(corpus / "story-001")])
    assert more.output.startswith("Imported 1 document(s), 1 revision(s)"), more.output
    assert counts(db_url) == {"gazette/story-000": 3, "gazette/story-001": 4}


def make_varied_corpus(root: Path, docs: int) -> Path:
    """Documents with the cases the analysis must get right: unchanged versions, reverts,
    title changes, an added note and an amended one."""
    corpus = root / "varied"
    for d in range(docs):
        folder = corpus / f"doc-{d:02d}"
        folder.mkdir(parents=True)
        base = [f"Headline number {d} of the day", f"The council approved {d + 10} projects."]
        versions = [
            base,
            [*base, "The vote was 5 to 2."],
            [*base, "The vote was 5 to 2."],  # unchanged
            [*base, "The vote was 6 to 1.", "Correction: An earlier version misstated the vote."],
            [*base, "The vote was 5 to 2."],  # a revert to v2 (note gone)
            [
                f"Revised headline number {d} for today",
                *base[1:],
                "The vote was 6 to 1.",
                "Correction: An earlier version of this story misstated the vote count.",
            ],
        ]
        for v, paragraphs in enumerate(versions, start=1):
            (folder / f"v{v:03d}.txt").write_text("\n\n".join(paragraphs) + "\n")
    return corpus


def history(rt: Revtrack) -> dict[str, object]:
    """What an import stored, leaving out only what depends on the clock."""
    kept: dict[str, object] = {}
    for article in rt.articles():
        revisions = rt.log(article.key).revisions
        kept[article.key] = [
            (
                r.number,
                r.content_hash,
                r.text_hash,  # (the chain hash covers the capture time: the clock's)
                r.title,
                r.words,
                r.words_added,
                r.words_removed,
                r.hunks,
                r.substantive_hunks,
                r.stats,
                r.revert_of,
                rt.show(f"{article.key}@v{r.number}")[1],
            )
            for r in revisions
        ]
        kept[article.key + " notes"] = [
            (
                c.record.kind,
                c.record.text,
                c.record.disclosed_revision,
                c.record.status,
                c.record.link and c.record.link.fixing_revision,
            )
            for c in rt.corrections(article.key)
        ]
    return kept


@pytest.mark.slow
def test_reader_processes_store_exactly_what_one_process_stores(
    tmp_path: Path, db_url: str
) -> None:
    corpus = make_varied_corpus(tmp_path, docs=20)
    alone = Revtrack(str(tmp_path / "alone.db"), create=True)
    shared = Revtrack(db_url, create=True)
    for rt in (alone, shared):
        # One document's article already has a revision: the readers analysed its first
        # version as a first revision, so the writer must see the mismatch and redo it.
        rt.ingest_text("An earlier text of doc 3.\n", article="varied/doc-03")
    summary_alone = alone.import_directory(str(corpus), jobs=1)
    summary = shared.import_directory(str(corpus), jobs=2, batch_size=3)
    assert summary["failures"] == [] and summary_alone["failures"] == []
    assert summary["revisions"] == summary_alone["revisions"] == 20 * 5
    assert history(shared) == history(alone)
    assert shared.verify().ok
    alone.close()
    shared.close()


def test_a_reader_process_failure_is_reported_with_its_hint(tmp_path: Path, db_url: str) -> None:
    corpus = make_corpus(tmp_path, docs=20, versions=2)
    (corpus / "story-007" / "v002.txt").write_bytes(b"\xff\xfe not utf-8 \x80")
    rt = Revtrack(db_url, create=True)
    summary = rt.import_directory(str(corpus), jobs=2)
    [failure] = summary["failures"]
    assert failure.startswith("gazette/story-007: ")
    assert failure.endswith(
        "Convert it to UTF-8 (for example `iconv -f latin1 -t utf-8`) and try again."
    )
    assert summary["documents"] == 19
    assert "gazette/story-007" not in {a.key for a in rt.articles()}
    rt.close()


def test_import_with_reader_processes_from_the_command_line(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    corpus = make_corpus(tmp_path, docs=20, versions=3)
    result = runner.invoke(cli, ["import", str(corpus), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Imported 20 document(s), 60 revision(s), 4 note(s) found; 0 already imported.\n"
    )
    assert counts(db_url) == {f"gazette/story-{d:03d}": 3 for d in range(20)}
    refused = runner.invoke(cli, ["import", str(corpus), "--jobs", "-1"])
    assert refused.exit_code == 2 and "-1 is not in the range x>=0" in refused.output


def test_an_export_carries_the_importers_event_chains(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    corpus = make_corpus(tmp_path, docs=3, versions=2)
    assert runner.invoke(cli, ["import", str(corpus)]).exit_code == 0
    first = runner.invoke(cli, ["export"]).stdout
    events = [r for r in map(json.loads, first.splitlines()) if r["type"] == "event"]
    chains = [e["chain"] for e in events if e["article"] is None]
    assert chains and all(c.startswith("import:") for c in chains), chains
    dump = tmp_path / "dump.jsonl"
    dump.write_text(first)
    copy = tmp_path / "copy.db"
    assert runner.invoke(cli, ["--db", str(copy), "import", str(dump)]).exit_code == 0
    assert runner.invoke(cli, ["--db", str(copy), "export"]).stdout == first
    assert runner.invoke(cli, ["--db", str(copy), "verify"]).exit_code == 0
    # Importing it again keeps the target's own chains: nothing is appended twice.
    assert runner.invoke(cli, ["--db", str(copy), "import", str(dump)]).exit_code == 0
    assert runner.invoke(cli, ["--db", str(copy), "export"]).stdout == first
