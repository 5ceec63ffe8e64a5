"""Question selection with a fixed clock: due reviews first, nothing recent, weak topics first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain import AttemptSummary
from bot.selection import plan_interview, pool, starting_level
from question_bank import load_bank

BANK = load_bank()
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _seen(qid: str, days_ago: float, score: float) -> AttemptSummary:
    return AttemptSummary(qid, NOW - timedelta(days=days_ago), int(score), score)


def _plan(**kwargs):  # type: ignore[no-untyped-def]
    defaults = dict(topic=None, difficulty=None, length=5, history={}, due=[], now=NOW, seed=1)
    return plan_interview(BANK, **{**defaults, **kwargs})


def test_mixed_interviews_leave_out_behavioural_questions() -> None:
    topics = {BANK.get(q).topic for q in _plan().queue}
    assert "behavioural" not in topics and len(topics) >= 8


def test_topic_and_difficulty_filter_the_pool() -> None:
    plan = _plan(topic="statistics", difficulty=3)
    assert plan.queue and all(BANK.get(q).topic == "statistics" for q in plan.queue)
    assert all(BANK.get(q).difficulty == 3 for q in plan.queue)
    assert plan.level == 3


def test_due_reviews_are_capped_at_forty_percent() -> None:
    due = [q.id for q in pool(BANK, "algorithms", None)][:4]
    plan = _plan(topic="algorithms", length=5, due=due)
    assert plan.due == due and plan.review_quota == 2
    assert not set(plan.due) & set(plan.queue)


def test_questions_seen_in_the_last_week_are_left_out_unless_due() -> None:
    recent = [q.id for q in pool(BANK, "statistics", None)][:3]
    history = {q: _seen(q, 2, 90) for q in recent}
    plan = _plan(topic="statistics", history=history, due=recent[:1])
    assert not set(recent) & set(plan.queue)
    assert plan.due == recent[:1]
    old = {recent[0]: _seen(recent[0], 8, 90)}
    assert recent[0] in _plan(topic="statistics", history=old).queue


def test_unseen_questions_from_weak_topics_come_first() -> None:
    stats = [q.id for q in pool(BANK, "statistics", None)]
    dl = [q.id for q in pool(BANK, "deep-learning", None)]
    history = {stats[0]: _seen(stats[0], 30, 20), dl[0]: _seen(dl[0], 30, 95)}
    queue = _plan(history=history).queue
    first_unseen = next(q for q in queue if q not in history)
    assert BANK.get(first_unseen).topic == "statistics"
    assert queue.index(stats[0]) > queue.index(first_unseen)  # seen ones come after unseen


def test_the_same_seed_gives_the_same_plan_and_another_seed_another() -> None:
    assert _plan(seed=5).queue == _plan(seed=5).queue
    assert _plan(seed=5).queue != _plan(seed=6).queue


def test_starting_level_follows_recent_form() -> None:
    assert starting_level({}) == 2
    assert starting_level({"a": _seen("a", 1, 90)}) == 3
    assert starting_level({"a": _seen("a", 1, 30)}) == 1
