"""Daily question choice: no repeats within a round, topics in turn, reproducible draws."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

import pytest

from bot.daily_pick import BEHAVIOURAL, daily_pool, pick_daily_question
from question_bank import Bank, KeyPoint, Question, load_bank

START = date(2026, 3, 2)


def _question(qid: str, topic: str, difficulty: int = 2, kind: str = "concept") -> Question:
    return Question(
        id=qid,
        topic=topic,
        prompt=f"Explain {qid}.",
        reference_answer=f"The answer to {qid}.",
        key_points=(KeyPoint(id="main", label=f"the main point of {qid}"),),
        difficulty=difficulty,
        kind=kind,
    )


def _bank(*questions: Question) -> Bank:
    return Bank(questions={q.id: q for q in questions})


BANK = _bank(
    _question("sql-1", "sql", 1),
    _question("sql-2", "sql", 2),
    _question("sql-3", "sql", 3),
    _question("py-1", "python", 1),
    _question("py-2", "python", 2),
    _question("py-3", "python", 2),
    _question("story-1", BEHAVIOURAL, 2, kind="behavioural"),
    _question("story-2", BEHAVIOURAL, 1, kind="behavioural"),
)


def _run(pool: list[Question], posts: int, seed: str = "channel-1") -> list[Question]:
    """Pick `posts` daily questions in a row, feeding each pick back as history."""
    history: list[tuple[str, date]] = []
    picked: list[Question] = []
    for i in range(posts):
        day = START + timedelta(days=i)
        question = pick_daily_question(pool, history, f"{seed}:{day.isoformat()}")
        picked.append(question)
        history.append((question.id, day))
    return picked


def _ids(questions: list[Question]) -> list[str]:
    return [q.id for q in questions]


# --- daily_pool --------------------------------------------------------------------------


def test_pool_without_topics_is_everything_but_behavioural() -> None:
    assert _ids(daily_pool(BANK, (), None)) == ["py-1", "py-2", "py-3", "sql-1", "sql-2", "sql-3"]


def test_pool_filters_to_the_chosen_topics() -> None:
    assert _ids(daily_pool(BANK, ("sql",), None)) == ["sql-1", "sql-2", "sql-3"]


def test_pool_includes_behavioural_only_when_asked_for() -> None:
    pool = daily_pool(BANK, ("python", BEHAVIOURAL), None)
    assert _ids(pool) == ["py-1", "py-2", "py-3", "story-1", "story-2"]


def test_pool_filters_by_difficulty() -> None:
    assert _ids(daily_pool(BANK, (), 2)) == ["py-2", "py-3", "sql-2"]
    assert _ids(daily_pool(BANK, ("sql", "python"), 1)) == ["py-1", "sql-1"]


def test_pool_loosens_difficulty_when_nothing_matches() -> None:
    assert _ids(daily_pool(BANK, ("python",), 3)) == ["py-1", "py-2", "py-3"]


def test_pool_for_an_unknown_topic_is_empty_and_picking_from_it_fails() -> None:
    pool = daily_pool(BANK, ("cooking",), None)
    assert pool == []
    with pytest.raises(ValueError, match="empty"):
        pick_daily_question(pool, [], "seed")


# --- pick_daily_question ------------------------------------------------------------------


@pytest.mark.parametrize("seed", ["a", "b", "channel-42", "T123:C456"])
def test_n_posts_from_a_pool_of_n_ask_every_question_once(seed: str) -> None:
    pool = daily_pool(BANK, (), None)
    picked = _ids(_run(pool, len(pool), seed))
    assert sorted(picked) == sorted(_ids(pool))


@pytest.mark.parametrize("seed", ["a", "b", "channel-42"])
def test_the_next_post_after_a_full_round_starts_a_second_round(seed: str) -> None:
    pool = daily_pool(BANK, (), None)
    n = len(pool)
    picked = _ids(_run(pool, 2 * n + 1, seed))
    assert picked[n] in _ids(pool)
    assert sorted(picked[n : 2 * n]) == sorted(_ids(pool))
    assert Counter(picked[: 2 * n]) == {qid: 2 for qid in _ids(pool)}


@pytest.mark.parametrize("seed", ["a", "b", "channel-42", "x"])
def test_topics_alternate_when_two_topics_have_equal_counts(seed: str) -> None:
    pool = daily_pool(BANK, (), None)
    topics = [q.topic for q in _run(pool, 2 * len(pool), seed)]
    assert all(a != b for a, b in pairwise(topics))


def test_the_topic_asked_longest_ago_goes_first() -> None:
    pool = daily_pool(BANK, (), None)
    history = [("py-1", START), ("sql-1", START + timedelta(days=1))]
    for seed in ("a", "b", "c", "d", "e"):
        assert pick_daily_question(pool, history, seed).topic == "python"


def test_a_never_asked_topic_goes_before_one_asked_recently() -> None:
    pool = daily_pool(BANK, ("sql", "python"), None)
    history = [("sql-1", START), ("sql-2", START + timedelta(days=1))]
    for seed in ("a", "b", "c", "d", "e"):
        assert pick_daily_question(pool, history, seed).topic == "python"


def test_questions_asked_fewer_times_come_first() -> None:
    pool = daily_pool(BANK, ("sql",), None)
    history = [("sql-1", START), ("sql-2", START + timedelta(days=1))]
    for seed in ("a", "b", "c", "d", "e"):
        assert pick_daily_question(pool, history, seed).id == "sql-3"


def test_history_outside_the_pool_does_not_stop_a_fresh_round() -> None:
    pool = daily_pool(BANK, ("sql",), None)
    history: list[tuple[str, date]] = [("py-1", START), ("gone", START + timedelta(days=1))]
    for i in range(3):
        day = START + timedelta(days=2 + i)
        history.append((pick_daily_question(pool, history, f"s:{day}").id, day))
    assert sorted(qid for qid, _ in history[2:]) == ["sql-1", "sql-2", "sql-3"]


def test_the_same_seed_gives_the_same_pick() -> None:
    pool = daily_pool(BANK, (), None)
    history = [("sql-1", START)]
    first = pick_daily_question(pool, history, "channel-7:2026-03-03")
    for _ in range(5):
        assert pick_daily_question(pool, history, "channel-7:2026-03-03") == first
    assert _ids(_run(pool, 12, "same")) == _ids(_run(pool, 12, "same"))


def test_different_seeds_give_different_picks() -> None:
    pool = daily_pool(BANK, (), None)
    picks = {pick_daily_question(pool, [], f"seed-{i}").id for i in range(40)}
    assert len(picks) > 1


def test_the_real_bank_gives_a_full_round_without_repeats() -> None:
    bank = load_bank()
    pool = daily_pool(bank, (), None)
    assert pool and all(q.topic != BEHAVIOURAL for q in pool)
    picked = _ids(_run(pool, len(pool), "real-bank"))
    assert sorted(picked) == sorted(_ids(pool))
