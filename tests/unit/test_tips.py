"""Interview-craft tips: by subject, reproducible, and a clear message for unknown subjects."""

from __future__ import annotations

import pytest

from bot.commands import UsageError
from bot.tips import choose, subjects_of, tip_command, tips_for
from question_bank import load_bank

BANK = load_bank()


def test_every_tip_coverage_id_is_reachable_by_some_subject() -> None:
    covered = {
        c
        for tip in tips_for(BANK, {t for x in BANK.tips.values() for t in x.related_tags})
        for c in tip.covers
    }
    assert covered == {f"TIP0{i}" for i in range(1, 7)}


def test_tip_by_subject_is_about_that_subject_and_reproducible() -> None:
    first = tip_command(BANK, "behavioural", seed=3)
    assert first == tip_command(BANK, "behavioural", seed=3)
    assert any(first.text == t.text for t in tips_for(BANK, ["behavioural"]))


def test_unknown_subject_lists_the_known_ones() -> None:
    with pytest.raises(UsageError, match=r"I have no tips on 'astrology'\. Try one of: .*case"):
        tip_command(BANK, "astrology", seed=1)


def test_a_case_question_gets_a_case_tip() -> None:
    question = next(q for q in BANK.questions.values() if q.kind == "case")
    tip = choose(tips_for(BANK, subjects_of(question)), seed=0)
    assert tip is not None
    assert {"case", question.topic} & set(tip.related_tags)
