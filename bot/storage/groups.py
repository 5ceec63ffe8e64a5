"""Study groups: create, join, leave, look up, and the days their members answered."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.members import insert_ignoring_conflicts
from bot.storage.models import Attempt, Member, StudyGroup, StudyGroupMember


async def find_group(session: AsyncSession, workspace_id: int, name: str) -> StudyGroup | None:
    """The workspace's group called `name`, ignoring case."""
    return await session.scalar(
        select(StudyGroup).where(
            StudyGroup.workspace_id == workspace_id,
            func.lower(StudyGroup.name) == name.lower(),
        )
    )


async def create_group(
    session: AsyncSession, workspace_id: int, name: str, member_id: int, now: datetime
) -> StudyGroup | None:
    """A new group with its creator as first member; None when the name is taken."""
    if await find_group(session, workspace_id, name) is not None:
        return None
    result = await session.execute(
        insert_ignoring_conflicts(
            session,
            StudyGroup,
            {
                "workspace_id": workspace_id,
                "name": name,
                "created_by": member_id,
                "created_at": now,
            },
        ).returning(StudyGroup.id)
    )
    group_id = result.scalar()
    if group_id is None:
        return None
    await join_group(session, group_id, member_id, now)
    return await session.get(StudyGroup, group_id)


async def join_group(session: AsyncSession, group_id: int, member_id: int, now: datetime) -> bool:
    """Add the member; False if they were already in."""
    result = await session.execute(
        insert_ignoring_conflicts(
            session,
            StudyGroupMember,
            {"group_id": group_id, "member_id": member_id, "joined_at": now},
        )
    )
    return result.rowcount == 1


async def leave_group(session: AsyncSession, group_id: int, member_id: int) -> bool:
    """Remove the member (and the group, once empty); False if they were not in it."""
    result = await session.execute(
        delete(StudyGroupMember).where(
            StudyGroupMember.group_id == group_id, StudyGroupMember.member_id == member_id
        )
    )
    left = await session.scalar(
        select(func.count())
        .select_from(StudyGroupMember)
        .where(StudyGroupMember.group_id == group_id)
    )
    if not left:
        await session.execute(delete(StudyGroup).where(StudyGroup.id == group_id))
    return result.rowcount == 1


async def groups_of(session: AsyncSession, member_id: int) -> list[StudyGroup]:
    """The groups the member is in, by name."""
    rows = await session.scalars(
        select(StudyGroup)
        .join(StudyGroupMember, StudyGroupMember.group_id == StudyGroup.id)
        .where(StudyGroupMember.member_id == member_id)
        .order_by(StudyGroup.name)
    )
    return list(rows)


async def list_groups(session: AsyncSession, workspace_id: int) -> list[tuple[StudyGroup, int]]:
    """Every group of the workspace with its member count."""
    rows = await session.execute(
        select(StudyGroup, func.count(StudyGroupMember.member_id))
        .outerjoin(StudyGroupMember, StudyGroupMember.group_id == StudyGroup.id)
        .where(StudyGroup.workspace_id == workspace_id)
        .group_by(StudyGroup.id)
        .order_by(StudyGroup.name)
    )
    return [(group, count) for group, count in rows.all()]


async def members_of(session: AsyncSession, group_id: int) -> list[Member]:
    """The group's members, by name."""
    rows = await session.scalars(
        select(Member)
        .join(StudyGroupMember, StudyGroupMember.member_id == Member.id)
        .where(StudyGroupMember.group_id == group_id)
        .order_by(Member.display_name, Member.external_id)
    )
    return list(rows)


async def answered_days(session: AsyncSession, group_id: int, since: date) -> dict[date, int]:
    """Per local date since `since`: how many of the group's members gave a graded answer."""
    rows = await session.execute(
        select(Attempt.local_date, func.count(func.distinct(Attempt.member_id)))
        .join(StudyGroupMember, StudyGroupMember.member_id == Attempt.member_id)
        .where(
            StudyGroupMember.group_id == group_id,
            Attempt.local_date >= since,
            Attempt.score > 0,
        )
        .group_by(Attempt.local_date)
    )
    return {day: count for day, count in rows.all()}
