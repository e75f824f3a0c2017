"""Renderers of diffs and plain listings: tables of real examples, no database."""

from __future__ import annotations

import csv
import difflib
import io
import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revtrack.diff import diff_texts
from revtrack.diff.model import Diff, DiffStats, Granularity, Hunk, Segment
from revtrack.errors import RevtrackError
from revtrack.render import (
    DiffHeader,
    RevisionInfo,
    diff_to_dict,
    render_html,
    render_inline,
    render_json,
    render_side_by_side,
    render_stat,
    render_unified,
)
from revtrack.render.ansi import strip_ansi
from revtrack.render.pieces import pieces
from revtrack.render.side_by_side import wrap_spans
from revtrack.render.table import display_width, format_table, to_csv, to_json

# --- table helper ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "rows", "expected"),
    [
        (
            ["rev", "captured", "words", "note"],
            [["v1", "2022-03-18T10:00", 120, None], ["v2", "2022-03-19", 5, "Correction: x"]],
            "rev  captured          words  note\n"
            "---  ----------------  -----  -------------\n"
            "v1   2022-03-18T10:00    120\n"
            "v2   2022-03-19            5  Correction: x\n",
        ),
        (["key", "revisions"], [], "key  revisions\n---  ---------\n"),
        (
            ["key", "flag"],
            [["islands", True], ["a\nb", False]],
            "key      flag\n-------  ----\nislands  yes\na b      no\n",
        ),
        (["w"], [["日本"], ["ab"]], "w\n----\n日本\nab\n"),
    ],
)
def test_format_table(headers: list[str], rows: list[list[object]], expected: str) -> None:
    assert format_table(headers, rows) == expected


def test_format_table_rejects_ragged_rows() -> None:
    with pytest.raises(ValueError, match="expected 2"):
        format_table(["a", "b"], [["only one"]])


@pytest.mark.parametrize(("text", "width"), [("abc", 3), ("日本", 4), ("e\u0301", 1)])
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


def test_to_csv_round_trips_commas_quotes_and_newlines() -> None:
    rows: list[list[object]] = [["v1", 'He said "no", then left\nfor good', None, 3]]
    out = to_csv(["rev", "text", "note", "n"], rows)
    assert list(csv.reader(io.StringIO(out))) == [
        ["rev", "text", "note", "n"],
        ["v1", 'He said "no", then left\nfor good', "", "3"],
    ]


def test_to_json_serialises_non_json_values_as_strings() -> None:
    import datetime as dt

    out = to_json([{"rev": "v1", "at": dt.datetime(2022, 3, 18, 10, 0), "n": 2}])
    assert json.loads(out) == [{"rev": "v1", "at": "2022-03-18 10:00:00", "n": 2}]


# --- diffs built by hand (the engine is tested elsewhere) -----------------------------------

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(a: str, b: str, kinds: tuple[str, ...] = ("wording",)) -> Diff:
    """A word-level Diff from difflib: equal+delete segments give ``a``, equal+insert ``b``."""
    wa, wb = _TOKEN.findall(a), _TOKEN.findall(b)
    segments: list[Segment] = []
    hunks: list[Hunk] = []
    ao = bo = 0
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = "".join(wa[i1:i2]), "".join(wb[j1:j2])
        if tag == "equal":
            segments.append(Segment("equal", old))
        else:
            if old:
                segments.append(Segment("delete", old))
            if new:
                segments.append(Segment("insert", new))
            hunks.append(
                Hunk(len(hunks) + 1, tag, ao, ao + len(old), bo, bo + len(new), old, new, kinds)
            )
        ao, bo = ao + len(old), bo + len(new)
    stats = DiffStats(hunks=len(hunks), hunks_by_kind={kinds[0]: len(hunks)} if hunks else {})
    return Diff(a, b, "word", tuple(segments), tuple(hunks), stats)


def check_segments(diff: Diff) -> None:
    """The contract every hand-built diff must honour before a renderer sees it."""
    assert "".join(s.text for s in diff.segments if s.op != "insert") == diff.a
    assert "".join(s.text for s in diff.segments if s.op != "delete") == diff.b


