"""Spaced repetition with FSRS: how a graded answer moves a member's review card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from fsrs import Card, Rating, Scheduler

# How a 0-100 grade maps to an FSRS rating (documented in README, "Review").
RATING_BANDS: tuple[tuple[int, Rating], ...] = (
    (85, Rating.Easy),
    (65, Rating.Good),
    (40, Rating.Hard),
    (0, Rating.Again),
)


def rating_for(score: int, *, skipped: bool = False) -> Rating:
    """The FSRS rating for a grade; a skip or "I don't know" is `Again`."""
    if skipped:
        return Rating.Again
    return next(rating for floor, rating in RATING_BANDS if score >= floor)


@lru_cache(maxsize=1)
def _scheduler() -> Scheduler:
    # Interview answers are practised a day apart at the soonest, never minutes apart; and no
    # fuzzing, so the same answers on the same clock always give the same schedule.
    day = timedelta(days=1)
    return Scheduler(learning_steps=(day,), relearning_steps=(day,), enable_fuzzing=False)


@dataclass(frozen=True)
class CardUpdate:
    """A review card after one more graded answer."""

    card: dict[str, Any]
    due_at: datetime


def review(
    card: dict[str, Any] | None, score: int, now: datetime, *, skipped: bool = False
) -> CardUpdate:
    """Apply one graded answer at `now` to a stored card (None for a new one)."""
    current = Card.from_dict(card) if card else Card(due=now)  # type: ignore[arg-type]
    updated, _ = _scheduler().review_card(current, rating_for(score, skipped=skipped), now)
    return CardUpdate(updated.to_dict(), updated.due)  # type: ignore[arg-type]
