"""Turn interview actions into outbound messages: questions, feedback, hints, scorecards."""

from __future__ import annotations

from collections import defaultdict

from bot.events import Outbound, Reply, Scorecard, ScorecardRow
from bot.interview import (
    Action,
    Ask,
    Feedback,
    Finished,
    Hint,
    Interview,
    Notice,
)
from bot.interview_state import (
    overall_score,
)
from bot.tips import choose, render_tip, subjects_of, tips_for
from question_bank import Tip
from question_bank.model import DIFFICULTY_NAMES

FOOTER = "Type your answer, or: hint · skip · repeat · pause · end"


def _ask(ask: Ask, interview: Interview) -> Reply:
    question = ask.question
    again = " (again)" if ask.repeat else ""
    if ask.follow_up is not None:
        return Reply(ask.follow_up.prompt, private=True, title=f"Follow-up{again}")
    topic = interview.bank.topic_titles.get(question.topic, question.topic)
    parts = [f"Question {ask.number} of {ask.total}", topic, DIFFICULTY_NAMES[question.difficulty]]
    record = interview.state.current
    if record is not None and record.from_review:
        parts.append("review")
    return Reply(f"{question.prompt}\n\n{FOOTER}", private=True, title=" · ".join(parts) + again)


def _feedback(feedback: Feedback) -> Reply:
    grade = feedback.grade
    if not feedback.is_follow_up:
        return Reply(grade.feedback, private=True)
    if feedback.raised_by:
        return Reply(
            f"Good, that's the missing piece: +{feedback.raised_by} on this question.", private=True
        )
    if grade.dont_know:
        answer = feedback.question.reference_answer
        return Reply(f"No problem. For the record, a strong answer covers: {answer}", private=True)
    if grade.pitfalls:
        corrections = " ".join(p.correction for p in grade.pitfalls)
        return Reply(f"Not quite: {corrections}", private=True)
    return Reply(f"Follow-up: {grade.score}/100.", private=True)


def scorecard(interview: Interview, ended_early: bool) -> Scorecard:
    """The end-of-interview scorecard."""
    state = interview.state
    labels: dict[str, str] = {}
    rows = []
    by_topic: dict[str, list[int]] = defaultdict(list)
    known = [r for r in state.records if interview.bank.get(r.question_id) is not None]
    for number, record in enumerate(known, start=1):
        question = interview.question(record)
        labels.update({kp.id: kp.label for kp in question.key_points})
        note = "skipped" if record.skipped else "said I don't know" if record.dont_know else ""
        if record.hints_used:
            note = ", ".join(filter(None, [note, f"{record.hints_used} hint(s)"]))
        rows.append(
            ScorecardRow(
                number=number,
                prompt=question.prompt,
                topic=interview.bank.topic_titles.get(question.topic, question.topic),
                score=record.score,
                covered=tuple(labels.get(i, i) for i in record.covered),
                missed=tuple(labels.get(i, i) for i in record.missed),
                model_answer=question.reference_answer,
                note=note,
            )
        )
        if record.score is not None:
            by_topic[rows[-1].topic].append(record.score)
    means = sorted(((sum(v) / len(v), t) for t, v in by_topic.items()), reverse=True)
    strongest = tuple(t for m, t in means[:1] if m >= 60)
    weakest = tuple(t for m, t in means[::-1][:2] if m < 60 and t not in strongest)
    weak_rows = sorted((r for r in rows if r.score is not None), key=lambda r: r.score or 0)
    review_next = tuple(f"{r.topic}: {m}" for r in weak_rows[:2] for m in r.missed[:2])
    title = "Scorecard" + (" (ended early)" if ended_early else "")
    if state.mode == "review":
        title = "Review drill" + (" (ended early)" if ended_early else "")
    return Scorecard(title, overall_score(state), tuple(rows), strongest, weakest, review_next)


def _related_tip(interview: Interview) -> Tip | None:
    """A tip about the kind of question the member found hardest in this interview."""
    answered = [r for r in interview.state.records if r.score is not None]
    if not answered:
        return None
    weakest = min(answered, key=lambda r: r.score or 0)
    question = interview.bank.get(weakest.question_id)
    if question is None:
        return None
    return choose(tips_for(interview.bank, subjects_of(question)), len(interview.state.records))


def render_actions(
    actions: list[Action], interview: Interview, intro: bool = False
) -> list[Outbound]:
    """Outbound messages for a list of interview actions."""
    out: list[Outbound] = []
    if intro and interview.state.records:
        kind = "review drill" if interview.state.mode == "review" else "mock interview"
        out.append(
            Reply(
                f"Starting a {kind} of {interview.state.length} question(s). Answer in your own "
                "words, as you would out loud; I'll follow up on anything you miss.",
                private=True,
            )
        )
    for action in actions:
        match action:
            case Ask():
                out.append(_ask(action, interview))
            case Feedback():
                out.append(_feedback(action))
            case Hint(text=None):
                out.append(Reply("No more hints for this question.", private=True))
            case Hint(text=text, cost=0):
                out.append(Reply(f"Hint: {text}", private=True))
            case Hint(text=text, cost=cost):
                out.append(Reply(f"Hint (-{cost} points on this question): {text}", private=True))
            case Finished(ended_early=early):
                card = scorecard(interview, early)
                out.append(card)
                tip = _related_tip(interview)
                if tip is not None:
                    out.append(render_tip(tip))
            case Notice(text=text):
                out.append(Reply(text, private=True))
    return out
