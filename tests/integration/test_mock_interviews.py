"""Mock interviews through the engine on real databases: persistence, restarts, review, points."""

from __future__ import annotations

from datetime import timedelta

from people import ScriptedGrader
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.domain import ChannelRef, MemberRef
from bot.engine import Engine
from bot.events import CommandInvoked, MessageReceived, Reply, Scorecard
from bot.practice_log import points_for
from bot.storage.models import Attempt, InterviewSession, ReviewCard
from bot.storage.store import Store
from question_bank import Bank, load_bank

BANK = load_bank()
ME = MemberRef("console", "local", "ada")
DM = ChannelRef("console", "local", "dm", is_direct=True)


def _engine(store: Store, clock: FixedClock) -> Engine:
    return Engine(store, BANK, ScriptedGrader(), clock)


async def _say(engine: Engine, text: str) -> list:  # type: ignore[type-arg]
    if text.startswith("/"):
        name, _, rest = text[1:].partition(" ")
        return await engine.handle(CommandInvoked(ME, DM, name, rest))
    return await engine.handle(MessageReceived(ME, DM, text))


def _text(replies: list) -> str:  # type: ignore[type-arg]
    return "\n".join(
        f"{r.title or ''}\n{r.text}" if isinstance(r, Reply) else r.title for r in replies
    )


async def _count(store: Store, model, **where) -> int:  # type: ignore[no-untyped-def]
    async with store.transaction() as session:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return await session.scalar(query)


async def test_a_whole_interview_stores_every_answer_and_ends_with_a_scorecard(
    store: Store, clock: FixedClock
) -> None:
    engine = _engine(store, clock)
    replies = await _say(engine, "/mock-interview statistics 2")
    assert "Question 1 of 2" in _text(replies)
    replies = await _say(engine, "half answer")
    assert "Follow-up" in _text(replies)
    await _say(engine, "good follow-up answer")
    while not any(isinstance(r, Scorecard) for r in replies):
        replies = await _say(engine, "good answer")
    card = next(r for r in replies if isinstance(r, Scorecard))
    assert len(card.rows) == 2 and card.overall is not None
    assert replies[-1].title.startswith("Interview tip: ")  # craft advice follows the scorecard
    assert all(row.model_answer for row in card.rows)
    assert await _count(store, Attempt, source="mock") == 2
    assert await _count(store, Attempt, source="follow-up") >= 1
    assert await _count(store, ReviewCard) == 2
    assert await _count(store, InterviewSession, status="finished") == 1


async def test_a_restart_resumes_at_the_same_follow_up(store: Store, clock: FixedClock) -> None:
    engine = _engine(store, clock)
    await _say(engine, "/mock-interview statistics 3")
    asked = await _say(engine, "half answer")
    follow_up = next(r for r in asked if isinstance(r, Reply) and r.title == "Follow-up")
    restarted = _engine(store, clock)  # a new process: nothing in memory
    replies = await _say(restarted, "/mock-interview resume")
    assert follow_up.text in _text(replies)
    replies = await _say(restarted, "good")
    assert "+" in _text(replies)  # the follow-up covered the missed point


async def test_idle_interviews_pause_and_an_answer_resumes_them(
    store: Store, clock: FixedClock
) -> None:
    engine = _engine(store, clock)
    await _say(engine, "/mock-interview 2")
    clock.advance(timedelta(minutes=31))
    assert await engine.interviews.pause_idle() == 1
    assert await _count(store, InterviewSession, status="paused") == 1
    replies = await _say(engine, "good answer after a break")
    assert "Resuming your interview." in _text(replies)
    assert await _count(store, Attempt, source="mock") == 1


async def test_starting_another_interview_asks_first(store: Store, clock: FixedClock) -> None:
    engine = _engine(store, clock)
    await _say(engine, "/mock-interview statistics")
    replies = await _say(engine, "/mock-interview algorithms hard 3")
    assert "Reply yes to end it" in _text(replies)
    replies = await _say(engine, "yes")
    assert any(isinstance(r, Scorecard) for r in replies)
    assert "Question 1 of 3 · Algorithms · hard" in _text(replies)
    assert await _count(store, InterviewSession, status="finished") == 1


async def test_bad_options_get_the_valid_ones(store: Store, clock: FixedClock) -> None:
    engine = _engine(store, clock)
    text = _text(await _say(engine, "/mock-interview astrology"))
    assert "I don't know the option 'astrology'" in text and "statistics" in text
    text = _text(await _say(engine, "/mock-interview 99"))
    assert "1 to 15 questions, not 99" in text


async def test_points_for_a_question_count_once_a_day(store: Store, clock: FixedClock) -> None:
    engine = _engine(store, clock)
    await _say(engine, "/mock-interview statistics 2")
    await _say(engine, "half answer")  # 50 -> 5 points
    async with store.transaction() as session:
        first = await session.scalar(select(Attempt).where(Attempt.source == "mock"))
        assert first.points == 5
    await _say(engine, "good follow-up")  # the follow-up covers a missed point
    async with store.transaction() as session:
        first = await session.get(Attempt, first.id)
        assert first.score > 50
        assert first.points == round(first.score / 10)  # replaced, not 5 + more
        again = await points_for(session, first.member_id, first.question_id, first.local_date, 100)
    assert again == 10 - first.points  # only the improvement on today's best counts


async def test_review_drill_has_only_due_cards_and_says_when_none_are(
    store: Store, clock: FixedClock
) -> None:
    engine = _engine(store, clock)
    text = _text(await _say(engine, "/review"))
    assert "Nothing is due for review" in text
    await _say(engine, "/mock-interview statistics 1")
    await _say(engine, "bad answer")
    await _say(engine, "skip")
    text = _text(await _say(engine, "/review"))
    assert "next review is due in about 24 hours" in text or "in 1 day" in text
    clock.advance(timedelta(days=1, minutes=1))
    replies = await _say(engine, "/review")
    assert "review drill of 1 question" in _text(replies)
    assert "review" in _text(replies)


async def test_huge_and_strange_answers_are_stored(store: Store, clock: FixedClock) -> None:
    engine = _engine(store, clock)
    await _say(engine, "/mock-interview 1")
    replies = await _say(engine, "good " + "x\x00y " * 5000)
    assert "I graded the first 6,000" in _text(replies)
    async with store.transaction() as session:
        stored = await session.scalar(select(Attempt.answer_text))
    assert "\x00" not in stored and len(stored) > 6000


async def test_an_interview_survives_its_question_leaving_the_bank(
    store: Store, clock: FixedClock
) -> None:
    engine = _engine(store, clock)
    replies = await _say(engine, "/mock-interview statistics 2")
    asked = next(q for q in BANK.questions.values() if q.prompt in _text(replies))
    smaller = Bank(
        questions={k: v for k, v in BANK.questions.items() if k != asked.id},
        tips=BANK.tips,
        topic_titles=BANK.topic_titles,
    )
    restarted = Engine(store, smaller, ScriptedGrader(), clock)
    text = _text(await _say(restarted, "good answer to a question that is gone"))
    assert "no longer in the question bank" in text and "was not graded" in text
    assert "Question 1 of 2" in text
    assert await _count(store, Attempt) == 0
    text = _text(await _say(restarted, "good answer"))
    assert "Score" in text or "Follow-up" in text or "Question 2 of 2" in text
