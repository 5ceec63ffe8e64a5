"""What grading returns, and the protocol every grader follows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from question_bank import Question


@dataclass(frozen=True)
class PitfallHit:
    """A wrong claim found in an answer: what was claimed, what is right, and where."""

    claim: str
    correction: str
    evidence: str


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer.

    `covered` and `missed` hold key-point ids (for `grade_text`, the key-point strings);
    `evidence` maps each covered point to the span of the answer that earned it.
    """

    score: int
    covered: tuple[str, ...]
    missed: tuple[str, ...]
    evidence: dict[str, str] = field(default_factory=dict)
    pitfalls: tuple[PitfallHit, ...] = ()
    feedback: str = ""
    dont_know: bool = False
    flags: tuple[str, ...] = ()
    grader: str = "offline"

    def __post_init__(self) -> None:
        if not 0 <= self.score <= 100:
            raise ValueError(f"score must be 0-100, got {self.score}")


class Grader(Protocol):
    """Anything that grades an answer to a bank question."""

    async def grade(self, question: Question, answer: str) -> Grade:
        """Grade `answer` to `question`."""
        ...
