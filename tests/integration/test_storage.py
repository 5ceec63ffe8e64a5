"""Storage on real databases: unique keys enforce idempotency, times stay in UTC, cascades work."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.domain import MemberRef
from bot.storage.members import ensure_member
from bot.storage.models import Attempt, Channel, DailyPost, Member, Workspace
from bot.storage.store import Store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ALICE = MemberRef("slack", "T1", "U1", display_name="Alice")


async def _channel(store: Store) -> int:
    async with store.transaction() as session:
        member = await ensure_member(session, ALICE, NOW, "UTC")
        channel = Channel(
            workspace_id=member.workspace_id, external_id="C1", created_at=NOW, updated_at=NOW
        )
        session.add(channel)
        await session.flush()
        return channel.id


async def test_ensure_member_is_idempotent_under_concurrency(store: Store) -> None:
    async def touch() -> int:
        async with store.transaction() as session:
            return (await ensure_member(session, ALICE, NOW, "UTC")).id

    ids = await asyncio.gather(*(touch() for _ in range(5)))
    assert len(set(ids)) == 1
    async with store.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Member)) == 1
        assert await session.scalar(select(func.count()).select_from(Workspace)) == 1


async def test_one_daily_post_per_channel_and_local_date(store: Store) -> None:
    channel_id = await _channel(store)
    post = dict(
        channel_id=channel_id,
        local_date=date(2026, 3, 2),
        question_id="q1",
        posted_at=NOW,
        reveal_at=NOW + timedelta(hours=23),
    )
    async with store.transaction() as session:
        session.add(DailyPost(**post))
    with pytest.raises(IntegrityError):
        async with store.transaction() as session:
            session.add(DailyPost(**{**post, "question_id": "q2"}))


async def test_one_graded_answer_per_member_per_daily_post(store: Store) -> None:
    channel_id = await _channel(store)
    async with store.transaction() as session:
        post = DailyPost(
            channel_id=channel_id,
            local_date=date(2026, 3, 2),
            question_id="q1",
            posted_at=NOW,
            reveal_at=NOW,
        )
        session.add(post)
        await session.flush()
        member_id = await session.scalar(select(Member.id))
        attempt = dict(
            member_id=member_id,
            question_id="q1",
            source="daily",
            daily_post_id=post.id,
            answer_text="a",
            score=50,
            local_date=NOW.date(),
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(Attempt(**attempt))
    with pytest.raises(IntegrityError):
        async with store.transaction() as session:
            session.add(Attempt(**attempt))
    # Mock-interview answers have no daily post and never collide.
    async with store.transaction() as session:
        for _ in range(2):
            session.add(Attempt(**{**attempt, "daily_post_id": None, "source": "mock"}))


async def test_times_come_back_aware_and_in_utc(store: Store) -> None:
    berlin_morning = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    async with store.transaction() as session:
        session.add(Workspace(platform="discord", external_id="G1", created_at=berlin_morning))
    async with store.transaction() as session:
        stored = await session.scalar(select(Workspace.created_at))
    assert stored == NOW and stored.tzinfo is not None and stored.utcoffset() == timedelta(0)


async def test_naive_times_are_refused(store: Store) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        async with store.transaction() as session:
            session.add(Workspace(platform="x", external_id="1", created_at=datetime(2026, 1, 1)))


async def test_deleting_a_member_cascades_to_their_rows(store: Store) -> None:
    channel_id = await _channel(store)
    async with store.transaction() as session:
        member_id = await session.scalar(select(Member.id))
        session.add(
            Attempt(
                member_id=member_id,
                question_id="q",
                source="mock",
                answer_text="a",
                score=10,
                local_date=NOW.date(),
                created_at=NOW,
                updated_at=NOW,
            )
        )
    async with store.transaction() as session:
        await session.delete(await session.get(Member, member_id))
    async with store.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Attempt)) == 0
        assert await session.get(Channel, channel_id) is not None
