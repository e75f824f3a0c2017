"""Note detection and linking over a catalogue of published note forms and decoys (issue #14).

Reads ``bench/labels/note_forms.jsonl`` and ``bench/labels/note_decoys.jsonl``, builds small
versioned stories in memory for every form (the wrong claim in one sentence, a revision that
fixes it, a look-alike edit the note does not speak of, the note itself at the top, the bottom
or in a box, as plain text or as HTML turned into text by revtrack's extractor), runs the pure
pipeline the service runs on ingest (``run_pipeline`` of ``eval_corrections.py``: diff
consecutive versions with ``diff_texts``, new and amended notes with ``diff_notes``, each linked
with ``link_note`` over its window) and scores the tuning and the held-out part separately.
Rules, split and definitions: ``bench/labels/NOTES_RULES.md``.

Baselines measured in the same run: a keyword detector (a new paragraph starting with
Correction, Update, Editor's note, Clarification, ...) and a linker that names the disclosing
revision as the fix.

Held-out misses are never printed unless ``--show-heldout`` is given.

    python bench/eval_notes.py [--labels DIR] [--part tuning] [--show] [--show-heldout]
                               [--batch first|notes3|notes4|notes5|notes7]
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import html
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from revtrack.diff import Diff, Hunk, diff_texts

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_corrections import History, run_pipeline

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "bench" / "labels"
PARTS = ("tuning", "heldout")

# ------------------------------------------------------------------------------- frames
# Twelve short stories written for this evaluation. Each has three look-alike edits ready:
# (before, after) inside one of its paragraphs, of kind number, name and wording.


@dataclass(frozen=True)
class Frame:
    title: str
    byline: str
    paras: tuple[str, ...]  # five paragraphs; the claim goes after the second
    distractors: dict[str, tuple[str, str]]


FRAMES = (
    Frame(
        "Library reopens after two-year refit",
        "By Megan Tully",
        (
            "KILBRANNAN — The town's central library reopened on Saturday after a two-year "
            "refit, with a new children's wing and a rooftop reading garden.",
            "About 600 people queued before the doors opened at 9am, staff said.",
            'The chief librarian, Agnes Worrall, said the building had been "rewired, '
            'reroofed and rethought".',
            "The refit was paid for by the county council and a lottery grant.",
            "Opening hours will be extended on weekdays from next month.",
        ),
        {
            "number": ("About 600 people", "About 800 people"),
            "name": ("Agnes Worrall", "Agnes Worall"),
            "word": ("from next month", "from the spring"),
        },
    ),
    Frame(
        "Burst water main floods high street",
        "By Owen Carrick",
        (
            "HALSTEAD — A burst water main flooded the high street on Wednesday morning, "
            "closing shops and cutting supply to hundreds of homes.",
            "Engineers had the pipe isolated by late morning, the water company said.",
            "Shopkeepers spent the afternoon sweeping water out of their doorways.",
            "A company spokesman, Colin Marsh, said compensation claims would be handled "
            "within 28 days.",
            "Traffic was diverted along Mill Lane until the evening.",
        ),
        {
            "number": ("within 28 days", "within 21 days"),
            "name": ("Colin Marsh", "Colin Marsch"),
            "word": ("until the evening", "for most of the day"),
        },
    ),
    Frame(
        "Male voice choir wins national title",
        "By Siân Pritchard",
        (
            "DUNMORE — The town's male voice choir won the national choral championship on "
            "Saturday, its first title in a generation.",
            "The singers performed three pieces, including a setting of a poem by a local "
            "schoolteacher.",
            'The conductor, Gwen Ellery, said the win was "for every member who has sung with us".',
            "The choir will perform a homecoming concert at St Mary's church in the autumn.",
            "Tickets cost £12 and are available from the library.",
        ),
        {
            "number": ("Tickets cost £12", "Tickets cost £15"),
            "name": ("Gwen Ellery", "Gwen Elery"),
            "word": ("in the autumn", "before Christmas"),
        },
    ),
    Frame(
        "Coastway line gets a new timetable",
        "By Rhys Fenwick",
        (
            "A new timetable for the Coastway line will take effect in December, the operator "
            "announced on Monday.",
            "Journeys between Brackley and Sandmouth will be cut by up to seven minutes.",
            "The operator's managing director, Priya Sandhu, said the changes followed a "
            "public consultation.",
            "Passenger groups welcomed the extra evening trains but criticised the loss of "
            "the early service from Elmbridge.",
            "Season ticket prices are not affected.",
        ),
        {
            "number": ("up to seven minutes", "up to nine minutes"),
            "name": ("Priya Sandhu", "Priya Sandu"),
            "word": ("but criticised the loss", "but questioned the loss"),
        },
    ),
    Frame(
        "Hospital opens new cancer wing",
        "By Laura Beck",
        (
            "The Royal Eastern hospital opened its new cancer wing on Friday, two years after "
            "building work began.",
            "The wing has 36 treatment bays and a garden designed with patients' families.",
            "The hospital's chief executive, Martin Oduya, thanked the fundraisers who raised "
            "a third of the cost.",
            "Patients will be moved from the old unit over the next fortnight.",
            "Visiting hours remain unchanged.",
        ),
        {
            "number": ("36 treatment bays", "38 treatment bays"),
            "name": ("Martin Oduya", "Martin Oduyah"),
            "word": ("over the next fortnight", "over the coming weeks"),
        },
    ),
    Frame(
        "Harbour Town name new manager",
        "By Tom Ashby",
        (
            "Harbour Town FC named Sean Reddy as their new manager on Thursday, a week after "
            "the club's relegation.",
            "Reddy, 44, signed a two-year contract and will take charge of his first match on "
            "Saturday.",
            'The club\'s chairman, Lorna Fitch, said Reddy had "the energy we need".',
            "Supporters' groups gave the appointment a cautious welcome.",
            "The season resumes with an away match at Kilnford.",
        ),
        {
            "number": ("Reddy, 44,", "Reddy, 45,"),
            "name": ("Lorna Fitch", "Lorna Finch"),
            "word": ("a cautious welcome", "a warm welcome"),
        },
    ),
    Frame(
        "Quay Gallery shows a forgotten painter",
        "By Clara Meek",
        (
            "An exhibition of works by the painter Edith Varley opens at the Quay Gallery on "
            "Saturday, the first showing of her work in decades.",
            "The gallery has gathered 47 paintings, most of them lent by private collectors.",
            'The curator, Tomasz Nowicki, described Varley as "a painter who was simply '
            'overlooked".',
            "The exhibition runs until the end of March.",
            "Entry is free.",
        ),
        {
            "number": ("47 paintings", "49 paintings"),
            "name": ("Tomasz Nowicki", "Tomas Nowicki"),
            "word": ("until the end of March", "until mid-April"),
        },
    ),
    Frame(
        "Wet summer cuts the wheat harvest",
        "By Jim Pardoe",
        (
            "Farmers across the county expect their smallest wheat harvest in a decade after "
            "the wettest summer on record.",
            "Yields are down by about 18 per cent, according to a survey of farms.",
            "The farmers' union regional chair, Bill Ashcombe, said many growers would "
            "struggle to cover their costs.",
            "Prices for feed wheat have risen sharply since August.",
            "The union is asking the government for emergency loans.",
        ),
        {
            "number": ("about 18 per cent", "about 20 per cent"),
            "name": ("Bill Ashcombe", "Bill Ashcome"),
            "word": ("risen sharply", "risen steadily"),
        },
    ),
    Frame(
        "Battery start-up raises money for factory",
        "By Anjali Rao",
        (
            "Voltra, a battery start-up based in Coventry, has raised money from investors to "
            "build its first factory.",
            "The plant is expected to employ 300 people when it opens.",
            "Voltra's founder, Nadia Kerr, said the site was chosen for its links to the car "
            "industry.",
            "Investors include a pension fund and two carmakers.",
            "Construction is due to start in the spring.",
        ),
        {
            "number": ("employ 300 people", "employ 350 people"),
            "name": ("Nadia Kerr", "Nadia Ker"),
            "word": ("two carmakers", "a carmaker"),
        },
    ),
    Frame(
        "Museum is given a manuscript thought lost",
        "By Hugh Laird",
        (
            "The county museum has been given a medieval manuscript that was thought lost for "
            "more than a century.",
            "The book, which has 212 pages, was found in a house clearance.",
            "The museum's keeper of manuscripts, Dr Helen Ruddock, called it \"an "
            'extraordinary survival".',
            "It will go on display after conservation work.",
            "The donor has asked not to be named.",
        ),
        {
            "number": ("212 pages", "216 pages"),
            "name": ("Helen Ruddock", "Helen Ruddick"),
            "word": ("after conservation work", "once it has been photographed"),
        },
    ),
    Frame(
        "Record field for the city marathon",
        "By Dervla Quinn",
        (
            "A record field took part in the city marathon on Sunday, in cool and dry conditions.",
            "The men's race was won in 2 hours 14 minutes, the fastest time on the course.",
            "The women's winner, Aoife Brennan, led from the tenth mile.",
            "Organisers said the event raised money for local charities.",
            "Roads reopened by mid-afternoon.",
        ),
        {
            "number": ("2 hours 14 minutes", "2 hours 15 minutes"),
            "name": ("Aoife Brennan", "Aoife Brennen"),
            "word": ("by mid-afternoon", "by early evening"),
        },
    ),
    Frame(
        "Greyhaven dock workers vote to strike",
        "By Sam Okafor",
        (
            "Dock workers at the port of Greyhaven have voted to strike over pay, their union "
            "said on Tuesday.",
            "Of the members who voted, 87 per cent backed the walkout.",
            "The union's regional organiser, Kev Doran, said the employer had \"refused to "
            'talk seriously".',
            "The port handles about a quarter of the region's container traffic.",
            "The first stoppage is planned for early next month.",
        ),
        {
            "number": ("87 per cent", "78 per cent"),
            "name": ("Kev Doran", "Kevin Doran"),
            "word": ("about a quarter", "nearly a third"),
        },
    ),
)

NUMBER_WORDS = frozenset(
    {
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "twenty", "hundred", "thousand", "million", "billion",
        "first", "second", "third", "fourth", "eighth", "ninth", "twice",
    }
)  # fmt: skip
BOX_HEADINGS = {
    "correction": "Correction",
    "clarification": "Clarification",
    "editors-note": "Editor's note",
    "update": "Update",
    "retraction": "Retraction",
}
LABEL_AT_START = re.compile(r"^([A-Z][A-Za-z’' ]{2,30}?)(?:[,—–-][^:\n]{0,40})?:\s+")
# Rewordings for "a note amended later": neutral sentences, so that the amendment adds no
# disclosure cue of its own (a first wording that was missed must not become detectable).
AMENDMENTS = (
    " This also appeared in the print edition, page 4.",
    " The same passage ran in the weekend edition.",
)


def _md5(text: str) -> int:
    return int(hashlib.md5(text.encode("utf-8")).hexdigest(), 16)


def claim_kind(wrong: str, right: str) -> str:
    both = f"{wrong} {right}"
    if re.search(r"\d", both) or NUMBER_WORDS & set(re.findall(r"[a-z]+", both.lower())):
        return "number"
    if wrong[:1].isupper() or right[:1].isupper():
        return "name"
    return "word"


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def pick_frame(key: str, kind: str, avoid: str) -> Frame:
    """The frame for a history: by md5 of its key, skipping frames whose look-alike edit
    shares a changed word with the note or the claim (it would no longer be a look-alike)."""
    words = _tokens(avoid)
    start = _md5(key) % len(FRAMES)
    for k in range(len(FRAMES)):
        frame = FRAMES[(start + k) % len(FRAMES)]
        before, after = frame.distractors[kind]
        changed = _tokens(before) ^ _tokens(after)
        if not changed & words and not _tokens(frame.title) & changed:
            return frame
    return FRAMES[start]


# -------------------------------------------------------------------------- histories


@dataclass
class Claim:
    key: str
    wrong_sentence: str
    fixed_sentence: str
    wrong: str
    right: str


@dataclass
class PlantedNote:
    key: str
    text: str
    kind: str
    placement: str


@dataclass
class State:
    fixed: frozenset[str] = frozenset()
    distract: bool = False
    notes: tuple[tuple[str, str], ...] = ()  # (note key, current text)


@dataclass
class Block:
    text: str
    tag: str = ""  # "claim:<key>", "note:<key>", "distractor", "decoy"
    head: str = ""  # box heading, for boxed notes


@dataclass
class Spec:
    """One synthetic history: how to build it and what is expected of it."""

    name: str
    part: str
    fmt: str
    frame: Frame
    claims: list[Claim]
    notes: dict[str, PlantedNote]
    states: list[State]
    distractor_kind: str
    decoy: tuple[str, str] | None = None  # (text, placement) added from v2 on
    expect: dict[str, int] = field(default_factory=dict)  # note key -> fixing version
    family: dict[str, str] = field(default_factory=dict)  # note key -> form family
    kind: dict[str, str] = field(default_factory=dict)  # note key -> catalogue kind
    variant: str = ""
    amended_at: int = 0  # version where the note is reworded (amended histories)


def build_blocks(spec: Spec, index: int) -> list[Block]:
    """The paragraphs of version ``index + 1``: frame paragraphs, claims, decoy, notes."""
    state = spec.states[index]
    frame = spec.frame
    before, after = frame.distractors[spec.distractor_kind]
    paras: list[Block] = []
    for text in frame.paras:
        if state.distract and before in text:
            paras.append(Block(text.replace(before, after), "distractor"))
        else:
            paras.append(Block(text))
    claims: list[list[Block]] = [[], []]
    for i, claim in enumerate(spec.claims):
        sentence = claim.fixed_sentence if claim.key in state.fixed else claim.wrong_sentence
        claims[i] = [Block(sentence, f"claim:{claim.key}")] if sentence else []
    # The first claim is the third paragraph, a second one the sixth.
    body = paras[:2] + claims[0] + paras[2:4] + claims[1] + paras[4:]
    if spec.decoy is not None and index > 0:
        text, place = spec.decoy
        block = Block(text, "decoy")
        if place == "top":
            body.insert(0, block)
        elif place == "body":
            body.insert(3, block)
        else:
            body.append(block)
    top: list[Block] = []
    bottom: list[Block] = []
    for key, text in state.notes:
        note = spec.notes[key]
        if note.placement.startswith("box"):
            head = BOX_HEADINGS[note.kind]
            words = text
            m = LABEL_AT_START.match(text)
            if m and text.count("\n") == 0:
                head, words = m.group(0).rstrip().rstrip(":"), text[m.end() :]
            elif "\n" in text:
                head, words = text.split("\n", 1)
            block = Block(words, f"note:{key}", head=head)
        else:
            block = Block(text, f"note:{key}")
        (top if note.placement.endswith("top") else bottom).append(block)
    return top + body + bottom


def render_text(spec: Spec, blocks: list[Block]) -> str:
    parts = [spec.frame.title, spec.frame.byline]
    for b in blocks:
        parts += [b.head, b.text] if b.head else [b.text]
    return "\n\n".join(parts) + "\n"


def _inline(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def render_html(spec: Spec, blocks: list[Block]) -> str:
    out = []
    for b in blocks:
        if b.head:
            out.append(
                f'<div class="correction-box"><h3>{_inline(b.head)}</h3>'
                f"<p>{_inline(b.text)}</p></div>"
            )
        elif b.tag.startswith("note:"):
            m = LABEL_AT_START.match(b.text)
            if m:
                out.append(
                    f"<p><strong>{_inline(m.group(0).rstrip())}</strong> "
                    f"{_inline(b.text[m.end() :])}</p>"
                )
            else:
                out.append(f"<p><em>{_inline(b.text)}</em></p>")
        else:
            out.append(f"<p>{_inline(b.text)}</p>")
    title = html.escape(spec.frame.title)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body><header><nav><a href='/'>Home</a> "
        "<a href='/news'>News</a> <a href='/sport'>Sport</a></nav></header><main><article>"
        f"<h1>{title}</h1><p class='byline'>{html.escape(spec.frame.byline)}</p>"
        + "".join(out)
        + "</article></main><footer><p>Contact us</p><p>© 2024 Example Media Group</p>"
        "</footer></body></html>"
    )


_EXTRACTOR: Callable[[str], str] | None = None
EXTRACTOR_NAME = ""


def extractor() -> Callable[[str], str]:
    """revtrack's own HTML-to-text step (trafilatura), so the pipeline sees what the service
    sees; a plain tag stripper only if that cannot be imported (said in the output)."""
    global _EXTRACTOR, EXTRACTOR_NAME
    if _EXTRACTOR is None:
        try:
            from revtrack.service.html import extract

            _EXTRACTOR = lambda page: extract(page).text  # noqa: E731
            EXTRACTOR_NAME = "revtrack.service.html.extract (trafilatura)"
        except Exception as exc:  # pragma: no cover - depends on the environment
            from html.parser import HTMLParser

            class _Strip(HTMLParser):
                def __init__(self) -> None:
                    super().__init__()
                    self.out: list[str] = []
                    self.skip = 0

                def handle_starttag(self, tag: str, attrs: object) -> None:
                    self.skip += tag in ("nav", "footer", "title")
                    if tag in ("p", "h1", "h3", "div"):
                        self.out.append("\n\n")
                    if tag == "br":
                        self.out.append("\n")

                def handle_endtag(self, tag: str) -> None:
                    self.skip -= tag in ("nav", "footer", "title")

                def handle_data(self, data: str) -> None:
                    if not self.skip:
                        self.out.append(data)

            def strip(page: str) -> str:
                p = _Strip()
                p.feed(page)
                return re.sub(r"\n{3,}", "\n\n", "".join(p.out)).strip() + "\n"

            _EXTRACTOR = strip
            EXTRACTOR_NAME = f"a plain tag stripper (revtrack's extractor unavailable: {exc})"
    return _EXTRACTOR


def locate(text: str, fragment: str, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """The span of ``fragment`` in ``text`` (words matched, punctuation and spacing free)."""
    words = re.findall(r"\w+", fragment)
    if not words:
        return (-1, -1)
    pattern = r"\W+".join(re.escape(w) for w in words)
    m = re.compile(pattern).search(text, start, len(text) if end is None else end)
    return (m.start(), m.end()) if m else (-1, -1)


@dataclass
class Built:
    spec: Spec
    texts: list[str]
    spans: list[dict[str, tuple[int, int]]]  # per version: tag -> span
    lost: set[str]  # note keys whose note or claim the extractor dropped


def build(spec: Spec) -> Built:
    texts: list[str] = []
    spans: list[dict[str, tuple[int, int]]] = []
    lost: set[str] = set()
    for index in range(len(spec.states)):
        blocks = build_blocks(spec, index)
        if spec.fmt == "html":
            text = extractor()(render_html(spec, blocks))
        else:
            text = render_text(spec, blocks)
        found: dict[str, tuple[int, int]] = {}
        for b in blocks:
            if not b.tag:
                continue
            span = locate(text, b.text)
            if b.head and span[0] >= 0:
                head = locate(text, b.head, max(0, span[0] - len(b.head) - 40), span[0])
                if head[0] >= 0:
                    span = (head[0], span[1])
            found[b.tag] = span
            if span[0] < 0:
                key = b.tag.split(":", 1)[-1]
                lost.add(key if b.tag.startswith(("note:", "claim:")) else b.tag)
        texts.append(text)
        spans.append(found)
    return Built(spec, texts, spans, lost)


def form_claim(form: dict[str, object], key: str) -> Claim:
    sentence = str(form["sentence"])
    fixed = form.get("sentence_fixed")
    if fixed is None:
        fixed = sentence.replace(str(form["wrong"]), str(form["right"]))
    return Claim(key, sentence, str(fixed), str(form["wrong"]), str(form["right"]))


def _variant(
    base: dict[str, object],
    fid: str,
    variant: str,
    states: list[State],
    expect: int,
    amended_at: int = 0,
) -> Spec:
    return Spec(
        name=f"{fid} [{variant}]",
        states=states,
        expect={fid: expect},
        variant=variant,
        amended_at=amended_at,
        **base,  # type: ignore[arg-type]
    )


def form_specs(forms: list[dict[str, object]]) -> list[Spec]:
    """Variant (a) and (b) for every form, several-notes and amended-note histories."""
    specs: list[Spec] = []
    # Pairs (several notes, amended notes) are drawn within a part and a batch, so that a batch
    # scored alone (--batch) gets exactly the histories it gets in the whole run.
    by_part: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
    for form in forms:
        by_part[(str(form["split"]), batch_of(form))].append(form)
    for (part, _batch), rows in by_part.items():
        rows.sort(key=lambda r: str(r["id"]))
        for k, form in enumerate(rows):
            fid = str(form["id"])
            kind = claim_kind(str(form["wrong"]), str(form["right"]))
            frame = pick_frame(fid, kind, f"{form['note']} {form['sentence']}")
            note = PlantedNote(fid, str(form["note"]), str(form["kind"]), str(form["placement"]))
            claim = form_claim(form, fid)
            fixed = frozenset({fid})
            with_note = ((fid, note.text),)
            odd = int(fid[2:]) % 2 == 1

            base = {
                "part": part,
                "fmt": str(form["format"]),
                "frame": frame,
                "claims": [claim],
                "notes": {fid: note},
                "distractor_kind": kind,
                "family": {fid: str(form["form"])},
                "kind": {fid: str(form["kind"])},
            }
            spec = functools.partial(_variant, base, fid)
            if odd:
                specs.append(
                    spec(
                        "a: look-alike v2, fix+note v3",
                        [State(), State(distract=True), State(fixed, True, with_note)],
                        3,
                    )
                )
                specs.append(
                    spec(
                        "b: fix v2, look-alike+note v3",
                        [State(), State(fixed), State(fixed, True, with_note)],
                        2,
                    )
                )
            else:
                specs.append(
                    spec("a: fix+look-alike+note v2", [State(), State(fixed, True, with_note)], 2)
                )
                specs.append(
                    spec(
                        "b: fix v2, look-alike v3, note v4",
                        [State(), State(fixed), State(fixed, True), State(fixed, True, with_note)],
                        2,
                    )
                )
            if k % 7 == 3:
                amended = note.text.rstrip()
                amended += "." if not amended.endswith((".", "”", '"', ")")) else ""
                extra = AMENDMENTS[k % 2]
                specs.append(
                    spec(
                        "amended: fix+note v2, note reworded + look-alike v3",
                        [
                            State(),
                            State(fixed, False, with_note),
                            State(fixed, True, ((fid, amended + extra),)),
                        ],
                        2,
                        amended_at=3,
                    )
                )
            if k % 6 == 0 and k + 1 < len(rows):
                other = rows[k + 1]
                oid = str(other["id"])
                okind = claim_kind(str(other["wrong"]), str(other["right"]))
                oframe = pick_frame(
                    f"{fid}+{oid}",
                    okind,
                    f"{form['note']} {form['sentence']} {other['note']} {other['sentence']}",
                )
                onote = PlantedNote(
                    oid, str(other["note"]), str(other["kind"]), str(other["placement"])
                )
                a, b = frozenset({fid}), frozenset({fid, oid})
                na, nb = (fid, note.text), (oid, onote.text)
                specs.append(
                    Spec(
                        name=f"{fid}+{oid} [two notes]",
                        part=part,
                        fmt=str(form["format"]),
                        frame=oframe,
                        claims=[claim, form_claim(other, oid)],
                        notes={fid: note, oid: onote},
                        states=[
                            State(),
                            State(a, False, (na,)),
                            State(b, False, (na,)),
                            State(b, True, (na, nb)),
                        ],
                        distractor_kind=okind,
                        expect={fid: 2, oid: 3},
                        family={fid: str(form["form"]), oid: str(other["form"])},
                        kind={fid: str(form["kind"]), oid: str(other["kind"])},
                        variant="two notes: fix+note A v2, fix B v3, note B + look-alike v4",
                    )
                )
    return specs


def decoy_specs(decoys: list[dict[str, object]]) -> list[Spec]:
    specs = []
    for row in decoys:
        did = str(row["id"])
        frame = pick_frame(did, "word", str(row["text"]))
        specs.append(
            Spec(
                name=f"{did} [decoy]",
                part=str(row["split"]),
                fmt=str(row["format"]),
                frame=frame,
                claims=[],
                notes={},
                states=[State(), State(distract=True)],
                distractor_kind="word",
                decoy=(str(row["text"]), str(row["placement"])),
                family={did: str(row["family"])},
                variant="decoy",
            )
        )
    return specs


# ----------------------------------------------------------------------------- scoring

KEYWORD = re.compile(
    r"^[\W_]*(?:corrections?|clarifications?|editors?[’']?s?[’']?\s+note|notes?|updated?|"
    r"retraction|erratum|corrigendum)\b",
    re.I,
)


def paragraphs(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in re.finditer(r"(?:(?!\n\s*\n).)+", text, re.S):
        out.append((m.start(), m.end(), m.group(0).strip()))
    return out


def keyword_baseline(old: str, new: str) -> list[tuple[int, int]]:
    """New paragraphs of ``new`` whose first word is a note word."""
    seen = {p for _, _, p in paragraphs(old)}
    return [(s, e) for s, e, p in paragraphs(new) if p not in seen and KEYWORD.match(p)]


def overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    if a is None or b is None or a[0] < 0 or b[0] < 0:
        return False
    a = (a[0], max(a[1], a[0] + 1))
    b = (b[0], max(b[1], b[0] + 1))
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Case:
    """One planted note in one history, with what the pipeline made of it."""

    spec: Spec
    key: str
    disclosing: int
    expected: int
    family: str
    detected: bool = False
    kind_ok: bool = False
    revision_ok: bool = False
    hunk_ok: bool = False
    lookalike: bool = False
    matched: bool = False
    baseline_detected: bool = False
    amended_ok: bool = False
    readded: bool = False
    kept_link: bool = False
    lost: bool = False
    why: str = ""


@dataclass
class Tally:
    false_detections: list[str] = field(default_factory=list)
    baseline_false: int = 0
    decoys: int = 0
    decoys_detected: list[str] = field(default_factory=list)
    decoys_baseline: int = 0
    seconds: float = 0.0


def _hunk(diffs: dict[int, Diff], texts: list[str], rev: int, index: int) -> Hunk | None:
    if rev < 2:
        return None
    if rev not in diffs:
        diffs[rev] = diff_texts(texts[rev - 2], texts[rev - 1])
    hunks = diffs[rev].hunks
    for h in hunks:
        if h.index == index:
            return h
    return hunks[index] if 0 <= index < len(hunks) else None


def _fix_ranges(
    built: Built, claim: Claim, rev: int
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(old range of ``wrong`` in the parent of ``rev``, new range of ``right`` in ``rev``)."""
    tag = f"claim:{claim.key}"
    old = new = None
    para = built.spans[rev - 2].get(tag)
    if para and para[0] >= 0:
        old = locate(built.texts[rev - 2], claim.wrong, para[0], para[1])
    para = built.spans[rev - 1].get(tag)
    if claim.right and para and para[0] >= 0:
        new = locate(built.texts[rev - 1], claim.right, para[0], para[1])
    return old, new


