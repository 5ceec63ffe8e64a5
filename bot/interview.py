"""The mock-interview state machine: pure, JSON-serialisable, persisted after every step.

The machine never grades or reads the database: the caller grades the member's answer and
hands the `Grade` in, and gives it the candidate questions when the interview starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.grading import Grade
from bot.interview_state import (
    ACTIVE,
    DONE,
    FINISHED,
    FOLLOW_UP,
    PAUSED,
    QUESTION,
    FollowUpRecord,
    InterviewState,
    QuestionRecord,
)
from question_bank import Bank, FollowUp, KeyPoint, Question

MAX_FOLLOW_UPS = 2
HINT_COST = 10
FOLLOW_UP_CREDIT = 0.7  # a missed point found after a nudge earns 70% of its share
PROBE_BONUS = 5
LEVEL_UP_AT = 80
LEVEL_DOWN_BELOW = 45


@dataclass(frozen=True)
class Ask:
    """Ask the member a question (or a follow-up); `repeat` when asked again."""

    question: Question
    number: int
    total: int
    follow_up: FollowUp | None = None
    repeat: bool = False


@dataclass(frozen=True)
class Feedback:
    """Feedback on the member's last answer."""

    grade: Grade
    question: Question
    is_follow_up: bool
    raised_by: int = 0


@dataclass(frozen=True)
class Hint:
    """A nudge for the current question; `text` is None when none are left."""

    text: str | None
    cost: int


@dataclass(frozen=True)
class Finished:
    """The interview is over; the caller builds the scorecard from the state."""

    ended_early: bool


@dataclass(frozen=True)
class Notice:
    """A short status line (paused, resumed, skipped ...)."""

    text: str


Action = Ask | Feedback | Hint | Finished | Notice


def follow_up_at(question: Question, path: list[int]) -> FollowUp:
    """The follow-up at `path` (indexes into nested follow-up lists)."""
    node: Any = question
    for index in path:
        node = node.follow_ups[index]
    return node


def gradable(question: Question, path: list[int]) -> Question:
    """A follow-up as a question the grader can grade, with the right key points."""
    follow_up = follow_up_at(question, path)
    points: tuple[KeyPoint, ...] = follow_up.key_points
    if not points and follow_up.targets:
        target = question.key_point(follow_up.targets)
        points = (target,) if target else ()
    return Question(
        id=f"{question.id}#{'.'.join(map(str, path))}",
        topic=question.topic,
        prompt=follow_up.prompt,
        reference_answer=follow_up.reference_answer,
        key_points=points or question.key_points,
        difficulty=question.difficulty,
        pitfalls=question.pitfalls,
    )


