"""The text codec round-trips exactly, and long histories rebuild through bounded chains."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revtrack.store import codec


@given(st.text())
def test_keyframe_round_trip(text: str) -> None:
    assert codec.decode(codec.encode(text)) == text


@given(st.text(), st.text())
def test_delta_round_trip(text: str, base: str) -> None:
    assert codec.decode_delta(codec.encode_delta(text, base), base) == text


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_a_chain_decodes_as_its_steps_do(texts: list[str]) -> None:
    # texts[0] is the keyframe; each later text is a delta against the one before it
    deltas = [codec.encode_delta(t, base) for base, t in itertools.pairwise(texts)]
    step = codec.decode(codec.encode(texts[0]))
    for delta in deltas:
        step = codec.decode_delta(delta, step)
    assert codec.decode_chain(codec.encode(texts[0]), deltas) == step == texts[-1]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "line one\r\nline two\r\n",
        "\ufeffBOM first, then text",
        "trailing spaces   \n\n\n",
        "emoji 🗾 and accents é (composed) e\u0301 (decomposed)",
        "lone surrogate \ud800 kept",
        "tab\tand\x0bvertical tab and NBSP\u00a0here",
    ],
)
def test_exact_bytes_survive(text: str) -> None:
    assert codec.decode(codec.encode(text)) == text
    assert codec.decode_delta(codec.encode_delta(text, "base"), "base") == text


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_delta_is_small_for_small_edits(seed: int) -> None:
    rng = random.Random(seed)
    words = [
        rng.choice(["island", "council", "ferry", "vote", "4.2", "million"]) for _ in range(800)
    ]
    base = " ".join(words)
    words[rng.randrange(len(words))] = "changed"
    edited = " ".join(words)
    delta = codec.encode_delta(edited, base)
    assert len(delta) < len(codec.encode(edited)) / 2
    assert codec.worth_delta(delta, codec.encode(edited))
