"""The adaptive schedule, with the clock passed in (never a sleep)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from revtrack.errors import InvalidInput
from revtrack.service.watch.schedule import (
    DEFAULT_POLICY,
    History,
    Policy,
    base_wait,
    next_fetch,
    parse_duration,
    with_change,
)

T0 = datetime(2024, 6, 4, 9, 0)
H = timedelta(hours=1)
M = timedelta(minutes=1)


def page(**kw: object) -> History:
    return History(kind="page", born_at=T0, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("still", "wait"),
    [
        (timedelta(0), 5 * M),  # just published: the floor
        (20 * M, 5 * M),
        (H, 15 * M),  # NewsDiffs' 15 minutes, an hour after a change
        (4 * H, H),
        (24 * H, 6 * H),
        (10 * 24 * H, 12 * H),  # the cap
    ],
)
def test_the_wait_grows_with_the_time_a_page_has_been_still(
    still: timedelta, wait: timedelta
) -> None:
    assert base_wait(page(), T0 + still) == wait


def test_a_change_brings_the_wait_back_down() -> None:
    at = T0 + 48 * H
    assert base_wait(page(), at) == 12 * H
    assert base_wait(page(changes=(at,)), at) == 5 * M


def test_a_story_edited_at_a_steady_pace_is_kept_at_half_that_pace() -> None:
    # born 9:00, edited every 40 minutes three times
    changes = (T0 + 40 * M, T0 + 80 * M, T0 + 120 * M)
    assert base_wait(page(changes=changes), T0 + 120 * M + 100 * M) == 20 * M  # not 25
    # still for more than three of its gaps: back to the still-time rule
    assert base_wait(page(changes=changes), T0 + 120 * M + 160 * M) == 40 * M


def test_failures_back_off_exponentially_to_a_cap_and_retry_after_is_a_floor() -> None:
    at = T0 + 10 * M
    waits = [base_wait(page(fails=n), at) for n in (1, 2, 3, 4, 12)]
    assert waits == [10 * M, 20 * M, 40 * M, 80 * M, timedelta(days=1)]
    assert base_wait(page(fails=1, retry_after=3 * H), at) == 3 * H


def test_feeds_at_their_own_interval_and_every_is_fixed() -> None:
    feed = History(kind="feed", born_at=T0)
    assert base_wait(feed, T0 + 30 * 24 * H) == 15 * M
    assert base_wait(History(kind="feed", born_at=T0, every=H), T0) == H
    assert base_wait(page(every=2 * H), T0 + 40 * 24 * H) == 2 * H


def test_jitter_spreads_within_bounds_and_is_repeatable() -> None:
    at = T0 + 4 * H  # base wait: one hour
    moments = {next_fetch(page(), at, seed=f"7:{n}") for n in range(200)}
    assert len(moments) > 150
    assert all(m is not None and at + 54 * M <= m <= at + 66 * M for m in moments)
    assert next_fetch(page(), at, seed="7:3") == next_fetch(page(), at, seed="7:3")


def test_nothing_after_until_and_one_last_look_at_it() -> None:
    history = page(until=timedelta(days=2))
    assert next_fetch(history, T0 + 47 * H, seed="x") == T0 + 48 * H  # capped at the end
    assert next_fetch(history, T0 + 48 * H, seed="x") is None
    assert next_fetch(page(until=None), T0 + 400 * 24 * H, seed="x") is not None


def test_feeds_never_expire_by_default() -> None:
    assert next_fetch(History(kind="feed", born_at=T0, until=None), T0 + 999 * H, seed="f")


def test_recent_changes_are_bounded() -> None:
    changes: tuple[datetime, ...] = ()
    for n in range(20):
        changes = with_change(changes, T0 + n * H)
    assert len(changes) == 8 and changes[-1] == T0 + 19 * H


def test_fewer_fetches_than_a_fixed_ladder_over_a_still_month() -> None:
    """NewsDiffs' ladder: 15 min for 3 h, hourly to a day, then every 3 h (here to 30 days)."""
    policy = Policy(jitter=0.0)
    at, ours = T0, 0
    while True:
        nxt = next_fetch(page(), at, seed="", policy=policy)
        if nxt is None:
            break
        at, ours = nxt, ours + 1
    ladder = 12 + 21 + (30 * 24 - 24) // 3
    assert ours < ladder / 3
    assert DEFAULT_POLICY.until == timedelta(days=30)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("15m", 900), ("2h", 7200), ("1h30m", 5400), ("30d", 2592000), ("2w", 1209600)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "15", "soon", "10x", "0m", "5m later"])
def test_bad_durations_say_how_to_write_one(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_duration(text)


def test_duration_text() -> None:
    from revtrack.render.listings import duration_text

    assert [duration_text(s) for s in (45, 900, 5400, 7200, 90000, 86400 * 30)] == [
        "45s",
        "15m",
        "1h30m",
        "2h",
        "1d1h",
        "30d",
    ]
