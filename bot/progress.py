"""Crediting a graded answer: the member's streak, the streak bonus and leaderboard totals."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.storage import boards
from bot.storage.models import Member
from bot.storage.store import Session
from bot.storage.streak_rows import load_streak, save_streak
from bot.streaks import StreakChange, record_activity

log = logging.getLogger(__name__)

STREAK_BONUS_CAP = 5
"""The first answer of each streak day earns one point per day of streak beyond the first, up
to this many."""


def week_period(at: datetime, zone: str) -> str:
    """The weekly board period containing `at`: the Monday (in `zone`) that starts its week."""
    day = at.astimezone(ZoneInfo(zone)).date()
    return (day - timedelta(days=day.weekday())).isoformat()


def week_start(day: date) -> date:
    """The Monday of the week containing `day`."""
    return day - timedelta(days=day.weekday())


def streak_bonus(change: StreakChange) -> int:
    """Bonus points for the day's first counted answer of a streak."""
    if not change.counted:
        return 0
    return min(max(change.state.current - 1, 0), STREAK_BONUS_CAP)


@dataclass(frozen=True)
class Credit:
    """What crediting one answer did."""

    points: int
    bonus: int
    streak: StreakChange | None


async def credit_answer(
    session: Session,
    member: Member,
    *,
    at: datetime,
    zone: str,
    workspace_zone: str,
    points: int,
    channel_id: int | None = None,
    counts_for_streak: bool = True,
) -> Credit:
    """Count the answer for the streak, then add its points (and any bonus) to the boards.

    `points` may be negative when a replaced daily answer scored less than the first one.
    """
    change: StreakChange | None = None
    bonus = 0
    if counts_for_streak:
        change = record_activity(await load_streak(session, member.id), at, zone, member.rest_days)
        if change.counted:
            await save_streak(session, member.id, change.state, at)
            bonus = streak_bonus(change)
    await add_to_boards(session, member, points + bonus, at, workspace_zone, channel_id)
    return Credit(points, bonus, change)


async def add_to_boards(
    session: Session,
    member: Member,
    delta: int,
    at: datetime,
    workspace_zone: str,
    channel_id: int | None,
) -> None:
    """Add `delta` points to the member's workspace board and, for a channel's answers, its
    channel board; each all-time and for the current week."""
    targets = [boards.workspace_board(member.workspace_id)]
    if channel_id is not None:
        targets.append(boards.channel_board(channel_id))
    periods = [boards.ALL_TIME, week_period(at, workspace_zone)]
    await boards.add_points(
        session, member.id, targets, periods, delta, at, hidden=member.hidden_from_boards
    )
