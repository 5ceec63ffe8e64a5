"""The interview state machine, transition by transition, on a small hand-made bank."""

from __future__ import annotations

import json

import pytest

from bot.grading import Grade
from bot.interview import (
    Ask,
    Feedback,
    Finished,
    Hint,
    Interview,
    gradable,
)
from bot.interview_state import (
    FINISHED,
    FOLLOW_UP,
    PAUSED,
    QUESTION,
    InterviewState,
    overall_score,
)
from question_bank import Bank, FollowUp, KeyPoint, Question


def _question(qid: str, topic: str = "stats", difficulty: int = 2) -> Question:
    points = (KeyPoint("a", "Point A"), KeyPoint("b", "Point B"))
    deeper = FollowUp("Deeper still?", "Yes.", key_points=(KeyPoint("z", "Point Z"),))
    return Question(
        id=qid,
        topic=topic,
        prompt=f"Prompt {qid}",
        reference_answer=f"Answer {qid}",
        key_points=points,
        difficulty=difficulty,
        follow_ups=(
            FollowUp("What about B?", "B is ...", targets="b"),
            FollowUp(
                "Go deeper?",
                "Deeper.",
                key_points=(KeyPoint("d", "Point D"),),
                follow_ups=(deeper,),
            ),
        ),
        hints=("Think of A.",),
    )


BANK = Bank(
    questions={
        q.id: q for q in (_question("q1"), _question("q2", "ml", 3), _question("q3", "ml", 1))
    }
)


def _grade(score: int, covered: tuple[str, ...] = (), missed: tuple[str, ...] = ()) -> Grade:
    return Grade(score, covered, missed)


def _interview(length: int = 2, **kwargs) -> Interview:  # type: ignore[no-untyped-def]
    state = InterviewState(length=length, queue=["q1", "q2", "q3"], **kwargs)
    return Interview(state, BANK)


def _roundtrip(interview: Interview) -> Interview:
    """Save and load the state as the database would (a restart)."""
    data = json.loads(json.dumps(interview.state.to_json()))
    return Interview(InterviewState.from_json(data), BANK)


def test_start_asks_the_first_question_nearest_the_level() -> None:
    interview = _interview(level=2)
    [ask] = interview.start()
    assert isinstance(ask, Ask) and ask.question.id == "q1" and ask.number == 1


def test_missed_point_gets_the_follow_up_that_targets_it() -> None:
    interview = _interview()
    interview.start()
    actions = interview.answer(_grade(50, ("a",), ("b",)))
    assert isinstance(actions[0], Feedback)
    assert isinstance(actions[1], Ask) and actions[1].follow_up.targets == "b"
    assert interview.state.phase == FOLLOW_UP


def test_follow_up_that_covers_the_missed_point_raises_the_score() -> None:
    interview = _interview()
    interview.start()
    interview.answer(_grade(50, ("a",), ("b",)))
    actions = interview.answer(_grade(80, ("b",), ()))
    assert actions[0].raised_by == 35  # 70% of one of two points
    record = interview.state.records[0]
    assert record.score == 85 and record.missed == [] and "b" in record.covered


def test_full_marks_get_a_deeper_probe_then_its_chain() -> None:
    interview = _interview()
    interview.start()
    actions = interview.answer(_grade(95, ("a", "b"), ()))
    assert actions[-1].follow_up.prompt == "Go deeper?"
    actions = interview.answer(_grade(90, ("d",), ()))
    assert actions[-1].follow_up.prompt == "Deeper still?"  # two levels deep
    actions = interview.answer(_grade(90, ("z",), ()))
    assert isinstance(actions[-1], Ask) and actions[-1].follow_up is None  # at most two
    assert interview.state.records[0].score == 100


def test_dont_know_moves_on_without_follow_ups_and_lowers_the_level() -> None:
    interview = _interview(level=2)
    interview.start()
    grade = Grade(0, (), ("a", "b"), dont_know=True)
    actions = interview.answer(grade)
    assert isinstance(actions[-1], Ask) and actions[-1].follow_up is None
    assert interview.state.level == 1
    assert actions[-1].question.difficulty == 1


