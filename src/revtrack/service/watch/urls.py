"""One identity per article, whatever form of its URL is seen.

A watched URL has the form it is fetched by (scheme kept: a site may serve only one) and an
*identity* that the forms of one story share: no scheme, the host lowercased without
``www.`` and without its default port, no fragment, no trailing slash, no tracking
parameters (``utm_*``, ``fbclid``, …), the other parameters sorted. Redirect targets and
``rel=canonical`` URLs are recorded as further identities of the same watch.

courlan (a trafilatura dependency) normalizes the scheme, host, port and path. Its own query
cleaning is not used: it drops any parameter whose name merely contains ``cid``, ``uid`` or
``ref``, which would fold distinct articles (``story.php?cid=123``) into one history. Only
names known to track are removed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from revtrack.errors import InvalidInput

TRACKING = re.compile(
    r"^(?:utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid"
    r"|_ga|_gl|_hsenc|_hsmi|mkt_tok|ocid|cmpid|xtor|at_medium|at_campaign|at_source"
    r"|ns_mchannel|ns_source|ns_campaign|ns_linkname|ns_fee|smid|smtyp|sr_share|share"
    r"|ito|cmp|s_cid|icid|ref_src|ref_url)$",
    re.I,
)


@dataclass(frozen=True)
class WatchUrl:
    url: str  # the form to fetch
    ident: str  # the form every version of the story shares
    host: str  # lowercase host name (with a non-default port), for per-host rules


def canonical(url: str, base: str | None = None) -> WatchUrl:
    """Clean ``url`` (resolved against ``base`` when relative) into a :class:`WatchUrl`."""
    from courlan import normalize_url

    raw = url.strip()
    if base:
        raw = urljoin(base, raw)
    try:
        parts = urlsplit(raw)
        hostname = parts.hostname
        port = parts.port
    except ValueError as exc:
        raise InvalidInput(
            f"{url!r} is not a valid URL ({exc}).", "Check its host and port."
        ) from None
    if parts.scheme.lower() not in ("http", "https"):
        if not parts.scheme or not hostname:
            raise InvalidInput(
                f"{url!r} has no host.", "Give a full URL such as https://example.com/news/story."
            )
        raise InvalidInput(
            f"{url!r} is not an http(s) URL.", "revtrack watches web pages and feeds only."
        )
    if not hostname:
        raise InvalidInput(
            f"{url!r} has no host.", "Give a full URL such as https://example.com/news/story."
        )
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)
    ]
    try:
        bare = normalize_url(urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", "")))
    except ValueError as exc:
        raise InvalidInput(f"{url!r} is not a valid URL ({exc}).", "Check it.") from None
    clean = urlsplit(bare)
    fetch = urlunsplit(
        (clean.scheme, clean.netloc, _without_dots(clean.path), urlencode(query), "")
    )
    default = {"http": 80, "https": 443}[clean.scheme]
    host = hostname.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    if port is not None and port != default:
        host = f"{host}:{port}"
    ident_host = host.removeprefix("www.")
    path = _without_dots(clean.path).rstrip("/") or "/"
    ident = ident_host + path
    if query:
        ident += "?" + urlencode(sorted(query))
    return WatchUrl(url=fetch, ident=ident, host=host)


def _without_dots(path: str) -> str:
    """The path with its ``.`` and ``..`` segments resolved (RFC 3986, section 5.2.4)."""
    if "/." not in path:
        return path
    out: list[str] = []
    for segment in path.split("/")[1:]:
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
    if path.endswith(("/.", "/..")):
        out.append("")
    return "/" + "/".join(out)
