"""Everything stored about one member: export it, or delete every row of it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Attempt, Base, Member, StudyGroup


def member_tables() -> list[Table]:
    """Every table with a `member_id` column, children before parents."""
    return [t for t in reversed(Base.metadata.sorted_tables) if "member_id" in t.c]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


async def export_member(session: AsyncSession, member_id: int) -> dict[str, list[dict[str, Any]]]:
    """The member's row and every row that refers to them, table by table, JSON-ready."""
    found: dict[str, list[dict[str, Any]]] = {}
    member = await session.execute(select(Member.__table__).where(Member.id == member_id))
    found["members"] = [{k: _plain(v) for k, v in row.items()} for row in member.mappings()]
    for table in member_tables():
        rows = await session.execute(select(table).where(table.c.member_id == member_id))
        found[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows.mappings()]
    created = await session.execute(
        select(StudyGroup.__table__).where(StudyGroup.created_by == member_id)
    )
    found["study_groups_created"] = [
        {k: _plain(v) for k, v in row.items()} for row in created.mappings()
    ]
    return found


async def forget_member(session: AsyncSession, member_id: int) -> int:
    """Delete the member and every row about them; returns how many rows went."""
    removed = 0
    for table in member_tables():
        result = await session.execute(delete(table).where(table.c.member_id == member_id))
        removed += result.rowcount or 0
    await session.execute(
        StudyGroup.__table__.update()
        .where(StudyGroup.created_by == member_id)
        .values(created_by=None)
    )
    result = await session.execute(delete(Member).where(Member.id == member_id))
    return removed + (result.rowcount or 0)


async def activity(
    session: AsyncSession, member_id: int, since: date
) -> dict[date, tuple[int, float]]:
    """Per local date since `since`: graded answers (follow-ups aside) and their mean score."""
    rows = await session.execute(
        select(Attempt.local_date, func.count(), func.avg(Attempt.score))
        .where(
            Attempt.member_id == member_id,
            Attempt.local_date >= since,
            Attempt.source != "follow-up",
        )
        .group_by(Attempt.local_date)
    )
    return {day: (count, float(mean)) for day, count, mean in rows.all()}


async def per_question(session: AsyncSession, member_id: int) -> list[tuple[str, int, float]]:
    """(question id, answers, mean score) over every graded answer but follow-ups."""
    rows = await session.execute(
        select(Attempt.question_id, func.count(), func.avg(Attempt.score))
        .where(Attempt.member_id == member_id, Attempt.source != "follow-up")
        .group_by(Attempt.question_id)
    )
    return [(qid, count, float(mean)) for qid, count, mean in rows.all()]
