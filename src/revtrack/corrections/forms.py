"""Notes printed without a label: the forms of corrections columns, wire advisories, apologies.

A corrections column prints a note as a bare paragraph: "We said the bridge was 12 km long.
It is 2 km.", "Marden Court is in Herefordshire, not Hertfordshire, as we said.", "Contrary to a
Jan. 3 article, ...", "(Corrects paragraph 3 to say ...)", "The error is regretted." No word of
these is a note on its own — stories say "we said", "contrary to", "not X" and "regret" too — so
a paragraph is read as a note by its *form*, and only where notes stand: among the first or last
paragraphs of the text (the caller checks), short, prose (not a list or a table), and outside
quotation marks (a quoted "We said we would build 40,000 homes" is a politician speaking). The
forms, each with what makes it one:

* *first-person admission*: "we said / stated / referred to / called / gave ... / our report
  misnamed ...", at the start of a sentence (after an opening "In our July 3 story," at most),
  with a sign that it was wrong: an adverb of error or a mis-verb ("we wrongly stated"), a
  correcting sentence ("That was incorrect.", "In fact, ...", "To clarify: ..."), a contrast
  ("..., not 46"), or the right fact stated after it ("It is the second busiest."); and the fixed
  admissions ("we were wrong to say", "we should have said", "we are happy to make clear");
* *a piece of ours as the subject*: "A story published Nov. 14 said ...", "Wednesday's story
  incorrectly said ...", "The caption of a photograph ... gave ... as ...", "The photograph ...
  was of X, not Y", with the same signs; not another outlet's ("a report by ...", "a story in
  The Times") nor a bare "a report said" (a report of ours is "our report", "the report
  'Title' (May 2)", "a report on page 3 yesterday");
* *as we had it*: "X, not Y, as we said / as we had it", and the agentless "X is not Y, as
  stated in a story ..." (but "..., not 6 per cent as she said" reports someone else);
* *passive errors*: "the surname was misspelled as Treloar throughout; it is Trelawny", "Rita
  Azzi was misidentified as Rita Haddad" in a paragraph that points to a piece ("In a package
  on ..."), never with an agent ("misquoted by a tabloid"); "it was wrongly stated that ...";
  "the headline ... should have read ...";
* *contrary to a piece*: "Contrary to a Saturday column, ...", "Contrary to what was stated in
  ..." (not "contrary to what the video suggests");
* *the error as the subject*: "An editing error led to ...", "Incorrect information appeared in
  a column ...";
* *wire advisories*: a paragraph that is one parenthesis opening with "Corrects", "Refiles",
  "Updates" ... ("CORRECTED-(Corrects day of week ...)", "(Eds: CORRECTS spelling ...)");
* *regret and apology*: "The error is regretted.", "Error regretted.", "... apologises to him for
  suggesting otherwise", "We accept that this was incorrect" — in the present tense: a story
  narrates apologies in the past ("the broadcaster has since apologised");
* *a bare contrast*, the weakest: a one-sentence paragraph "X, not Y." (a corrections column's
  "James Bond preferred his martinis shaken, not stirred."), only as the very first or last
  paragraph of the text, and not an idiom whose wrong side is a phrase ("a marathon, not a
  sprint").

:func:`read_form` returns the form's name and kind, or None. It reads text only; where the
paragraph stands is the caller's, and so is the stem filter that keeps most paragraphs from ever
reaching it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from revtrack.text.tokenize import split_sentences

__all__ = ["MAX_WORDS", "Form", "names_another_outlet", "read_form"]

# A note is a short paragraph: longer ones are story text that happens to use the words.
from revtrack.corrections.form_patterns import (
    _ADVERB_FIRST,
    _APOLOGY,
    _AS_WE,
    _ATTRIBUTION,
    _BARE_CONTRAST,
    _BEFORE_PIECE,
    _BY,
    _CLAUSE,
    _CLOSING,
    _CONTRARY,
    _CONTRAST,
    _COPULA,
    _CORRECTING,
    _DATED_SUBJECT_ERRED,
    _DENIAL,
    _DUE_TO_AN_ERROR,
    _ERRED_VERB,
    _ERROR_SUBJECT,
    _ERROR_WORD,
    _IN_DAY,
    _IT_WAS_STATED,
    _IT_WAS_WRONGLY,
    _LIST_OR_TABLE,
    _LOWER_WORD,
    _NAMED_AS,
    _NAMING,
    _NOT_A_RIGHT_FACT,
    _NOT_AS_STATED,
    _NOT_VERBS,
    _OPENING,
    _OTHER_OUTLET,
    _OUR_PAGES,
    _OUR_PIECE_ERRED,
    _OUTLET_ERRED,
    _OUTLET_FIXED,
    _PAREN_POINTER,
    _PARENTHESES,
    _PART_CHANGED,
    _PART_ERRED,
    _PASSIVE_MIS,
    _PIECE_ERRED,
    _PIECE_ERRED_AFTER,
    _PIECE_POINTER,
    _PIECE_WORD,
    _PLEASE_READ,
    _POINTS_TO_PIECE,
    _PRINTED_AS,
    _PRINTED_THING,
    _PRINTED_WRONGLY,
    _REGRETTED,
    _REPORTED_SPEECH,
    _RIGHT_FACT,
    _SHOULD_READ,
    _STRONG_CORRECTING,
    _SUBJECT_SAID,
    _SWAPPED,
    _TO_CLARIFY,
    _TOPIC,
    _VALUE,
    _WE,
    _WE_ACCEPT,
    _WE_ERRED,
    _WISHES_TO,
    _WORD,
    _WRONG_THING,
    AMBIGUOUS,
    MAX_SENTENCES,
    MAX_WORDS,
    Form,
)
from revtrack.corrections.grammar import someone_else_fixed
from revtrack.corrections.late_forms import SPEECH_CHECKED, late_form
from revtrack.corrections.speech_acts import act_not_claim
from revtrack.corrections.wire_patterns import _WIRE, _WIRE_CONTENT, _WIRE_CORRECTS, _WIRE_PLACE

# ------------------------------------------------------------------------------- reading


@lru_cache(maxsize=1024)
def read_form(paragraph: str, outermost: bool = False) -> Form | None:
    """The note form ``paragraph`` is printed in, or None (the caller checks its position).

    ``outermost``: the paragraph is the very first or last of the text's own paragraphs, where
    the weakest form (a bare "X, not Y.") is read too.

    Cached: a paragraph a revision touched is read again as the old side of the next
    revision's change, and the paragraphs an article's edits touch are mostly the same few
    (60% of the calls on the 18F blog's history were repeats); the result depends on the
    text alone.
    """
    first_line = _unmark(paragraph.lstrip().split("\n", 1)[0]).strip()
    if "(" in first_line or first_line[:1].isupper():
        wire = _WIRE.match(first_line)
        if wire:
            verb = wire["verb"] or wire.group(0).split(None, 1)[0]
            corrects = _WIRE_CORRECTS.search(wire.group(0)) is not None
            # Without parentheses, a title-case advisory must read like one: "Updates with
            # details of the vote, corrects name of mayor in paragraph 5".
            plain = wire["title"] is not None
            content = _WIRE_CONTENT.search(wire.group(0))
            if (corrects and not plain) or (
                content and (not plain or _WIRE_PLACE.search(verb + wire.group(0)))
            ):
                return Form("wire", "correction" if corrects else "update")
    if len(paragraph.split(None, MAX_WORDS)) > MAX_WORDS or _LIST_OR_TABLE.search(paragraph):
        return None
    text = _masked(paragraph)
    topic = _TOPIC.match(text)
    if topic and len(topic.group(0).split()) <= 8 and not _WE.search(topic.group(0)):
        text = " " * topic.end() + text[topic.end() :]
    sentences = [text[s.start : s.end] for s in split_sentences(text)]
    if not sentences or len(sentences) > MAX_SENTENCES:
        return None
    # Which forms can occur at all, from words each needs (most paragraphs have few of them).
    low = text.lower()
    has = _Cues(
        regret="regret" in low,
        apology="apologi" in low or "we accept" in low or "we acknowledge" in low,
        as_=" as " in low,
        contrary="contrary" in low,
        we=bool(_WE.search(low)),
        piece=bool(_PIECE_WORD.search(low)),
        erred=bool(_ERROR_WORD.search(low)) or "omitted" in low or "left out" in low,
        stated=bool(_IT_WAS_STATED.search(low)),
        should="should" in low,
        error="error" in low or "mistake" in low or "information" in low,
        wishes=" to " in low and bool(_WISHES_TO.search(low)),
        been=" been " in low,
        read="read " in low,
    )
    for i, sentence in enumerate(sentences):
        form = _form_of(sentence, sentences[i + 1 :], text, has, sentences[i - 1] if i else "")
        if form is not None:
            return form
    if (
        outermost
        and len(sentences) == 1
        and len(_WORD.findall(text)) <= 20
        and _BARE_CONTRAST.fullmatch(sentences[0])
        and not _REPORTED_SPEECH.search(sentences[0])  # "She said it was 12 km, not 21 km."
    ):
        return Form("bare-contrast", "correction")
    return None


@dataclass(frozen=True)
class _Cues:
    regret: bool
    apology: bool
    as_: bool
    contrary: bool
    we: bool
    piece: bool
    erred: bool
    stated: bool
    should: bool
    error: bool
    wishes: bool
    been: bool
    read: bool


def _form_of(
    sentence: str, later: list[str], text: str, has: _Cues, before: str = ""
) -> Form | None:
    """The form ``sentence`` (with the sentences ``before`` and ``later`` beside it) is in."""
    if _ATTRIBUTION.search(sentence):
        return None  # "..., the council said.": someone's words, not ours
    late = late_form(sentence)
    if late is not None and (late[0] in SPEECH_CHECKED or not _REPORTED_SPEECH.search(sentence)):
        return Form(*late)
    if has.regret and _REGRETTED.search(sentence):
        return Form("regret", "correction")
    if has.apology and (
        _WE_ACCEPT.search(sentence)
        or (_APOLOGY.search(sentence) and not _REPORTED_SPEECH.search(sentence))
    ):
        return Form("apology", "correction")
    if has.wishes and _WISHES_TO.search(sentence) and not _REPORTED_SPEECH.search(sentence):
        return Form("apology", None)
    if ", not " in sentence and len(_WORD.findall(sentence)) <= 40:
        # "X is in Y, not Z (Title, 3 May, page 16).": the citation after the contrast
        contrast = sentence.index(", not ")
        cited = _PAREN_POINTER.search(sentence, contrast)
        if cited and "(" not in sentence[:contrast]:
            return Form("x-not-y", "correction")
    if has.as_ and _AS_WE.search(sentence):
        return Form("as-we-had-it", "correction")
    if has.as_ and _NOT_AS_STATED.search(sentence):
        return Form("not-as-stated", "correction")
    if has.contrary:
        m = _CONTRARY.match(sentence)
        if m and not names_another_outlet(m["after"] or ""):
            return Form("contrary-to", "correction")
    if has.error and _ERROR_SUBJECT.match(sentence):
        return Form("error-subject", "correction")
    if has.error or "typo" in sentence.lower():
        m = _DUE_TO_AN_ERROR.match(sentence)
        if m and (
            _PIECE_WORD.search(sentence, m.end())
            or _WE.search(sentence, m.end())
            or _PRINTED_WRONGLY.search(sentence, m.end())
        ):
            return Form("error-subject", "correction")
    m = _ADVERB_FIRST.match(sentence)
    if m and _PRINTED_WRONGLY.search(sentence, m.end()) and not _REPORTED_SPEECH.search(sentence):
        return Form("mis-verb", "correction")  # "Inadvertently, the cost was given as ..."
    if not before and _TO_CLARIFY.match(sentence) and not _REPORTED_SPEECH.search(sentence):
        # "To clarify, ..." opening the paragraph (a note), not a step of a story ("... To
        # clarify, the team added a tips box")
        return Form("to-clarify", "clarification")
    if (has.erred or "wrong" in sentence.lower() or "outdated" in sentence.lower()) and (
        _WRONG_THING.match(sentence) and not _REPORTED_SPEECH.search(sentence)
    ):
        return Form("wrong-thing", "correction")
    if (
        (" has " in sentence or " have " in sentence)
        and _OUTLET_FIXED.match(sentence)
        and not _REPORTED_SPEECH.search(sentence)
    ):
        return Form("outlet-fixed", None)
    if has.been and not _REPORTED_SPEECH.search(sentence):
        # "This has been corrected.", "A reference to ... has been removed."
        if _CLOSING.match(sentence.strip()):
            return Form("closing", "correction")
        if _PART_CHANGED.fullmatch(sentence.strip()):
            return Form("part-changed", None)
    if has.we:
        m = _first_person(sentence)
        if m and (
            m.groupdict().get("fixed") or m.groupdict().get("admits2") or m.groupdict().get("sorry")
        ):
            return Form("first-person", None if m.groupdict().get("fixed") else "correction")
        if m and m.groupdict().get("err"):
            # "We confused X with Y in this report": a verb people use too, so our pages must
            # be named or the error shown, and nobody else be speaking.
            if not _REPORTED_SPEECH.search(sentence) and (
                _PIECE_POINTER.search(sentence) or _erred(sentence, m, later)
            ):
                return Form("first-person", "correction")
        elif m and (
            m.groupdict().get("admits")
            or _erred(sentence, m, later)
            or (before and _short_claim(sentence) and _states_a_fact(before))
        ):
            return Form("first-person")
    if has.piece and "post" in sentence.lower():
        # "The post wrongly stated ...": a fact-check's subject, someone's post, is no piece of
        # ours unless the note says so ("this post", "our post").
        sentence = _SOMEONES_POST.sub(lambda p: p.group(1) + "#" * len(p.group(2)), sentence)
    if has.piece and not someone_else_fixed(text):
        # (not when a third party erred or fixed and no text of ours is named: "A visitor
        # noticed that the caption wrongly gave ...; the gallery has since replaced it.")
        m = _piece_subject(sentence, later)
        if m and (m["err"] or _erred(sentence, m, later, copula=bool(m["copula"]))):
            return Form("piece-said")
        if has.erred:
            erred = _PIECE_ERRED.search(sentence)
            if erred and not _REPORTED_SPEECH.search(sentence[: erred.start()]):
                return Form("piece-said")
    if has.erred and _PART_ERRED.search(sentence) and not _REPORTED_SPEECH.search(sentence):
        return Form("piece-said", "correction")
    if has.erred:
        m = _OUTLET_ERRED.match(sentence)
        if m and not _REPORTED_SPEECH.search(sentence, m.end()) and _erred(sentence, m, later):
            return Form("outlet-erred", "correction")
    if has.erred and _DATED_SUBJECT_ERRED.match(sentence):
        m = _DATED_SUBJECT_ERRED.match(sentence)
        if m and _erred(sentence, m, later, copula=False):
            return Form("pointer-erred", "correction")
    if _pointer_opening(sentence) and not _REPORTED_SPEECH.search(sentence):
        if has.erred and _ERRED_VERB.search(sentence):
            return Form("pointer-erred", "correction")
        if _PRINTED_AS.search(sentence) and _points_to_ours(sentence):
            return Form("pointer-erred", "correction")  # "In our story, X was given as Y"
    if _pointer_opening(sentence):
        m = _SUBJECT_SAID.search(sentence)
        if m and _erred(sentence, m, later):
            return Form("pointer-said", "correction")
    if has.erred:
        m = _PASSIVE_MIS.search(sentence)
        if (
            m
            and not _REPORTED_SPEECH.search(sentence)
            and (
                _PIECE_POINTER.search(text)
                or _CONTRAST.search(sentence)
                or _right_fact_follows(sentence, m.end(), later)
                or (_NAMED_AS.match(sentence, m.end()) and not _BY.search(sentence, m.end()))
                or _PRINTED_THING.search(sentence, 0, m.start())
            )
        ):
            return Form("mis-verb", "correction")
    if has.stated and _IT_WAS_WRONGLY.search(sentence) and not _REPORTED_SPEECH.search(sentence):
        return Form("it-was-stated", "correction")
    if has.stated:
        m = _IT_WAS_STATED.search(sentence)
        if (
            m
            and (_PIECE_POINTER.search(sentence) or _IN_DAY.match(sentence))
            and _erred(sentence, m, later)
        ):
            return Form("it-was-stated", "correction")
    if has.erred or " were " in sentence or " been " in sentence:
        m = _SWAPPED.search(sentence)
        if m and (_PIECE_POINTER.search(text) or _right_fact_follows(sentence, m.end(), later)):
            return Form("mis-verb", "correction")
    if (
        has.read
        and _PLEASE_READ.search(sentence)
        and (_PIECE_POINTER.search(text) or _TOPIC.match(text) or _piece_named(sentence))
    ):
        return Form("should-read", "correction")
    if (
        has.should
        and _SHOULD_READ.search(sentence)
        and (_PIECE_POINTER.search(text) or _piece_named(sentence))
    ):
        return Form("should-read", "correction")
    return None


_PUBLISHING = frozenset({"published", "printed", "aired"})
_SOMEONES_POST = re.compile(
    r"(\b(?:the|a|an|that|these|those|one|his|her|their)\s+(?:[\w'’-]+\s+){0,2}?)((?-i:posts?))\b",
    re.I,
)
# "We said goodbye to the old ferry": "said" with an object that is no claim.
_SAID_IDIOM = re.compile(
    r"\s+(?:goodbye|hello|farewell|thanks|thank|yes|no|so|sorry|grace|a\s+prayer|nothing)\b", re.I
)
_FALSE_THING = re.compile(
    r"\s+(?:an?\s+)?(?:inaccurate|incorrect|false|untrue|wrong|erroneous|misleading)\b", re.I
)


def names_another_outlet(qualifier: str) -> bool:
    """Whether the words after a piece make it someone else's ("in The Clarion", "by the
    auditor"), not ours ("in Tuesday's edition", "in the July 11 Metro section")."""
    return bool(_OTHER_OUTLET.search(qualifier))


def _first_person(sentence: str) -> re.Match[str] | None:
    """ "We said ...", "Our report ... misnamed ...", at the start of the sentence."""
    for we in _WE.finditer(sentence):
        if _OPENING.fullmatch(sentence, 0, we.start()) is None:
            continue
        is_we = we.group(0).lower() == "we"
        m = (_WE_ERRED if is_we else _OUR_PIECE_ERRED).match(sentence, we.end())
        if m is None or (not is_we and _CLAUSE.search(_PARENTHESES.sub(" ", m["q1"]))):
            continue
        # "We published new guidance" is news; "we published inaccurate statements" a note.
        verb = (m.groupdict().get("verb") or "").lower()
        if (
            verb in _PUBLISHING
            and not _FALSE_THING.match(sentence, m.end())
            and not _ERROR_WORD.search(m.group(0))  # "we mistakenly published"
        ):
            continue
        if verb == "said" and _SAID_IDIOM.match(sentence, m.end()):
            continue
        if verb and act_not_claim(verb, sentence, m.end("verb")):
            continue  # "We called the board on Monday.": an act toward someone, not a claim
        return m
    return None


def _piece_subject(sentence: str, later: list[str]) -> re.Match[str] | None:
    """ "A story published Nov. 14 ... said", "Wednesday's story incorrectly said", the piece
    being the sentence's subject and not another outlet's ("a report by ...", "in The Times")."""
    for piece in _PIECE_WORD.finditer(sentence):
        if _BEFORE_PIECE.fullmatch(sentence, 0, piece.start()) is None:
            continue
        m = _PIECE_ERRED_AFTER.match(sentence, piece.end())
        # A headline, date and page in parentheses are the piece's own: "An article about the
        # ferry (Islands get a lifeline, 3 May, page 9) said ...".
        q1 = _PARENTHESES.sub(" ", m["q1"]) if m else ""
        if m is None or _OTHER_OUTLET.search(q1) or _CLAUSE.search(q1):
            continue
        word = piece.group(0).lower()
        erred = bool(m["adv"]) or bool(m["verb"] and _ERRED_VERB.match(sentence, m.start("verb")))
        if _ambiguous(word) and not (_OUR_PAGES.search(m["q1"]) or erred):
            # "A report said": someone else's, unless pointed to in our pages or followed by
            # what only a correction says ("This was incorrect.", "The correct figure is ...").
            rest = sentence[m.end() :] + " " + " ".join(later)
            if not _STRONG_CORRECTING.search(rest):
                continue
        return m
    return None


def _ambiguous(word: str) -> bool:
    """A piece a story names as often when it is someone else's ("a report", "a review")."""
    return word.startswith("report") or word in AMBIGUOUS or word[:-1] in AMBIGUOUS


def _piece_named(sentence: str) -> bool:
    """Whether the sentence's subject is a piece of ours ("The photo caption should read ...")."""
    return any(
        _BEFORE_PIECE.fullmatch(sentence, 0, piece.start()) is not None
        for piece in _PIECE_WORD.finditer(sentence)
    )


def _points_to_ours(sentence: str) -> bool:
    """Whether the opening pointer names a piece of ours, not someone's report ("In a report
    by the auditor", "In a review of the scheme")."""
    m = _POINTS_TO_PIECE.match(sentence)
    if m is None:
        return bool(_IN_DAY.match(sentence))
    if re.match(r"\s+of\b", sentence[m.end() :]):
        return False  # "In the story of the library, ...": a tale, not a piece
    words = {w.lower().rstrip("s") for w in _WORD.findall(m.group(0))}
    if words & AMBIGUOUS or "report" in words:
        comma = sentence.find(",")
        return bool(_OUR_PAGES.search(sentence, 0, comma if comma >= 0 else len(sentence)))
    return not names_another_outlet(sentence[m.end() : m.end() + 60].split(",")[0])


def _pointer_opening(sentence: str) -> bool:
    """Whether the sentence opens by pointing to a piece of ours ("In a story published ...")."""
    return bool(_POINTS_TO_PIECE.match(sentence)) or bool(_IN_DAY.match(sentence))


def _erred(sentence: str, m: re.Match[str], later: list[str], copula: bool = False) -> bool:
    """Whether an admission (``m`` in ``sentence``) comes with a sign that it was wrong. After a
    piece and a plain "was" ("The photograph ... was of X, not Y") only a contrast or an error
    word counts: a sentence that follows is no restatement of a claim it did not make."""
    after = sentence[m.start() :]
    if _CONTRAST.search(after) or _CORRECTING.search(after):
        return True
    if copula:
        return False
    return bool(
        _ERRED_VERB.search(after)
        or any(_CORRECTING.search(s) or _CONTRAST.search(s) for s in later)
        or _right_fact_follows(sentence, m.end(), later)
    )


def _short_claim(sentence: str) -> bool:
    """A short admission that states only what was printed: "We said 120.", "We described him
    as the harbour master."."""
    return len(_WORD.findall(sentence)) <= 14


def _states_a_fact(sentence: str) -> bool:
    """A short statement of a value ("The ferry holds 220 passengers.", "He is Irish."), as a
    note prints the right fact before saying what it had."""
    words = _WORD.findall(sentence)
    if not words or len(words) > 16 or not _RIGHT_FACT.match(sentence):
        return False
    if _NOT_A_RIGHT_FACT.search(sentence) or _REPORTED_SPEECH.search(sentence):
        return False
    return bool(_VALUE.search(sentence))


def _right_fact_follows(sentence: str, at: int, later: list[str]) -> bool:
    """Whether the right fact is stated after the admission: in the next sentence, or in a
    clause after a semicolon ("...; it is Trelawny")."""
    clauses = [c.strip() for c in sentence[at:].split(";")[1:]]
    candidates = [(c, True) for c in clauses] + ([(later[0], False)] if later else [])
    claim = {f for w in _LOWER_WORD.findall(sentence.lower()) for f in _forms(w)}
    for candidate, clause in candidates:
        words = _WORD.findall(candidate)
        if not words or len(words) > 14 or not _RIGHT_FACT.match(candidate):
            continue
        if _NOT_A_RIGHT_FACT.search(candidate):
            continue
        if _DENIAL.match(candidate):
            return True
        lowered = [w.lower() for w in words[1:4]]
        copula = bool(_COPULA & set(lowered))
        if clause and not copula:
            continue  # "...; it is Trelawny" restates; "...; they began in March" goes on
        # The right fact repeats the claim's verb ("holds 16,000" / "It holds 6,000"), or is a
        # value (a number, a name, a rank), or a description after a naming verb.
        verbs = {f for w in lowered for f in _forms(w)} - _NOT_VERBS
        if verbs & claim:
            return True
        if copula and (_VALUE.search(candidate) or _NAMING.search(sentence)):
            return True
    return False


_HAVE = frozenset({"has", "had", "have"})


def _forms(word: str) -> set[str]:
    """The word and what it may be an inflection of ("takes" -> "take"), enough for a right
    fact to meet the claim's verb ("was said to take 90 minutes. The crossing takes 46")."""
    found = {word}
    if word in _HAVE:
        return found | _HAVE  # "said it had 24 branches. It has 14."
    for suffix in ("ing", "es", "ed", "s", "d"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            found.add(word[: -len(suffix)])
    return found


_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)|^\s*(?:>\s*)+", re.M)
_QUOTED = re.compile(
    r"“[^”\n]{1,300}”|\"[^\"\n]{1,300}\"|(?<![\w’'])‘[^’\n]{1,300}’(?![\w’])"
    r"|(?<![\w’'])'(?=\S)[^'\n]{1,300}(?<=\S)'(?![\w’'])"
)


def _unmark(text: str) -> str:
    """``text`` without Markdown emphasis and block-quote marks (same length)."""
    return _EMPHASIS.sub(lambda m: " " * len(m.group(0)), text)


def _masked(paragraph: str) -> str:
    """The paragraph as one line, emphasis blanked and quotations masked (same length): a
    quotation is someone's words, and its "we said" is not ours. A closing stop inside the
    quotation is kept, so sentences still end there."""

    def mask(m: re.Match[str]) -> str:
        quoted = m.group(0)
        inner = quoted[1:-1]
        stop = inner[-1] if inner and inner[-1] in ".!?" else ""
        body = "q" * (len(inner) - len(stop))
        return quoted[0] + body + stop + quoted[-1]

    text = paragraph
    if "*" in text or "_" in text or ">" in text:
        text = _unmark(text)
    text = text.replace("\n", " ")
    if any(q in text for q in "\"“‘'"):
        text = _QUOTED.sub(mask, text)
    return text
