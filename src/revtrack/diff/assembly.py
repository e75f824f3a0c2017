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
  is shown its words: the words count as added or removed (:func:`unconditional_words`).
"""

from __future__ import annotations

import re

__all__ = ["byline_credits", "same_post", "still_on_page", "unconditional_words"]

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
