"""The streak row of a member: read it as a `StreakState`, write a new state back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Streak
from bot.streaks import StreakState


async def load_streak(session: AsyncSession, member_id: int) -> StreakState:
    """The member's streak state (empty if they never answered)."""
    row = await session.get(Streak, member_id)
    if row is None:
        return StreakState()
    return StreakState(row.current, row.longest, row.freezes, row.last_active_date, row.last_zone)


async def save_streak(
    session: AsyncSession, member_id: int, state: StreakState, now: datetime
) -> None:
    """Store the member's streak state."""
    row = await session.get(Streak, member_id)
    if row is None:
        row = Streak(member_id=member_id)
        session.add(row)
    row.current, row.longest, row.freezes = state.current, state.longest, state.freezes
    row.last_active_date, row.last_zone, row.updated_at = state.last_date, state.last_zone, now
