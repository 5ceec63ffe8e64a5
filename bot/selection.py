"""Which questions an interview asks: due reviews first, then fresh questions from weak topics."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import AttemptSummary
from question_bank import Bank, Question

REVIEW_SHARE = 0.4
RECENT = timedelta(days=7)
# Behavioural questions are practised on their own (`/mock-interview behavioural`).
MIXED_EXCLUDES = frozenset({"behavioural"})


@dataclass(frozen=True)
class Plan:
    """The candidate questions for an interview, in the order they should be tried."""

    queue: list[str]
    due: list[str]
    review_quota: int
    level: int


def pool(bank: Bank, topic: str | None, difficulty: int | None) -> list[Question]:
    """Questions that fit the interview's topic and difficulty."""
    questions = [
        q
        for q in bank.questions.values()
        if (q.topic == topic if topic else q.topic not in MIXED_EXCLUDES)
        and (difficulty is None or q.difficulty == difficulty)
    ]
    return sorted(questions, key=lambda q: q.id)


def starting_level(history: dict[str, AttemptSummary]) -> int:
    """Start where the member is: hard for strong recent form, easy for weak."""
    scores = [a.mean_score for a in history.values()]
    if not scores:
        return 2
    mean = sum(scores) / len(scores)
    return 3 if mean >= 75 else 1 if mean < 45 else 2


def plan_interview(
    bank: Bank,
    *,
    topic: str | None,
    difficulty: int | None,
    length: int,
    history: dict[str, AttemptSummary],
    due: list[str],
    now: datetime,
    seed: int,
) -> Plan:
    """Order the candidates: due reviews (capped), then unseen questions from weak topics."""
    candidates = pool(bank, topic, difficulty)
    allowed = {q.id for q in candidates}
    due_here = [qid for qid in due if qid in allowed]
    topic_scores: dict[str, list[float]] = defaultdict(list)
    for summary in history.values():
        question = bank.get(summary.question_id)
        if question is not None:
            topic_scores[question.topic].append(summary.mean_score)
    # Unpractised topics count as middling, so they come before topics the member is good at.
    weakness = {t: sum(s) / len(s) for t, s in topic_scores.items()}
    rng = random.Random(seed)
    shuffled = candidates[:]
    rng.shuffle(shuffled)
    fresh = [q for q in shuffled if q.id not in history or now - history[q.id].last_at >= RECENT]
    fresh.sort(key=lambda q: (q.id in history, weakness.get(q.topic, 60.0)))
    return Plan(
        queue=[q.id for q in fresh if q.id not in due_here],
        due=due_here,
        review_quota=int(length * REVIEW_SHARE),
        level=difficulty or starting_level(history),
    )
