"""What the daily question looks like: the card, the reveal, the status, the answer feedback."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain import ChannelRef
from bot.events import QuestionCard, RevealCard
from bot.grading import Grade
from bot.wording import plural
from question_bank import Bank, Question
from question_bank.model import DIFFICULTY_NAMES

HISTOGRAM_BUCKETS = ((0, 19), (20, 39), (40, 59), (60, 79), (80, 100))


def local_time(moment: datetime, zone: str) -> str:
    """`Tue 3 Mar 09:00 CET` in `zone`."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %H:%M} {local.tzname()}"


def question_card(
    channel: ChannelRef,
    post_id: int,
    question: Question,
    bank: Bank,
    reveal_at: datetime,
    zone: str,
) -> QuestionCard:
    """The public daily-question message."""
    topic = bank.topic_titles.get(question.topic, question.topic)
    level = DIFFICULTY_NAMES.get(question.difficulty, "")
    return QuestionCard(
        channel=channel,
        post_id=post_id,
        title=f"Daily question · {topic} · {level}",
        prompt=question.prompt,
        reveal_at=reveal_at,
        zone=zone,
    )


def reveal_card(
    channel: ChannelRef,
    post_id: int,
    thread: str | None,
    question: Question,
    results: Sequence[tuple[int, Sequence[str]]],
) -> RevealCard:
    """The reveal: model answer, how many answered, the share per key point, a histogram."""
    counts = {kp.id: 0 for kp in question.key_points}
    for _, covered in results:
        for point in set(covered):
            if point in counts:
                counts[point] += 1
    histogram = tuple(
        (f"{low}-{high}", sum(low <= score <= high for score, _ in results))
        for low, high in HISTOGRAM_BUCKETS
    )
    return RevealCard(
        channel=channel,
        post_id=post_id,
        thread=thread,
        prompt=question.prompt,
        model_answer=question.reference_answer,
        answered=len(results),
        key_points=tuple((kp.label, counts[kp.id]) for kp in question.key_points),
        histogram=histogram,
    )


def answer_feedback(
    question: Question,
    grade: Grade,
    *,
    points: int,
    bonus: int,
    replaced: bool,
    late: bool,
    reveal_at: datetime,
    zone: str,
) -> str:
    """Private feedback on a daily answer; the model answer stays hidden until the reveal."""
    labels = {kp.id: kp.label for kp in question.key_points}
    lines = [f"Score {grade.score}/100."]
    if grade.dont_know:
        lines = ["No problem: knowing what you don't know is a good start."]
    for hit in grade.pitfalls:
        lines.append(f"Careful: {hit.correction}")
    if grade.covered and not grade.dont_know:
        lines.append("Covered: " + "; ".join(labels.get(p, p) for p in grade.covered) + ".")
    if grade.missed:
        lines.append(
            "A strong answer would also cover: "
            + "; ".join(labels.get(p, p) for p in grade.missed)
            + "."
        )
    if late:
        lines.append(
            "The answer is already revealed, so this one is for practice and earns no points."
        )
    else:
        plural = "" if abs(points) == 1 else "s"
        earned = f"+{points} point{plural}" if points >= 0 else f"{points} point{plural}"
        if bonus:
            earned += f" and a +{bonus} streak bonus"
        again = " (this replaces your earlier answer)" if replaced else ""
        lines.append(
            f"{earned}{again}. You can answer again until the reveal at "
            f"{local_time(reveal_at, zone)}, when the model answer comes out."
        )
    return "\n".join(lines)


def answer_note(card: QuestionCard) -> str:
    """The line under a daily question about privacy and when the reveal comes."""
    return (
        "Only you see your answer and its feedback. The model answer and the group's results "
        f"come out {local_time(card.reveal_at, card.zone)}."
    )


def reveal_shares(card: RevealCard) -> str:
    """One line per key point: how many of those who answered covered it."""
    return "\n".join(
        f"• {label}: {count} of {card.answered} ({round(100 * count / card.answered)}%)"
        for label, count in card.key_points
    )


def reveal_histogram(card: RevealCard) -> str:
    """The score histogram as bars of up to ten blocks, for a monospace block."""
    top = max((count for _, count in card.histogram), default=0) or 1
    return "\n".join(
        f"{bucket:>6} {'█' * round(10 * count / top)} {count}" for bucket, count in card.histogram
    )


def answered_heading(card: RevealCard) -> str:
    """`1 person answered`, `14 people answered`."""
    return f"{plural(card.answered, 'person', 'people')} answered"
