"""Reading what the user asks to ingest: a file, standard input, or an http(s) URL.

Everything is read as bytes with a size cap first, then judged: binary data (NUL bytes) is
refused, text must decode as UTF-8 (or, for HTML, in the charset the page or the server
declares), and HTML goes through trafilatura, a maintained main-text extractor, so menus,
footers and share buttons never show up as "changes". Extracted text gets a blank line
between paragraphs, the layout revtrack's sentence and note detection expect.

Dates that the extractor guesses are never used as capture times (it guesses a year from the
body text): the capture time is what the user gives, or now.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Literal
from urllib.parse import urlsplit

from revtrack.errors import BinaryInput, DecodeError, EmptyText, SourceError, TooLarge

SourceKind = Literal[
    "file", "stdin", "url", "git", "warc", "wayback", "newsdiffs", "diffengine", "newsedits"
]
"""Where a revision came from: what the user named, or the archive an importer read."""

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
URL_TIMEOUT = float(os.environ.get("REVTRACK_URL_TIMEOUT", "20"))


def max_bytes_allowed() -> int:
    """The size cap for one source: 10 MB, or REVTRACK_MAX_BYTES (read at each call)."""
    return int(os.environ.get("REVTRACK_MAX_BYTES", str(DEFAULT_MAX_BYTES)))


# A page that opens like a document is HTML; one that opens with a comment, an <article> or a
# <meta> may be Markdown with a little inline HTML (GitHub's policies open with a
# markdownlint comment), so those are HTML only when markup fills much of the text.
_HTML_DOC = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*(<!doctype\s+html|<html|<head|<body)", re.I)
_HTML_MAYBE = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*(<article|<meta|<!--)", re.I)
_TAG = re.compile(rb"<[A-Za-z/!][^<>]{0,400}>")
MARKUP_SHARE = 0.15
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._-]+)""", re.I)
_VERSION_STEM = re.compile(r"^(?:v|ver|version|rev|r)?[-_.]?\d+$", re.I)
_VERSION_SUFFIX = re.compile(r"[-_.](?:v|ver|version|rev|r)[-_.]?\d+$", re.I)


@dataclass(frozen=True)
class RawResponse:
    """An HTTP body as the server sent it (before any site rule), kept with the revision
    made from it so that `reextract` can read it again with a better extractor or rule."""

    body: bytes
    content_type: str
    url: str  # where it came from, after redirects


@dataclass(frozen=True)
class Fetched:
    """One source, read and turned into article text."""

    text: str
    source: str
    kind: SourceKind
    key_hint: str
    title: str | None = None
    byline: str | None = None
    url: str | None = None
    outlet: str | None = None
    is_html: bool = False
    validators: dict[str, str] = field(default_factory=dict)  # HTTP ETag / Last-Modified
    not_modified: bool = False  # the server answered 304 to a conditional request
    warnings: tuple[str, ...] = ()  # said to the user, never a reason to drop the version
    raw: RawResponse | None = None  # the page itself, when it was fetched over HTTP


def read_source(
    spec: str,
    stdin: BinaryIO | None = None,
    *,
    max_bytes: int | None = None,
    validators: dict[str, str] | None = None,
) -> Fetched:
    """Read ``spec`` ('-' for stdin, an http(s) URL, or a path) into a :class:`Fetched`.

    ``validators`` (the ETag and Last-Modified kept from the previous fetch of a URL) make the
    request conditional: a server that answers 304 costs no download and no extraction.
    """
    max_bytes = max_bytes_allowed() if max_bytes is None else max_bytes
    if spec == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(max_bytes + 1)
        return from_bytes(data, source="-", kind="stdin", key_hint="", max_bytes=max_bytes)
    if re.match(r"^https?://", spec, re.I):
        return _read_url(spec, max_bytes=max_bytes, validators=validators or {})
    return _read_file(Path(spec), max_bytes=max_bytes)


