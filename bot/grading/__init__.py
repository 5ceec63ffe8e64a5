"""Grading answers: the `Grader` protocol, the offline rubric grader, and `grade_text`."""

from __future__ import annotations

from collections.abc import Sequence

from bot.grading.grade import Grade, Grader, PitfallHit
from bot.grading.offline import OfflineGrader, default_grader
from question_bank import KeyPoint, Pitfall, Question

__all__ = ["Grade", "Grader", "OfflineGrader", "PitfallHit", "grade_text"]


def grade_text(
    prompt: str,
    reference_answer: str,
    key_points: Sequence[str],
    answer: str,
    pitfalls: Sequence[str] = (),
) -> Grade:
    """Grade `answer` against plain key-point strings; `covered`/`missed` return those strings.

    Pitfalls are plain statements of wrong claims; when one is detected the grade says so.
    """
    question = Question(
        id=f"adhoc-{abs(hash((prompt, reference_answer, tuple(key_points), tuple(pitfalls))))}",
        topic="custom",
        prompt=prompt,
        reference_answer=reference_answer,
        key_points=tuple(KeyPoint(id=kp, label=kp) for kp in key_points),
        pitfalls=tuple(Pitfall(claim=p, correction=f"This is wrong: {p}") for p in pitfalls),
    )
    return default_grader().grade_now(question, answer)
