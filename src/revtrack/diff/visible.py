"""What a reader of the rendered page reads, and whether two texts read the same.

A revision's text is often Markdown or HTML (links, emphasis, tags, entities, shortcodes,
template tags, list markers, bare URLs): :func:`visible_text` sets all of that aside, keeping
a link's text and dropping its address. Two visible texts *read alike* when their skeletons
(letters and digits only, case and accents folded, small number words as digits) and their
numbers as written agree: the test for a cosmetic change, which whitespace, punctuation, case,
markup and "five" for "5" cannot fail, but "1.5" for "15" does.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

from revtrack.diff.affixes import common_prefix, common_suffix
from revtrack.text.lexicon import SMALL_NUMBERS

__all__ = ["digit_numbers", "reads_alike", "says_nothing", "skeleton", "visible_text"]

# Parameters of a shortcode or template include that the page prints (a quote card's text, a
# figure's caption): the rest of the tag is markup.
_SHOWN_PARAM = re.compile(
    r"""\b(?:text|caption|quote|cite|title|fallback)\s*[=:]\s*(?:"([^"]*)"|'([^']*)')"""
)


_EMBED = re.compile(r"""^\{\{[<%]\s*(tweet|twitter)\b[^}]*?\buser\s*=\s*["']?([\w-]+)""")
# A post embedded by its address ("{% oembed https://twitter.com/USER/status/ID %}"): the page
# shows the post's text, so it reads as "post by USER", as the tweet shortcode does.
_OEMBED_POST = re.compile(
    r"^\{%-?\s*oembed\s+\S*?(?:twitter|x)\.com/(\w+)/status(?:es)?/\d+", re.IGNORECASE
)

# An author template ("{% author kate %}") prints the name filed under its key: read as the key
# capitalised, a name, so a byline crediting someone else is a name changed (a byline added or
# removed whole is attribution metadata: see revtrack.diff.assembly).
_AUTHOR = re.compile(r"^\{%-?\s*author\s+([\w.-]+)\s*-?%\}$")


def _shown(m: re.Match[str]) -> str:
    """A shortcode or template tag replaced by what it prints: the parameter values it shows,
    for an embedded post the words "post by USER" (its text shows on the page; an image or a
    video embed shows no words), for an author template the author's key as a name."""
    tag = m.group(0)
    if "=" not in tag and ":" not in tag:
        author = _AUTHOR.match(tag)
        return f" {author.group(1).capitalize()} " if author else " "
    embed = _EMBED.match(tag)
    if embed:
        return f" post by {embed.group(2)} "
    post = _OEMBED_POST.match(tag)
    if post:
        return f" post by {post.group(1)} "
    values = [a or b for a, b in _SHOWN_PARAM.findall(tag)]
    return f" {' '.join(values)} " if values else " "


def _link_text(m: re.Match[str]) -> str:
    """A link's text, which the page shows; a site name in it ("CodeConf.com") is kept as words
    (a reader reads it), not dropped with the bare domains and addresses."""
    text = m.group(1)
    return text.replace(".", " ") if "." in text and _DOT_TLD.search(text) else text