# A passage moved from the start to the end, a cosmetic change and a number change.
MOVE_A = "Alpha leads. Bravo follows. Charlie ends."
MOVE_B = "Bravo follows. Charlie ends. Alpha leads."
MOVE_DIFF = Diff(
    MOVE_A,
    MOVE_B,
    "sentence",
    (
        Segment("delete", "Alpha leads. "),
        Segment("equal", "Bravo follows. Charlie ends."),
        Segment("insert", " Alpha leads."),
    ),
    (Hunk(1, "move", 0, 13, 28, 41, "Alpha leads. ", " Alpha leads.", ()),),
    DiffStats(hunks=1, hunks_by_kind={"wording": 1}),
)

COSMETIC_A = "The council voted 5-2 on Tuesday.  It cost $4.2 million."
COSMETIC_B = "The council voted 5–2 on Tuesday. It cost $4.8 million."
COSMETIC_DIFF = Diff(
    COSMETIC_A,
    COSMETIC_B,
    "word",
    (
        Segment("equal", "The council voted 5"),
        Segment("delete", "-"),
        Segment("insert", "–"),
        Segment("equal", "2 on Tuesday."),
        Segment("delete", "  "),
        Segment("insert", " "),
        Segment("equal", "It cost $4."),
        Segment("delete", "2"),
        Segment("insert", "8"),
        Segment("equal", " million."),
    ),
    (
        Hunk(1, "replace", 19, 20, 19, 20, "-", "–", ("cosmetic",)),
        Hunk(2, "replace", 33, 35, 33, 34, "  ", " ", ("cosmetic",)),
        Hunk(3, "replace", 46, 47, 45, 46, "2", "8", ("number",)),
    ),
    DiffStats(
        words_added=1,
        words_removed=1,
        sentences_changed=2,
        hunks=3,
        hunks_by_kind={"cosmetic": 2, "number": 1},
    ),
)

HEADER = DiffHeader(
    "ferry",
    RevisionInfo("v1", 1, "2026-03-01T10:00:00+00:00", "Council approves ferry"),
    RevisionInfo("v2", 2, "2026-03-01T12:00:00+00:00", "Council approves ferry route"),
)


def test_hand_built_diffs_honour_the_contract() -> None:
    for diff in (MOVE_DIFF, COSMETIC_DIFF, word_diff("a b c", "a x c")):
        check_segments(diff)
        for h in diff.hunks:
            assert diff.a[h.a_start : h.a_end] == h.old
            assert diff.b[h.b_start : h.b_end] == h.new


# --- pieces ----------------------------------------------------------------------------------


def test_pieces_split_a_segment_at_hunk_boundaries() -> None:
    # One delete segment spanning two hunks must come out as two pieces, one per hunk.
    diff = Diff(
        "ab",
        "",
        "char",
        (Segment("delete", "ab"),),
        (
            Hunk(1, "delete", 0, 1, 0, 0, "a", "", ("wording",)),
            Hunk(2, "delete", 1, 2, 0, 0, "b", "", ("number",)),
        ),
        DiffStats(),
    )
    got = [(p.text, p.hunk.index if p.hunk else None) for p in pieces(diff)]
    assert got == [("a", 1), ("b", 2)]


def test_pieces_mark_both_ends_of_a_move() -> None:
    got = [(p.op, p.move) for p in pieces(MOVE_DIFF)]
    assert got == [("delete", "from"), ("equal", None), ("insert", "to")]


# --- inline ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "body"),
    [
        (
            "The poll found 80% support.",
            "The poll found 82% support.",
            "The poll found [-80-]{+82+}% support.",
        ),
        ("Two islands.", "Four islands.", "[-Two-]{+Four+} islands."),
        ("Kept. Gone now.", "Kept.", "Kept.[- Gone now.-]"),
        ("Kept.", "Kept. Added later.", "Kept.{+ Added later.+}"),
        ("same text", "same text", "(no changes)"),
        ("", "Brand new.", "{+Brand new.+}"),
    ],
)
def test_inline_plain_markers(a: str, b: str, body: str) -> None:
    out = render_inline(word_diff(a, b), HEADER, color=False)
    assert out == f"ferry v1 → v2 (by word)\n\n{body}\n"


def test_inline_marks_a_move_at_both_ends() -> None:
    out = render_inline(MOVE_DIFF, HEADER)
    body = out.split("\n\n", 1)[1]
    assert body == (
        "[>#1 moved below: Alpha leads.<]Bravo follows. Charlie ends."
        "{>#1 moved from above:  Alpha leads.<}\n"
    )


