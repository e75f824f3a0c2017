"""The `revtrack` command line: parse, call one :class:`revtrack.Revtrack` method, render.

No SQL and no domain decisions live here. Every :class:`RevtrackError` is turned into a
one-line message and a non-zero exit in one place (:class:`_Group`), never a traceback.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

from revtrack import __version__
from revtrack import cli_complete as complete
from revtrack.cli_term import Bar, paged
from revtrack.errors import InvalidInput, RevtrackError

if TYPE_CHECKING:
    from revtrack import Revtrack

FORMATS_LIST = click.Choice(["text", "json", "csv"])


class _Failure(click.ClickException):
    """A revtrack error as click prints it: ``Error: <message> <hint>``, exit 1."""


class _IntegrityFailure(_Failure):
    exit_code = 2


class _Group(click.Group):
    """Turns revtrack's errors into clean CLI failures, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RevtrackError as exc:
            raise (_IntegrityFailure if exc.exit_code == 2 else _Failure)(str(exc)) from None


def _open(ctx: click.Context, *, create: bool = False, quick: bool = False) -> Revtrack:
    """The database of ``--db``; ``quick`` for the reading commands (`show`, `log`, `diff`,
    `articles`, `corrections`), which read a plain SQLite file without importing SQLAlchemy
    where they can (store/lite.py)."""
    from revtrack import Revtrack

    obj = ctx.find_root().obj
    rt: Revtrack = Revtrack(obj["db"], create=create, quick_start=quick)
    ctx.call_on_close(rt.close)
    return rt


def _color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _emit(text: str) -> None:
    click.echo(text.rstrip("\n"))


def _page(ctx: click.Context, text: str) -> None:
    """Print a command's output, through the pager when it is longer than the screen."""
    with paged(ctx) as out:
        out.echo(text.rstrip("\n"))


def as_fetched_option(f: Any) -> Any:
    """``--as-fetched``: the texts as ingested, not the newest re-derived ones (`reextract`)."""
    return click.option(
        "--as-fetched",
        is_flag=True,
        help="Read each revision's text as fetched, not the newest text `reextract` re-derived "
        "from its kept page.",
    )(f)


def derived_note(key: str, derived: dict[int, Any], action: str) -> None:
    """On stderr, the one line saying which revisions were read as re-derived texts."""
    from revtrack.render.derived import derived_notice

    line = derived_notice(key, derived, action)
    if line:
        click.echo(line, err=True)


def quiet_option(f: Any) -> Any:
    """``--quiet``: no progress bar (the closing line is printed all the same)."""
    return click.option(
        "--quiet", "-q", is_flag=True, help="No progress bar, only the closing line."
    )(f)


def engine_name() -> str:
    """Which diff engine runs, found without importing it (start-up stays light)."""
    from importlib.util import find_spec

    if find_spec("fast_diff_match_patch") is not None:
        return "C++ (fast-diff-match-patch)"
    return "pure Python (install fast-diff-match-patch for speed)"


def _pure_engine_notice() -> None:
    """Once per process, on a terminal only: the slow engine is in use, and how to fix it."""
    if sys.stderr.isatty() and not engine_name().startswith("C++"):
        click.echo(
            "revtrack: using the pure-Python diff engine (several times slower); "
            "`pip install fast-diff-match-patch` for the fast one.",
            err=True,
        )


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH|URL",
    default=None,
    help="Database file or URL (default ./revtrack.db; REVTRACK_DATABASE_URL overrides).",
)
@click.option(
    "--no-pager",
    is_flag=True,
    help="Print long output straight out (else it goes through $REVTRACK_PAGER, $PAGER or "
    "less -FRX on a terminal).",
)
@click.version_option(
    # not read from the package metadata (a slow look-up); the engine is found, not imported
    version=f"{__version__}, diff engine: {engine_name()}",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None, no_pager: bool) -> None:
    """Keep every version of a news article, diff any two, and tie each correction note to
    the revision that made the fix.

    \b
    Example:
      revtrack init
      revtrack ingest examples/ferry/v1.txt examples/ferry/v2.txt examples/ferry/v3.txt
      revtrack log ferry
      revtrack diff ferry v2 v3
    """
    ctx.obj = {"db": db, "no_pager": no_pager}
    if ctx.invoked_subcommand in _DIFFING:
        _pure_engine_notice()


