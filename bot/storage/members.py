"""Workspaces and members: find-or-create by platform identity, safe under concurrency."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import MemberRef
from bot.storage.models import InterviewSession, Member, Workspace


def dialect_name(session: AsyncSession) -> str:
    """`postgresql` or `sqlite`: which database the session talks to."""
    return session.bind.dialect.name if session.bind else "sqlite"


def upsert_insert(dialect: str, model: Any) -> Any:
    """An INSERT for `model` that can say what to do on a conflict (both databases have it)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model)


def insert_ignoring_conflicts(session: AsyncSession, model: Any, values: dict[str, Any]) -> Any:
    """INSERT that leaves an existing row alone (the unique key decides which insert wins)."""
    # Two events from a new member can arrive at once; the unique key decides, not a race.
    return upsert_insert(dialect_name(session), model).values(**values).on_conflict_do_nothing()


async def ensure_workspace(
    session: AsyncSession, platform: str, external_id: str, now: datetime, timezone: str
) -> int:
    """Id of the workspace, created with `timezone` as its default if new."""
    await session.execute(
        insert_ignoring_conflicts(
            session,
            Workspace,
            {
                "platform": platform,
                "external_id": external_id,
                "timezone": timezone,
                "created_at": now,
            },
        )
    )
    found = await session.scalar(
        select(Workspace.id).where(
            Workspace.platform == platform, Workspace.external_id == external_id
        )
    )
    assert found is not None
    return found


async def ensure_member(
    session: AsyncSession, ref: MemberRef, now: datetime, default_timezone: str
) -> Member:
    """The member row for `ref`, created (with its workspace) if new; name kept fresh."""
    workspace_id = await ensure_workspace(
        session, ref.platform, ref.workspace_id, now, default_timezone
    )
    await session.execute(
        insert_ignoring_conflicts(
            session,
            Member,
            {
                "workspace_id": workspace_id,
                "external_id": ref.user_id,
                "display_name": ref.display_name,
                "created_at": now,
            },
        )
    )
    member = await session.scalar(
        select(Member).where(Member.workspace_id == workspace_id, Member.external_id == ref.user_id)
    )
    assert member is not None
    if ref.display_name and member.display_name != ref.display_name:
        member.display_name = ref.display_name
    return member


async def find_member(session: AsyncSession, ref: MemberRef) -> Member | None:
    """The stored member for `ref`, without creating one."""
    return await session.scalar(
        select(Member)
        .join(Workspace, Workspace.id == Member.workspace_id)
        .where(
            Workspace.platform == ref.platform,
            Workspace.external_id == ref.workspace_id,
            Member.external_id == ref.user_id,
        )
    )


async def latest_workspace(session: AsyncSession, platform: str, user_id: str) -> str | None:
    """The workspace where this user is most recently busy: their open interview's, else the
    one they joined last. Platforms whose DMs carry no workspace (Discord) need it."""
    busy = await session.scalar(
        select(Workspace.external_id)
        .join(Member, Member.workspace_id == Workspace.id)
        .join(InterviewSession, InterviewSession.member_id == Member.id)
        .where(
            Workspace.platform == platform,
            Member.external_id == user_id,
            InterviewSession.status.in_(("active", "paused")),
        )
        .order_by(InterviewSession.updated_at.desc())
        .limit(1)
    )
    if busy is not None:
        return busy
    return await session.scalar(
        select(Workspace.external_id)
        .join(Member, Member.workspace_id == Workspace.id)
        .where(Workspace.platform == platform, Member.external_id == user_id)
        .order_by(Member.created_at.desc(), Member.id.desc())
        .limit(1)
    )