@pytest.mark.parametrize(
    ("ignore", "body"),
    [
        (
            False,
            "The council voted 5[---]{+–+}2 on Tuesday.[-  -]{+ +}It cost $4.[-2-]{+8+} million.",
        ),
        (True, "The council voted 5–2 on Tuesday. It cost $4.[-2-]{+8+} million."),
    ],
)
def test_inline_ignore_cosmetic_shows_the_new_text(ignore: bool, body: str) -> None:
    out = render_inline(COSMETIC_DIFF, HEADER, ignore_cosmetic=ignore)
    assert out.split("\n\n", 1)[1] == body + "\n"


def test_inline_only_cosmetic_changes_say_so_when_hidden() -> None:
    diff = word_diff("a  b", "a b", kinds=("cosmetic",))
    assert render_inline(diff, HEADER, ignore_cosmetic=True).endswith("(only cosmetic changes)\n")


@pytest.mark.parametrize("diff", [COSMETIC_DIFF, MOVE_DIFF, word_diff("x y", "x z\n\nw")])
def test_inline_colour_uses_ansi_and_plain_has_none(diff: Diff) -> None:
    coloured = render_inline(diff, HEADER, color=True)
    plain = render_inline(diff, HEADER, color=False)
    assert "\x1b[" in coloured
    assert "\x1b" not in plain
    # Colour never crosses a line: every coloured line resets before its end.
    for line in coloured.split("\n"):
        assert line.count("\x1b[0m") >= line.count("\x1b[") - line.count("\x1b[0m")


STORY_A = (
    "Headline here\n\n"
    "First sentence stays. Second one too. The poll found 80% support. Fourth stays.\n\n"
    "A middle paragraph. It says nothing new. Nothing at all.\n\n"
    "Closing words here. The end."
)
STORY_B = STORY_A.replace("80%", "82%").replace("The end.", "The very end.")


@pytest.mark.parametrize(
    ("n", "body"),
    [
        (
            0,
            "…\nThe poll found [-80-]{+82+}% support.\n…\nThe {+very +}end.",
        ),
        (
            1,
            "…\nSecond one too. The poll found [-80-]{+82+}% support. Fourth stays.\n…\n"
            "Closing words here. The {+very +}end.",
        ),
        (
            6,
            STORY_A.replace("80%", "[-80-]{+82+}%").replace("The end.", "The {+very +}end."),
        ),
    ],
)
def test_inline_context_shows_sentences_around_changes(n: int, body: str) -> None:
    out = render_inline(word_diff(STORY_A, STORY_B), HEADER, context=n)
    assert out.split("\n\n", 1)[1] == body + "\n"


# --- unified ---------------------------------------------------------------------------------

PARAS_A = "".join(f"Paragraph {i} says thing {i}.\n" for i in range(1, 13))
UNIFIED_CASES = [
    (PARAS_A, PARAS_A.replace("thing 2.", "thing two.")),
    (PARAS_A, PARAS_A.replace("Paragraph 6 says thing 6.\n", "")),
    (PARAS_A, PARAS_A + "A new closing line.\n"),
    (PARAS_A, "A new opening line.\n" + PARAS_A),
    (PARAS_A, PARAS_A.replace("thing 2.", "thing two.").replace("thing 11.", "thing eleven.")),
    ("one\ntwo\nthree", "one\ntwo\nthree\nfour\n"),
    ("one\ntwo\nthree\n", "one\n2\nthree"),
    ("", "only\n"),
    ("gone\n", ""),
]


