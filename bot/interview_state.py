"""The saved state of a mock interview: plain dataclasses that round-trip through JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ACTIVE, PAUSED, FINISHED = "active", "paused", "finished"
QUESTION, FOLLOW_UP, DONE = "question", "follow_up", "done"


@dataclass
class FollowUpRecord:
    """One follow-up asked about a question, and how its answer went."""

    path: list[int]
    targets: str | None
    score: int | None = None
    covered: bool = False


@dataclass
class QuestionRecord:
    """How one question of the interview went."""

    question_id: str
    topic: str
    difficulty: int
    from_review: bool = False
    score: int | None = None
    covered: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)
    hints_used: int = 0
    skipped: bool = False
    dont_know: bool = False
    follow_ups: list[FollowUpRecord] = field(default_factory=list)
    attempt_id: int | None = None
    reviewed: bool = False


@dataclass
class InterviewState:
    """Everything needed to continue an interview after a restart."""

    length: int
    topic: str | None = None
    difficulty: int | None = None
    level: int = 2
    queue: list[str] = field(default_factory=list)
    due: list[str] = field(default_factory=list)
    review_quota: int = 0
    records: list[QuestionRecord] = field(default_factory=list)
    phase: str = QUESTION
    follow_up_path: list[int] | None = None
    status: str = ACTIVE
    last_activity: str = ""
    mode: str = "mock"
    pending_restart: list[str] | None = None

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the database."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InterviewState:
        """Rebuild a state saved with `to_json`."""
        records = [
            QuestionRecord(
                **{k: v for k, v in r.items() if k != "follow_ups"},
                follow_ups=[FollowUpRecord(**f) for f in r.get("follow_ups", [])],
            )
            for r in data.get("records", [])
        ]
        return cls(**{**data, "records": records})

    @property
    def current(self) -> QuestionRecord | None:
        """The question being asked now, if any."""
        return self.records[-1] if self.records and self.phase != DONE else None

    @property
    def number(self) -> int:
        """1-based number of the current question."""
        return len(self.records)


def overall_score(state: InterviewState) -> int | None:
    """The interview's score: the mean of its answered questions' scores."""
    scores = [r.score for r in state.records if r.score is not None]
    return round(sum(scores) / len(scores)) if scores else None
