"""Running the web UI: werkzeug's threaded server, the one Flask itself is built on.

revtrack serve is a local, read-only viewer for one person or a small newsroom, so the
built-in server is enough and needs no second process or package; anyone exposing it more
widely can mount :func:`revtrack.web.create_app` in any WSGI server instead. The database is
opened (never created) before the port is bound, so a wrong ``--db`` fails at once with the
usual message instead of on the first request.
"""

from __future__ import annotations

from collections.abc import Callable

# IPv6 loopback is left out: werkzeug cannot match a bracketed address in TRUSTED_HOSTS.
LOOPBACK = ("127.0.0.1", "localhost")


def check_host(host: str, *, public: bool = False) -> None:
    from revtrack.errors import InvalidInput

    if host in LOOPBACK or host in ("::1", "[::1]") or public:
        return
    raise InvalidInput(
        f"Refusing to serve on {host}: beyond this machine anyone who can reach the port "
        "could read the whole archive, with no login.",
        "Pass --public if that is meant, or keep --host 127.0.0.1 and put a reverse proxy "
        "with authentication in front of it.",
    )


def url_for_address(host: str, port: int) -> str:
    """``http://127.0.0.1:8765/``; IPv6 hosts get their brackets."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


def serve(
    db: str | None,
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    public: bool = False,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the UI until interrupted; ``ready`` is told the URL once the port is bound.

    Beyond loopback the archive is open to anyone who can reach the port (there is no login),
    so any other address is refused unless ``public`` says it is meant.
    """
    check_host(host, public=public)
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Handler(WSGIRequestHandler):
        # The Server header names no versions a scanner could match against advisories.
        server_version = "revtrack"
        sys_version = ""

        def version_string(self) -> str:
            return "revtrack"

    from revtrack import Revtrack
    from revtrack.web.app import create_app

    rt = Revtrack(db)
    try:
        app = create_app(rt)
        if host in LOOPBACK:
            # A page elsewhere could rebind its own name to 127.0.0.1 (DNS rebinding) and read
            # the archive; answering only to loopback names stops that.
            app.config["TRUSTED_HOSTS"] = list(LOOPBACK)
        server = make_server(host, port, app, threaded=True, request_handler=Handler)
        if ready is not None:
            url = url_for_address(host, server.port)
            ready(f"Serving {rt.store.display_url} read-only at {url}")
        server.serve_forever()  # returns on Ctrl-C (werkzeug catches KeyboardInterrupt)
    finally:
        rt.close()
