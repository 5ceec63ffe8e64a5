"""Interview sessions, graded attempts and review cards: the rows a practice session writes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import AttemptSummary
from bot.storage.models import Attempt, InterviewSession, Member, ReviewCard, Workspace

OPEN_STATUSES = ("active", "paused")


async def zones(
    session: AsyncSession, member: Member, fallback: str, channel_zone: str | None = None
) -> tuple[str, str]:
    """(the member's time zone, their workspace's): the member's own zone, else the channel's,
    else the workspace's, else `fallback`."""
    workspace_zone = await session.scalar(
        select(Workspace.timezone).where(Workspace.id == member.workspace_id)
    )
    workspace_zone = workspace_zone or fallback
    return member.timezone or channel_zone or workspace_zone, workspace_zone


async def open_interview(session: AsyncSession, member_id: int) -> InterviewSession | None:
    """The member's active or paused interview, locked for update where the database can."""
    query = (
        select(InterviewSession)
        .where(
            InterviewSession.member_id == member_id,
            InterviewSession.status.in_(OPEN_STATUSES),
        )
        .order_by(InterviewSession.id.desc())
        .limit(1)
        .with_for_update()
    )
    return await session.scalar(query)


async def has_open_interview(session: AsyncSession, member_id: int) -> bool:
    """Whether the member has an active or paused interview (a plain read, no row lock)."""
    found = await session.scalar(
        select(InterviewSession.id)
        .where(
            InterviewSession.member_id == member_id,
            InterviewSession.status.in_(OPEN_STATUSES),
        )
        .limit(1)
    )
    return found is not None


async def create_interview(
    session: AsyncSession,
    member_id: int,
    state: dict[str, Any],
    now: datetime,
    *,
    topic: str | None,
    difficulty: int | None,
    length: int,
    kind: str = "mock",
) -> InterviewSession:
    """Insert a new interview session."""
    row = InterviewSession(
        member_id=member_id,
        status="active",
        topic=topic if kind == "mock" else f"review:{topic or ''}",
        difficulty=difficulty,
        length=length,
        state=state,
        started_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    return row


def save_interview(
    row: InterviewSession,
    state: dict[str, Any],
    status: str,
    now: datetime,
    score: int | None = None,
) -> None:
    """Write the state machine's state back to its row."""
    row.state = state
    row.status = status
    row.updated_at = now
    if status == "finished":
        row.finished_at = now
        row.score = score


async def history(session: AsyncSession, member_id: int) -> dict[str, AttemptSummary]:
    """Per question: when the member last answered it, best and mean score."""
    rows = await session.execute(
        select(
            Attempt.question_id,
            func.max(Attempt.created_at),
            func.max(Attempt.score),
            func.avg(Attempt.score),
        )
        .where(Attempt.member_id == member_id)
        .group_by(Attempt.question_id)
    )
    return {
        qid: AttemptSummary(qid, last, best, float(mean)) for qid, last, best, mean in rows.all()
    }


async def due_cards(session: AsyncSession, member_id: int, now: datetime) -> list[ReviewCard]:
    """The member's review cards due at `now`, most overdue first."""
    rows = await session.scalars(
        select(ReviewCard)
        .where(ReviewCard.member_id == member_id, ReviewCard.due_at <= now)
        .order_by(ReviewCard.due_at, ReviewCard.id)
    )
    return list(rows)


async def next_due(session: AsyncSession, member_id: int) -> datetime | None:
    """When the member's next review card falls due."""
    return await session.scalar(
        select(func.min(ReviewCard.due_at)).where(ReviewCard.member_id == member_id)
    )


async def review_card(session: AsyncSession, member_id: int, question_id: str) -> ReviewCard | None:
    """The member's card for one question."""
    return await session.scalar(
        select(ReviewCard).where(
            ReviewCard.member_id == member_id, ReviewCard.question_id == question_id
        )
    )


async def points_today(session: AsyncSession, member_id: int, question_id: str, day: date) -> int:
    """Points the member already earned for this question on this local day."""
    total = await session.scalar(
        select(func.coalesce(func.sum(Attempt.points), 0)).where(
            Attempt.member_id == member_id,
            Attempt.question_id == question_id,
            Attempt.local_date == day,
            Attempt.daily_post_id.is_(None),
        )
    )
    return int(total or 0)


async def idle_interviews(session: AsyncSession, cutoff: datetime) -> list[InterviewSession]:
    """Active interviews with no activity since `cutoff`."""
    rows = await session.scalars(
        select(InterviewSession).where(
            InterviewSession.status == "active", InterviewSession.updated_at < cutoff
        )
    )
    return list(rows)


async def add_attempt(session: AsyncSession, **fields: Any) -> Attempt:
    """Insert a graded attempt and return it with its id."""
    attempt = Attempt(**fields)
    session.add(attempt)
    await session.flush()
    return attempt


async def get_attempt(session: AsyncSession, attempt_id: int) -> Attempt | None:
    """An attempt by id."""
    return await session.get(Attempt, attempt_id)


async def save_review(
    session: AsyncSession,
    member_id: int,
    question_id: str,
    card: dict[str, Any],
    due_at: datetime,
    score: int,
    now: datetime,
) -> None:
    """Create or update the member's review card for a question."""
    row = await review_card(session, member_id, question_id)
    if row is None:
        session.add(
            ReviewCard(
                member_id=member_id,
                question_id=question_id,
                card=card,
                reviews=1,
                last_score=score,
                due_at=due_at,
                updated_at=now,
            )
        )
        return
    row.card, row.due_at, row.updated_at, row.last_score = card, due_at, now, score
    row.reviews += 1