# (substrings of which one must be present for the pattern to apply, pattern, replacement):
# the checks keep a paragraph without markup from paying for sixteen regular expressions.
_MARKUP: list[tuple[tuple[str, ...], re.Pattern[str], Any]] = [
    # A footnote mark written in HTML: a superscript holding only a number, linked or not.
    (
        ("<sup",),
        re.compile(
            r"<sup\b[^>]*>\s*(?:<a\b[^>]*>)?\s*\[?\d{1,3}\]?\s*(?:</a>)?\s*</sup>", re.IGNORECASE
        ),
        " ",
    ),
    (("<!--",), re.compile(r"<!--.*?-->", re.DOTALL), " "),
    (("{{",), re.compile(r"\{\{[<%].*?[>%]\}\}", re.DOTALL), _shown),  # Hugo shortcodes
    (("{",), re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL), _shown),  # Liquid/Jinja
    (
        (":",),
        re.compile(r"^[ \t]*(?:[a-z]{2,3}(?:-[a-z]+)?:\S[^\n]*)$", re.MULTILINE),
        " ",
    ),  # interwiki
    (
        (),
        re.compile(r"^([ \t]*)(?:\d{1,3}[.)]|[-*+])(?=[ \t])", re.MULTILINE),
        r"\1",
    ),  # list items
    # footnote marks
    (("[^", "[["), re.compile(r"\[\^[^\]\s]{1,20}\]|\[\[\d{1,3}\]\]\(#[^)]*\)"), " "),
    (("![",), re.compile(r"!\[[^\]]*\] ?\([^)]*\)"), " "),  # images: alt text is not read as prose
    (("](",), re.compile(r"\[([^\]]*)\]\([^)]*\)"), _link_text),  # links keep their text
    # the tail of a link whose "[" lies outside the text (another hunk put it in): an address
    (("](",), re.compile(r"""\]\(\s*[^()\s]*(?:\s+["'][^"'()]*["'])?\s*\)"""), " "),
    (("][",), re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),  # reference links
    (("]:",), re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE), " "),  # link definitions
    (("[",), re.compile(r"\[(?:youtube|caption|embed)[^\]]*\]"), " "),  # WordPress shortcodes
    # an HTML link keeps its text as a Markdown link does (a site name in it read as words)
    (("<a",), re.compile(r"<a\b[^<>]*>([^<]*)</a>"), _link_text),
    (("<",), re.compile(r"</?[A-Za-z][^<>]*>"), " "),
    (("://", "www.", "mailto:"), re.compile(r"(?:https?://|ftp://|www\.|mailto:)\S+"), " "),
]
# The two line-start patterns above try every position of a text; these find their lines
# after a line break at the speed of a search for "\n" (the text's first line is tried apart).
_LINE_STARTS: dict[re.Pattern[str], re.Pattern[str]] = {
    _MARKUP[4][1]: re.compile(r"\n[ \t]*[a-z]{2,3}(?:-[a-z]+)?:\S"),
    _MARKUP[5][1]: re.compile(r"\n[ \t]*(?:\d{1,3}[.)]|[-*+])[ \t]"),
}
# Bare domains ("digital.gov/about"), applied last. The pattern backtracks at every word, so it
# runs only on the runs of non-space characters that hold a top-level domain (a match never
# crosses a space; the run's ends read as non-word characters, as the spaces around it do).
_TLDS = "gov|com|org|net|edu|mil|io|us|int"
_DOMAIN = re.compile(rf"\b[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})(?:/\S*)?\b")
_DOT_TLD = re.compile(rf"\.(?:{_TLDS})")
_NON_SPACE = re.compile(r"\S*")

_LIST_ITEM = _MARKUP[5][1]
_LIST_ITEM_LINE = _LINE_STARTS[_LIST_ITEM]


def _drop_domains(text: str) -> str:
    """``_DOMAIN.sub(" ", text)``, run where a top-level domain stands."""
    out: list[str] = []
    pos = 0
    for tld in _DOT_TLD.finditer(text):
        start = tld.start()
        if start < pos:
            continue  # in the run just handled
        while start > pos and not text[start - 1].isspace():
            start -= 1
        run = _NON_SPACE.match(text, tld.start())
        end = run.end() if run else tld.end()
        out.append(text[pos:start])
        out.append(_DOMAIN.sub(" ", text[start:end]))
        pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def visible_text(text: str) -> str:
    """What a reader of the rendered page reads: markup, URLs and entities set aside."""
    if (
        "[" not in text
        and "<" not in text
        and "{" not in text
        and ":" not in text
        and "&" not in text
        and "www." not in text
        and "](" not in text
    ):
        # No pattern of _MARKUP with a trigger can apply (each trigger holds one of these or is
        # "www.", or its pattern needs a "[", as "](" for links): only the list items can.
        if _LIST_ITEM.match(text) or _LIST_ITEM_LINE.search(text):
            text = _LIST_ITEM.sub(r"\1", text)
    else:
        text = _without_markup(text)
    if "." in text:
        text = _drop_domains(text)
    if "*" in text or "_" in text or "~" in text:
        text = _EMPHASIS.sub(_drop_emphasis, text)
    return text


