"""The offline grader: it names what was covered and missed and cannot be fooled cheaply."""

from __future__ import annotations

import pytest

from bot.grading import OfflineGrader, grade_text
from question_bank import load_bank

BANK = load_bank()
GRADER = OfflineGrader.for_bank(BANK)
L1L2 = BANK.get("alg-l1-vs-l2")
PVALUE = BANK.get("sta-p-value-definition")

STRONG_L1L2 = (
    "Both add a penalty on the size of the weights to the loss so the model cannot fit noise. "
    "L2, ridge, adds the sum of squared weights: every weight shrinks smoothly toward zero but "
    "almost never lands exactly on it. L1, lasso, adds the sum of absolute values, and because "
    "that penalty has a corner at zero many weights become exactly zero, so it does feature "
    "selection. The diamond-shaped constraint region touches the loss contours at a corner. "
    "Elastic net mixes the two, and the strength lambda is tuned by cross-validation."
)
VAGUE_L1L2 = "They are both ways to regularise a model so it generalises better; you pick one."
WRONG_L1L2 = (
    "L2 regularization produces sparse weights and sets many of them to exactly zero, so it is "
    "the one to use for feature selection, while L1 just shrinks everything a little."
)


def _grade(question, answer):  # type: ignore[no-untyped-def]
    return GRADER.grade_now(question, answer)


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "   ",
        "idk",
        "I don't know.",
        "no idea, sorry",
        "Why do programmers prefer dark mode? Because light attracts bugs.",
    ],
)
def test_non_answers_score_low(answer: str) -> None:
    assert _grade(L1L2, answer).score <= 15


def test_pasting_the_question_back_scores_low() -> None:
    grade = _grade(L1L2, L1L2.prompt)
    assert grade.score <= 15 and "echo" in grade.flags


def test_a_list_of_buzzwords_scores_low() -> None:
    answer = ", ".join(a for kp in L1L2.key_points for a in kp.aliases[:2])
    grade = _grade(L1L2, answer)
    assert grade.score <= 15 and "buzzwords" in grade.flags


def test_an_answer_to_a_different_question_scores_low() -> None:
    other = (
        "A p-value is the probability of data at least as extreme as what we saw, assuming the "
        "null hypothesis is true; it is not the probability that the null is true."
    )
    assert _grade(L1L2, other).score <= 15


def test_strong_beats_vague_beats_confidently_wrong() -> None:
    strong, vague, wrong = (_grade(L1L2, a) for a in (STRONG_L1L2, VAGUE_L1L2, WRONG_L1L2))
    assert strong.score >= 60 > vague.score > wrong.score
    assert "pitfall" in wrong.flags


def test_feedback_says_what_is_wrong() -> None:
    grade = _grade(L1L2, WRONG_L1L2)
    assert grade.pitfalls
    assert "wrong" in grade.feedback.lower()
    assert grade.pitfalls[0].correction in grade.feedback


def test_covered_points_come_with_evidence_from_the_answer() -> None:
    grade = _grade(L1L2, STRONG_L1L2)
    assert grade.covered
    for point in grade.covered:
        assert grade.evidence[point].lower() in STRONG_L1L2.lower()
    assert set(grade.covered) | set(grade.missed) == {kp.id for kp in L1L2.key_points}


def test_dont_know_gets_the_model_answer_and_no_praise() -> None:
    grade = _grade(PVALUE, "honestly I don't know")
    assert grade.dont_know and grade.score == 0
    assert PVALUE.reference_answer in grade.feedback
    praise = ("great answer", "good answer", "well done", "nice", "strong answer")
    assert not any(word in grade.feedback.lower() for word in praise)


def test_negated_statements_do_not_earn_the_point() -> None:
    kp = ["L1 sets many weights to exactly zero"]
    said = grade_text("What does L1 do?", "Zeros.", kp, "L1 sets many weights to exactly zero.")
    denied = grade_text("What does L1 do?", "Zeros.", kp, "L1 never sets weights to exactly zero.")
    assert said.covered == tuple(kp) and denied.covered == ()


def test_formulas_count_only_the_right_way_round() -> None:
    kp = ["Precision = TP/(TP+FP)"]
    right = grade_text("What is precision?", "TP/(TP+FP).", kp, "precision = TP/(TP+FP)")
    flipped = grade_text("What is precision?", "TP/(TP+FP).", kp, "precision = FP/(TP+FP)")
    assert right.covered == ("Precision = TP/(TP+FP)",) and flipped.covered == ()


def test_grade_text_works_with_plain_strings_only() -> None:
    key_points = [
        "One definition of each feature is shared by training and serving",
        "It avoids training/serving skew",
        "Point-in-time correct joins for building training data",
    ]
    grade = grade_text(
        "Why do we keep a feature store?",
        "One shared definition serves training and serving, avoiding skew, with point-in-time "
        "joins for training sets.",
        key_points,
        "Because the same feature definition is used at training time and at serving time, so "
        "there is no skew between them; and it gives point-in-time correct joins.",
        pitfalls=["A feature store is just a cache"],
    )
    assert set(grade.covered) | set(grade.missed) == set(key_points)
    assert len(grade.covered) >= 2 and grade.score >= 50


def test_grade_text_catches_a_stated_pitfall() -> None:
    grade = grade_text(
        "What does L1 regularization do?",
        "It adds the absolute weights to the loss and drives many weights to exactly zero.",
        ["Adds the sum of absolute weights to the loss", "Drives many weights to exactly zero"],
        "L2 gives sparse weights, that is its main use.",
        pitfalls=["L2 gives sparse weights"],
    )
    assert grade.pitfalls and grade.score <= 15
