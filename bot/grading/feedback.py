"""Short, specific feedback text from a grade: what was good, what was missing, what was wrong."""

from __future__ import annotations

from collections.abc import Sequence

from bot.grading.grade import PitfallHit
from question_bank import Question

FLAG_NOTES = {
    "echo": "That mostly restates the question. Say how you would answer it.",
    "buzzwords": "A list of terms is not an explanation: say how they connect and why.",
    "off_topic": "That does not seem to answer this question.",
}


def _labels(question: Question, ids: Sequence[str]) -> list[str]:
    by_id = {kp.id: kp.label for kp in question.key_points}
    return [by_id.get(i, i) for i in ids]


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def write_feedback(
    question: Question,
    score: int,
    covered: Sequence[str],
    missed: Sequence[str],
    pitfalls: Sequence[PitfallHit],
    *,
    dont_know: bool = False,
    flags: Sequence[str] = (),
) -> str:
    """Feedback for one graded answer; never praises a non-answer or a wrong one."""
    if dont_know:
        return (
            "Saying you don't know is better than bluffing. Here is what the answer should "
            "cover — read the model answer and try this one again later:\n"
            + "\n".join(f"- {label}" for label in _labels(question, missed))
            + f"\nModel answer: {question.reference_answer}"
        )
    lines: list[str] = []
    if pitfalls:
        lines.append(f"Score {score}/100. Part of that answer is wrong.")
        for hit in pitfalls:
            lines.append(f"- You said “{_clip(hit.evidence)}”: {hit.correction}")
    elif score >= 80:
        lines.append(f"Score {score}/100. Strong answer.")
    elif score >= 50:
        lines.append(f"Score {score}/100. A good start, with gaps.")
    else:
        lines.append(f"Score {score}/100.")
    lines += [FLAG_NOTES[f] for f in flags if f in FLAG_NOTES]
    if covered:
        lines.append("Covered: " + "; ".join(_labels(question, covered)) + ".")
    if missed:
        lines.append("Missing: " + "; ".join(_labels(question, missed)) + ".")
    return "\n".join(lines)