# Commands that diff texts, where the engine's speed shows.
_DIFFING = frozenset({"diff", "ingest", "import", "audit", "blame", "fetch", "watch", "relink"})


# -- database ---------------------------------------------------------------------------
@cli.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create the database, or upgrade it to this revtrack's schema.

    Example: revtrack --db news.db init
    """
    rt = _open(ctx, create=True)
    before, after = rt.upgraded or (None, "")
    what = "created" if before is None else "ready" if before == after else "upgraded"
    click.echo(f"Database {what}: {rt.location} (schema {after})")


@cli.group(cls=_Group)
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Upgrade the database schema to the newest version.

    Example: revtrack db upgrade
    """
    rt = _open(ctx, create=True)
    before, after = rt.upgraded or (None, "")
    change = "already current" if before == after else f"upgraded from {before or 'nothing'}"
    click.echo(f"{rt.location}: schema {after} ({change})")


@db.command("current")
@click.pass_context
def db_current(ctx: click.Context) -> None:
    """Print the database's schema version and whether it is the newest; exit 1 if not.

    Example: revtrack db current
    """
    from revtrack import Revtrack

    rt = Revtrack(ctx.find_root().obj["db"], check_schema=False)
    ctx.call_on_close(rt.close)
    found, head = rt.schema_status()
    if found == head:
        click.echo(f"{found} (head)")
        return
    click.echo(f"{found or 'no schema'} (head is {head}): run `revtrack db upgrade`")
    ctx.exit(1)


# -- ingest -----------------------------------------------------------------------------
@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--article", "-a", metavar="KEY", help="Article key (default: from URL or file name)."
)
@click.option("--at", metavar="TIME", help="Capture time, ISO 8601 (default: now, UTC).")
@click.option("--title", metavar="T", help="The article's headline for this revision.")
@click.option("--url", metavar="U", help="The article's canonical URL.")
@click.pass_context
def ingest(
    ctx: click.Context,
    sources: tuple[str, ...],
    article: str | None,
    at: str | None,
    title: str | None,
    url: str | None,
) -> None:
    """Store SOURCE... as the next revisions of an article (a file, '-' for stdin, or a URL).

    Text identical to the latest revision makes no revision ("unchanged"); text equal to an
    older one is stored as a revert.

    \b
    Example:
      revtrack ingest examples/ferry/v1.txt examples/ferry/v2.txt --article ferry
      curl -s https://example.org/story | revtrack ingest - --article story
    """
    from revtrack.render.listings import ingest_line
    from revtrack.shapes import ingest_dict

    rt = _open(ctx, create=True)
    stdin = sys.stdin.buffer
    for result in rt.ingest(sources, article=article, at=at, title=title, url=url, stdin=stdin):
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo(ingest_line(ingest_dict(result)))


# -- reading ----------------------------------------------------------------------------
@cli.command()
@click.option("--format", "fmt", type=FORMATS_LIST, default="text", show_default=True)
@click.pass_context
def articles(ctx: click.Context, fmt: str) -> None:
    """List every article with its revision and correction counts.

    Example: revtrack articles --format csv
    """
    from revtrack.render.listings import articles_listing
    from revtrack.shapes import article_dict

    _emit(articles_listing([article_dict(a) for a in _open(ctx, quick=True).articles()], fmt))


@cli.command()
@click.argument("article", shell_complete=complete.article)
@click.option("--format", "fmt", type=FORMATS_LIST, default="text", show_default=True)
@click.pass_context
def log(ctx: click.Context, article: str, fmt: str) -> None:
    """Show an article's timeline: revisions, change sizes, corrections.

    Example: revtrack log ferry
    """
    from revtrack.render.listings import log_listing
    from revtrack.shapes import article_dict, correction_dict, log_rows

    log = _open(ctx, quick=True).log(article)
    rows = log_rows(log.revisions, log.corrections)
    notes = [correction_dict(c) for c in log.corrections]
    _page(ctx, log_listing(article_dict(log.article), rows, notes, fmt))


