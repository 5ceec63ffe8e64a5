"""Question-bank value types: questions, key points, pitfalls, follow-ups and tips."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("concept", "case", "coding", "behavioural")
DIFFICULTIES = (1, 2, 3)
DIFFICULTY_NAMES = {1: "easy", 2: "medium", 3: "hard"}


@dataclass(frozen=True)
class KeyPoint:
    """One rubric item: what a good answer says, and other ways of saying it."""

    id: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pitfall:
    """A confident wrong claim, the correction, and phrases that signal it."""

    claim: str
    correction: str
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class FollowUp:
    """A follow-up question: aimed at a missed key point, or a deeper probe."""

    prompt: str
    reference_answer: str
    targets: str | None = None
    key_points: tuple[KeyPoint, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()


@dataclass(frozen=True)
class Solution:
    """A worked solution for a coding question."""

    language: str
    code: str
    complexity: str


@dataclass(frozen=True)
class Question:
    """One interview question with its model answer and rubric."""

    id: str
    topic: str
    prompt: str
    reference_answer: str
    key_points: tuple[KeyPoint, ...]
    difficulty: int = 2
    kind: str = "concept"
    tags: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    pitfalls: tuple[Pitfall, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    hints: tuple[str, ...] = ()
    coaching: str | None = None
    solution: Solution | None = None
    source: str = ""

    def key_point(self, point_id: str) -> KeyPoint | None:
        """Return the key point with this id, if the question has one."""
        return next((kp for kp in self.key_points if kp.id == point_id), None)


@dataclass(frozen=True)
class Tip:
    """Interview-craft coaching shown by /tip and after related answers; never graded."""

    id: str
    title: str
    text: str
    covers: tuple[str, ...] = ()
    related_tags: tuple[str, ...] = ()


@dataclass
class Bank:
    """Every loaded question and tip, indexed for the engine."""

    questions: dict[str, Question] = field(default_factory=dict)
    tips: dict[str, Tip] = field(default_factory=dict)
    topic_titles: dict[str, str] = field(default_factory=dict)

    @property
    def topics(self) -> list[str]:
        """Topic slugs that have at least one question, sorted."""
        return sorted({q.topic for q in self.questions.values()})

    def by_topic(self, topic: str) -> list[Question]:
        """Questions of one topic in a stable order."""
        return [q for q in self.questions.values() if q.topic == topic]

    def get(self, question_id: str) -> Question | None:
        """Look a question up by id."""
        return self.questions.get(question_id)
