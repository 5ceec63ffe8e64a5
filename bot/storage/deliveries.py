"""Idempotent delivery: remember which platform deliveries were handled, across processes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.members import insert_ignoring_conflicts
from bot.storage.models import ProcessedEvent


async def claim(session: AsyncSession, key: str, now: datetime) -> bool:
    """True the first time `key` is claimed, by whichever process gets there first."""
    result = await session.execute(
        insert_ignoring_conflicts(session, ProcessedEvent, {"key": key[:200], "seen_at": now})
    )
    return result.rowcount == 1


async def forget_before(session: AsyncSession, cutoff: datetime) -> int:
    """Drop keys older than `cutoff` (platforms stop retrying within minutes)."""
    result = await session.execute(delete(ProcessedEvent).where(ProcessedEvent.seen_at < cutoff))
    return result.rowcount or 0