@cli.command()
@click.argument("ref", metavar="ARTICLE[@REV]", shell_complete=complete.ref)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: the revision, its text and what it was re-derived with (`derived`).",
)
@as_fetched_option
@click.pass_context
def show(ctx: click.Context, ref: str, fmt: str, as_fetched: bool) -> None:
    """Print a revision's text (default: the latest) exactly as it was ingested, or, when
    `reextract` read its kept page again, the newest re-derived text (a note on stderr says
    so; --as-fetched prints the text as fetched).

    Example: revtrack show ferry@v1 > v1.txt
    """
    found = _open(ctx, quick=True).read(ref, as_fetched=as_fetched)
    if fmt == "json":
        import json

        from revtrack.shapes import shown_dict

        _page(ctx, json.dumps(shown_dict(found.revision, found.text, found.derived), indent=2))
        return
    if found.derived is not None:
        from revtrack.shapes import derivation_dict

        shaped = derivation_dict(found.derived)
        assert shaped is not None
        derived_note(found.revision.article_key, {found.revision.number: shaped}, "prints the text")
    with paged(ctx) as out:
        out.echo(found.text, nl=False, raw=True)


# -- diff -------------------------------------------------------------------------------
@cli.command()
@click.argument("ref", metavar="ARTICLE[@REV]", shell_complete=complete.ref)
@click.argument("rev_a", required=False, shell_complete=complete.rev)
@click.argument("rev_b", required=False, shell_complete=complete.rev)
@click.option(
    "--by",
    type=click.Choice(["word", "sentence", "char", "line"]),
    default="word",
    show_default=True,
    help="Granularity of the comparison.",
)
@click.option(
    "--format",
    "fmt",
    default="inline",
    show_default=True,
    type=click.Choice(["inline", "unified", "side-by-side", "html", "json"]),
)
@click.option("--stat", is_flag=True, help="Only the change statistics.")
@click.option("--ignore-cosmetic", is_flag=True, help="Hide whitespace/punctuation/case churn.")
@click.option(
    "--substantive-only",
    is_flag=True,
    help="Hide cosmetic and minor changes (typos, grammar, same-meaning rewording) too.",
)
@click.option(
    "--context",
    "context",
    type=int,
    default=None,
    metavar="N",
    help="Only the changed passages, with N sentences around each.",
)
@click.option("--width", type=int, default=None, help="Side-by-side width (default: terminal).")
@as_fetched_option
@click.pass_context
def diff(
    ctx: click.Context,
    ref: str,
    rev_a: str | None,
    rev_b: str | None,
    by: str,
    fmt: str,
    stat: bool,
    ignore_cosmetic: bool,
    substantive_only: bool,
    context: int | None,
    width: int | None,
    as_fetched: bool,
) -> None:
    """Show what changed between two revisions (default: the latest two).

    \b
    Examples:
      revtrack diff ferry                 latest~1 against latest
      revtrack diff ferry v1 v2 --by sentence
      revtrack diff ferry@v1 ferry@v3 --format html > changes.html
    """
    from revtrack import render
    from revtrack.shapes import diff_header

    result = _open(ctx, quick=True).diff(
        ref,
        rev_a,
        rev_b,
        by=by,  # type: ignore[arg-type]
        as_fetched=as_fetched,
    )
    header = diff_header(result)
    if fmt != "json":
        sides = {side.number: side.derived for side in (header.a, header.b)}
        derived_note(
            header.article,
            {n: d for n, d in sides.items() if n is not None and d is not None},
            "compares the texts",
        )
    if stat:
        _page(ctx, render.render_stat(result.diff, header))
        return
    if fmt == "inline":
        _page(
            ctx,
            render.render_inline(
                result.diff,
                header,
                color=_color(),
                ignore_cosmetic=ignore_cosmetic,
                substantive_only=substantive_only,
                context=context,
            ),
        )
    elif fmt == "unified":
        _page(ctx, render.render_unified(result.diff, header))
    elif fmt == "side-by-side":
        cols = width or shutil.get_terminal_size((120, 40)).columns
        _page(ctx, render.render_side_by_side(result.diff, header, width=cols, color=_color()))
    elif fmt == "html":
        with paged(ctx) as out:
            out.echo(render.render_html(result.diff, header), nl=False)
    else:
        _page(ctx, render.render_json(result.diff, header))