def _without_markup(text: str) -> str:
    """Entities unescaped, then every pattern of ``_MARKUP`` applied, in order, whose trigger is
    present.

    Written out rather than looped over the table, which cost a quarter of the time of a text
    with markup: the five patterns for square brackets need a "[" (none puts one back), and
    the test for each trigger is a plain substring search. A test checks it against the table.
    """
    if "&" in text:
        text = unescape(text)
    if "<sup" in text:
        text = _FOOTNOTE_SUP.sub(" ", text)
    if "<!--" in text:
        text = _COMMENT.sub(" ", text)
    if "{" in text:
        if "{{" in text:
            text = _HUGO.sub(_shown, text)
        if "{" in text:
            text = _LIQUID.sub(_shown, text)
    if ":" in text and (_INTERWIKI.match(text) or _INTERWIKI_LINE.search(text)):
        text = _INTERWIKI.sub(" ", text)
    if _LIST_ITEM.match(text) or _LIST_ITEM_LINE.search(text):
        text = _LIST_ITEM.sub(r"\1", text)
    if "[" in text:
        if "[^" in text or "[[" in text:
            text = _FOOTNOTE.sub(" ", text)
        if "![" in text:
            text = _IMAGE.sub(" ", text)
        if "](" in text:
            text = _LINK.sub(_link_text, text)
            if "](" in text:
                text = _LINK_TAIL.sub(" ", text)
        if "][" in text:
            text = _REFERENCE_LINK.sub(r"\1", text)
        if "]:" in text:
            text = _LINK_DEFINITION.sub(" ", text)
        if "[" in text:
            text = _SHORTCODE.sub(" ", text)
    elif "](" in text:
        text = _LINK_TAIL.sub(" ", text)
    if "<" in text:
        if "<a" in text:
            text = _ANCHOR.sub(_link_text, text)
        text = _TAG.sub(" ", text)
    if "://" in text or "www." in text or "mailto:" in text:
        text = _URL.sub(" ", text)
    return text


_UNKNOWN_ENTITY = re.compile(r"&[A-Za-z][A-Za-z0-9]{1,31};")


def unescape(text: str) -> str:
    """HTML entities as the characters they stand for; an entity name no HTML version knows
    ("&emdash;" for "&mdash;") is a slip in the markup and reads as nothing."""
    text = html.unescape(text)
    if "&" in text and ";" in text:
        text = _UNKNOWN_ENTITY.sub(" ", text)
    return text


_FOOTNOTE_SUP = _MARKUP[0][1]
_COMMENT = _MARKUP[1][1]
_HUGO = _MARKUP[2][1]
_LIQUID = _MARKUP[3][1]
_INTERWIKI = _MARKUP[4][1]
_FOOTNOTE = _MARKUP[6][1]
_IMAGE = _MARKUP[7][1]
_LINK = _MARKUP[8][1]
_LINK_TAIL = _MARKUP[9][1]
_REFERENCE_LINK = _MARKUP[10][1]
_LINK_DEFINITION = _MARKUP[11][1]
_SHORTCODE = _MARKUP[12][1]
_ANCHOR = _MARKUP[13][1]
_TAG = _MARKUP[14][1]
_URL = _MARKUP[15][1]
_INTERWIKI_LINE = _LINE_STARTS[_INTERWIKI]


_EMPHASIS = re.compile(r"[*_~]+")


def _drop_emphasis(m: re.Match[str]) -> str:
    """Drop emphasis markers (``**``, ``_``), keep an underscore inside a word (snake_case)."""
    if len(m.group()) > 1:
        return ""
    text, i, j = m.string, m.start(), m.end()
    inside_word = i > 0 and j < len(text) and text[i - 1].isalnum() and text[j].isalnum()
    return m.group() if inside_word else ""


# --- reading alike -----------------------------------------------------------------------------

# Small number words by the digits they stand for: "five" reads as "5".
_SMALL_NUMBERS = {w: str(i) for i, w in enumerate(SMALL_NUMBERS)}


def _folded(visible: str) -> str:
    """Case and accents folded."""
    folded = visible.casefold()
    if not folded.isascii():
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    return folded


