"""Rows the scheduler reads and claims: active channels, undelivered posts, recaps, reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.members import insert_ignoring_conflicts
from bot.storage.models import (
    Attempt,
    Channel,
    DailyPost,
    Member,
    ReminderSent,
    ReviewCard,
    Streak,
    WeeklyRecap,
    Workspace,
)


@dataclass(frozen=True)
class ActiveChannel:
    """A subscribed, unpaused channel with what the scheduler needs to know about it."""

    channel: Channel
    workspace_zone: str
    last_post: date | None
    platform: str


async def active_channels(session: AsyncSession) -> list[ActiveChannel]:
    """Every channel with a running daily question, with its latest post date."""
    latest = (
        select(DailyPost.channel_id, func.max(DailyPost.local_date).label("last"))
        .group_by(DailyPost.channel_id)
        .subquery()
    )
    rows = await session.execute(
        select(Channel, Workspace.timezone, latest.c.last, Workspace.platform)
        .join(Workspace, Workspace.id == Channel.workspace_id)
        .outerjoin(latest, latest.c.channel_id == Channel.id)
        .where(Channel.subscribed.is_(True), Channel.paused.is_(False))
        .order_by(Channel.id)
    )
    return [ActiveChannel(*row) for row in rows.all()]


async def undelivered(session: AsyncSession, since: datetime, max_attempts: int) -> list[DailyPost]:
    """Posts claimed since `since` that have not gone out yet, with tries left."""
    rows = await session.scalars(
        select(DailyPost)
        .where(
            DailyPost.delivered_at.is_(None),
            DailyPost.posted_at >= since,
            DailyPost.delivery_attempts < max_attempts,
        )
        .order_by(DailyPost.id)
    )
    return list(rows)


async def claim_attempt(session: AsyncSession, post_id: int, seen_attempts: int) -> bool:
    """Start delivery attempt number `seen_attempts + 1`; False when another process started
    it first or the post went out meanwhile."""
    result = await session.execute(
        update(DailyPost)
        .where(
            DailyPost.id == post_id,
            DailyPost.delivery_attempts == seen_attempts,
            DailyPost.delivered_at.is_(None),
        )
        .values(delivery_attempts=seen_attempts + 1)
    )
    return result.rowcount == 1


async def delivery_failed(session: AsyncSession, post_id: int, error: str, now: datetime) -> None:
    """Show a failed delivery to the channel's admins (the attempt was counted at its start)."""
    post = await session.get(DailyPost, post_id)
    if post is None:
        return
    await session.execute(
        update(Channel)
        .where(Channel.id == post.channel_id)
        .values(last_error=error[:500], last_error_at=now)
    )


async def clear_problem(session: AsyncSession, channel_id: int) -> None:
    """A delivery worked: the channel's last problem is over."""
    await session.execute(
        update(Channel)
        .where(Channel.id == channel_id, Channel.last_error.is_not(None))
        .values(last_error=None, last_error_at=None)
    )


async def claim_recap(
    session: AsyncSession, channel_id: int, week_start: date, now: datetime
) -> bool:
    """True for the one caller that gets to send this channel's recap for this week."""
    result = await session.execute(
        insert_ignoring_conflicts(
            session,
            WeeklyRecap,
            {"channel_id": channel_id, "week_start": week_start, "sent_at": now},
        )
    )
    return result.rowcount == 1


async def claim_reminder(
    session: AsyncSession, member_id: int, kind: str, day: date, now: datetime
) -> bool:
    """True for the one caller that gets to send this reminder today."""
    result = await session.execute(
        insert_ignoring_conflicts(
            session,
            ReminderSent,
            {"member_id": member_id, "kind": kind, "local_date": day, "sent_at": now},
        )
    )
    return result.rowcount == 1


async def streak_reminder_candidates(
    session: AsyncSession,
) -> list[tuple[Member, Streak, Workspace]]:
    """Members who asked for streak reminders and have a streak to lose."""
    rows = await session.execute(
        select(Member, Streak, Workspace)
        .join(Streak, Streak.member_id == Member.id)
        .join(Workspace, Workspace.id == Member.workspace_id)
        .where(Member.streak_reminders.is_(True), Streak.current > 0)
    )
    return [(m, s, w) for m, s, w in rows.all()]


async def review_reminder_candidates(
    session: AsyncSession, now: datetime
) -> list[tuple[Member, Workspace, int]]:
    """Members who asked for review reminders and have cards due, with how many."""
    rows = await session.execute(
        select(Member, Workspace, func.count(ReviewCard.id))
        .join(Workspace, Workspace.id == Member.workspace_id)
        .join(ReviewCard, ReviewCard.member_id == Member.id)
        .where(Member.review_reminders.is_(True), ReviewCard.due_at <= now)
        .group_by(Member.id, Workspace.id)
    )
    return [(m, w, int(n)) for m, w, n in rows.all()]


async def recaps_sent_since(session: AsyncSession, week_start: date) -> set[tuple[int, date]]:
    """(channel, week) pairs whose recap already went out, from `week_start` on."""
    rows = await session.execute(
        select(WeeklyRecap.channel_id, WeeklyRecap.week_start).where(
            WeeklyRecap.week_start >= week_start
        )
    )
    return {(channel_id, week) for channel_id, week in rows.all()}


async def channel_week(
    session: AsyncSession, channel_id: int, first: date, last: date
) -> list[tuple[date, str, int]]:
    """(local date, question id, score) of every counted answer to the channel's daily
    questions posted from `first` to `last`."""
    rows = await session.execute(
        select(DailyPost.local_date, DailyPost.question_id, Attempt.score)
        .join(Attempt, Attempt.daily_post_id == DailyPost.id)
        .where(
            DailyPost.channel_id == channel_id,
            DailyPost.local_date >= first,
            DailyPost.local_date <= last,
            Attempt.counts_for_points.is_(True),
        )
    )
    return [(day, qid, score) for day, qid, score in rows.all()]
