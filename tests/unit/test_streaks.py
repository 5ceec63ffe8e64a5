"""Streak rules with instants the test controls: freezes, rest days, DST and travel."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.streaks import (
    MAX_FREEZES,
    StreakState,
    current_streak,
    group_streak,
    is_rest_day,
    record_activity,
)

MONDAY = date(2026, 3, 2)
WEEKENDS = 0b1100000  # Saturday and Sunday


def _at(day: date, hour: int = 12, tz: str = "UTC") -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(tz))


def _days(state: StreakState, days: list[date], rest_days: int = 0) -> StreakState:
    for day in days:
        state = record_activity(state, _at(day), "UTC", rest_days).state
    return state


def test_consecutive_days_build_a_streak_and_the_same_day_counts_once() -> None:
    state = _days(StreakState(), [MONDAY, MONDAY + timedelta(days=1)])
    change = record_activity(state, _at(MONDAY + timedelta(days=1), 20), "UTC")
    assert state.current == 2 and not change.counted and change.state == state


def test_a_missed_day_breaks_the_streak_without_freezes() -> None:
    state = _days(StreakState(), [MONDAY, MONDAY + timedelta(days=1)])
    change = record_activity(state, _at(MONDAY + timedelta(days=3), 0), "UTC")
    assert change.broken_from == 2 and change.state.current == 1 and change.state.longest == 2


def test_seven_days_earn_a_freeze_which_covers_a_missed_day() -> None:
    week = [MONDAY + timedelta(days=i) for i in range(7)]
    state = _days(StreakState(), week)
    assert state.current == 7 and state.freezes == 1
    change = record_activity(state, _at(week[-1] + timedelta(days=2)), "UTC")
    assert change.freezes_used == 1 and change.state.current == 8 and change.state.freezes == 0


def test_freezes_are_capped() -> None:
    days = [MONDAY + timedelta(days=i) for i in range(35)]
    assert _days(StreakState(), days).freezes == MAX_FREEZES


def test_rest_days_neither_break_nor_count() -> None:
    monday_after = MONDAY + timedelta(days=7)
    assert is_rest_day(MONDAY + timedelta(days=5), WEEKENDS)
    state = _days(StreakState(), [MONDAY + timedelta(days=i) for i in range(5)], WEEKENDS)
    change = record_activity(state, _at(monday_after), "UTC", WEEKENDS)
    assert change.state.current == 6 and change.freezes_used == 0


def test_dst_changes_neither_break_nor_double_count() -> None:
    # New York springs forward on 2026-03-08 (a 23-hour day) and falls back on 2026-11-01.
    zone = "America/New_York"
    state = StreakState()
    for day in [date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)]:
        state = record_activity(state, _at(day, 23, zone), zone).state
    assert state.current == 3
    first = datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo(zone), fold=0)
    state = record_activity(state, first, zone).state
    repeat_hour = datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo(zone), fold=1)
    assert not record_activity(state, repeat_hour, zone).counted


def test_flying_east_over_the_date_line_does_not_break_the_streak() -> None:
    # Monday 20:00 in Honolulu; 15 hours later it is Wednesday morning in Auckland.
    honolulu = _at(MONDAY, 20, "Pacific/Honolulu")
    state = record_activity(StreakState(), honolulu, "Pacific/Honolulu").state
    landed = honolulu + timedelta(hours=15)
    assert landed.astimezone(ZoneInfo("Pacific/Auckland")).date() == MONDAY + timedelta(days=2)
    change = record_activity(state, landed, "Pacific/Auckland")
    assert change.state.current == 2 and change.freezes_used == 0


def test_skipping_a_day_at_home_still_breaks_it() -> None:
    # Just after midnight Tuesday, then just after midnight Thursday: Wednesday was missed.
    state = record_activity(StreakState(), _at(MONDAY + timedelta(days=1), 0), "UTC").state
    change = record_activity(state, _at(MONDAY + timedelta(days=3), 0), "UTC")
    assert change.broken_from == 1


def test_flying_west_does_not_double_count_a_day() -> None:
    state = _days(StreakState(), [MONDAY, MONDAY + timedelta(days=1)])
    later_same_instant_day = _at(MONDAY + timedelta(days=1), 23)
    change = record_activity(state, later_same_instant_day, "America/Los_Angeles")
    assert not change.counted and change.state.current == 2


def test_current_streak_as_of_today() -> None:
    state = _days(StreakState(), [MONDAY, MONDAY + timedelta(days=1)])
    assert current_streak(state, MONDAY + timedelta(days=2)) == 2  # today is not over yet
    assert current_streak(state, MONDAY + timedelta(days=3)) == 0  # a day was missed
    assert current_streak(StreakState(), MONDAY) == 0


# --- group_streak ------------------------------------------------------------------------

TODAY = date(2026, 3, 12)


def _answered(counts: list[int], today: date = TODAY) -> dict[date, int]:
    """Answer counts ending today: the last item is today, the one before it yesterday."""
    return {today - timedelta(days=len(counts) - 1 - i): n for i, n in enumerate(counts)}


@pytest.mark.parametrize(
    ("answered_today", "members", "expected"),
    [(2, 4, 1), (1, 4, 0), (4, 4, 1), (2, 3, 1), (1, 3, 0), (1, 1, 1), (0, 1, 0), (1, 2, 1)],
)
def test_group_streak_needs_at_least_half_of_the_members(
    answered_today: int, members: int, expected: int
) -> None:
    assert group_streak({TODAY: answered_today}, members, TODAY) == expected


def test_group_streak_counts_consecutive_qualifying_days() -> None:
    assert group_streak(_answered([2, 3, 2]), 4, TODAY) == 3


def test_group_streak_runs_to_yesterday_until_today_qualifies() -> None:
    answered = _answered([2, 2, 2, 1])
    assert group_streak(answered, 4, TODAY) == 3
    answered[TODAY] = 2
    assert group_streak(answered, 4, TODAY) == 4


def test_group_streak_today_with_no_entry_still_runs_to_yesterday() -> None:
    answered = _answered([3, 4], TODAY - timedelta(days=1))
    assert group_streak(answered, 4, TODAY) == 2


def test_group_streak_a_gap_ends_it() -> None:
    assert group_streak(_answered([4, 4, 4, 0, 2, 2]), 4, TODAY) == 2
    assert group_streak(_answered([4, 4, 1, 2]), 4, TODAY) == 1


def test_group_streak_a_missed_yesterday_and_quiet_today_is_zero() -> None:
    assert group_streak(_answered([4, 4, 0, 0]), 4, TODAY) == 0


def test_group_streak_ignores_days_after_today() -> None:
    answered = _answered([2, 2]) | {TODAY + timedelta(days=1): 4}
    assert group_streak(answered, 4, TODAY) == 2


@pytest.mark.parametrize("members", [0, -1])
def test_group_streak_with_no_members_is_zero(members: int) -> None:
    assert group_streak(_answered([3, 3, 3]), members, TODAY) == 0
    assert group_streak({}, members, TODAY) == 0


def test_group_streak_with_no_answers_is_zero() -> None:
    assert group_streak({}, 4, TODAY) == 0