def score(built: Built, history: History, tally: Tally) -> list[Case]:
    spec = built.spec
    texts = built.texts
    diffs: dict[int, Diff] = {}
    planted: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for v, found in enumerate(built.spans, start=1):
        for tag, span in found.items():
            if tag.startswith("note:"):
                planted[v].append(span)
    # False detections: reported notes that overlap no planted note of their version.
    for e in history.events:
        span = (e.note.start, e.note.end)
        if not any(overlaps(span, p) for p in planted[e.version]):
            where = "decoy" if overlaps(span, built.spans[e.version - 1].get("decoy")) else ""
            tally.false_detections.append(
                f"{spec.name} v{e.version} {e.change} {e.note.kind}"
                f"{' (the decoy)' if where else ''}: "
                f"{texts[e.version - 1][e.note.start : e.note.end][:70]!r}"
            )
    base_flags: dict[int, list[tuple[int, int]]] = {
        v: keyword_baseline(texts[v - 2], texts[v - 1]) for v in range(2, len(texts) + 1)
    }
    for v, flags in base_flags.items():
        tally.baseline_false += sum(1 for f in flags if not any(overlaps(f, p) for p in planted[v]))
    if spec.decoy is not None:
        tally.decoys += 1
        decoy_spans = {v: s.get("decoy") for v, s in enumerate(built.spans, start=1)}
        hit = [
            e
            for e in history.events
            if overlaps((e.note.start, e.note.end), decoy_spans.get(e.version))
        ]
        if hit:
            tally.decoys_detected.append(
                f"{spec.name} ({spec.family[next(iter(spec.family))]}): reported as "
                f"{hit[0].note.kind} "
                f"{texts[hit[0].version - 1][hit[0].note.start : hit[0].note.end][:70]!r}"
            )
        if any(overlaps(f, decoy_spans.get(v)) for v, flags in base_flags.items() for f in flags):
            tally.decoys_baseline += 1
        return []
    cases = []
    claims = {c.key: c for c in spec.claims}
    for key, expected in spec.expect.items():
        disclosing = next(
            i for i, s in enumerate(spec.states, 1) if any(k == key for k, _ in s.notes)
        )
        case = Case(spec, key, disclosing, expected, spec.family[key])
        cases.append(case)
        if key in built.lost or "distractor" in built.lost:
            case.lost = True
            case.why = "lost in HTML extraction"
            continue
        span = built.spans[disclosing - 1][f"note:{key}"]
        case.baseline_detected = any(overlaps(f, span) for f in base_flags.get(disclosing, []))
        events = [
            e
            for e in history.events
            if e.version == disclosing
            and e.change == "added"
            and overlaps((e.note.start, e.note.end), span)
        ]
        if spec.amended_at:
            later = built.spans[spec.amended_at - 1][f"note:{key}"]
            at = [
                e
                for e in history.events
                if e.version == spec.amended_at and overlaps((e.note.start, e.note.end), later)
            ]
            case.amended_ok = any(e.change == "amended" for e in at)
            case.readded = any(e.change == "added" for e in at)
            amended_links = [e.link for e in at if e.change == "amended" and e.link]
            case.kept_link = bool(amended_links) and all(
                link.fixing_revision == expected for link in amended_links
            )
        if not events:
            case.why = "note not detected"
            continue
        event = max(
            events,
            key=lambda e: min(e.note.end, span[1]) - max(e.note.start, span[0]),
        )
        case.detected = True
        case.kind_ok = event.note.kind == spec.kind[key]
        link = event.link
        assert link is not None
        case.matched = link.matched
        case.revision_ok = link.fixing_revision == expected
        best = next((ev for ev in link.evidence if ev.revision == link.fixing_revision), None)
        claim = claims[key]
        old, new = _fix_ranges(built, claim, expected)
        hunk = _hunk(diffs, texts, best.revision, best.hunk_index) if best else None
        if best is not None and hunk is not None:
            a = (hunk.a_start, hunk.a_end)
            b = (hunk.b_start, hunk.b_end)
            on_fix = best.revision == expected and (overlaps(a, old) or overlaps(b, new))
            case.hunk_ok = case.revision_ok and link.matched and on_fix
            dist_rev = next(
                (
                    v
                    for v in range(2, len(texts) + 1)
                    if "distractor" in built.spans[v - 1] and "distractor" not in built.spans[v - 2]
                ),
                0,
            )
            if dist_rev == best.revision:
                d_new = built.spans[dist_rev - 1]["distractor"]
                d_old = built.spans[dist_rev - 2].get("distractor")
                case.lookalike = overlaps(b, d_new) or overlaps(a, d_old)
        if not case.revision_ok:
            why = (
                f"v{best.revision}#{best.hunk_index} {best.old!r}->{best.new!r} "
                f"{list(best.matched_words)[:4]}"
                if best
                else "no evidence"
            )
            case.why = (
                f"linked v{link.fixing_revision}, expected v{expected} "
                f"(matched={link.matched}, conf {link.confidence}); {why}"
            )
        elif not case.hunk_ok:
            case.why = (
                f"right revision, wrong hunk (matched={link.matched}"
                + (", the look-alike" if case.lookalike else "")
                + (f"; {best.old!r}->{best.new!r}" if best else "; no evidence")
                + ")"
            )
    return cases


