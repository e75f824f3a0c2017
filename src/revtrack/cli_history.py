"""The history-wide commands: `audit`, `blame`, `verify`, `checkpoint`, `pack`, `verify-bundle`,
`export`, `import`, `backfill` (`serve` is in :mod:`revtrack.cli_serve`).

Part of the command line of :mod:`revtrack.cli`, in a module of its own so that neither stays
past a few hundred lines: the commands register on cli.py's root group (cli.py imports this
module once `cli` exists) and use its helpers for opening the facade and printing. As thin as
cli.py: parse, call the facade, shape, render, print; long work shows a progress bar on a
terminal only.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

import click

from revtrack import cli_complete as complete
from revtrack.cli import (
    FORMATS_LIST,
    _color,
    _open,
    _page,
    as_fetched_option,
    cli,
    derived_note,
    quiet_option,
)
from revtrack.cli_term import Bar, paged
from revtrack.errors import InvalidInput


@cli.command()
@click.argument("article", required=False, shell_complete=complete.article)
@click.option("--since", metavar="TIME", help="Only edits captured at or after TIME.")
@click.option(
    "--min-severity",
    type=click.Choice(["low", "medium", "high"]),
    default=None,
    help="Hide findings below this severity.",
)
@click.option(
    "--format",
    "fmt",
    type=FORMATS_LIST,
    default="text",
    show_default=True,
    help="json is one object per line (articles, then the summary); csv lists findings.",
)
@as_fetched_option
@quiet_option
@click.pass_context
def audit(
    ctx: click.Context,
    article: str | None,
    since: str | None,
    min_severity: str | None,
    fmt: str,
    as_fetched: bool,
    quiet: bool,
) -> None:
    """Report undisclosed substantive edits, disclosed fixes with their lag, vanished notes.

    Without ARTICLE, audits the whole database, streaming one article at a time, and ends
    with per-outlet figures.

    \b
    Examples:
      revtrack audit ferry
      revtrack audit --min-severity high --format csv > findings.csv
    """
    from revtrack.render import listings
    from revtrack.render.derived import derived_total_notice
    from revtrack.shapes import audit_dict, audit_report_dict

    rt = _open(ctx)
    color = _color()
    totals = rt.audit_totals()
    findings = 0
    derived = [0, 0]  # revisions read re-derived, in so many articles
    with Bar("auditing", quiet=quiet) as bar, paged(ctx, bar) as out:
        if fmt == "csv":
            out.echo(listings.AUDIT_CSV_HEADER)
        audits = rt.audit(
            article,
            since=since,
            min_severity=min_severity,
            progress=bar.update,
            as_fetched=as_fetched,
        )
        for result in audits:
            totals.add(result.summary)
            d = audit_dict(result)
            if result.derived:
                derived[0] += len(result.derived)
                derived[1] += 1
                if article is not None and fmt != "json":
                    derived_note(
                        result.article.key,
                        {row["revision"]: row for row in d["derived"]},
                        "audits the texts",
                    )
            if fmt == "json":
                out.echo(listings.audit_json_line(d))
            elif fmt == "csv":
                rows = listings.audit_csv_rows(d)
                findings += rows.count("\n")
                out.echo(rows, nl=False)
            else:
                out.echo(listings.audit_text(d, color))
                out.echo("")
        report = audit_report_dict(totals.report())
        if fmt == "json":
            out.echo(listings.audit_report_json_line(report))
        elif fmt == "text" and article is None:
            out.echo(listings.audit_report_text(report))
    if article is None and fmt != "json":
        line = derived_total_notice(derived[0], derived[1], "audits the texts")
        if line:
            click.echo(line, err=True)
    if fmt == "csv":  # the report is not CSV: the closing line goes beside it
        click.echo(
            f"Audited {report['total']['articles']} article(s) ({bar.done} revisions): "
            f"{findings} finding(s).",
            err=True,
        )


@cli.command()
@click.argument("ref", metavar="ARTICLE[@REV]", shell_complete=complete.ref)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@as_fetched_option
@click.pass_context
def blame(ctx: click.Context, ref: str, fmt: str, as_fetched: bool) -> None:
    """Show, for each sentence, the revision that introduced it and the last that changed it
    (revisions `reextract` read again are read as their newest re-derived texts).

    Example: revtrack blame ferry@v3
    """
    from revtrack.render.listings import blame_listing
    from revtrack.shapes import blame_dict

    text = blame_listing(blame_dict(*_open(ctx).blame(ref, as_fetched=as_fetched)), fmt)
    if text:
        _page(ctx, text)


@cli.command()
@click.option(
    "--against",
    metavar="CHECKPOINT",
    type=click.Path(dir_okay=False),
    help="Also compare with a checkpoint file: history removed or rewritten since is found.",
)
@quiet_option
@click.pass_context
def verify(ctx: click.Context, against: str | None, quiet: bool) -> None:
    """Rebuild every revision and recompute every hash, seal, chain and head.

    Titles, bylines, sources, capture times, provenance, note texts, links, states and the
    event log are all covered; each event is compared with the row it describes, and the
    newest rows with the head their writer recorded. With --against, the heads of a
    checkpoint (see `revtrack checkpoint`) are recomputed too: history added since is fine,
    history removed or rewritten since is not. Exits 2 when anything does not match.

    \b
    Examples:
      revtrack verify
      revtrack verify --against checkpoint-2024-06.json
    """
    with Bar("verifying", quiet=quiet) as bar:
        report = _open(ctx).verify(progress=bar.update, against=against)
    _verify_outcome(report)
    click.echo(
        f"OK: {report.articles} articles, {report.revisions} revisions and "
        f"{report.events} events verified."
    )
    if against:
        counts = report.against
        click.echo(
            f"Matches the checkpoint {against}: {counts['checked']} chain(s) as they were "
            f"({counts['grew']} grew since), {counts['new']} new since."
        )


def _verify_outcome(report: Any) -> None:
    """Print the problems (the first twenty) and fail naming the first one."""
    from revtrack.errors import IntegrityFailure

    if report.ok:
        return
    for problem in report.problems[:20]:
        click.echo(problem, err=True)
    if report.problem_count > 20:
        click.echo(f"… and {report.problem_count - 20} more.", err=True)
    first = report.problems[0].rstrip(".")
    raise IntegrityFailure(
        f"verify found {report.problem_count} problem(s) in {report.revisions} revisions "
        f"and {report.events} events; the first: {first}."
    )


@cli.command()
@quiet_option
@click.pass_context
def pack(ctx: click.Context, quiet: bool) -> None:
    """Pack the texts stored since the last pack several to a blob, as `git gc` packs objects.

    Each revision's text is first stored in a row of its own, which wastes about a fifth of
    its pages; packing concatenates whole articles' rows, unchanged, into blobs of about
    16 KB and deletes the loose rows in the same transaction. Nothing is re-encoded or lost:
    every text rebuilds byte for byte, `verify` checks each one and each pack, and reads go
    on meanwhile. Run it after a large import; running it again packs only the new rows.

    \b
    Example:
      revtrack import ./corpus && revtrack pack
    """
    with Bar("packing", quiet=quiet) as bar:
        result = _open(ctx).pack(progress=bar.update)
    if result.rows == 0:
        click.echo("Nothing to pack: every text is already in a pack.")
        return
    click.echo(f"Packed {result.rows} texts ({result.bytes:,} bytes) into {result.packs} pack(s).")


@cli.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to a file instead of standard output.",
)
@click.pass_context
def checkpoint(ctx: click.Context, output: str | None) -> None:
    """Write the head of the history: a small JSON file to keep or publish elsewhere.

    It holds, per article (and per event log of no article), how many revisions,
    corrections, links, states and events it has and the hash over the newest of them, and
    the root hash over all of them, with the time and the schema version. Anyone holding it
    can later run `revtrack verify --against FILE` (or `verify-bundle --against FILE` on an
    export) to find history removed or rewritten since; publishing the root alone lets a
    reader check that the file is the one that was published.

    \b
    Examples:
      revtrack checkpoint --output checkpoint-2024-06.json
      revtrack checkpoint > cp.json && gpg --detach-sign cp.json
    """
    data = _open(ctx).checkpoint()
    text = _checkpoint_text(data)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise InvalidInput(
            f"Cannot write {output}: {exc.strerror}.", "Choose another path."
        ) from None
    click.echo(f"Checkpoint of {len(data['chains'])} chain(s), root {data['root']}, in {output}.")


def _checkpoint_text(data: dict[str, Any]) -> str:
    """The checkpoint as JSON with one line per chain, so that a diff of two reads well."""
    import json

    def line(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    head = {k: v for k, v in data.items() if k != "chains"}
    fields = [f" {line(k)}: {line(v)}" for k, v in sorted(head.items())]
    chains = [f"  {line(k)}: {line(v)}" for k, v in sorted(data["chains"].items())]
    body = "{\n" + ",\n".join(fields) + ',\n "chains": {\n' + ",\n".join(chains) + "\n }\n}\n"
    return body if chains else body.replace("{\n\n }", "{}")


@cli.command("verify-bundle")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--against",
    metavar="CHECKPOINT",
    type=click.Path(dir_okay=False),
    help="Also compare with a checkpoint the outlet published.",
)
def verify_bundle(file: str, against: str | None) -> None:
    """Check an export (of one article or more) alone, without any database.

    Every text is rehashed, every seal, chain and event recomputed and compared with the
    head the export carries; with --against, with a published checkpoint too.

    \b
    Examples:
      revtrack export ferry -o ferry.jsonl && revtrack verify-bundle ferry.jsonl
      revtrack verify-bundle ferry.jsonl --against checkpoint-2024-06.json
    """
    from revtrack import Revtrack

    report = Revtrack.verify_bundle(file, against)
    _verify_outcome(report)
    click.echo(
        f"OK: {report.articles} articles, {report.revisions} revisions and "
        f"{report.events} events in {file} verified."
    )


@cli.command()
@click.argument("article", required=False, shell_complete=complete.article)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write to a file instead of standard output.",
)
@quiet_option
@click.pass_context
def export(
    ctx: click.Context, article: str | None, fmt: str, output: str | None, quiet: bool
) -> None:
    """Export every revision (with text), correction and event as JSON lines.

    Example: revtrack export > backup.jsonl
    """
    rt = _open(ctx)
    # A file is written beside its name and moved into place whole: an export that fails
    # half-way (a full disk, a bad article name) leaves no truncated file that looks whole.
    # Anything but a regular file (a FIFO, /dev/stdout) is written in place: never replaced.
    partial = output
    if output and (not os.path.exists(output) or os.path.isfile(output)):
        partial = f"{output}.partial"
    try:
        handle = open(partial, "w", encoding="utf-8", newline="\n") if partial else None  # noqa: SIM115
    except OSError as exc:
        raise InvalidInput(
            f"Cannot write {output}: {exc.strerror}.", "Choose another path."
        ) from None
    articles = 0
    done = False
    try:
        with Bar("exporting", quiet=quiet) as bar:
            for line in rt.export(article, progress=bar.update):
                articles += '"type":"article"' in line  # (in a text it is escaped)
                if handle:
                    handle.write(line + "\n")
                else:
                    click.echo(line)
        if handle:
            handle.close()
            if partial != output:
                os.replace(str(partial), str(output))
        done = True
    except OSError as exc:
        if handle is None:
            raise  # standard output closed (a pipe into `head`): main() handles it
        raise InvalidInput(
            f"Cannot write {output}: {exc.strerror}.", "Free some space or choose another path."
        ) from None
    finally:
        if handle and not done:
            with contextlib.suppress(OSError):
                handle.close()
            if partial != output:
                with contextlib.suppress(OSError):
                    os.unlink(str(partial))
    # on stderr: standard output is the export
    click.echo(f"Exported {articles} article(s), {bar.done} revision(s).", err=True)


@cli.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--from",
    "kind",
    type=click.Choice(["git", "warc", "newsdiffs", "diffengine", "newsedits"]),
    help="Read another archive's history: a git repository (REPO [PATHS…]), WARC files, "
    "or a NewsDiffs, diffengine or NewsEdits database.",
)
@click.option("--branch", help="With --from git: the branch to read (default: HEAD).")
@click.option(
    "--timezone",
    help="With --from newsdiffs|diffengine|newsedits: the zone of the database's times "
    "(default: NewsDiffs America/New_York, the others UTC).",
)
@click.option(
    "--batch-size",
    type=int,
    default=50,
    show_default=True,
    help="Documents per transaction when importing a directory or an archive.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    help="Processes that read and analyse documents while one writes "
    "(default 0: one per CPU; 1: all in this process).",
)
@quiet_option
@click.pass_context
def import_(
    ctx: click.Context,
    paths: tuple[str, ...],
    kind: str | None,
    branch: str | None,
    timezone: str | None,
    batch_size: int,
    jobs: int,
    quiet: bool,
) -> None:
    """Import a JSON-lines export, a directory of versioned documents, or an archive.

    A directory holds one folder per document with v001.txt, v002.txt, … and an optional
    meta.json (the layout of the NewsEdits-style corpora); importing it again adds nothing.
    Several importers may share one import of the same directory into one database.

    With --from, each version in the archive becomes a revision at its capture time, with
    where it came from (commit, WARC record, database row) kept and checked by `verify`:
    git (every commit on the branch that changes a text file; renames followed), warc (every
    HTML response, read as `ingest URL` reads a page), newsdiffs, diffengine and newsedits
    (their databases). Rerunning adds only what is new.

    \b
    Examples:
      revtrack import backup.jsonl
      revtrack import corpora/18f_blog
      revtrack import --from git ~/site content/posts --branch main
      revtrack import --from warc crawl-2024.warc.gz
    """
    # The bar is up before the database is opened (or made): that alone takes a second on a
    # loaded machine, and a bar should be there from the first.
    if kind is not None:
        with Bar("importing", quiet=quiet) as bar:
            summary = _open(ctx, create=True).import_archive(
                kind,
                paths,
                branch=branch,
                timezone=timezone,
                batch_size=batch_size,
                progress=bar.update,
                jobs=jobs,
            )
        _report_import(summary, archive=True)
        return
    if branch or timezone:
        raise InvalidInput(
            "--branch and --timezone go with --from.", "See `revtrack import --help`."
        )
    if len(paths) > 1:
        raise InvalidInput(
            "Give one export file or directory (or use --from for an archive).",
            "See `revtrack import --help`.",
        )
    path = paths[0]
    if not os.path.exists(path):
        raise InvalidInput(f"No such file or directory: {path}.", "Check the path.")
    if os.path.isdir(path):
        with Bar("importing", quiet=quiet) as bar:
            summary = _open(ctx, create=True).import_directory(
                path, batch_size=batch_size, progress=bar.update, jobs=jobs
            )
        _report_import(summary, archive=False)
        return
    rt = _open(ctx, create=True)
    with open(path, encoding="utf-8") as handle:
        counts = rt.restore(handle, source=path)
    click.echo(
        f"Imported {counts['articles']} article(s), {counts['revisions']} revision(s), "
        f"{counts['corrections']} correction(s), {counts['events']} event(s); "
        f"skipped {counts['skipped_articles']} article(s) already present."
    )


def _report_import(summary: dict[str, Any], *, archive: bool) -> None:
    """A bulk import's summary: what was stored, what was left out and why, what failed."""
    noun = "article" if archive else "document"
    click.echo(
        f"Imported {summary['documents']} {noun}(s), {summary['revisions']} "
        f"revision(s), {summary['corrections']} note(s) found; "
        f"{summary['skipped']} already imported."
    )
    counts = summary.get("counts") or {}
    if counts:
        click.echo("Left out: " + ", ".join(f"{n} {why}" for why, n in counts.items()) + ".")
    for line in summary.get("unmapped") or []:
        click.echo(f"not imported: {line}", err=True)
    failures = [*summary["failures"], *(summary.get("problems") or [])]
    if failures:
        for line in failures[:20]:
            click.echo(f"failed: {line}", err=True)
        if len(failures) > 20:
            click.echo(f"… and {len(failures) - 20} more", err=True)
        if archive:
            raise InvalidInput(
                f"{len(failures)} record(s) could not be imported; the rest was.",
                "Each is named above.",
            )
        raise InvalidInput(
            f"{len(failures)} document(s) could not be imported.",
            "Fix them and import them again (e.g. `revtrack import DIR/doc`).",
        )


