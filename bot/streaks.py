"""Streaks in each member's own days: freezes, rest days, and travel that never breaks a day."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

FREEZE_EVERY = 7
MAX_FREEZES = 2


@dataclass(frozen=True)
class StreakState:
    """A member's streak: days in a row, best ever, freezes held, and the last counted day."""

    current: int = 0
    longest: int = 0
    freezes: int = 0
    last_date: date | None = None
    last_zone: str | None = None


@dataclass(frozen=True)
class StreakChange:
    """What one day of activity did to a streak."""

    state: StreakState
    counted: bool
    freezes_used: int = 0
    freeze_earned: bool = False
    broken_from: int = 0


def is_rest_day(day: date, rest_days: int) -> bool:
    """Is `day` one of the member's rest days (weekday bitmask, Monday = bit 0)?"""
    return bool(rest_days >> day.weekday() & 1)


def missed_days(last: date, today: date, rest_days: int) -> int:
    """Days strictly between `last` and `today` that were neither answered nor rest days."""
    day, missed = last + timedelta(days=1), 0
    while day < today:
        missed += not is_rest_day(day, rest_days)
        day += timedelta(days=1)
    return missed


def record_activity(
    state: StreakState, at: datetime, zone: str, rest_days: int = 0
) -> StreakChange:
    """Count a graded answer given at instant `at` by a member living in time zone `zone`.

    A member who changed time zone since their last answer is judged by whichever calendar,
    old or new, is kinder: flying east over the date line skips a date on the new calendar
    but not on the old one, so travel never breaks a streak.
    """
    today = at.astimezone(ZoneInfo(zone)).date()
    if state.last_date is not None and today <= state.last_date:
        # The same local day again, or an earlier one after flying west: nothing to add.
        return StreakChange(state, counted=False)
    freezes, used, broken_from = state.freezes, 0, 0
    current = state.current
    if state.last_date is None:
        current = 1
    else:
        missed = missed_days(state.last_date, today, rest_days)
        if state.last_zone and state.last_zone != zone:
            old_today = at.astimezone(ZoneInfo(state.last_zone)).date()
            missed = min(missed, missed_days(state.last_date, old_today, rest_days))
        if missed == 0:
            current += 1
        elif missed <= freezes:
            freezes -= missed
            used = missed
            current += 1
        else:
            broken_from = current
            current = 1
    earned = current % FREEZE_EVERY == 0 and freezes < MAX_FREEZES
    if earned:
        freezes += 1
    new = replace(
        state,
        current=current,
        longest=max(state.longest, current),
        freezes=freezes,
        last_date=today,
        last_zone=zone,
    )
    return StreakChange(new, True, used, earned, broken_from)


def current_streak(state: StreakState, today: date, rest_days: int = 0) -> int:
    """The streak as it stands on `today`: kept while freezes can still cover the gap."""
    if state.last_date is None:
        return 0
    if today <= state.last_date:
        return state.current
    # Today itself is not missed yet: the member can still answer before midnight.
    missed = missed_days(state.last_date, today, rest_days)
    return state.current if missed <= state.freezes else 0


def group_streak(answered: dict[date, int], members: int, today: date) -> int:
    """Days in a row on which at least half of a group's `members` answered; today counts
    once it qualifies, and until then the streak runs to yesterday."""
    if members <= 0:
        return 0

    def qualifies(day: date) -> bool:
        return 2 * answered.get(day, 0) >= members

    day = today if qualifies(today) else today - timedelta(days=1)
    streak = 0
    while qualifies(day):
        streak += 1
        day -= timedelta(days=1)
    return streak
