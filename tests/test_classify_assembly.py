"""Edits to how a page is put together (revtrack.diff.assembly): bylines, embedded posts,
paragraphs typed twice, conditional blocks, a link's address changed with its text — each
against the edit beside it that stays substantive."""

from __future__ import annotations

from revtrack.diff import diff_texts
from revtrack.diff.assembly import byline_credits, same_post, still_on_page, unconditional_words
from revtrack.diff.model import COSMETIC

BODY = "Clear, organized, and easy access to information is critical to team growth.\n"


def _kinds(a: str, b: str) -> list[tuple[str, ...]]:
    return [h.kinds for h in diff_texts(a, b).hunks]


def test_a_byline_removed_or_added_whole_is_cosmetic() -> None:
    byline = '<p class="authors">\n  by {% author kate %} and {% author robert %}\n</p>\n\n'
    assert _kinds(byline + BODY, BODY) == [(COSMETIC,)]
    assert _kinds(BODY, byline + BODY) == [(COSMETIC,)]


def test_a_byline_crediting_other_people_is_a_name() -> None:
    old = '<p class="authors">by {% author kate %}</p>\n\n' + BODY
    new = '<p class="authors">by {% author robert %} and {% author eric %}</p>\n\n' + BODY
    assert byline_credits(old.split("\n\n")[0]) == frozenset({"kate"})
    assert any("name" in k for k in _kinds(old, new))


def test_a_byline_replaced_by_a_sentence_is_that_sentence() -> None:
    old = '<p class="authors">by {% author kate %}</p>\n\n' + BODY
    new = "*Update: The RFQ is live!*\n\n" + BODY
    assert any("sentence-added" in k for k in _kinds(old, new))
    assert byline_credits("By submitting legal process you attest") is None


def test_a_tweet_embedded_otherwise_is_minor_and_removed_is_substantive() -> None:
    quoted = (
        '<blockquote class="twitter-tweet"><p>Does your project pass?</p>&mdash; Laurie Voss '
        '<a href="https://twitter.com/seldo/status/571453200093437952">Feb 27</a></blockquote>\n'
        '<script async src="https://platform.twitter.com/widgets.js"></script>'
    )
    embed = "{% oembed https://twitter.com/seldo/status/571453200093437952 %}"
    assert same_post(quoted, embed)
    assert not same_post(quoted, "{% oembed https://twitter.com/seldo/status/1 %}")
    intro = "She noticed this tweet:\n\n"
    assert _kinds(intro + quoted + "\n\n" + BODY, intro + embed + "\n\n" + BODY) == [
        ("minor", "placeholder")
    ]
    # the embed removed: the post's words leave the page
    assert _kinds(embed + "\n\n" + BODY, BODY) == [("sentence-removed",)]


def test_a_paragraph_typed_twice_or_undoubled_is_minor() -> None:
    para = "For enterprise users, your use of Copilot is governed by the product terms.\n\n"
    a = "Intro.\n\n" + para + "Outro.\n"
    b = "Intro.\n\n" + para + para + "Outro.\n"
    assert _kinds(a, b) == [("minor", "typo")]
    assert _kinds(b, a) == [("minor", "typo")]
    # a short sentence repeated may be news where it is added
    assert not still_on_page("Learn more.", "Learn more. Then go.")
    assert _kinds("Intro.\n\nOutro.\n", "Intro.\n\n" + para + "Outro.\n") == [("sentence-added",)]


def test_words_shown_to_everyone_are_added() -> None:
    old = "Products: Actions, {% ifversion ghae %}Connect, {% endif %}Pages.\n"
    new = "Products: Actions, Connect, Pages.\n"
    assert unconditional_words("{% ifversion ghae %}Connect, {% endif %}", "Connect, ") == (
        "Connect, "
    )
    assert unconditional_words("{% if a %}x{% endif %}", "{% if b %}x{% endif %}") is None
    assert any("name" in k for k in _kinds(old, new))


def test_a_link_address_changed_with_its_text_takes_the_texts_kinds() -> None:
    old = "Sites such as [CodeConf.com](https://CodeConf.com/) and more.\n"
    new = "Sites such as [githubuniverse.com](https://githubuniverse.com/) and more.\n"
    kinds = _kinds(old, new)
    assert len(kinds) == 2 and all(k != (COSMETIC,) for k in kinds)
    # the address alone stays cosmetic
    assert _kinds(old, old.replace("https://CodeConf.com/", "https://codeconf.org/x")) == [
        (COSMETIC,)
    ]


def test_a_section_renumbered_in_place_is_minor() -> None:
    a = "Intro.\n\n### 8. Advertising on GitHub\n\nText.\n"
    assert _kinds(a, a.replace("8.", "9.")) == [("minor", "reorder")]


def test_the_tail_of_a_link_opened_by_another_hunk_reads_as_nothing() -> None:
    a = "Tock has been up and running since 2015. Its architecture is simple.\n"
    b = "Tock has been [up and running since 2015]({{ site.baseurl }}/2015/05/21/tock/). Its "
    b += "architecture is simple.\n"
    assert all(k == (COSMETIC,) for k in _kinds(a, b))


def test_list_items_reordered_are_minor_and_an_item_changed_is_not() -> None:
    a = "islands:\n weh\n simeulue\n nias\n\nmore text here.\n"
    b = "islands:\n simeulue\n weh\n nias\n\nmore text here.\n"
    kinds = _kinds(a, b)
    assert kinds and all(k in ((COSMETIC,), ("minor", "reorder")) for k in kinds)
    # an item renamed is on one version only: substantive
    assert any(k[0] not in (COSMETIC, "minor") for k in _kinds(a, a.replace("nias", "nusa")))
    # a ranking's numbers move with its items: the numbered lines change, so it stays news
    ranked = "1. Alice\n2. Bob\n"
    swapped = "1. Bob\n2. Alice\n"
    assert any(k[0] not in (COSMETIC, "minor") for k in _kinds(ranked, swapped))
