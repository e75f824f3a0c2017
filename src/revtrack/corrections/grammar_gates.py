"""The words without which a grammar feature's pattern cannot match (see
:mod:`revtrack.corrections.grammar`).

Most paragraphs asked about have few of them, so a pattern runs only where one of its words
stands: the patterns alone cost about 1.4 ms a paragraph, and ingest asks about the first and
last paragraphs of every revision. Kept apart from the patterns so that each module stays a
readable size; a word added to a pattern must be added here too, or the pattern never runs.
"""

from __future__ import annotations

from revtrack.text.lexicon import OWN_PIECES

__all__ = ["ERR_ADV", "NEEDS", "PIECE_WORDS", "TEXT_PARTS"]

# Our text and its parts, beside the pieces a corrections column names.
TEXT_PARTS = (
    *("report", "paper", "edition", "issue", "blurb", "version", "draft", "subheading"),
    *("subhead", "standfirst", "passage", "sentence", "paragraph", "wording"),
    # ("The listing erred: the gallery opens at 10am." — an events or TV listing of ours)
    *("listing",),
)
ERR_ADV = r"(?:wrongly|incorrectly|erroneously|mistakenly|inaccurately|inadvertently|falsely)"

PIECE_WORDS = frozenset(
    w for p in (*OWN_PIECES, *TEXT_PARTS) for w in (p.split("-")[0], p.split("-")[0] + "s")
)
NEEDS: dict[str, frozenset[str]] = {
    "error_adverb": frozenset(ERR_ADV[3:-1].split("|")) | {"erred"},
    "error_noun": frozenset(
        [
            "error",
            "errors",
            "mistake",
            "mistakes",
            "inaccuracy",
            "inaccuracies",
            "typo",
            "typos",
            "oversight",
            "lapse",
        ]
    ),
    "false_adj": frozenset(
        ["incorrect", "inaccurate", "wrong", "untrue", "erroneous", "false", "misleading"]
    ),
    "should_have": frozenset({"should"}),
    "came_to_attention": frozenset(
        {"attention", "since", "investigation", "asked", "happy", "pleased", "glad"}
        | {"wish", "wishes", "like"}
    ),
    "text_changed": frozenset(
        [
            "amended",
            "updated",
            "corrected",
            "changed",
            "revised",
            "edited",
            "removed",
            "deleted",
            "replaced",
            "rectified",
            "fixed",
            "reworded",
            "clarified",
            "withdrawn",
            "retracted",
            "taken",
            "pulled",
            "added",
            "retract",
            "retracts",
            "retraction",
            "withdrew",
            "took",
            "line",
        ]
    ),
    "we_said": frozenset({"we"}),
    "it_was_stated": frozenset(
        [
            "stated",
            "said",
            "reported",
            "suggested",
            "implied",
            "given",
            "gave",
            "printed",
            "listed",
            "rendered",
            "spelt",
            "spelled",
            "originally",
            "described",
            "describe",
            "call",
            "refer",
            "say",
            "suggest",
            "report",
            "state",
            "mentioned",
            "referred",
            "called",
            "identified",
            "published",
        ]
    ),
    "self_ref": frozenset(
        ["this", "our", "earlier", "previous", "prior", "original", "print", "online"]
    ),
    "dated_piece": frozenset(
        [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "yesterday",
            "today",
            "week",
            "page",
            "section",
            "our",
        ]
    ),
    "contrast": frozenset({"not", "instead", "rather", "originally"}),
    "in_fact": frozenset({"fact", "actually", "correct", "accurate"}),
    "apology": frozenset(
        [
            "apologise",
            "apologize",
            "apologises",
            "apologizes",
            "regret",
            "regrets",
            "regretted",
            "sorry",
            "apologies",
            "accept",
            "acknowledge",
        ]
    ),
    "newsroom_error": frozenset({"error", "errors", "mistake", "mistakes", "lapse", "lapses"}),
    "printed_thing": frozenset(
        [
            "name",
            "surname",
            "forename",
            "spelling",
            "caption",
            "headline",
            "byline",
            "quote",
            "quotation",
            "photo",
            "photograph",
            "picture",
            "credit",
            "figure",
            "title",
            "throughout",
        ]
    ),
    "part_ref": frozenset({"paragraph"}),
    "outlet_reported": frozenset({"reported"}),
    "piece_said": frozenset(
        [
            "said",
            "stated",
            "reported",
            "gave",
            "called",
            "referred",
            "described",
            "named",
            "identified",
            "claimed",
            "suggested",
            "implied",
            "quoted",
            "attributed",
            "credited",
            "says",
        ]
    ),
}
