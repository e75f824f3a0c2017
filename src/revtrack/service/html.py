"""Article text, title and byline out of an HTML page, through trafilatura.

Imported only when a source is HTML: trafilatura and lxml take a noticeable time to load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
