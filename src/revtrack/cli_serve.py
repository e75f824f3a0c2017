"""`revtrack serve`: the read-only web UI, JSON API and Atom feeds over the database.

A command of :mod:`revtrack.cli` in a module of its own (its options are many): it registers
on cli.py's root group, which imports this module once `cli` exists, and hands everything to
:func:`revtrack.web.server.serve`, which checks the address and runs the chosen server.
"""

from __future__ import annotations

import click

from revtrack.cli import cli


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port (0: any free one).",
)
@click.option(
    "--public",
    is_flag=True,
    help="Allow an address beyond this machine (needs --token, or a proxy in front).",
)
@click.option(
    "--token",
    envvar="REVTRACK_TOKEN",
    default=None,
    show_envvar=True,
    help="Access token every request must carry (Authorization: Bearer, or ?token= once).",
)
@click.option(
    "--server",
    type=click.Choice(["werkzeug", "waitress"]),
    default="werkzeug",
    show_default=True,
    help="waitress: the production server (pip install 'revtrack[web-prod]').",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Worker threads (waitress).",
)
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes on one socket (waitress, Unix): one per core uses them all.",
)
@click.option("--show-paths", is_flag=True, help="Show revisions' whole file paths, not names.")
@click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help="Keep no answers between requests (by default they are kept until the next write).",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    public: bool,
    token: str | None,
    server: str,
    threads: int,
    processes: int,
    show_paths: bool,
    no_cache: bool,
) -> None:
    """Serve a read-only web UI, JSON API (under /api/) and Atom feeds over the database.

    Nothing can be changed through it; it listens on this machine only unless --host says
    otherwise, which needs --public and an access token. Stop it with Ctrl-C.

    Example: revtrack serve --port 8000 --server waitress --processes 2
    """
    from revtrack.web.server import serve as run_server

    run_server(
        ctx.find_root().obj["db"],
        host,
        port,
        public=public,
        token=token,
        server=server,
        threads=threads,
        processes=processes,
        show_paths=show_paths,
        page_cache=not no_cache,
        ready=click.echo,
    )