# ----------------------------------------------------------------------------- reports


def pct(n: int, d: int) -> str:
    return f"{n}/{d} = {100 * n / d:.0f}%" if d else "n/a"


def report_part(
    part: str, cases: list[Case], tally: Tally, show_misses: bool, show_all: bool
) -> None:
    main = [c for c in cases if c.spec.variant.startswith(("a:", "b:"))]
    two = [c for c in cases if c.spec.variant.startswith("two notes")]
    amended = [c for c in cases if c.spec.amended_at]
    lost = [c for c in cases if c.lost]
    scored = [c for c in main if not c.lost]
    det = [c for c in scored if c.detected]
    all_detected = sum(c.detected for c in cases if not c.lost)
    fp = len(tally.false_detections)
    forms = len({c.key for c in main})
    print(f"== {part} part: {forms} forms, {len(main)} histories (a + b), {tally.decoys} decoys")
    if lost:
        print(f"  lost in HTML extraction (left out below): {len(lost)} cases")
    print(
        f"  note detection: recall {pct(len(det), len(scored))}; precision "
        f"{pct(all_detected, all_detected + fp)} over all histories of the part "
        f"({fp} false detection(s)); decoys reported as notes: "
        f"{pct(len(tally.decoys_detected), tally.decoys)}"
    )
    b_det = sum(c.baseline_detected for c in scored)
    b_all = sum(c.baseline_detected for c in cases if not c.lost)
    print(
        f"    | keyword baseline: recall {pct(b_det, len(scored))}, precision "
        f"{pct(b_all, b_all + tally.baseline_false)}, decoys flagged "
        f"{pct(tally.decoys_baseline, tally.decoys)}"
    )
    print(
        "  kind agrees with the catalogue (detected notes): "
        f"{pct(sum(c.kind_ok for c in det), len(det))}"
    )
    for label, subset in (
        ("all", det),
        ("(a) fix and note together", [c for c in det if c.spec.variant.startswith("a:")]),
        ("(b) disclosure lag", [c for c in det if c.spec.variant.startswith("b:")]),
    ):
        naive = sum(c.disclosing == c.expected for c in subset)
        print(
            f"  {label:27} right fixing revision "
            f"{pct(sum(c.revision_ok for c in subset), len(subset))}"
            f", right hunk {pct(sum(c.hunk_ok for c in subset), len(subset))}"
            f", look-alike chosen {sum(c.lookalike for c in subset)}"
            f"   | disclosing-revision baseline: {pct(naive, len(subset))}"
        )
    e2e = sum(c.revision_ok for c in scored)
    print(f"  end to end (detected and right revision, of all notes): {pct(e2e, len(scored))}")
    two_ok = [c for c in two if not c.lost]
    print(
        f"  several notes in one article: {len({c.spec.name for c in two})} histories, notes "
        f"detected {pct(sum(c.detected for c in two_ok), len(two_ok))}, right revision "
        f"{pct(sum(c.revision_ok for c in two_ok), len(two_ok))}, right hunk "
        f"{pct(sum(c.hunk_ok for c in two_ok), len(two_ok))}"
    )
    am = [c for c in amended if not c.lost]
    am_det = [c for c in am if c.detected]
    print(
        f"  note amended later: {len(am)} histories, first wording detected "
        f"{pct(len(am_det), len(am))}; of those, the rewording reported as amended "
        f"{pct(sum(c.amended_ok for c in am_det), len(am_det))} (as a new note: "
        f"{sum(c.readded for c in am_det)}), amended note keeps the fixing revision "
        f"{pct(sum(c.kept_link for c in am_det), len(am_det))}"
    )
    if not show_misses:
        print("  (per-family figures and misses of this part are not printed; --show-heldout)")
        print()
        return
    plain = ("top", "bottom")

    def placement(c: Case) -> str:
        return c.spec.notes[c.key].placement

    print("  by placement and format (a + b histories): detected / cases, keyword baseline")
    groups: dict[str, list[Case]] = defaultdict(list)
    for c in scored:
        groups[f"{placement(c)}, {c.spec.fmt}"].append(c)
    for name in sorted(groups):
        cs = groups[name]
        print(
            f"    {name:20} {pct(sum(c.detected for c in cs), len(cs)):>16}   keyword "
            f"{pct(sum(c.baseline_detected for c in cs), len(cs))}"
        )
    print("  per family (a + b histories; 'plain' = note at top or bottom, no box heading):")
    print(
        f"    {'family':22} {'cases':>5} {'detected':>8} {'plain det.':>11} {'keyword':>7}"
        f" {'right rev':>9} {'right hunk':>10}"
    )
    by_family: dict[str, list[Case]] = defaultdict(list)
    for c in scored:
        by_family[c.family].append(c)
    for family in sorted(by_family):
        cs = by_family[family]
        d = [c for c in cs if c.detected]
        pl = [c for c in cs if placement(c) in plain]
        print(
            f"    {family:22} {len(cs):5} {len(d):8} "
            f"{sum(c.detected for c in pl):>5} / {len(pl):<4}"
            f" {sum(c.baseline_detected for c in cs):7}"
            f" {sum(c.revision_ok for c in d):9} {sum(c.hunk_ok for c in d):10}"
        )
    misses = [c for c in cases if c.why and not c.lost]
    amended_misses = [c for c in amended if c.detected and (not c.amended_ok or not c.kept_link)]
    print(f"  misses ({len(misses)}):")
    for c in sorted(misses, key=lambda c: (c.family, c.spec.name)):
        print(f"    MISS {c.family:20} {c.spec.name} note {c.key}: {c.why}")
    for c in amended_misses:
        what = "reported as a new note" if c.readded else "rewording not reported as amended"
        if c.amended_ok and not c.kept_link:
            what = "amended note lost its fixing revision"
        print(f"    MISS amended          {c.spec.name}: {what}")
    for line in tally.false_detections:
        print(f"    FALSE {line}")
    for line in tally.decoys_detected:
        print(f"    DECOY {line}")
    for c in lost:
        print(f"    LOST {c.spec.name} note {c.key}")
    if show_all:
        for c in cases:
            print(
                f"    case {c.spec.name} {c.key}: detected={c.detected} rev_ok={c.revision_ok} "
                f"hunk_ok={c.hunk_ok} {c.why}"
            )
    print()