def test_strong_answers_raise_the_level() -> None:
    interview = _interview(level=2, length=3)
    interview.start()
    interview.answer(_grade(90, ("a", "b"), ()))
    interview.skip()  # skip the probe
    assert interview.state.level == 3
    assert interview.state.records[-1].question_id == "q2"


def test_hint_costs_points_and_runs_out() -> None:
    interview = _interview()
    interview.start()
    [hint] = interview.hint()
    assert isinstance(hint, Hint) and hint.text == "Think of A." and hint.cost == 10
    [none_left] = interview.hint()
    assert none_left.text is None
    interview.answer(_grade(60, ("a",), ("b",)))
    assert interview.state.records[0].score == 50


def test_skip_scores_zero_and_moves_on() -> None:
    interview = _interview()
    interview.start()
    actions = interview.skip()
    assert interview.state.records[0].skipped and interview.state.records[0].score == 0
    assert isinstance(actions[-1], Ask) and actions[-1].number == 2


def test_repeat_pause_resume_keep_the_position() -> None:
    interview = _interview()
    interview.start()
    interview.answer(_grade(50, ("a",), ("b",)))
    [again] = interview.repeat()
    assert again.repeat and again.follow_up is not None
    interview.pause()
    assert interview.state.status == PAUSED
    restarted = _roundtrip(interview)
    actions = restarted.resume()
    assert restarted.state.status == "active"
    assert actions[-1].follow_up.targets == "b"


def test_restart_mid_question_and_mid_follow_up_loses_nothing() -> None:
    interview = _interview()
    interview.start()
    interview = _roundtrip(interview)
    assert interview.gradable_now().id == "q1"
    interview.answer(_grade(50, ("a",), ("b",)))
    interview = _roundtrip(interview)
    target = interview.gradable_now()
    assert target.id == "q1#0" and [kp.id for kp in target.key_points] == ["b"]
    interview.answer(_grade(80, ("b",), ()))
    assert interview.state.records[0].score == 85


def test_end_drops_the_unanswered_question_and_finishes() -> None:
    interview = _interview()
    interview.start()
    interview.answer(_grade(60, ("a",), ("b",)))
    interview.skip()
    [finished] = interview.end()
    assert isinstance(finished, Finished) and finished.ended_early
    assert interview.state.status == FINISHED and len(interview.state.records) == 1
    assert overall_score(interview.state) == 60


def test_interview_finishes_after_its_length() -> None:
    interview = _interview(length=1)
    interview.start()
    interview.answer(_grade(40, (), ("a", "b")))
    actions = interview.skip()  # skip the follow-up
    assert isinstance(actions[-1], Finished) and not actions[-1].ended_early
    assert interview.state.phase != QUESTION or interview.state.status == FINISHED


def test_due_reviews_come_first_up_to_the_quota() -> None:
    interview = _interview(length=3, due=["q3", "q2"], review_quota=1)
    [ask] = interview.start()
    assert ask.question.id == "q3" and interview.state.records[0].from_review
    interview.skip()
    assert not interview.state.records[1].from_review


def test_no_candidates_ends_with_a_notice() -> None:
    state = InterviewState(length=3, queue=[])
    actions = Interview(state, BANK).start()
    assert isinstance(actions[-1], Finished)


def test_gradable_follow_up_uses_its_own_key_points() -> None:
    probe = gradable(BANK.get("q1"), [1])
    assert [kp.id for kp in probe.key_points] == ["d"]


@pytest.mark.parametrize("method", ["hint", "skip", "repeat"])
def test_commands_after_the_end_are_harmless(method: str) -> None:
    interview = _interview(length=1)
    interview.start()
    interview.end()
    actions = getattr(interview, method)()
    assert actions and not isinstance(actions[0], Ask)


def test_a_question_gone_from_the_bank_is_replaced_not_fatal() -> None:
    interview = _interview(length=2)
    interview.start()
    saved = interview.state.to_json()
    smaller = Bank(questions={k: v for k, v in BANK.questions.items() if k != "q1"})
    reloaded = Interview(InterviewState.from_json(saved), smaller)
    notice, ask = reloaded.replaced
    assert "no longer in the question bank" in notice.text
    assert isinstance(ask, Ask) and ask.question.id != "q1" and ask.number == 1
