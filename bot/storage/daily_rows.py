"""Channels and their daily posts: find-or-create channels, claim a day's post, claim a reveal."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import ChannelRef, MemberRef
from bot.storage.members import ensure_workspace, insert_ignoring_conflicts
from bot.storage.models import Attempt, Channel, DailyPost, Workspace


async def ensure_channel(
    session: AsyncSession, ref: ChannelRef, now: datetime, default_timezone: str
) -> Channel:
    """The channel row for `ref`, created (with its workspace) if new; name kept fresh."""
    workspace_id = await ensure_workspace(
        session, ref.platform, ref.workspace_id, now, default_timezone
    )
    await session.execute(
        insert_ignoring_conflicts(
            session,
            Channel,
            {
                "workspace_id": workspace_id,
                "external_id": ref.channel_id,
                "name": ref.name,
                "topics": [],
                "created_at": now,
                "updated_at": now,
            },
        )
    )
    channel = await session.scalar(
        select(Channel)
        .where(Channel.workspace_id == workspace_id, Channel.external_id == ref.channel_id)
        .with_for_update()
    )
    assert channel is not None
    if ref.name and channel.name != ref.name:
        channel.name = ref.name
    return channel


async def find_workspace(session: AsyncSession, member: MemberRef) -> int | None:
    """The id of the member's workspace, if it is stored."""
    return await session.scalar(
        select(Workspace.id).where(
            Workspace.platform == member.platform, Workspace.external_id == member.workspace_id
        )
    )


async def find_channel(session: AsyncSession, ref: ChannelRef) -> Channel | None:
    """The stored channel for `ref`, if any."""
    return await session.scalar(
        select(Channel)
        .join(Workspace, Workspace.id == Channel.workspace_id)
        .where(
            Workspace.platform == ref.platform,
            Workspace.external_id == ref.workspace_id,
            Channel.external_id == ref.channel_id,
        )
    )


async def channel_ref(session: AsyncSession, channel: Channel) -> ChannelRef:
    """The platform address of a stored channel."""
    workspace = await session.get(Workspace, channel.workspace_id)
    assert workspace is not None
    return ChannelRef(
        workspace.platform, workspace.external_id, channel.external_id, False, channel.name
    )


async def workspace_zone(session: AsyncSession, workspace_id: int, fallback: str) -> str:
    """The workspace's default time zone (its row stays in the session for `channel_ref`)."""
    workspace = await session.get(Workspace, workspace_id)
    return (workspace.timezone if workspace else None) or fallback


async def claim_post(
    session: AsyncSession,
    channel_id: int,
    local_date: date,
    question_id: str,
    posted_at: datetime,
    reveal_at: datetime,
) -> int | None:
    """Insert the channel's post for `local_date`; its id, or None if that day has one."""
    result = await session.execute(
        insert_ignoring_conflicts(
            session,
            DailyPost,
            {
                "channel_id": channel_id,
                "local_date": local_date,
                "question_id": question_id,
                "posted_at": posted_at,
                "reveal_at": reveal_at,
                # Whoever claims the post delivers it: that is the first attempt.
                "delivery_attempts": 1,
            },
        ).returning(DailyPost.id)
    )
    return result.scalar()


async def get_post(session: AsyncSession, post_id: int) -> DailyPost | None:
    """A daily post by id."""
    return await session.get(DailyPost, post_id)


async def set_message_ref(session: AsyncSession, post_id: int, ref: str, now: datetime) -> None:
    """The post went out: store the platform's id of the message and when it was delivered."""
    await session.execute(
        update(DailyPost).where(DailyPost.id == post_id).values(message_ref=ref, delivered_at=now)
    )


async def post_on(session: AsyncSession, channel_id: int, local_date: date) -> DailyPost | None:
    """The channel's post for one local date."""
    return await session.scalar(
        select(DailyPost).where(
            DailyPost.channel_id == channel_id, DailyPost.local_date == local_date
        )
    )


async def history(session: AsyncSession, channel_id: int) -> list[tuple[str, date]]:
    """Every (question id, local date) the channel was asked, oldest first."""
    rows = await session.execute(
        select(DailyPost.question_id, DailyPost.local_date)
        .where(DailyPost.channel_id == channel_id)
        .order_by(DailyPost.local_date)
    )
    return [(qid, day) for qid, day in rows.all()]


async def latest_post(session: AsyncSession, channel_id: int) -> DailyPost | None:
    """The channel's most recent post."""
    return await session.scalar(
        select(DailyPost)
        .where(DailyPost.channel_id == channel_id)
        .order_by(DailyPost.local_date.desc())
        .limit(1)
    )


async def latest_post_in_workspace(session: AsyncSession, workspace_id: int) -> DailyPost | None:
    """The most recent post in any channel of the workspace (for answers sent from a DM)."""
    return await session.scalar(
        select(DailyPost)
        .join(Channel, Channel.id == DailyPost.channel_id)
        .where(Channel.workspace_id == workspace_id)
        .order_by(DailyPost.posted_at.desc())
        .limit(1)
    )


async def daily_attempt(session: AsyncSession, member_id: int, post_id: int) -> Attempt | None:
    """The member's answer to one daily post, locked for update where the database can."""
    return await session.scalar(
        select(Attempt)
        .where(Attempt.member_id == member_id, Attempt.daily_post_id == post_id)
        .with_for_update()
    )


async def claim_reveal(session: AsyncSession, post_id: int, now: datetime) -> bool:
    """Mark the post revealed; False when another process (or an earlier run) already did."""
    result = await session.execute(
        update(DailyPost)
        .where(DailyPost.id == post_id, DailyPost.revealed_at.is_(None))
        .values(revealed_at=now)
    )
    return result.rowcount == 1


async def results(session: AsyncSession, post_id: int) -> list[tuple[int, list[str]]]:
    """(score, covered key points) of every answer given before the reveal."""
    rows = await session.execute(
        select(Attempt.score, Attempt.covered).where(
            Attempt.daily_post_id == post_id, Attempt.counts_for_points.is_(True)
        )
    )
    return [(score, list(covered or [])) for score, covered in rows.all()]


async def due_reveals(
    session: AsyncSession, now: datetime, platforms: frozenset[str] | None = None
) -> list[int]:
    """Posts whose reveal time has come and that are not revealed yet (on `platforms`)."""
    query = (
        select(DailyPost.id)
        .join(Channel, Channel.id == DailyPost.channel_id)
        .join(Workspace, Workspace.id == Channel.workspace_id)
        .where(DailyPost.revealed_at.is_(None), DailyPost.reveal_at <= now)
        .order_by(DailyPost.reveal_at)
    )
    if platforms is not None:
        query = query.where(Workspace.platform.in_(platforms))
    return list(await session.scalars(query))


async def subscribed_channels(session: AsyncSession, workspace_id: int) -> list[Channel]:
    """The workspace's channels that have a daily question set up, by name."""
    rows = await session.scalars(
        select(Channel)
        .where(Channel.workspace_id == workspace_id, Channel.subscribed.is_(True))
        .order_by(Channel.name, Channel.external_id)
    )
    return list(rows)
