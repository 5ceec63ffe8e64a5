"""Streaks, points and leaderboards through the engine, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from people import Person, text_of
from sqlalchemy import select

from bot.clock import FixedClock
from bot.engine import Engine
from bot.events import Leaderboard, QuestionCard
from bot.progress import STREAK_BONUS_CAP
from bot.storage.models import Attempt, Channel, Streak
from bot.storage.store import Store


async def _streak(store: Store) -> Streak:
    async with store.transaction() as session:
        row = await session.scalar(select(Streak))
    assert row is not None
    return row


async def _daily(admin: Person, engine: Engine) -> QuestionCard:
    """Post today's question in the admin's channel (set up on first use)."""
    await admin.run("/daily-question setup time=09:00 tz=UTC days=daily reveal=12h")
    async with engine.store.transaction() as session:
        channel = await session.scalar(select(Channel))
    assert channel is not None
    cards = await engine.post_daily(channel.id)
    assert cards and isinstance(cards[0], QuestionCard)
    return cards[0]


async def _board(who: Person, args: str = "") -> Leaderboard:
    [board] = await who.run(f"/leaderboard {args}".strip())
    assert isinstance(board, Leaderboard)
    return board


async def test_streak_counts_local_days_with_a_capped_bonus(
    person: Callable[..., Person], engine: Engine, store: Store, clock: FixedClock
) -> None:
    admin = person("ada", admin=True)
    bob = person("bob")
    bonuses = []
    for day in range(STREAK_BONUS_CAP + 3):
        await _daily(admin, engine)
        await bob.run("/answer good")
        async with store.transaction() as session:
            attempt = await session.scalar(select(Attempt).order_by(Attempt.id.desc()).limit(1))
        assert attempt is not None
        bonuses.append(attempt.streak_bonus)
        clock.advance(timedelta(days=1))
        del day
    assert bonuses == [0, 1, 2, 3, 4, 5, 5, 5]
    streak = await _streak(store)
    assert (streak.current, streak.longest, streak.freezes) == (8, 8, 1)
    text = text_of(await bob.run("/streak"))
    assert "Current streak: 8 days" in text and "Freezes: 1 of 2" in text


async def test_a_second_answer_the_same_day_adds_no_streak_day(
    person: Callable[..., Person], engine: Engine, store: Store
) -> None:
    admin = person("ada", admin=True)
    await _daily(admin, engine)
    bob = person("bob")
    await bob.run("/answer good")
    await bob.run("/mock-interview statistics 1")
    await bob.say("good answer in the interview")
    assert (await _streak(store)).current == 1


async def test_a_freeze_covers_a_missed_day_and_dont_know_keeps_no_streak(
    person: Callable[..., Person], engine: Engine, store: Store, clock: FixedClock
) -> None:
    admin = person("ada", admin=True)
    bob = person("bob")
    for _ in range(7):
        await _daily(admin, engine)
        await bob.run("/answer good")
        clock.advance(timedelta(days=1))
    assert (await _streak(store)).freezes == 1
    clock.advance(timedelta(days=1))  # a day missed
    await _daily(admin, engine)
    await bob.run("/answer idk")  # "I don't know" does not count the day
    assert (await _streak(store)).current == 7
    await bob.run("/answer good after all")
    streak = await _streak(store)
    assert (streak.current, streak.freezes) == (8, 0)


async def test_streak_day_follows_the_members_time_zone(
    person: Callable[..., Person], engine: Engine, store: Store, clock: FixedClock
) -> None:
    admin = person("ada", admin=True)
    bob = person("bob")
    await bob.run("/timezone Asia/Tokyo")
    # 23:30 UTC on 2 Mar is 08:30 on 3 Mar in Tokyo; 00:30 UTC is still 3 Mar there.
    clock.set(datetime(2026, 3, 2, 23, 30, tzinfo=UTC))
    await _daily(admin, engine)
    await bob.run("/answer good")
    clock.set(datetime(2026, 3, 3, 0, 30, tzinfo=UTC))
    await _daily(admin, engine)
    await bob.run("/answer good")
    streak = await _streak(store)
    assert streak.current == 1
    assert str(streak.last_active_date) == "2026-03-03"
    assert "midnight Asia/Tokyo" in text_of(await bob.run("/streak"))


async def test_bad_time_zone_is_explained_and_changes_nothing(
    person: Callable[..., Person],
) -> None:
    bob = person("bob")
    await bob.run("/timezone Europe/Berlin")
    assert "Did you mean Europe/Berlin" in text_of(await bob.run("/timezone Europe/Berln"))
    assert "Europe/Berlin (your own setting)" in text_of(await bob.run("/timezone"))
    assert "Only workspace admins" in text_of(await bob.run("/timezone workspace UTC"))


async def test_rest_days_do_not_break_a_streak(
    person: Callable[..., Person], engine: Engine, store: Store, clock: FixedClock
) -> None:
    admin = person("ada", admin=True)
    bob = person("bob")
    assert "Rest days: Sat, Sun" in text_of(await bob.run("/streak rest sat,sun"))
    clock.set(datetime(2026, 3, 6, 12, 0, tzinfo=UTC))  # a Friday
    await _daily(admin, engine)
    await bob.run("/answer good")
    clock.set(datetime(2026, 3, 9, 12, 0, tzinfo=UTC))  # the Monday after
    await _daily(admin, engine)
    await bob.run("/answer good")
    assert (await _streak(store)).current == 2
    assert "at least one day" in text_of(await bob.run("/streak rest daily"))


async def test_leaderboard_shows_top_ten_and_the_callers_own_rank(
    person: Callable[..., Person], engine: Engine
) -> None:
    admin = person("ada", admin=True)
    await _daily(admin, engine)
    people = [person(f"p{i:02d}") for i in range(12)]
    for i, who in enumerate(people):
        await who.run(f"/answer score={95 - 5 * i}")
    board = await _board(people[-1])
    assert [line.name for line in board.lines] == [f"p{i:02d}" for i in range(10)]
    assert [line.rank for line in board.lines] == list(range(1, 11))
    assert [(o.rank, o.name, o.you) for o in board.own] == [(12, "p11", True)]
    top = await _board(people[0], "all-time server")
    assert top.lines[0].you and top.own == ()


async def test_ties_go_to_whoever_got_there_first(
    person: Callable[..., Person], engine: Engine, clock: FixedClock
) -> None:
    admin = person("ada", admin=True)
    await _daily(admin, engine)
    late, early = person("zed"), person("amy")
    await late.run("/answer score=50")
    clock.advance(timedelta(minutes=1))
    await early.run("/answer score=50")
    board = await _board(late)
    assert [line.name for line in board.lines] == ["zed", "amy"]


async def test_weekly_board_starts_again_on_monday_in_the_workspace_zone(
    person: Callable[..., Person], engine: Engine, clock: FixedClock
) -> None:
    admin = person("ada", admin=True)
    await admin.run("/timezone workspace Pacific/Auckland")
    bob = person("bob")
    # Sunday 8 Mar 10:00 UTC is already Sunday 23:00 in Auckland (UTC+13).
    clock.set(datetime(2026, 3, 8, 10, 0, tzinfo=UTC))
    await _daily(admin, engine)
    await bob.run("/answer good")
    assert (await _board(bob)).lines[0].points == 9
    # 11:30 UTC is Monday 00:30 in Auckland: a new week there, though still Sunday in UTC.
    clock.set(datetime(2026, 3, 8, 11, 30, tzinfo=UTC))
    weekly = await _board(bob, "weekly")
    assert weekly.lines == () and "Monday 00:00 Pacific/Auckland" in weekly.footer
    assert (await _board(bob, "all-time")).lines[0].points == 9


async def test_hidden_members_leave_public_boards_but_see_their_rank(
    person: Callable[..., Person], engine: Engine
) -> None:
    admin = person("ada", admin=True)
    await _daily(admin, engine)
    shy, other = person("shy"), person("other")
    await shy.run("/answer good")
    await other.run("/answer half")
    await shy.run("/leaderboard hide")
    public = await _board(other)
    assert [line.name for line in public.lines] == ["other"]
    assert public.lines[0].rank == 1
    own = await _board(shy)
    assert [(o.rank, o.you) for o in own.own] == [(1, True)]
    assert "hidden" in own.own[0].detail
    await shy.run("/answer good again, still hidden")  # new points stay hidden too
    assert [line.name for line in (await _board(other)).lines] == ["other"]
    await shy.run("/leaderboard show")
    assert [line.name for line in (await _board(other)).lines] == ["shy", "other"]


async def test_channel_board_counts_that_channels_daily_answers_only(
    person: Callable[..., Person], engine: Engine
) -> None:
    admin = person("ada", admin=True)
    await _daily(admin, engine)
    bob = person("bob")
    await bob.run("/answer half")
    await bob.run("/mock-interview statistics 1")
    await bob.say("good interview answer")
    channel = await _board(bob, "all-time channel")
    server = await _board(bob, "all-time server")
    assert channel.lines[0].points == 5
    assert server.lines[0].points == 5 + 9
    elsewhere = await bob.run("/leaderboard channel", where=bob.in_channel("random"))
    assert "Nobody has points here yet" in text_of(elsewhere)
    assert "in that channel" in text_of(await bob.run("/leaderboard channel", where=bob.dm))


async def test_bad_leaderboard_options_are_explained(person: Callable[..., Person]) -> None:
    text = text_of(await person("bob").run("/leaderboard monthly"))
    assert "I don't know 'monthly'" in text and "weekly|all-time" in text
