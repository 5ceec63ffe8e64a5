"""What an interview step writes: graded attempts, points once a day, and review cards."""

from __future__ import annotations

from datetime import date, datetime

from bot.grading import Grade
from bot.interview_state import FINISHED, InterviewState, QuestionRecord
from bot.progress import credit_answer
from bot.review import review
from bot.storage import practice
from bot.storage.models import Member
from bot.storage.store import Session
from question_bank import Question

POINTS_PER_SCORE = 10  # a 0-100 score earns 0-10 points


def score_points(score: int) -> int:
    """The points a 0-100 score is worth before any daily limit: 0-10."""
    return round(score / POINTS_PER_SCORE)


async def points_for(
    session: Session,
    member_id: int,
    question_id: str,
    day: date,
    score: int,
    already_counted: int = 0,
) -> int:
    """Points for a score; a question earns once a day, so only an improvement adds more."""
    earned = await practice.points_today(session, member_id, question_id, day)
    return max(0, score_points(score) - max(earned - already_counted, 0))


async def record_answer(
    session: Session,
    *,
    member: Member,
    zone: str,
    workspace_zone: str,
    interview_id: int,
    mode: str,
    record: QuestionRecord,
    target: Question,
    grade: Grade,
    text: str,
    follow_up: bool,
    day: date,
    now: datetime,
) -> None:
    """Store the answer just graded (a main answer, or a follow-up that may lift its question)
    and credit it to the member's streak and leaderboards."""
    member_id = member.id
    streak_day = not grade.dont_know
    if not follow_up:
        score = record.score if record.score is not None else grade.score
        attempt = await practice.add_attempt(
            session,
            member_id=member_id,
            question_id=record.question_id,
            source=mode,
            interview_id=interview_id,
            answer_text=text,
            score=score,
            covered=list(grade.covered),
            missed=list(grade.missed),
            points=await points_for(session, member_id, record.question_id, day, score),
            local_date=day,
            created_at=now,
            updated_at=now,
        )
        record.attempt_id = attempt.id
        credit = await credit_answer(
            session,
            member,
            at=now,
            zone=zone,
            workspace_zone=workspace_zone,
            points=attempt.points,
            counts_for_streak=streak_day,
        )
        attempt.streak_bonus = credit.bonus
        return
    await practice.add_attempt(
        session,
        member_id=member_id,
        question_id=target.id,
        source="follow-up",
        interview_id=interview_id,
        answer_text=text,
        score=grade.score,
        covered=list(grade.covered),
        missed=list(grade.missed),
        points=0,
        counts_for_points=False,
        local_date=day,
        created_at=now,
        updated_at=now,
    )
    gained = 0
    main = await practice.get_attempt(session, record.attempt_id) if record.attempt_id else None
    if main is not None and record.score is not None and main.score != record.score:
        main.score = record.score
        main.covered, main.missed = list(record.covered), list(record.missed)
        before = main.points
        main.points = await points_for(
            session, member_id, record.question_id, day, record.score, main.points
        )
        main.updated_at = now
        gained = main.points - before
    await credit_answer(
        session,
        member,
        at=now,
        zone=zone,
        workspace_zone=workspace_zone,
        points=gained,
        counts_for_streak=streak_day,
    )


async def update_reviews(
    session: Session, member_id: int, state: InterviewState, now: datetime
) -> None:
    """Move the review card of every question that is finished and not yet counted."""
    current = state.current
    for record in state.records:
        unfinished = record is current and state.status != FINISHED
        if record.reviewed or record.score is None or unfinished:
            continue
        await review_answer(
            session,
            member_id,
            record.question_id,
            record.score,
            now,
            skipped=record.skipped or record.dont_know,
        )
        record.reviewed = True


async def review_answer(
    session: Session,
    member_id: int,
    question_id: str,
    score: int,
    now: datetime,
    *,
    skipped: bool = False,
) -> None:
    """Move the member's review card for a question by one graded answer."""
    card = await practice.review_card(session, member_id, question_id)
    update = review(card.card if card else None, score, now, skipped=skipped)
    await practice.save_review(
        session, member_id, question_id, update.card, update.due_at, score, now
    )
