"""The calibrated second look at wording changes (revtrack.diff.decide)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from revtrack.diff import decide, diff_texts


def _spec(**over: Any) -> dict[str, Any]:
    n = len(decide.FEATURES)
    spec: dict[str, Any] = {
        "features": list(decide.FEATURES),
        "mean": [0.0] * n,
        "scale": [1.0] * n,
        "weights": [0.0] * n,
        "bias": 0.0,
        "threshold": 0.5,
        "kinds": ["wording", "name", "sentence-added", "sentence-removed"],
    }
    spec.update(over)
    return spec


def test_shipped_weights_load_and_match_the_features(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVTRACK_DECIDE", "on")
    decide.model.cache_clear()
    model = decide.model()
    decide.model.cache_clear()
    assert model is not None, "decide_weights.json ships inside the package"
    assert len(model.weights) == len(decide.FEATURES)
    assert 0.0 < model.threshold < 1.0
    # Only hunks whose kinds say nothing sharper than wording, a name or a sentence are asked.
    assert not model.asks({"number"}) and not model.asks({"wording", "negation"})
    assert not model.asks(set())


@pytest.mark.parametrize("setting", [None, "off", "0"])
def test_off_unless_asked_for(monkeypatch: pytest.MonkeyPatch, setting: str | None) -> None:
    if setting is None:
        monkeypatch.delenv("REVTRACK_DECIDE", raising=False)
    else:
        monkeypatch.setenv("REVTRACK_DECIDE", setting)
    decide.model.cache_clear()
    try:
        assert decide.model() is None
    finally:
        decide.model.cache_clear()


def test_probability_is_the_logistic_of_the_standardised_score() -> None:
    spec = _spec(
        bias=0.5,
        weights=[2.0] + [0.0] * (len(decide.FEATURES) - 1),
        mean=[1.0] + [0.0] * (len(decide.FEATURES) - 1),
        scale=[2.0] + [1.0] * (len(decide.FEATURES) - 1),
    )
    model = decide.Model(spec)
    x = [3.0] + [0.0] * (len(decide.FEATURES) - 1)
    assert model.probability(x) == pytest.approx(
        1 / (1 + math.exp(-(0.5 + 2.0 * (3.0 - 1.0) / 2.0)))
    )
    assert model.minor(x) is False  # probability 0.92 is above the threshold 0.5


def test_weights_for_other_features_are_refused() -> None:
    with pytest.raises(ValueError, match="other features"):
        decide.Model(_spec(features=["kind_wording"]))


def test_features_see_the_changed_words() -> None:
    x = dict(
        zip(
            decide.FEATURES,
            decide.features(
                {"wording"},
                "we went on a trip to the sea",
                "we went on a holiday to the sea",
                "tripholiday",
                "we went on a trip to the sea",
                "we went on a holiday to the sea",
            ),
            strict=True,
        )
    )
    assert x["kind_wording"] == 1.0 and x["kind_name"] == 0.0
    assert x["log_old_words"] == pytest.approx(math.log1p(1))
    assert x["insert_only"] == 0.0 and x["delete_only"] == 0.0
    assert x["new_on_old_page"] == 0.0  # "holiday" was not on the old page


def test_a_demoting_model_makes_wording_minor_but_never_a_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    always = decide.Model(_spec(threshold=1.0))  # every hunk it is asked about is minor
    monkeypatch.setattr(decide, "model", lambda: always)
    wording = diff_texts(
        "The team planned a trip to the coast.", "The team planned a holiday to the coast."
    )
    assert [h.kinds for h in wording.hunks] == [("minor", "rewording")]
    for old, new in (
        ("Costs rose to 1.5 million.", "Costs rose to 15 million."),
        ("A poll found 80% support.", "A poll found 82% support."),
        ("It involves two islands now.", "It involves four islands now."),
    ):
        hunks = diff_texts(old, new).hunks
        assert hunks and all(h.substantive and "number" in h.kinds for h in hunks), (old, new)