def skeleton(visible: str) -> str:
    """Letters and digits only, case and accents folded, small number words as digits: what
    survives every cosmetic edit."""
    return _joined(_ALNUM.findall(_folded(visible)))


def _joined(words: list[str]) -> str:
    """The skeleton of a text from its words, case and accents folded."""
    if _SMALL_NUMBER_SET.isdisjoint(words):
        return "".join(words)
    return "".join([_SMALL_NUMBERS.get(w, w) for w in words])


_ALNUM = re.compile(r"[^\W_]+")
_SMALL_NUMBER_SET = frozenset(_SMALL_NUMBERS)
_COMBINING = re.compile(r"[\u0300-\u036f\u0307]")
_DIGITS = re.compile(r"(?=[$€£¥\d])[$€£¥]?\d+(?:,\d{3}(?!\d)|[.:/]\d+)*%?")


def digit_numbers(visible: str, folded_words: list[str] | None = None) -> list[str]:
    """Every number, for the cosmetic test: digits as written (dates included, any change
    counts) and small number words as digits ("five" is "5"); a sorted list (see
    :func:`revtrack.diff.facts.numbers_and_dates`).

    ``folded_words`` are the skeleton's words of ``visible``, if known: for ASCII text they
    are the words in lower case, which need not be found again."""
    found = [n.replace(",", "") for n in _DIGITS.findall(visible)]
    if folded_words is not None and visible.isascii():
        words = folded_words
    else:
        words = _ALNUM.findall(visible.lower())
    if not _SMALL_NUMBER_SET.isdisjoint(words):
        found += [_SMALL_NUMBERS[w] for w in words if w in _SMALL_NUMBERS]
    found.sort()
    return found


def reads_alike(old_v: str, new_v: str) -> bool:
    """Whether two visible texts have the same skeleton and numbers.

    Only what lies between their common prefix and suffix is compared, each cut at a space:
    no word or number crosses a space and case folding works character by character, so the
    skeleton and the numbers of the common parts are the same on both sides.
    """
    if old_v == new_v:
        return True
    start = max(old_v.rfind(" ", 0, common_prefix(old_v, new_v)), 0)
    suffix = common_suffix(old_v, new_v, start)
    end = old_v.find(" ", len(old_v) - suffix) if suffix else -1
    if end < 0:
        end = len(old_v)
    old_m, new_m = old_v[start:end], new_v[start : len(new_v) - (len(old_v) - end)]
    if not old_m or not new_m:
        # Against nothing: the skeleton is empty when no letter or digit survives folding.
        rest = old_m or new_m
        return not _ALNUM.search(_folded(rest)) and not digit_numbers(rest)
    if _heads_differ(old_m, new_m):
        return False
    old_w, new_w = _ALNUM.findall(_folded(old_m)), _ALNUM.findall(_folded(new_m))
    return _joined(old_w) == _joined(new_w) and digit_numbers(old_m, old_w) == digit_numbers(
        new_m, new_w
    )


# Characters of each side whose skeletons are compared first (see _heads_differ).
_HEAD = 64


def _heads_differ(old_m: str, new_m: str) -> bool:
    """Whether the skeletons of the first words of ``old_m`` and ``new_m`` already differ.

    Two texts that differ from their first word on seldom read alike, and the part between
    the hunks of a paragraph is often long: the skeletons of a head of each, cut at a space,
    are the start of the whole skeletons (see :func:`reads_alike`), so where they disagree
    over the shorter one the whole skeletons differ too, and the rest need not be folded.
    """
    i = old_m.find(" ", _HEAD)
    j = new_m.find(" ", _HEAD)
    if i < 0 or j < 0:
        return False  # short: the whole skeletons cost as little
    old_s, new_s = skeleton(old_m[:i]), skeleton(new_m[:j])
    n = min(len(old_s), len(new_s))
    return old_s[:n] != new_s[:n]


def says_nothing(text: str) -> bool:
    """Whether ``text`` reads like nothing at all (``reads_alike`` against ""), without
    comparing: no letter or digit survives folding its visible text, and it holds no number."""
    visible = visible_text(text)
    return not visible or (not _ALNUM.search(_folded(visible)) and not digit_numbers(visible))