class Interview:
    """Transitions of one interview; `state` is mutated in place and saved by the caller."""

    def __init__(self, state: InterviewState, bank: Bank) -> None:
        self.state = state
        self.bank = bank
        # What to tell the member when the bank lost the question they were on.
        self.replaced: list[Action] = []
        current = state.current
        if (
            current is not None
            and state.status != FINISHED
            and bank.get(current.question_id) is None
        ):
            # A saved interview outlived its question (a team file was edited, an id retired).
            state.records.pop()
            self.replaced = [
                Notice("That question is no longer in the question bank, so here is another."),
                *self._next_question(first=not state.records),
            ]

    def question(self, record: QuestionRecord) -> Question:
        """The bank question behind a record."""
        question = self.bank.get(record.question_id)
        if question is None:
            raise LookupError(f"question {record.question_id} is no longer in the bank")
        return question

    def gradable_now(self) -> Question | None:
        """What the member's next message answers: the question or the current follow-up."""
        record = self.state.current
        if record is None or self.state.status == FINISHED:
            return None
        question = self.question(record)
        if self.state.phase == FOLLOW_UP and self.state.follow_up_path is not None:
            return gradable(question, self.state.follow_up_path)
        return question

    def start(self) -> list[Action]:
        """Ask the first question."""
        return self._next_question(first=True)

    def repeat(self) -> list[Action]:
        """Ask the current question or follow-up again."""
        ask = self._ask_current(repeat=True)
        return [ask] if ask else [Notice("There is no question waiting right now.")]

    def pause(self) -> list[Action]:
        """Pause; the position is kept."""
        self.state.status = PAUSED
        return [Notice("Interview paused. Type resume (or /mock-interview resume) to go on.")]

    def resume(self) -> list[Action]:
        """Resume a paused interview and repeat where it stood."""
        self.state.status = ACTIVE
        ask = self._ask_current(repeat=True)
        return [Notice("Welcome back. Here is where we were:"), *([ask] if ask else [])]

    def hint(self) -> list[Action]:
        """The next hint for the current question, at a cost."""
        record = self.state.current
        if record is None:
            return [Notice("There is no question waiting right now.")]
        question = self.question(record)
        if self.state.phase == FOLLOW_UP:
            return [
                Hint("Think about what the follow-up asks, then answer in a sentence or two.", 0)
            ]
        if record.hints_used >= len(question.hints):
            return [Hint(None, 0)]
        text = question.hints[record.hints_used]
        record.hints_used += 1
        return [Hint(text, HINT_COST)]

    def skip(self) -> list[Action]:
        """Skip the current follow-up, or the whole question (scored 0)."""
        record = self.state.current
        if record is None:
            return [Notice("There is no question waiting right now.")]
        if self.state.phase == FOLLOW_UP:
            self._adapt(record.score or 0)
            return [Notice("Skipped the follow-up."), *self._next_question()]
        record.skipped = True
        record.score = 0
        question = self.question(record)
        record.missed = [kp.id for kp in question.key_points]
        self._adapt(0)
        return [
            Notice("Skipped. You can see the model answer on the scorecard."),
            *self._next_question(),
        ]

    def end(self) -> list[Action]:
        """Finish now; unanswered questions are left out of the score."""
        record = self.state.current
        if record is not None and record.score is None:
            self.state.records.pop()
        self._finish()
        return [Finished(ended_early=True)]

    def answer(self, grade: Grade) -> list[Action]:
        """Take the grade of the member's answer to whatever was asked last."""
        record = self.state.current
        if record is None:
            return [Notice("There is no question waiting right now.")]
        question = self.question(record)
        if self.state.phase == FOLLOW_UP and self.state.follow_up_path is not None:
            return self._follow_up_answered(record, question, grade)
        record.score = max(0, grade.score - HINT_COST * record.hints_used)
        record.covered = list(grade.covered)
        record.missed = list(grade.missed)
        record.corrections = [p.correction for p in grade.pitfalls]
        record.dont_know = grade.dont_know
        actions: list[Action] = [Feedback(grade, question, is_follow_up=False)]
        if grade.dont_know:
            self._adapt(0)
            return actions + self._next_question()
        nxt = self._choose_follow_up(record, question, after=None, last_score=grade.score)
        if nxt is None:
            self._adapt(record.score)
            return actions + self._next_question()
        return [*actions, self._ask_follow_up(record, question, nxt)]

    def _follow_up_answered(
        self, record: QuestionRecord, question: Question, grade: Grade
    ) -> list[Action]:
        path = self.state.follow_up_path or []
        follow_up = follow_up_at(question, path)
        entry = record.follow_ups[-1]
        entry.score = grade.score
        raised = 0
        if follow_up.targets and follow_up.targets in record.missed and grade.covered:
            share = 100 / max(len(question.key_points), 1)
            raised = round(share * FOLLOW_UP_CREDIT)
            record.missed.remove(follow_up.targets)
            record.covered.append(follow_up.targets)
            entry.covered = True
        elif not follow_up.targets and grade.score >= 60:
            raised = PROBE_BONUS
            entry.covered = True
        if raised:
            record.score = min(100, (record.score or 0) + raised)
        actions: list[Action] = [Feedback(grade, question, is_follow_up=True, raised_by=raised)]
        nxt = self._choose_follow_up(record, question, after=path, last_score=grade.score)
        if nxt is None:
            self._adapt(record.score or 0)
            return actions + self._next_question()
        return [*actions, self._ask_follow_up(record, question, nxt)]

    def _choose_follow_up(
        self, record: QuestionRecord, question: Question, after: list[int] | None, last_score: int
    ) -> list[int] | None:
        if len(record.follow_ups) >= MAX_FOLLOW_UPS:
            return None
        asked = {tuple(f.path) for f in record.follow_ups}
        if after is not None and last_score >= 60:
            # A good answer to a follow-up earns the deeper question in its chain.
            nested = follow_up_at(question, after).follow_ups
            if nested and (*after, 0) not in asked:
                return [*after, 0]
        for point in question.key_points:  # rubric order is importance order
            if point.id not in record.missed:
                continue
            for index, follow_up in enumerate(question.follow_ups):
                if follow_up.targets == point.id and (index,) not in asked:
                    return [index]
        if not record.missed or (record.score or 0) >= 60:
            for index, follow_up in enumerate(question.follow_ups):
                if follow_up.targets is None and (index,) not in asked:
                    return [index]
        return None

    def _ask_follow_up(self, record: QuestionRecord, question: Question, path: list[int]) -> Ask:
        follow_up = follow_up_at(question, path)
        record.follow_ups.append(FollowUpRecord(path=path, targets=follow_up.targets))
        self.state.phase = FOLLOW_UP
        self.state.follow_up_path = path
        return Ask(question, self.state.number, self.state.length, follow_up=follow_up)

    def _ask_current(self, repeat: bool) -> Ask | None:
        record = self.state.current
        if record is None:
            return None
        question = self.question(record)
        follow_up = None
        if self.state.phase == FOLLOW_UP and self.state.follow_up_path is not None:
            follow_up = follow_up_at(question, self.state.follow_up_path)
        return Ask(question, self.state.number, self.state.length, follow_up, repeat)

    def _adapt(self, score: int) -> None:
        if self.state.difficulty is not None:
            return
        if score >= LEVEL_UP_AT:
            self.state.level = min(3, self.state.level + 1)
        elif score < LEVEL_DOWN_BELOW:
            self.state.level = max(1, self.state.level - 1)

    def _next_question(self, first: bool = False) -> list[Action]:
        self.state.phase = QUESTION
        self.state.follow_up_path = None
        if not first and len(self.state.records) >= self.state.length:
            self._finish()
            return [Finished(ended_early=False)]
        question, from_review = self._pick()
        if question is None:
            self._finish()
            return (
                [Finished(ended_early=not first)]
                if not first
                else [Notice("No questions match those options."), Finished(ended_early=True)]
            )
        self.state.records.append(
            QuestionRecord(question.id, question.topic, question.difficulty, from_review)
        )
        return [Ask(question, self.state.number, self.state.length)]

    def _pick(self) -> tuple[Question | None, bool]:
        asked = {r.question_id for r in self.state.records}
        reviews = sum(1 for r in self.state.records if r.from_review)
        if reviews < self.state.review_quota:
            for qid in self.state.due:
                question = self.bank.get(qid)
                if question is not None and qid not in asked:
                    return question, True
        candidates = [
            q for qid in self.state.queue if qid not in asked and (q := self.bank.get(qid))
        ]
        if not candidates:
            return None, False
        last_topic = self.state.records[-1].topic if self.state.records else None

        def rank(item: tuple[int, Question]) -> tuple[int, int, int]:
            order, q = item
            fresh_topic = 0 if self.state.topic or q.topic != last_topic else 1
            return (abs(q.difficulty - self.state.level), fresh_topic, order)

        return min(enumerate(candidates), key=rank)[1], False

    def _finish(self) -> None:
        self.state.phase = DONE
        self.state.follow_up_path = None
        self.state.status = FINISHED
