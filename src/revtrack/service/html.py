"""Article text, title and byline out of an HTML page, through trafilatura.

Imported only when a source is HTML: trafilatura and lxml take a noticeable time to load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from revtrack.errors import SourceError


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None
    byline: str | None
    url: str | None
    site: str | None


def extract(html: str, *, url: str | None = None) -> Page:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_recall=True,
            # The page's date is never used (it is no capture time), and the extensive search
            # for it was half of an extraction's time; the quick one still runs inside.
            date_extraction_params={"extensive_search": False},
        )
    except Exception as exc:  # the extractor raises assorted parser errors on broken markup
        raise SourceError(
            f"The HTML could not be parsed ({type(exc).__name__}).",
            "Save the page's text and ingest that instead.",
        ) from exc
    if doc is None:
        return Page(text="", title=None, byline=None, url=url, site=None)
    text = getattr(doc, "text", None) or ""
    # One paragraph per line from trafilatura; a blank line between paragraphs for us.
    text = re.sub(r"\n+", "\n\n", text.strip()) + "\n"
    return Page(
        text=text,
        title=getattr(doc, "title", None) or None,
        byline=getattr(doc, "author", None) or None,
        url=getattr(doc, "url", None) or url,
        site=getattr(doc, "sitename", None) or getattr(doc, "hostname", None) or None,
    )


_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
_HIDDEN = ("script", "style", "noscript", "template", "head")


def visible_text(html: str) -> str:
    """Everything a reader of the page sees, a paragraph per block element.

    The fallback when the extractor finds no article in a page that has text: keeping the
    visible words is better than refusing a version the user asked to keep.
    """
    import lxml.html  # type: ignore[import-untyped]
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    for element in root.iter(*_HIDDEN):
        element.drop_tree()
    parts: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join("".join(current).split())
        if line:
            parts.append(line)
        current.clear()

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""  # comments have no tag name
        if tag in _BLOCKS:
            flush()
        if tag and element.text:
            current.append(element.text)
        for child in element:
            walk(child)
        if tag in _BLOCKS:
            flush()
        if element.tail:
            current.append(element.tail)

    walk(root)
    flush()
    return "\n\n".join(parts) + "\n" if parts else ""
