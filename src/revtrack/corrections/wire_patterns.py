"""The patterns of a wire service's advisory line: "(Corrects name of mayor in paragraph 5)",
"(Refiles to fix typo)", "CORRECTED-(...)", "(ATTN: CORRECTS ...)", "Updates with details of the
vote, corrects name of mayor". Kept apart from :mod:`revtrack.corrections.form_patterns` so that
each module stays a readable size; read by :func:`revtrack.corrections.forms.read_form`.
"""

from __future__ import annotations

import re

from revtrack.corrections.form_patterns import _alt
from revtrack.text.lexicon import WIRE_CORRECTING_VERBS, WIRE_UPDATING_VERBS

__all__: list[str] = []

_WIRE_VERB = rf"(?P<verb>{_alt(WIRE_CORRECTING_VERBS)}|{_alt(WIRE_UPDATING_VERBS)})"
_WIRE = re.compile(
    # (an advisory may name whom it is for first: "(EDS: ...", "(ATTN: CORRECTS ..."; after
    # "CORRECTED-" the headline may stand before it: "CORRECTED-Tram line opens (Corrects ...)")
    rf"(?:(?-i:CORRECTED|REFILED?)\s*[-–]\s*(?:[A-Z]+(?:\s+\d+)?\s*[-–]\s*)*[^()\n]{{0,150}}?"
    rf"|(?:[A-Z]+(?:\s+\d+)?\s*[-–]\s*)*)\(\s*(?:(?:eds?\.?|editors?|attn\.?|attention"
    rf"|note\s+to\s+editors)\s*:\s*)?"
    rf"(?:this\s+(?:[\w-]+\s+){{0,3}}?(?:story|version|item|article|report)\s+)?{_WIRE_VERB}\b"
    r"[^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)\s*$"
    rf"|(?-i:(?:[A-Z]+(?:\s+\d+)?\s*[-–]\s*)*(?:CORRECTS|REFILES|RECASTS|UPDATES|CLARIFIES|FIXES))\b"
    r"(?P<caps>)[^\n]{0,200}$"
    rf"|(?-i:(?:Corrects|Refiles|Recasts|Updates|Clarifies|Fixes|Adds))\b(?P<title>)[^\n.]{{0,200}}$",
    re.I,
)
_WIRE_CORRECTS = re.compile(rf"\b{_alt(WIRE_CORRECTING_VERBS)}\b", re.I)
# Where in the story an advisory's change is: "in paragraph 5", "in 3rd para", "throughout".
_WIRE_PLACE = re.compile(
    r"\b(?:paragraphs?|paras?|grafs?|headline|throughout|byline|dateline|lead|lede)\b", re.I
)
# What an updating advisory adds: "(Adds comment from the mayor)", "(Updates with closing
# prices)" — not "(Adds offline maps to the app)", a changelog's line.
_WIRE_CONTENT = re.compile(
    r"\b(?:with|details?|comments?|quotes?|background|byline|dateline|reaction|paragraphs?|paras?"
    r"|grafs?|headline|context|analysts?|statements?|throughout|spelling|name|figures?|to\s+(?:say"
    r"|show|fix|correct|clarify|reflect|include)|references?|sentences?|words?|typos?|errors?"
    r"|photos?|captions?|dates?)\b",
    re.I,
)
