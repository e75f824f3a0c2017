"""Word lists for the minor-edit rules (to be folded into the shared lexicon).

FUNCTION_WORDS carry grammar, not news: adding, dropping or swapping one ("the" for "this",
"of" for "in") leaves what a reader learns unchanged. MEANING_WORDS look like function words
but change what a sentence claims (modals, quantifiers, negations, "or"), so they are never
minor.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUNCTION_WORDS = _words(
    """a an the this that these those of in on at to for from by with into onto upon about as
    via it its it's they them their theirs he
    him his she her hers we us our ours you your yours i me my mine who whom whose which what
    there here and both also so then such than own one ones"""
)
# Auxiliaries are not among them: "is" for "was" moves a fact in time; only agreement ("has"
# for "have") is grammar, through AGREEMENT_PAIRS.

MEANING_WORDS = _words(
    """not no never none nor neither nobody nothing nowhere cannot can't won't don't doesn't
    isn't aren't wasn't weren't hasn't haven't hadn't shouldn't wouldn't couldn't mustn't or
    all some any each every many few most more less least only always sometimes often must
    may might can could should would will shall need required optional before after without
    except unless until before after during within through over under above below since"""
)

# Function words that swap into their opposite: never a grammar fix.
OPPOSITE_PAIRS = frozenset(
    frozenset(pair) for pair in (("from", "to"), ("in", "out"), ("on", "off"), ("into", "from"))
)

FILLER_WORDS = _words(
    """really very just actually basically simply quite rather currently now also still
    even further additionally specifically generally typically usually certainly clearly
    indeed"""
)

AGREEMENT_PAIRS = frozenset(
    frozenset(pair)
    for pair in (
        ("is", "are"),
        ("was", "were"),
        ("has", "have"),
        ("does", "do"),
        ("a", "an"),
        ("this", "these"),
        ("that", "those"),
        ("its", "their"),
        ("it", "they"),
    )
)

SPELLED_ABBREVIATIONS = {
    "e g": "for example",
    "eg": "for example",
    "i e": "that is",
    "ie": "that is",
    "etc": "and so on",
    "vs": "versus",
    "approx": "approximately",
    "est": "estimated",
    "govt": "government",
    "dept": "department",
    "info": "information",
    "uk": "united kingdom",
    "us": "united states",
    "usa": "united states",
    "to": "in order to",
}
