"""Per-site rules applied to a page before extraction: CSS selectors to keep and to drop.

A redesign, a rotating "most read" box or a related-stories strip inside the article element
would otherwise be read as edits of the story. ``remove`` drops every element a selector
matches; ``include``, when given, keeps only what its selectors match (the page's ``<head>``
stays, so the title and ``rel=canonical`` are still found). Selectors are CSS, compiled by
cssselect (the library lxml uses for them) and checked when a rule is set.
"""

from __future__ import annotations

from collections.abc import Sequence

from revtrack.errors import InvalidInput


def check_selectors(selectors: Sequence[str], option: str) -> None:
    from cssselect import GenericTranslator, SelectorError

    for selector in selectors:
        try:
            GenericTranslator().css_to_xpath(selector)
        except SelectorError as exc:
            raise InvalidInput(
                f"The {option} selector {selector!r} is not a CSS selector ({exc}).",
                "For example: --remove 'aside.most-read' --include 'article'.",
            ) from None


def apply_rules(body: bytes, *, include: Sequence[str], remove: Sequence[str]) -> bytes | None:
    """The page with the rules applied, as UTF-8 HTML; None when the page cannot be parsed."""
    import lxml.html  # type: ignore[import-untyped]
    from lxml import etree
    from lxml.cssselect import CSSSelector  # type: ignore[import-untyped]

    try:
        root = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return None
    for selector in remove:
        for element in CSSSelector(selector)(root):
            if element.getparent() is not None:
                element.drop_tree()
    if include:
        kept = [e for selector in include for e in CSSSelector(selector)(root)]
        body_element = root.find("body")
        if kept and body_element is not None:
            for child in list(body_element):
                body_element.remove(child)
            body_element.text = None
            for element in kept:
                element.tail = None
                body_element.append(element)
    out: bytes = lxml.html.tostring(root, encoding="utf-8", doctype="<!doctype html>")
    return out
