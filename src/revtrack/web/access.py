"""An access token for a server reachable beyond this machine.

``revtrack serve --public`` binds an address others can reach; the archive may hold drafts
and notes nobody outside a newsroom should read, so such a server needs a token
(``--token`` or ``REVTRACK_TOKEN``) and every request must carry it:

* ``Authorization: Bearer TOKEN`` (scripts, the API), or
* ``?token=TOKEN`` once: a page answers with a cookie and sends the browser on to the same
  address without the token (so it leaves the address bar and the history); the API and the
  feeds, whose clients often keep no cookies, take the parameter on every request.

The cookie holds an HMAC of the token, never the token; comparisons are constant-time.
Anything else is a 401 that says how to get in.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlencode

from flask import Flask, Response, redirect, request

from revtrack.errors import RevtrackError

COOKIE = "revtrack_access"
MIN_TOKEN = 16


class AccessDenied(RevtrackError):
    """A request without the server's token: answered 401."""

    http_status = 401


def _digest(token: str) -> str:
    return hmac.new(token.encode(), b"revtrack cookie", hashlib.sha256).hexdigest()


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode())


def _is_page() -> bool:
    path = request.path
    return not (path.startswith("/api/") or path == "/api" or "/-/feed/" in path)


def require_token(app: Flask, token: str) -> None:
    """Refuse every request of ``app`` that does not carry ``token``."""
    from revtrack.errors import InvalidInput

    if len(token) < MIN_TOKEN:
        raise InvalidInput(
            f"The access token is {len(token)} characters long; it needs {MIN_TOKEN} or more.",
            'Make one with: python -c "import secrets; print(secrets.token_urlsafe())"',
        )
    cookie = _digest(token)

    def check() -> Response | None:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer ") and _same(header[7:].strip(), token):
            return None
        if _same(request.cookies.get(COOKIE, ""), cookie):
            return None
        given = request.args.get("token")
        if given is not None and _same(given, token):
            if not _is_page():
                return None
            rest = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
            target = request.path + ("?" + urlencode(rest) if rest else "")
            response = redirect(target, code=303)
            response.set_cookie(
                COOKIE, cookie, httponly=True, samesite="Lax", secure=request.is_secure
            )
            return response  # type: ignore[return-value]
        raise AccessDenied(
            "This revtrack server needs its access token.",
            "Open the address once with ?token=TOKEN, or send the header "
            "'Authorization: Bearer TOKEN'.",
        )

    app.before_request(check)
