"""The daily question end to end through the engine, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from people import Person, text_of
from sqlalchemy import select

from bot.clock import FixedClock
from bot.engine import Engine
from bot.events import FormRequest, QuestionCard, Reply, RevealCard
from bot.storage.models import Attempt, BoardEntry, Channel, DailyPost
from bot.storage.store import Store

SETUP = "/daily-question setup time=09:00 tz=Europe/Berlin days=mon-fri reveal=2h"


async def _rows(store: Store, model, **where) -> list:  # type: ignore[no-untyped-def]
    async with store.transaction() as session:
        query = select(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return list(await session.scalars(query))


async def _post(admin: Person) -> QuestionCard:
    await admin.run(SETUP)
    cards = [m for m in await admin.run("/daily-question now") if isinstance(m, QuestionCard)]
    assert len(cards) == 1
    return cards[0]


@pytest.mark.parametrize(
    ("setting", "complaint"),
    [
        ("time=25:00", "not a time of day"),
        ("tz=Mars/Olympus", "not a time zone"),
        ("days=", "name=value"),
        ("days=funday", "not a weekday"),
        ("difficulty=insane", "not a difficulty"),
        ("reveal=0m", "between 1 minute and 6 days"),
        ("topics=astrology", "not a topic"),
        ("colour=blue", "don't know the setting"),
    ],
)
async def test_invalid_setup_explains_and_changes_nothing(
    person: Callable[..., Person], store: Store, setting: str, complaint: str
) -> None:
    admin = person("ada", admin=True)
    await admin.run(SETUP)
    before = await _rows(store, Channel)
    replies = await admin.run(f"/daily-question setup time=10:00 {setting}")
    assert complaint in text_of(replies)
    after = await _rows(store, Channel)
    assert [(c.post_time, c.timezone, c.weekdays) for c in after] == [
        (c.post_time, c.timezone, c.weekdays) for c in before
    ]
    assert after[0].post_time == "09:00"


async def test_setup_without_settings_offers_a_prefilled_form(
    person: Callable[..., Person],
) -> None:
    admin = person("ada", admin=True)
    await admin.run(SETUP)
    [form] = await admin.run("/daily-question setup")
    assert isinstance(form, FormRequest)
    values = {f.name: f.value for f in form.fields}
    assert values["time"] == "09:00" and values["tz"] == "Europe/Berlin"
    assert values["reveal"] == "2h" and "time=09:00" in form.command


async def test_setup_form_submission_uses_the_same_rules(
    person: Callable[..., Person], store: Store
) -> None:
    admin = person("ada", admin=True)
    await admin.run(SETUP)
    bad = await admin.submit("daily-setup", time="9:00", tz="Nowhere/Land")
    assert "not a time zone" in text_of(bad)
    await admin.submit("daily-setup", time="7:30", tz="America/New_York", days="mon,wed")
    [channel] = await _rows(store, Channel)
    assert (channel.post_time, channel.timezone, channel.weekdays) == (
        "07:30",
        "America/New_York",
        0b101,
    )


async def test_only_admins_change_the_daily_question(
    person: Callable[..., Person], store: Store
) -> None:
    member = person("bob")
    for action in ("setup time=10:00", "pause", "resume", "now", "reveal"):
        replies = await member.run(f"/daily-question {action}")
        assert "Only workspace admins" in text_of(replies)
    assert await _rows(store, DailyPost) == []
    assert "no daily question" in text_of(await member.run("/daily-question status"))


async def test_daily_question_is_set_up_in_a_channel_not_a_dm(
    person: Callable[..., Person],
) -> None:
    admin = person("ada", admin=True)
    replies = await admin.run(SETUP, where=admin.dm)
    assert "in the channel" in text_of(replies)


async def test_one_post_per_channel_and_local_day(
    person: Callable[..., Person], engine: Engine, store: Store, clock: FixedClock
) -> None:
    admin = person("ada", admin=True)
    card = await _post(admin)
    assert "Answer" not in card.title and card.prompt
    assert "already posted" in text_of(await admin.run("/daily-question now"))
    [channel] = await _rows(store, Channel)
    assert await engine.post_daily(channel.id) == []
    # Many concurrent attempts for the same day: still one post.
    results = await asyncio.gather(*(engine.post_daily(channel.id) for _ in range(5)))
    assert all(r == [] for r in results)
    clock.advance(timedelta(days=1))
    [next_card] = await engine.post_daily(channel.id)
    assert next_card.prompt != card.prompt
    assert len(await _rows(store, DailyPost)) == 2


async def test_paused_channel_gets_no_scheduled_post(
    person: Callable[..., Person], engine: Engine, store: Store
) -> None:
    admin = person("ada", admin=True)
    await admin.run(SETUP)
    await admin.run("/daily-question pause")
    [channel] = await _rows(store, Channel)
    assert await engine.post_daily(channel.id) == []
    assert "paused" in text_of(await admin.run("/daily-question status"))
    await admin.run("/daily-question resume")
    assert len(await engine.post_daily(channel.id)) == 1


async def test_answer_gets_private_feedback_without_the_model_answer(
    person: Callable[..., Person], engine: Engine
) -> None:
    admin = person("ada", admin=True)
    await _post(admin)
    bob = person("bob")
    replies = await bob.run("/answer half of it")
    assert all(isinstance(r, Reply) and r.private for r in replies)
    text = text_of(replies)
    assert "Score 50/100" in text and "+5 points" in text
    assert "A strong answer would also cover" in text
    question = engine.bank.get((await _rows(engine.store, DailyPost))[0].question_id)
    assert question is not None and question.reference_answer not in text


async def test_dont_know_gets_no_model_answer_before_the_reveal(
    person: Callable[..., Person], engine: Engine
) -> None:
    admin = person("ada", admin=True)
    await _post(admin)
    text = text_of(await person("bob").run("/answer idk"))
    question = engine.bank.get((await _rows(engine.store, DailyPost))[0].question_id)
    assert question is not None and question.reference_answer not in text
    assert "Model answer" not in text


async def test_answering_again_replaces_and_never_adds_points_twice(
    person: Callable[..., Person], store: Store
) -> None:
    admin = person("ada", admin=True)
    await _post(admin)
    bob = person("bob")
    await bob.run("/answer half of it")
    replies = await bob.run("/answer good answer now")
    assert "replaces your earlier answer" in text_of(replies)
    [attempt] = await _rows(store, Attempt)
    assert (attempt.score, attempt.points) == (90, 9)
    entries = await _rows(store, BoardEntry, member_id=attempt.member_id)
    # Workspace and channel boards, all-time and weekly: 9 points each, not 5 + 9.
    assert sorted(e.points for e in entries) == [9, 9, 9, 9]
    await bob.run("/answer something weak")
    entries = await _rows(store, BoardEntry, member_id=attempt.member_id)
    assert {e.points for e in entries} == {1}


async def test_answer_after_the_reveal_is_practice_and_keeps_the_counted_one(
    person: Callable[..., Person], store: Store
) -> None:
    admin = person("ada", admin=True)
    await _post(admin)
    bob, cy = person("bob"), person("cy")
    await bob.run("/answer half of it")
    revealed = await admin.run("/daily-question reveal")
    assert any(isinstance(m, RevealCard) for m in revealed)
    late = await bob.run("/answer good answer, too late")
    assert "for practice and earns no points" in text_of(late)
    await cy.run("/answer good late answer")
    attempts = {(a.score, a.counts_for_points, a.points) for a in await _rows(store, Attempt)}
    assert attempts == {(50, True, 5), (90, False, 0), (90, False, 0)}
    bob_entries = [e for e in await _rows(store, BoardEntry) if e.points]
    assert {e.points for e in bob_entries} == {5}


async def test_reveal_shows_anonymous_results_once(
    person: Callable[..., Person], engine: Engine, store: Store
) -> None:
    admin = person("ada", admin=True)
    await _post(admin)
    await person("bob").run("/answer good one")
    await person("cy").run("/answer half one")
    await person("dee").run("/answer meh")
    [post] = await _rows(store, DailyPost)
    await engine.daily.set_message_ref(post.id, "1700000000.000100")
    [card] = await engine.reveal(post.id)
    assert isinstance(card, RevealCard)
    assert card.thread == "1700000000.000100"
    assert card.answered == 3
    assert dict(card.histogram) == {"0-19": 1, "20-39": 0, "40-59": 1, "60-79": 0, "80-100": 1}
    shares = [count for _, count in card.key_points]
    assert shares[0] == 2 and shares[-1] == 1
    names = " ".join(label for label, _ in card.key_points)
    assert "bob" not in names and "cy" not in names
    assert await engine.reveal(post.id) == []
    assert "already revealed" in text_of(await admin.run("/daily-question reveal"))


async def test_due_reveals_come_out_when_their_time_comes(
    person: Callable[..., Person], engine: Engine, clock: FixedClock
) -> None:
    admin = person("ada", admin=True)
    await _post(admin)
    assert await engine.reveal_due() == []
    clock.advance(timedelta(hours=2))
    [card] = await engine.reveal_due()
    assert isinstance(card, RevealCard)
    assert await engine.reveal_due() == []


async def test_button_opens_the_form_and_the_form_is_graded(
    person: Callable[..., Person], store: Store
) -> None:
    admin = person("ada", admin=True)
    card = await _post(admin)
    bob = person("bob")
    [form] = await bob.press("daily-answer", str(card.post_id))
    assert isinstance(form, FormRequest)
    assert form.context == str(card.post_id) and form.intro == card.prompt
    replies = await bob.submit("daily-answer", post=str(card.post_id), answer="good form answer")
    assert "Score 90/100" in text_of(replies)
    assert [a.score for a in await _rows(store, Attempt)] == [90]


async def test_form_for_another_workspaces_post_is_refused(
    person: Callable[..., Person], store: Store
) -> None:
    card = await _post(person("ada", admin=True))
    stranger = person("eve", workspace="elsewhere")
    replies = await stranger.submit("daily-answer", post=str(card.post_id), answer="good")
    assert "no longer exists" in text_of(replies)
    assert await _rows(store, Attempt) == []


async def test_answer_from_a_dm_goes_to_the_latest_post(person: Callable[..., Person]) -> None:
    await _post(person("ada", admin=True))
    bob = person("bob")
    replies = await bob.run("/answer good from my DM", where=bob.dm)
    assert "Score 90/100" in text_of(replies)


async def test_nothing_to_answer_gets_a_clear_message(person: Callable[..., Person]) -> None:
    replies = await person("bob").run("/answer good")
    assert "no daily question to answer" in text_of(replies)


async def test_huge_and_strange_answers_are_stored(
    person: Callable[..., Person], store: Store
) -> None:
    await _post(person("ada", admin=True))
    weird = "good \x00 <!channel> @everyone 😀 " + "x" * 50_000
    replies = await person("bob").run(f"/answer {weird}")
    assert "graded the first" in text_of(replies)
    [attempt] = await _rows(store, Attempt)
    assert "\x00" not in attempt.answer_text and "<!channel>" in attempt.answer_text
    assert len(attempt.answer_text) == 20_000


async def test_channel_question_rotates_topics_without_repeats(
    person: Callable[..., Person], engine: Engine, store: Store, clock: FixedClock
) -> None:
    admin = person("ada", admin=True)
    await admin.run(SETUP + " topics=statistics,evaluation difficulty=easy")
    [channel] = await _rows(store, Channel)
    topics, asked = [], []
    for _ in range(6):
        [card] = await engine.post_daily(channel.id)
        post = (await _rows(store, DailyPost, id=card.post_id))[0]
        question = engine.bank.get(post.question_id)
        assert question is not None and question.difficulty == 1
        topics.append(question.topic)
        asked.append(question.id)
        clock.advance(timedelta(days=1))
    assert len(set(asked)) == 6
    assert all(a != b for a, b in itertools.pairwise(topics))


async def test_status_reports_schedule_and_latest_post(
    person: Callable[..., Person], clock: FixedClock
) -> None:
    admin = person("ada", admin=True)
    clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    await _post(admin)
    await person("bob").run("/answer good")
    text = text_of(await admin.run("/daily-question status"))
    assert "09:00 Europe/Berlin on weekdays" in text
    assert "Next question: Tue 3 Mar 09:00 CET" in text
    assert "1 answered" in text