def apply_unified(a: str, patch: str) -> str:
    """Apply a unified diff the way `patch` does (strictly: context must match)."""
    lines = split_keep(a)
    out: list[str] = []
    pos = 0
    rows = patch.split("\n")[2:-1]
    k = 0
    while k < len(rows):
        m = re.fullmatch(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", rows[k])
        assert m, rows[k]
        start = int(m.group(1)) - (0 if m.group(2) == "0" else 1)
        out.extend(lines[pos:start])
        pos = start
        k += 1
        while k < len(rows) and not rows[k].startswith("@@"):
            tag, text = rows[k][:1], rows[k][1:] + "\n"
            if k + 1 < len(rows) and rows[k + 1] == "\\ No newline at end of file":
                text = text[:-1]
                k += 1
            if tag in " -":
                assert lines[pos] == text, (lines[pos], text)
                pos += 1
            if tag in " +":
                out.append(text)
            k += 1
    out.extend(lines[pos:])
    return "".join(out)


def split_keep(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


@pytest.mark.parametrize(("a", "b"), UNIFIED_CASES)
def test_unified_applies_back_to_the_newer_text(a: str, b: str) -> None:
    patch = render_unified(word_diff(a, b), HEADER)
    assert patch.startswith("--- ferry@v1\t2026-03-01T10:00:00+00:00\n+++ ferry@v2\t")
    assert apply_unified(a, patch) == b


# difflib does not mark a missing final newline, so compare only texts that end in one.
@pytest.mark.parametrize(
    ("a", "b"), [(a, b) for a, b in UNIFIED_CASES if a.endswith("\n") and b.endswith("\n")]
)
@pytest.mark.parametrize("n", [0, 1, 3])
def test_unified_matches_difflib_when_both_texts_end_in_newlines(a: str, b: str, n: int) -> None:
    ours = render_unified(word_diff(a, b), DiffHeader.simple("x", "v1", "v2"), context_lines=n)
    theirs = "".join(difflib.unified_diff(split_keep(a), split_keep(b), "x@v1", "x@v2", n=n))
    assert ours == theirs


@pytest.mark.skipif(shutil.which("patch") is None, reason="GNU patch is not installed")
@pytest.mark.parametrize(("a", "b"), UNIFIED_CASES)
def test_unified_is_accepted_by_gnu_patch(a: str, b: str, tmp_path: Path) -> None:
    target = tmp_path / "story.txt"
    target.write_text(a, encoding="utf-8")
    patch_file = tmp_path / "change.diff"
    patch_file.write_text(render_unified(word_diff(a, b), HEADER), encoding="utf-8")
    subprocess.run(
        ["patch", "--quiet", "--force", str(target), str(patch_file)], check=True, timeout=30
    )
    assert target.read_text(encoding="utf-8") == b


def test_unified_is_empty_for_identical_texts() -> None:
    assert render_unified(word_diff("same\n", "same\n"), HEADER) == ""


def test_unified_marks_a_missing_final_newline() -> None:
    out = render_unified(word_diff("a\nb", "a\nc"), DiffHeader.simple("k", "v1", "v2"))
    assert out == (
        "--- k@v1\n+++ k@v2\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
        "+c\n\\ No newline at end of file\n"
    )


texts = st.lists(
    st.sampled_from(["The poll", "found", "80%", "82%", "support.", "\n", "\n\n", " ", "Two"]),
    max_size=25,
).map("".join)


@settings(max_examples=80, deadline=None)
@given(texts, texts)
def test_unified_round_trips_any_texts(a: str, b: str) -> None:
    assert apply_unified(a, render_unified(word_diff(a, b), HEADER, context_lines=1)) == b


# --- side by side ----------------------------------------------------------------------------

WIDE_A = "東京で会議が開かれた。参加者は八十人だった。\nSecond line stays.\n"
WIDE_B = "東京で会議が開かれた。参加者は八十二人だった。\nSecond line stays.\nA brand new line.\n"


@pytest.mark.parametrize("width", [20, 21, 33, 60, 80, 121])
@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize(
    ("a", "b"),
    [
        (STORY_A, STORY_B),
        (PARAS_A, PARAS_A.replace("thing 2.", "thing two.")),
        (WIDE_A, WIDE_B),
        ("x" * 200, "y" * 200),
    ],
)
def test_side_by_side_never_exceeds_the_width(a: str, b: str, width: int, color: bool) -> None:
    out = render_side_by_side(word_diff(a, b), HEADER, width=width, color=color)
    assert ("\x1b[" in out) == (color and a != b)
    for line in out.splitlines():
        assert display_width(strip_ansi(line)) <= width, line


def test_side_by_side_gutter_marks_changed_and_one_sided_lines() -> None:
    a = "same line\nold words here\ngone line\n"
    b = "same line\nnew words here\n"
    out = render_side_by_side(word_diff(a, b), DiffHeader.simple("k", "v1", "v2"), width=41)
    col = (41 - 3) // 2
    assert out.splitlines()[2:] == [
        "same line".ljust(col) + "   same line",
        "old words here".ljust(col) + " | new words here",
        "gone line".ljust(col) + " <",
    ]


def test_side_by_side_wraps_long_lines_and_repeats_the_gutter() -> None:
    a = "word " * 12
    b = "word " * 11 + "change"
    rows = render_side_by_side(word_diff(a, b), HEADER, width=43).splitlines()[2:]
    assert len(rows) == 4
    assert all(row[20:23] == " | " for row in rows)


def test_side_by_side_refuses_a_width_it_cannot_honour() -> None:
    with pytest.raises(RevtrackError, match="at least 20"):
        render_side_by_side(word_diff("a", "b"), HEADER, width=19)


# --- html ------------------------------------------------------------------------------------

EVIL_A = 'Safe text. <script>alert("a")</script> & more.'
EVIL_B = 'Safe text. <script>alert("b")</script> & <b>bold</b> more.'
EVIL_HEADER = DiffHeader(
    "<k>&",
    RevisionInfo('v1"><i>', 1, "2026-01-01T00:00:00+00:00", "<h1>Title</h1>"),
    RevisionInfo("v2", 2, None, "Title & <script>x</script>"),
)


def test_html_escapes_every_text() -> None:
    page = render_html(word_diff(EVIL_A, EVIL_B), EVIL_HEADER)
    assert "<script" not in page
    assert "<b>bold" not in page and "<i>" not in page and "<h1>Title</h1>" not in page
    assert "&lt;script&gt;" in page
    assert "&amp;lt;" not in page  # escaped once, not twice


def test_html_is_one_standalone_page_with_both_views_and_a_legend() -> None:
    page = render_html(COSMETIC_DIFF, HEADER)
    assert page.startswith("<!doctype html>")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page and "<script" not in page
    assert 'id="view-inline"' in page and 'id="view-sbs"' in page
    assert 'class="sbs-table"' in page
    for label in ("inserted", "deleted", "moved", "cosmetic", "number", "sentence-added"):
        assert f">{label}<" in page
    assert page.count('href="#c3"') >= 2  # the number change is labelled inline and listed


def test_html_labels_each_hunk_with_its_kind() -> None:
    page = render_html(COSMETIC_DIFF, HEADER)
    inline = page.split('<div class="text">', 1)[1].split("</div>", 1)[0]
    badges = re.findall(r'href="#c(\d+)"[^>]*>([a-z-]+)</a>', inline)
    assert badges == [("1", "cosmetic"), ("2", "cosmetic"), ("3", "number")]


def test_html_shows_a_move_as_a_move() -> None:
    page = render_html(MOVE_DIFF, HEADER)
    assert 'class="move-from"' in page and 'class="move-to" id="m1"' in page
    assert ">moved</a>" in page


@pytest.mark.parametrize("diff", [word_diff("", ""), word_diff("same", "same")])
def test_html_handles_no_changes(diff: Diff) -> None:
    assert "No changes." in render_html(diff, HEADER)


# --- json ------------------------------------------------------------------------------------


def test_json_schema_is_pinned() -> None:
    """Changing this test means changing ``revtrack.diff/1``: update docs/diff-json-schema.md."""
    doc = json.loads(render_json(COSMETIC_DIFF, HEADER, segments=True))
    assert doc == {
        "schema": "revtrack.diff/1",
        "article": "ferry",
        "revisions": {
            "a": {
                "number": 1,
                "label": "v1",
                "captured_at": "2026-03-01T10:00:00+00:00",
                "title": "Council approves ferry",
                "derived": None,
            },
            "b": {
                "number": 2,
                "label": "v2",
                "captured_at": "2026-03-01T12:00:00+00:00",
                "title": "Council approves ferry route",
                "derived": None,
            },
        },
        "granularity": "word",
        "identical": False,
        "stats": {
            "words_added": 1,
            "words_removed": 1,
            "sentences_added": 0,
            "sentences_removed": 0,
            "sentences_changed": 2,
            "hunks": 3,
            "hunks_by_kind": {"cosmetic": 2, "number": 1},
        },
        "hunks": [
            {
                "index": 1,
                "op": "replace",
                "kind": "cosmetic",
                "kinds": ["cosmetic"],
                "class": "cosmetic",
                "cosmetic": True,
                "a_start": 19,
                "a_end": 20,
                "b_start": 19,
                "b_end": 20,
                "old": "-",
                "new": "–",
            },
            {
                "index": 2,
                "op": "replace",
                "kind": "cosmetic",
                "kinds": ["cosmetic"],
                "class": "cosmetic",
                "cosmetic": True,
                "a_start": 33,
                "a_end": 35,
                "b_start": 33,
                "b_end": 34,
                "old": "  ",
                "new": " ",
            },
            {
                "index": 3,
                "op": "replace",
                "kind": "number",
                "kinds": ["number"],
                "class": "substantive",
                "cosmetic": False,
                "a_start": 46,
                "a_end": 47,
                "b_start": 45,
                "b_end": 46,
                "old": "2",
                "new": "8",
            },
        ],
        "segments": [{"op": s.op, "text": s.text} for s in COSMETIC_DIFF.segments],
    }


def test_json_segments_are_optional_and_unknown_fields_are_null() -> None:
    doc = diff_to_dict(MOVE_DIFF, DiffHeader.simple("k", "v1", "v3"))
    assert "segments" not in doc
    assert doc["revisions"]["b"] == {
        "number": None,
        "label": "v3",
        "captured_at": None,
        "title": None,
    }
    assert doc["hunks"][0]["op"] == "move" and doc["hunks"][0]["kind"] == "wording"


def test_json_offsets_slice_the_texts() -> None:
    doc = diff_to_dict(COSMETIC_DIFF, HEADER)
    for h in doc["hunks"]:
        assert COSMETIC_A[h["a_start"] : h["a_end"]] == h["old"]
        assert COSMETIC_B[h["b_start"] : h["b_end"]] == h["new"]


# --- stat ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("diff", "expected"),
    [
        (
            COSMETIC_DIFF,
            "ferry v1 → v2 (by word)\n"
            " words      +1 -1  +-\n"
            " sentences  +0 -0 ~2\n"
            " changes    3 (number 1, cosmetic 2)\n"
            " 1 substantive, 0 minor, 2 cosmetic\n",
        ),
        (
            Diff("", "x", "word", (), (), DiffStats(words_added=90, words_removed=10)),
            "ferry v1 → v2 (by word)\n"
            " words      +90 -10  " + "+" * 36 + "-" * 4 + "\n"
            " sentences  +0 -0 ~0\n"
            " changes    0\n"
            " no changes\n",
        ),
        (
            Diff("", "x", "word", (), (), DiffStats(words_added=1000, words_removed=1)),
            "ferry v1 → v2 (by word)\n"
            " words      +1000 -1  " + "+" * 39 + "-" + "\n"
            " sentences  +0 -0 ~0\n"
            " changes    0\n"
            " no changes\n",
        ),
    ],
)
def test_stat(diff: Diff, expected: str) -> None:
    assert render_stat(diff, HEADER) == expected


# --- real diffs from the engine, on the bundled example story -------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "ferry"


def ferry(n: int) -> str:
    return (EXAMPLES / f"v{n}.txt").read_text(encoding="utf-8")


needs_ferry = pytest.mark.skipif(
    not (EXAMPLES / "v3.txt").exists(), reason="examples/ferry is not in this checkout"
)


@needs_ferry
def test_real_inline_of_the_undisclosed_cost_change() -> None:
    out = render_inline(diff_texts(ferry(1), ferry(2)), HEADER, context=0)
    assert out == (
        "ferry v1 → v2 (by word)\n\n"
        "…\n"
        "The route will cost [-$4.2-]{+$4.8+} million over five years, paid mostly from a state"
        " transportation grant.\n"
        "…\n"
        "Council member Tom Reyes said the town had not budgeted for that work.{+\n\n"
        "After the vote, the harbor master said an inspection of the pier is scheduled for next"
        " month. Its results will decide whether the May start date holds.\n\n"
        "Island residents who attended the meeting applauded when the vote was announced.+}\n"
    )


@needs_ferry
@pytest.mark.parametrize(("x", "y"), [(1, 2), (2, 3), (1, 3), (3, 1), (2, 1)])
@pytest.mark.parametrize("by", ["word", "sentence", "line", "char"])
def test_real_unified_applies_back(x: int, y: int, by: Granularity) -> None:
    a, b = ferry(x), ferry(y)
    diff = diff_texts(a, b, by)
    assert apply_unified(a, render_unified(diff, HEADER)) == b
    for line in render_side_by_side(diff, HEADER, width=72, color=True).splitlines():
        assert display_width(strip_ansi(line)) <= 72


@needs_ferry
def test_real_html_labels_the_correction_and_the_fix() -> None:
    page = render_html(diff_texts(ferry(2), ferry(3)), HEADER)
    inline = page.split('<div class="text">', 1)[1].split("</div>", 1)[0]
    assert re.findall(r'href="#c(\d+)"[^>]*>([a-z-]+)</a>', inline) == [
        ("0", "number"),
        ("1", "sentence-added"),
    ]
    assert "<del>two</del><ins>three</ins>" in inline


@needs_ferry
def test_real_json_and_stat_agree_with_the_diff() -> None:
    diff = diff_texts(ferry(2), ferry(3))
    doc = json.loads(render_json(diff, HEADER))
    assert [(h["op"], h["kinds"], h["old"], h["new"][:13]) for h in doc["hunks"]] == [
        ("replace", ["number"], "two", "three"),
        ("insert", ["sentence-added"], "", "\n\nCorrection:"),
    ]
    assert render_stat(diff, HEADER).splitlines()[3] == (
        " changes    2 (number 1, sentence-added 1)"
    )


MOVED_A = "Alpha leads the story today. Bravo follows right after it. Charlie ends the whole thing."
MOVED_B = "Bravo follows right after it. Charlie ends the whole thing. Alpha leads the story today."


def test_real_move_is_drawn_as_a_move() -> None:
    diff = diff_texts(MOVED_A, MOVED_B)
    assert [h.op for h in diff.hunks] == ["move"]
    body = render_inline(diff, HEADER).split("\n\n", 1)[1]
    assert body.startswith("[>#0 moved below: Alpha leads the story today.<]Bravo follows")
    assert body.endswith("{>#0 moved from above:  Alpha leads the story today.<}\n")


sentences = st.lists(
    st.sampled_from(
        [
            "The poll found 80% support.",
            "The poll found 82% support.",
            "Two islands are disputed.",
            "Four islands are disputed.",
            "Officials did not comment.",
            "Officials did comment.",
            'He said, "We will not go."',
        ]
    ),
    max_size=8,
)
articles = st.tuples(sentences, st.sampled_from([" ", "\n", "\n\n"])).map(lambda t: t[1].join(t[0]))


@settings(max_examples=60, deadline=None)
@given(articles, articles, st.sampled_from(["word", "sentence", "line"]))
def test_real_diffs_render_consistently(a: str, b: str, by: Granularity) -> None:
    diff = diff_texts(a, b, by)
    items = pieces(diff)
    assert "".join(p.text for p in items if p.op != "insert") == a
    assert "".join(p.text for p in items if p.op != "delete") == b
    assert all(p.hunk is not None for p in items if p.changed)
    assert apply_unified(a, render_unified(diff, HEADER, context_lines=1)) == b
    plain = render_inline(diff, HEADER, context=1)
    assert "\x1b" not in plain
    for line in render_side_by_side(diff, HEADER, width=40).splitlines():
        assert display_width(line) <= 40


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab é東\u0301", max_size=60), st.integers(min_value=2, max_value=12))
def test_wrap_spans_tile_the_line_within_the_width(line: str, width: int) -> None:
    rows = wrap_spans(line, width)
    assert rows[0][0] == 0 and rows[-1][1] == len(line)
    assert all(e1 == s2 for (_, e1), (s2, _) in itertools.pairwise(rows))
    for s, e in rows:
        assert display_width(line[s:e].rstrip(" ")) <= width


@pytest.mark.parametrize(
    ("line", "width", "rows"),
    [
        ("the cat sat on", 7, ["the cat ", "sat on"]),
        ("the cat sat on", 6, ["the ", "cat ", "sat on"]),
        ("the cat  sat", 7, ["the cat  ", "sat"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("東京東京東京", 4, ["東京", "東京", "東京"]),
        ("", 5, [""]),
    ],
)
def test_wrap_spans_examples(line: str, width: int, rows: list[str]) -> None:
    assert [line[s:e] for s, e in wrap_spans(line, width)] == rows