@cli.command()
@click.argument("url")
@click.option("--from", "since", metavar="DATE", help="Only captures from this time (UTC).")
@click.option("--to", "until", metavar="DATE", help="Only captures up to this time (UTC).")
@click.option("--limit", type=int, help="At most this many captures (the oldest first).")
@click.option("--article", "-a", metavar="KEY", help="Article key (default: from the URL).")
@quiet_option
@click.pass_context
def backfill(
    ctx: click.Context,
    url: str,
    since: str | None,
    until: str | None,
    limit: int | None,
    article: str | None,
    quiet: bool,
) -> None:
    """Import the Internet Archive's captures of URL as the article's revisions.

    Each capture the Wayback Machine holds of the page becomes a revision at its capture
    time, with its archive URL as source; requests are spaced and retried, and a rerun (or a
    backfill cut short) asks only for captures not yet imported. Run it before tracking the
    page live: captures older than the article's latest revision cannot be added.

    Example: revtrack backfill https://example.com/news/ferry --from 2024-01-01 --limit 50
    """
    rt = _open(ctx, create=True)
    with Bar("backfilling", quiet=quiet) as bar:
        summary = rt.backfill(
            url, since=since, until=until, limit=limit, article=article, progress=bar.update
        )
    _report_import(summary, archive=True)
