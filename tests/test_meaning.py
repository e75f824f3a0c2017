"""The optional model of meaning (revtrack.diff.meaning): consulted only for wording-only
changes, never for a changed fact; the rules alone decide without it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from revtrack.diff import diff_texts, meaning
from revtrack.diff.minor import changed_with_context


def _classes(old: str, new: str) -> list[str]:
    out = []
    for h in diff_texts(old, new).hunks:
        if h.kinds == ("cosmetic",):
            out.append("cosmetic")
        else:
            out.append("minor" if "minor" in h.kinds else "substantive")
    return out


@pytest.fixture
def rules_alone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("REVTRACK_MEANING", "off")
    meaning._encoder.cache_clear()
    yield
    meaning._encoder.cache_clear()


@pytest.fixture
def always_same(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """A judge that calls every passage it is shown a rewording, recording what it saw: what
    it never sees (a changed fact) stays substantive whatever a model would say."""
    seen: list[tuple[str, str]] = []

    def judge() -> Callable[[str, str], bool]:
        def same(old: str, new: str) -> bool:
            seen.append((old, new))
            return True

        return same

    monkeypatch.setattr(meaning, "judge", judge)
    yield seen


# Pairs whose change is a fact: a number, amount, percentage, date, name, negation, quotation,
# or a sentence added. No model of meaning may make them minor.
MUST_STAY_SUBSTANTIVE = [
    ("The jury found him not guilty of the charges.", "The jury found him guilty of the charges."),
    ("The jury found him guilty of the charges.", "The jury found him not guilty of the charges."),
    ("The city spent 1.5 million on the bridge.", "The city spent 15 million on the bridge."),
    ("Turnout rose to 80% this year.", "Turnout rose to 82% this year."),
    ("The ministry sent two envoys to Tokyo.", "The ministry sent four envoys to Tokyo."),
    ("The report was published on March 5, 2021.", "The report was published on March 7, 2021."),
    ("The bridge opened in 1998 after delays.", "The bridge opened in 1999 after delays."),
    (
        "The plan was drafted by Anne Smyth last year.",
        "The plan was drafted by Anne Smith last year.",
    ),
    ("The office is led by Maria Lopez today.", "The office is led by Maria Garcia today."),
    ("The rule applies to every agency now.", "The rule does not apply to every agency now."),
    ('He said "we will win" at the rally.', 'He said "we might win" at the rally.'),
    ("The mayor spoke first.", "The mayor spoke first. She then resigned from the council."),
]


@pytest.mark.parametrize(("old", "new"), MUST_STAY_SUBSTANTIVE)
def test_facts_stay_substantive_even_if_a_model_says_same(
    old: str, new: str, always_same: list[tuple[str, str]]
) -> None:
    assert "substantive" in _classes(old, new)


@pytest.mark.parametrize(("old", "new"), MUST_STAY_SUBSTANTIVE)
def test_facts_are_substantive_by_the_rules_alone(old: str, new: str, rules_alone: None) -> None:
    assert "substantive" in _classes(old, new)


def test_a_count_next_to_the_change_keeps_it_from_the_model(
    always_same: list[tuple[str, str]],
) -> None:
    """ "two remote positions" → "two remote roles": a count stands beside the change."""
    old = "We are hiring for two remote positions this spring."
    new = "We are hiring for two remote roles this spring."
    assert _classes(old, new) == ["substantive"]
    assert always_same == []


def test_wording_only_change_goes_to_the_judge(always_same: list[tuple[str, str]]) -> None:
    old = "A honeymoon is a trip taken by newlyweds after their wedding."
    new = "A honeymoon is a holiday taken by newlyweds after their wedding."
    assert _classes(old, new) == ["minor"]
    assert always_same == [("is a trip taken by", "is a holiday taken by")]


def test_without_a_model_a_rewording_stays_substantive(rules_alone: None) -> None:
    assert meaning.judge() is None
    assert meaning.describe().startswith("change classes: rules alone")
    old = "A honeymoon is a trip taken by newlyweds after their wedding."
    new = "A honeymoon is a holiday taken by newlyweds after their wedding."
    assert _classes(old, new) == ["substantive"]


def test_changed_words_come_with_their_context() -> None:
    old, new = "one two three four five six seven", "one two three 4x five six seven"
    assert changed_with_context(old, new, 1) == ("three four five", "three 4x five")
    assert changed_with_context(old, new, 0) == ("four", "4x")
    assert changed_with_context("a b c", "a b c d", 1) == ("c", "c d")


_MODEL = meaning._files() is not None


@pytest.mark.skipif(not _MODEL, reason="the meaning extra (pip install 'revtrack[meaning]')")
def test_model_calls_close_rewordings_minor_and_announces_itself(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REVTRACK_MEANING", raising=False)
    meaning._encoder.cache_clear()
    monkeypatch.setattr(meaning, "_announced", False)
    close = _classes(
        "The agency will start the new service in the spring.",
        "The agency will begin the new service in the spring.",
    )
    far = _classes(
        "The rules say the form is required for every visitor.",
        "The rules say the form is recommended for every visitor.",
    )
    _classes("Another passage changed here.", "Another passage altered here.")
    assert close == ["minor"]
    assert far == ["substantive"]
    err = capsys.readouterr().err.splitlines()
    assert err == [f"revtrack: change classes: rules, and {meaning.NAME} for wording-only changes"]
    assert meaning.similarity("the same words", "the same words") > 0.99


def test_without_the_packages_the_rules_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain install (no meaning extra): no model files are found, nothing is announced."""
    monkeypatch.delenv("REVTRACK_MEANING", raising=False)
    monkeypatch.setattr(meaning, "_package_dir", lambda name: None)
    meaning._encoder.cache_clear()
    try:
        assert meaning._files() is None
        assert meaning.judge() is None
        assert "rules alone" in meaning.describe()
        with pytest.raises(RuntimeError, match="not installed"):
            meaning.similarity("a", "b")
    finally:
        meaning._encoder.cache_clear()