def example(folder: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("v*.txt"))]
    if not texts:
        return
    history = run_pipeline(texts)
    for e in history.events:
        assert e.link is not None
        best = e.link.evidence[0] if e.link.evidence else None
        print(
            f"== example {folder.name}: v{e.version} {e.change} {e.note.kind} -> fixing "
            f"v{e.link.fixing_revision} (matched={e.link.matched}, conf {e.link.confidence})"
            + (f", hunk {best.old!r} -> {best.new!r}" if best else "")
        )
    if not history.events:
        print(f"== example {folder.name}: no note detected")
    print()


def batch_of(row: dict[str, object]) -> str:
    """'first' for the catalogue's first batch (no field), else the batch named on the line."""
    return str(row.get("batch", "first"))


def load(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def check_split(forms: list[dict[str, object]], decoys: list[dict[str, object]]) -> None:
    """The split is frozen: every stored ``split`` must follow the rule in NOTES_RULES.md."""
    bad = [
        str(r["id"])
        for r in forms
        if r["split"] != ("heldout" if _md5(str(r["outlet"])) % 3 == 0 else "tuning")
    ] + [
        str(r["id"])
        for r in decoys
        if r["split"] != ("heldout" if _md5(str(r["family"])) % 3 == 0 else "tuning")
    ]
    if bad:
        raise SystemExit(f"split fields disagree with the frozen rule: {', '.join(bad[:10])}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", default=str(LABELS), help="folder of the jsonl catalogue")
    parser.add_argument("--example", default=str(ROOT / "examples" / "ferry"))
    parser.add_argument(
        "--show-heldout",
        action="store_true",
        help="also print per-family figures and misses of the held-out part (not for tuning)",
    )
    parser.add_argument("--show", action="store_true", help="print every case of shown parts")
    parser.add_argument(
        "--part",
        choices=("both", *PARTS),
        default="both",
        help="build and score one part only: 'tuning' while tuning, so that no held-out figure "
        "is seen before the report (default both)",
    )
    parser.add_argument(
        "--batch",
        default="all",
        help="score one batch of the catalogue only: 'first' (lines without a batch field) or "
        "a batch name: notes3, notes4, notes5, notes7 (default all)",
    )
    args = parser.parse_args(argv)
    labels = Path(args.labels)
    forms = load(labels / "note_forms.jsonl")
    decoys = load(labels / "note_decoys.jsonl")
    check_split(forms, decoys)
    if args.batch != "all":
        forms = [r for r in forms if batch_of(r) == args.batch]
        decoys = [r for r in decoys if batch_of(r) == args.batch]
        if not forms:
            raise SystemExit(f"no form of batch {args.batch!r} in the catalogue")
        print(f"batch {args.batch} only")
    print(
        f"catalogue: {len(forms)} forms ({Counter(str(r['split']) for r in forms)['heldout']} "
        f"held out) from {len({r['outlet'] for r in forms})} outlets, {len(decoys)} decoys "
        f"({Counter(str(r['split']) for r in decoys)['heldout']} held out)"
    )
    families = Counter((str(r["form"]), str(r["split"])) for r in forms)
    print("forms per family (tuning / held-out):")
    for family in sorted({f for f, _ in families}):
        print(f"  {family:22} {families[(family, 'tuning')]:3} / {families[(family, 'heldout')]:3}")
    print()
    example(Path(args.example))
    specs = form_specs(forms) + decoy_specs(decoys)
    if args.part != "both":
        specs = [s for s in specs if s.part == args.part]
    t0 = time.perf_counter()
    built = [build(s) for s in specs]
    build_seconds = time.perf_counter() - t0
    if any(s.fmt == "html" for s in specs):
        print(f"HTML versions turned into text by {EXTRACTOR_NAME}")
    cases: dict[str, list[Case]] = defaultdict(list)
    tallies = {p: Tally() for p in PARTS}
    notes = 0
    pipeline_seconds = 0.0
    for b in built:
        start = time.perf_counter()
        history = run_pipeline(b.texts)
        pipeline_seconds += time.perf_counter() - start
        notes += len(b.spec.expect)
        cases[b.spec.part] += score(b, history, tallies[b.spec.part])
    versions = sum(len(b.texts) for b in built)
    print(
        f"built {len(specs)} histories ({versions} versions) in {build_seconds:.1f} s; "
        f"pipeline {pipeline_seconds:.2f} s for {notes} planted notes = "
        f"{notes / pipeline_seconds:.0f} notes/s ({versions / pipeline_seconds:.0f} versions/s)"
    )
    print()
    for part in PARTS if args.part == "both" else (args.part,):
        report_part(
            part,
            cases[part],
            tallies[part],
            show_misses=part == "tuning" or args.show_heldout,
            show_all=args.show,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
