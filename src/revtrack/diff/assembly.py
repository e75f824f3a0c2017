"""Edits to how a page is put together rather than to what it says: bylines, embedded posts,
duplicated paragraphs, conditional blocks.

Each rule reads the raw text of a hunk (markup included, since that is where these edits
live) and follows a definition of the classes (``bench/labels/CLASSES_RULES.md``):

- a **byline** (``<p class="authors">by {% author a %} and {% author b %}</p>``) is attribution
  metadata, the credit the site also prints from the post's front matter: added, removed or
  re-marked whole it tells a reader nothing different (cosmetic); one that stays and credits
  other people is a name changed (:func:`byline_credits` gives the credits to compare);
- an **embedded post replaced by its rendered equivalent** (a tweet's quoted HTML and the
  embed tag of the same post) is minor: the page shows the same post (:func:`same_post`);
- a **paragraph typed twice**, or its doubling removed, is minor when the sentence stays on
  the page elsewhere: a reader reads it as before (:func:`still_on_page`);
- a **conditional block** (``{% ifversion x %}...{% endif %}``) opened up or closed changes who
  is shown its words: the words count as added or removed (:func:`unconditional_words`);
- **lines reordered** (a list's items put in another order) where the diff saw an item replaced
  by another: every line the hunk takes away still stands on the page, and every line it brings
  already stood there, as often as before (:func:`reordered_lines`).
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = [
    "LineCounts",
    "byline_credits",
    "reordered_lines",
    "same_post",
    "still_on_page",
    "unconditional_words",
]

_AUTHOR = r"\{%-?\s*author\s+([\w.-]+)\s*-?%\}"
_BYLINE = re.compile(
    rf"\s*(?:<p\b[^>]*>)?\s*(?:by\s+)?{_AUTHOR}(?:\s*(?:,\s*(?:and\s+)?|and\s+|&\s*){_AUTHOR})*"
    r"\s*(?:</p>)?\s*",
    re.IGNORECASE,
)
_AUTHOR_TAG = re.compile(_AUTHOR, re.IGNORECASE)
# Images beside a byline are image markup, cosmetic by the rules.
_IMAGE = re.compile(r"<img\b[^>]*>|!\[[^\]]*\]\([^)]*\)", re.IGNORECASE)


def byline_credits(text: str) -> frozenset[str] | None:
    """The authors a byline credits when ``text`` is a byline and nothing else (images beside
    it set aside), else None."""
    if "author" not in text or not _BYLINE.fullmatch(_IMAGE.sub(" ", text)):
        return None
    return frozenset(m.lower() for m in _AUTHOR_TAG.findall(text))


# A post's address: the post it shows, whatever markup embeds it.
_POST = re.compile(r"(?:twitter|x)\.com/\w+/status(?:es)?/(\d+)", re.IGNORECASE)
_EMBED_MARKUP = re.compile(
    r"<blockquote\b[^>]*twitter-tweet[^>]*>.*?</blockquote>|\{%-?\s*oembed\s[^%]*%\}"
    r"|\{\{[<%]\s*tweet\b[^}]*[>%]\}\}"
    r"|<script\b[^>]*>\s*</script>",  # the embed's loader, which shows nothing
    re.IGNORECASE | re.DOTALL,
)


def same_post(old: str, new: str) -> bool:
    """Whether ``old`` and ``new`` embed the same one post in different markup (a tweet's
    quoted text and link replaced by an embed tag of that post, or the other way round), with
    nothing else of either side left but space."""
    old_posts, new_posts = set(_POST.findall(old)), set(_POST.findall(new))
    if len(old_posts) != 1 or old_posts != new_posts:
        return False
    return not _EMBED_MARKUP.sub("", old).strip() and not _EMBED_MARKUP.sub("", new).strip()


# A sentence this short may well repeat on a page and still be news where it is added.
_DUPLICATE_WORDS = 6


def still_on_page(sentence: str, page: str) -> bool:
    """Whether a sentence added to (or removed from) a page already stands (still stands) on
    the other version of it, word for word: a paragraph doubled or its doubling undone, which
    tells a reader nothing new. Short sentences ("Learn more.") do not count."""
    body = sentence.strip()
    return len(body.split()) >= _DUPLICATE_WORDS and body in page


_CONDITION = re.compile(r"\{%-?\s*(?:ifversion|if|elsif|else|endif|unless|endunless)\b[^%]*%\}")


def unconditional_words(old: str, new: str) -> str | None:
    """The words a conditional block shows to readers who were not shown them before (or no
    longer), when ``old`` and ``new`` differ only by conditional tags put around them or taken
    away (``{% ifversion ghae %}Connect, {% endif %}`` → ``Connect,``); else None."""
    if "{%" not in old and "{%" not in new:
        return None
    old_bare, new_bare = _CONDITION.sub("", old), _CONDITION.sub("", new)
    if old_bare != new_bare or old_bare == old == new or not old_bare.strip():
        return None
    if (old_bare == old) == (new_bare == new):
        return None  # tags on both sides (a condition rewritten) or on neither
    return old_bare


class LineCounts:
    """How often each line (stripped) stands in a text, counted once per text when first
    asked: most diffs never ask."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._counts: Counter[str] | None = None

    def __getitem__(self, line: str) -> int:
        if self._counts is None:
            self._counts = Counter(x.strip() for x in self._text.split("\n"))
        return self._counts[line]


_LETTER = re.compile(r"[^\W\d_]")


def _lines_around(text: str, start: int, end: int) -> list[str]:
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    return [x.strip() for x in text[lo : len(text) if hi < 0 else hi].split("\n")]


def reordered_lines(
    a: str, b: str, spans: tuple[int, int, int, int], counts: tuple[LineCounts, LineCounts]
) -> bool:
    """Whether the hunk at ``spans`` (``a_start, a_end, b_start, b_end``) only reorders lines:
    the whole lines it touches, on each side, less those both sides share, are lines that
    stand on both versions equally often (each has a letter). A line whose words changed is
    on one version only, so any edit inside a line fails the test."""
    a0, a1, b0, b1 = spans
    old, new = Counter(_lines_around(a, a0, a1)), Counter(_lines_around(b, b0, b1))
    gone, came = old - new, new - old
    if not (gone or came):
        return False
    # A changed line is on one version only: a substring search (at C speed) settles most
    # hunks before any line of the whole texts is counted.
    if any(line not in b for line in gone) or any(line not in a for line in came):
        return False
    count_a, count_b = counts
    return all(_LETTER.search(line) and count_a[line] == count_b[line] for line in (*gone, *came))