# -- corrections ------------------------------------------------------------------------
def _corrections(views: Any, fmt: str) -> str:
    from revtrack.render.listings import corrections_listing
    from revtrack.shapes import correction_dict

    return corrections_listing([correction_dict(v) for v in views], fmt, _color())


@cli.command()
@click.argument("article", required=False, shell_complete=complete.article)
@click.option("--format", "fmt", type=FORMATS_LIST, default="text", show_default=True)
@click.pass_context
def corrections(ctx: click.Context, article: str | None, fmt: str) -> None:
    """List the correction history: kind, fixing and disclosing revisions, lag, evidence.

    Example: revtrack corrections ferry --format json
    """
    _page(ctx, _corrections(_open(ctx, quick=True).corrections(article), fmt))


@cli.command()
@click.argument("article", required=False, shell_complete=complete.article)
@click.option(
    "--rev",
    metavar="REV",
    help="The revision the note is about (default: latest).",
    shell_complete=complete.rev,
)
@click.option("--note", metavar="TEXT", help="The note's text.")
@click.option(
    "--kind",
    default="correction",
    show_default=True,
    help="correction, clarification, editors-note, update or retraction.",
)
@click.option(
    "--supersede",
    "supersede_id",
    type=int,
    metavar="ID",
    help="Replace correction ID by a new note (--note).",
)
@click.option(
    "--retract", "retract_id", type=int, metavar="ID", help="Retract correction ID (with --reason)."
)
@click.option("--reason", metavar="TEXT", help="Why a note is retracted.")
@click.pass_context
def correct(
    ctx: click.Context,
    article: str | None,
    rev: str | None,
    note: str | None,
    kind: str,
    supersede_id: int | None,
    retract_id: int | None,
    reason: str | None,
) -> None:
    """Attach a correction note by hand, or supersede or retract one. Nothing is deleted.

    \b
    Examples:
      revtrack correct ferry --rev v2 --note "An earlier version misstated the cost."
      revtrack correct --supersede 3 --note "An earlier version misstated the cost as $4.2M."
      revtrack correct --retract 3 --reason "Entered on the wrong story"
    """

    if supersede_id is not None and retract_id is not None:
        raise InvalidInput("Give --supersede or --retract, not both.")
    if retract_id is not None:
        view = _open(ctx, create=False).retract(retract_id, reason or "")
    elif supersede_id is not None:
        if not note:
            raise InvalidInput("--supersede needs the new text.", "Give it with --note.")
        view = _open(ctx).supersede(supersede_id, note, kind=None if kind == "correction" else kind)
    else:
        if not article or not note:
            raise InvalidInput(
                "Name the article and give the note.",
                "Example: revtrack correct ferry --rev v2 --note TEXT",
            )
        view = _open(ctx).correct(article, note, rev=rev, kind=kind)
    _emit(_corrections([view], "text"))


@cli.command()
@click.argument("article", required=False, shell_complete=complete.article)
@quiet_option
@click.pass_context
def relink(ctx: click.Context, article: str | None, quiet: bool) -> None:
    """Re-run correction linking (after the linker improves); changes are logged as events.

    Example: revtrack relink
    """
    from revtrack.render.listings import relink_listing
    from revtrack.shapes import relink_dict

    rt = _open(ctx)
    with Bar("relinking", quiet=quiet) as bar:
        changes = rt.relink(article, progress=bar.update)
    _emit(relink_listing([relink_dict(c) for c in changes]))


# registering audit … backfill, and serve, on `cli`
from revtrack import cli_history, cli_serve  # noqa: E402, F401
from revtrack.cli_watch import fetch, reextract, watch  # noqa: E402  (needs `cli` defined)

cli.add_command(watch)
cli.add_command(fetch)
cli.add_command(reextract)


def main() -> NoReturn:
    """Console-script entry point."""
    cli.main(prog_name="revtrack")
    raise SystemExit(0)  # pragma: no cover - click exits itself


__all__ = ["cli", "main"]
