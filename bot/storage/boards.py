"""Leaderboard totals: credit points to boards, read the top and one member's rank."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Integer, and_, bindparam, case, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.members import dialect_name, upsert_insert
from bot.storage.models import BoardEntry, Member, StudyGroup, StudyGroupMember

ALL_TIME = "all"


def workspace_board(workspace_id: int) -> str:
    """The key of a workspace's (server's) board."""
    return f"ws:{workspace_id}"


def channel_board(channel_id: int) -> str:
    """The key of a channel's board."""
    return f"ch:{channel_id}"


@dataclass(frozen=True)
class Standing:
    """One member's line on a board."""

    rank: int
    member_id: int
    name: str
    points: int
    hidden: bool = False


@dataclass(frozen=True)
class GroupStanding:
    """One study group's line on a group board."""

    rank: int
    group_id: int
    name: str
    points: int
    members: int
    active: int

    @property
    def per_active(self) -> float:
        """Points per member who scored in the period."""
        return self.points / self.active if self.active else 0.0


async def add_points(
    session: AsyncSession,
    member_id: int,
    boards: Sequence[str],
    periods: Sequence[str],
    delta: int,
    now: datetime,
    hidden: bool = False,
) -> None:
    """Add `delta` (may be negative) to the member's total on every board for every period."""
    if delta == 0 or not boards:
        return
    rows = [
        {"board": board, "period": period, "member_id": member_id, "points": delta}
        for board in boards
        for period in periods
    ]
    await session.execute(_upsert(dialect_name(session), now, hidden), rows)


def _upsert(dialect: str, now: datetime, hidden: bool) -> Any:
    # One statement shape for every call, so SQLAlchemy compiles it once and caches it; the
    # rows go as executemany parameters. A new row starts at max(delta, 0); an existing one
    # moves by delta, never below 0, and its reached_at moves only when it grows.
    greatest = func.greatest if dialect == "postgresql" else func.max
    statement = upsert_insert(dialect, BoardEntry).values(
        board=bindparam("board"),
        period=bindparam("period"),
        member_id=bindparam("member_id"),
        points=greatest(bindparam("points", type_=Integer), 0),
        reached_at=bindparam("reached_at", now, type_=BoardEntry.reached_at.type),
        hidden=bindparam("hidden", hidden, type_=Boolean),
    )
    delta = bindparam("points", type_=Integer)
    return statement.on_conflict_do_update(
        index_elements=["board", "period", "member_id"],
        set_={
            "points": greatest(BoardEntry.points + delta, 0),
            "reached_at": case(
                (delta > 0, statement.excluded.reached_at), else_=BoardEntry.reached_at
            ),
        },
    )


def _ordering() -> tuple:
    return (BoardEntry.points.desc(), BoardEntry.reached_at, BoardEntry.member_id)


async def top(session: AsyncSession, board: str, period: str, limit: int = 10) -> list[Standing]:
    """The first `limit` visible members, ties broken by who reached the total first."""
    rows = await session.execute(
        select(BoardEntry.member_id, BoardEntry.points, Member.display_name, Member.external_id)
        .join(Member, Member.id == BoardEntry.member_id)
        .where(
            BoardEntry.board == board,
            BoardEntry.period == period,
            BoardEntry.hidden.is_(False),
            BoardEntry.points > 0,
        )
        .order_by(*_ordering())
        .limit(limit)
    )
    return [
        Standing(rank, member_id, name or external_id, points)
        for rank, (member_id, points, name, external_id) in enumerate(rows.all(), start=1)
    ]


async def standing(
    session: AsyncSession, board: str, period: str, member_id: int
) -> Standing | None:
    """The member's rank among visible members (where they would stand if hidden)."""
    entry = await session.get(BoardEntry, (board, period, member_id))
    if entry is None or entry.points <= 0:
        return None
    visible = and_(
        BoardEntry.board == board,
        BoardEntry.period == period,
        BoardEntry.hidden.is_(False),
    )
    # Two counts, each a plain range on the ranking index: an OR of the two would make the
    # databases read every entry of the board.
    higher = (
        select(func.count())
        .select_from(BoardEntry)
        .where(visible, BoardEntry.points > entry.points)
        .scalar_subquery()
    )
    tied = (
        select(func.count())
        .select_from(BoardEntry)
        .where(
            visible,
            BoardEntry.points == entry.points,
            tuple_(BoardEntry.reached_at, BoardEntry.member_id)
            < tuple_(entry.reached_at, member_id),
        )
        .scalar_subquery()
    )
    ahead = await session.scalar(select(higher + tied))
    member = await session.get(Member, member_id)
    name = (member.display_name or member.external_id) if member else str(member_id)
    return Standing(int(ahead or 0) + 1, member_id, name, entry.points, entry.hidden)


async def set_hidden(session: AsyncSession, member_id: int, hidden: bool) -> None:
    """Show or hide every board entry of the member."""
    await session.execute(
        update(BoardEntry).where(BoardEntry.member_id == member_id).values(hidden=hidden)
    )


async def group_standings(
    session: AsyncSession, workspace_id: int, period: str
) -> list[GroupStanding]:
    """Every study group of the workspace ranked by its members' points in `period`."""
    board = workspace_board(workspace_id)
    scored = (
        select(
            StudyGroupMember.group_id.label("group_id"),
            func.coalesce(func.sum(BoardEntry.points), 0).label("points"),
            func.count(StudyGroupMember.member_id).label("members"),
            func.count(BoardEntry.member_id).filter(BoardEntry.points > 0).label("active"),
        )
        .outerjoin(
            BoardEntry,
            and_(
                BoardEntry.member_id == StudyGroupMember.member_id,
                BoardEntry.board == board,
                BoardEntry.period == period,
            ),
        )
        .group_by(StudyGroupMember.group_id)
        .subquery()
    )
    rows = await session.execute(
        select(StudyGroup.id, StudyGroup.name, scored.c.points, scored.c.members, scored.c.active)
        .outerjoin(scored, scored.c.group_id == StudyGroup.id)
        .where(StudyGroup.workspace_id == workspace_id)
        .order_by(func.coalesce(scored.c.points, 0).desc(), StudyGroup.name)
    )
    return [
        GroupStanding(rank, gid, name, int(points or 0), int(members or 0), int(active or 0))
        for rank, (gid, name, points, members, active) in enumerate(rows.all(), start=1)
    ]