def _read_file(path: Path, *, max_bytes: int) -> Fetched:
    if path.is_dir():
        raise SourceError(
            f"{path} is a directory.", "Give one file per version, or use `revtrack import DIR`."
        )
    try:
        info = path.stat()
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise TooLarge(f"{path} is {_mb(info.st_size)}, over the {_mb(max_bytes)} limit.")
        # Devices and pipes (/dev/zero, a FIFO) report no size and may never end: every read
        # is capped at the limit, whatever the file claims.
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise SourceError(f"No such file: {path}.", "Check the path.") from exc
    except PermissionError as exc:
        raise SourceError(
            f"Cannot read {path}: permission denied.", "Check its permissions."
        ) from exc
    except OSError as exc:
        raise SourceError(f"Cannot read {path}: {exc.strerror}.", "Check the path.") from exc
    return from_bytes(
        data,
        source=str(path),
        kind="file",
        key_hint=key_from_path(path),
        max_bytes=max_bytes,
        html_hint=path.suffix.lower() in {".html", ".htm", ".xhtml"},
    )


def _read_url(url: str, *, max_bytes: int, validators: dict[str, str]) -> Fetched:
    import httpx

    headers = {"User-Agent": "revtrack (+revision tracking of news articles)"}
    if validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    deadline = time.monotonic() + URL_TIMEOUT
    try:
        with (
            httpx.Client(follow_redirects=True, timeout=URL_TIMEOUT, headers=headers) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code == 304:
                return Fetched(
                    text="",
                    source=url,
                    kind="url",
                    key_hint=key_from_url(url),
                    url=url,
                    validators=validators,
                    not_modified=True,
                )
            if response.status_code >= 400:
                raise SourceError(
                    f"{url} answered HTTP {response.status_code} {response.reason_phrase}.",
                    "Check the URL; nothing was stored.",
                )
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                # The timeout bounds each read; a server dripping a byte at a time must still
                # finish within URL_TIMEOUT in all.
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("total deadline passed")
                total += len(chunk)
                if total > max_bytes:
                    raise TooLarge(f"{url} is larger than the {_mb(max_bytes)} limit.")
                chunks.append(chunk)
            final_url = str(response.url)
            content_type = response.headers.get("content-type", "")
            fresh = {
                name: response.headers[header]
                for name, header in (("etag", "etag"), ("last_modified", "last-modified"))
                if response.headers.get(header)
            }
    except httpx.TimeoutException as exc:
        raise SourceError(
            f"{url} did not answer within {URL_TIMEOUT:g} s.", "Try again later."
        ) from exc
    except httpx.HTTPError as exc:
        raise SourceError(f"Cannot reach {url}: {exc}.", "Check the URL and your network.") from exc
    except (httpx.InvalidURL, ValueError) as exc:  # httpx raises these before any request
        raise SourceError(
            f"{url} is not a valid URL ({exc}).", "Check its host and brackets."
        ) from exc
    body = b"".join(chunks)
    fetched = from_response(
        body, url=final_url, content_type=content_type, source=url, max_bytes=max_bytes
    )
    raw = RawResponse(body, content_type, final_url) if fetched.is_html else None
    return replace(fetched, validators=fresh, raw=raw)


def from_response(
    body: bytes,
    *,
    url: str,
    content_type: str,
    source: str,
    max_bytes: int,
    kind: SourceKind = "url",
) -> Fetched:
    """An HTTP response's body read as ``ingest URL`` reads it (also a response kept in an
    archive): HTML unless the server said otherwise, in the charset it declared."""
    return from_bytes(
        body,
        source=source,
        kind=kind,
        key_hint=key_from_url(url),
        max_bytes=max_bytes,
        html_hint="html" in content_type.lower() or not content_type,
        charset=_header_charset(content_type),
        url=url,
    )


def from_http(
    body: bytes, *, source: str, final_url: str, content_type: str, max_bytes: int | None = None
) -> Fetched:
    """An HTTP answer's body as a :class:`Fetched`: the one way `ingest URL`, watching and
    archive imports turn a page into article text (see :func:`from_response`)."""
    return from_response(
        body,
        url=final_url,
        content_type=content_type,
        source=source,
        max_bytes=max_bytes_allowed() if max_bytes is None else max_bytes,
    )


def from_bytes(
    data: bytes,
    *,
    source: str,
    kind: SourceKind,
    key_hint: str,
    max_bytes: int,
    html_hint: bool = False,
    charset: str | None = None,
    url: str | None = None,
) -> Fetched:
    """Judge and decode bytes already read, extracting the article when they are HTML.

    Every path that stores a version goes through here (files, URLs and the importers'
    archived pages), so a page in a WARC file reads exactly as the same page fetched live.
    """
    if len(data) > max_bytes:
        raise TooLarge(f"{_name(source)} is larger than the {_mb(max_bytes)} limit.")
    if not data.strip():
        raise EmptyText(f"{_name(source)} is empty.")
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with its byte-order mark: decodable, not binary. Stored as its characters.
        text = decode(data, source=source, charset="utf-16")
        warnings.append(f"{_name(source)} is UTF-16 text; it is stored and shown as UTF-8.")
        is_html = html_hint or looks_like_html(text[:65536].encode("utf-8"))
    else:
        if b"\x00" in data[:65536]:
            raise BinaryInput(f"{_name(source)} looks like a binary file, not text.")
        is_html = html_hint or looks_like_html(data)
        if is_html:
            charset = charset or _meta_charset(data)
        text = decode(data, source=source, charset=charset)
    if not is_html:
        return Fetched(
            text=text,
            source=source,
            kind=kind,
            key_hint=key_hint,
            url=url,
            outlet=_host(url),
            warnings=tuple(warnings),
        )
    from revtrack.service.html import extract, visible_text

    page = extract(text, url=url)
    if not page.text.strip():
        # The extractor judged nothing to be an article; a page with visible text is still a
        # version the user asked to keep, so keep what a reader sees, and say so.
        fallback = visible_text(text)
        if not fallback.strip():
            raise EmptyText(
                f"The HTML of {_name(source)} has no visible text.",
                "Check that it is an article page, or save the page's text instead.",
            )
        warnings.append(
            f"No article text found in the HTML of {_name(source)}: "
            "kept the page's visible text instead."
        )
        page = replace(page, text=fallback)
    canonical = page.url or url
    return Fetched(
        text=page.text,
        source=source,
        kind=kind,
        key_hint=key_from_url(canonical) if canonical else key_hint,
        title=page.title,
        byline=page.byline,
        url=canonical,
        outlet=page.site or _host(canonical),
        is_html=True,
        warnings=tuple(warnings),
    )


def looks_like_html(data: bytes) -> bool:
    """Whether bytes are an HTML page rather than text (Markdown may hold some inline HTML)."""
    head = data[:65536]
    if _HTML_DOC.match(head[:2048]):
        return True
    if not _HTML_MAYBE.match(head[:2048]):
        return False
    markup = sum(len(m.group(0)) for m in _TAG.finditer(head))
    return markup >= MARKUP_SHARE * len(head.strip())


def decode(data: bytes, *, source: str, charset: str | None = None) -> str:
    """Strict decoding: UTF-8 unless a charset was declared; never a silent replacement."""
    encoding = (charset or "utf-8").lower()
    try:
        return data.decode(encoding)
    except LookupError:
        return decode(data, source=source)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"{_name(source)} is not valid {encoding.upper()} (byte 0x{data[exc.start]:02x} at "
            f"offset {exc.start}); revtrack expects UTF-8 text."
        ) from exc


def key_from_path(path: Path) -> str:
    """A key from a file name; version-like names (v1.txt, story-v2.txt) use the folder."""
    stem = path.stem
    if _VERSION_STEM.match(stem):
        stem = path.resolve().parent.name
    else:
        stem = _VERSION_SUFFIX.sub("", stem)
    return slugify(stem)


def key_from_url(url: str | None) -> str:
    """A key from a URL's path: its last meaningful segment, or the host when there is none."""
    if not url:
        return ""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    while segments and (re.fullmatch(r"(index|amp)(\.\w+)?|\d{1,4}", segments[-1], re.I)):
        segments.pop()
    last = re.sub(r"\.(s?html?|php|aspx?)$", "", segments[-1], flags=re.I) if segments else ""
    return slugify(last or parts.netloc)


MAX_KEY = 200
"""The longest article key: a longer one is refused, never cut (two would become one)."""


def slugify(value: str) -> str:
    return re.sub(r"[^\w]+", "-", value.lower(), flags=re.UNICODE).strip("-_")


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _header_charset(content_type: str) -> str | None:
    match = re.search(r"charset=([\w.-]+)", content_type, re.I)
    return match.group(1) if match else None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _name(source: str) -> str:
    return "standard input" if source == "-" else source


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
