"""The scheduler's tick on real databases: catch-up, grace, DST, leaders, fan-out, recaps."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from people import Person, ScriptedGrader, text_of
from sqlalchemy import select

from adapters.console import ConsoleSender
from bot.clock import FixedClock
from bot.engine import Engine
from bot.events import QuestionCard
from bot.storage.leader import LeaderLock
from bot.storage.models import DailyPost
from bot.storage.store import Store
from question_bank import load_bank
from scheduler.jobs import tick
from scheduler.outbox import Outbox


class Printed(ConsoleSender):
    """The terminal's sender, keeping what it printed; `broken` channels fail to post."""

    def __init__(self, files: Path) -> None:
        self.lines: list[str] = []
        self.broken: set[str] = set()
        self.cards: list[QuestionCard] = []
        super().__init__(self.lines.append, files)

    async def post_question(self, card: QuestionCard) -> str:
        if card.channel.channel_id in self.broken:
            raise RuntimeError("channel_not_found")
        self.cards.append(card)
        return await super().post_question(card)


class Always:
    """A leader lock that always leads (two of them model a split brain)."""

    async def ensure(self) -> bool:
        return True


@pytest.fixture
def printed(tmp_path: Path) -> Printed:
    return Printed(tmp_path)


@pytest.fixture
def outbox(printed: Printed) -> Outbox:
    box = Outbox(concurrency=4)
    box.register("console", printed)
    return box


async def _setup(admin: Person, settings: str, channel: str = "general") -> None:
    replies = await admin.run(f"/daily-question setup {settings}", where=admin.in_channel(channel))
    assert "Daily question for this channel" in text_of(replies), text_of(replies)


async def _posts(store: Store) -> list[DailyPost]:
    async with store.transaction() as session:
        return list(await session.scalars(select(DailyPost).order_by(DailyPost.id)))


async def test_a_restart_within_the_grace_window_posts_once(
    person: Callable[..., Person],
    engine: Engine,
    clock: FixedClock,
    outbox: Outbox,
    printed: Printed,
) -> None:
    clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    await _setup(person("ada", admin=True), "time=09:00 tz=UTC days=daily")
    clock.set(datetime(2026, 3, 2, 11, 0, tzinfo=UTC))  # down from 08:00 to 11:00
    report = await tick(engine, outbox, Always(), first=True)  # type: ignore[arg-type]
    assert (report.posted, len(printed.cards)) == (1, 1)
    assert (await tick(engine, outbox, Always())).posted == 0  # type: ignore[arg-type]
    [post] = await _posts(engine.store)
    assert post.delivered_at is not None and post.message_ref == "terminal"


async def test_a_miss_older_than_the_grace_window_is_skipped_and_logged(
    person: Callable[..., Person],
    engine: Engine,
    clock: FixedClock,
    outbox: Outbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    await _setup(person("ada", admin=True), "time=09:00 tz=UTC days=daily")
    clock.set(datetime(2026, 3, 2, 15, 1, tzinfo=UTC))  # 6 h 1 min late
    with caplog.at_level(logging.WARNING):
        report = await tick(engine, outbox, Always(), first=True)  # type: ignore[arg-type]
    assert report.posted == 0 and await _posts(engine.store) == []
    assert "more than the grace window" in caplog.text
    clock.set(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))  # the next day goes out as usual
    assert (await tick(engine, outbox, Always())).posted == 1  # type: ignore[arg-type]


async def test_new_settings_apply_on_the_next_tick_and_a_pause_stops_posts(
    person: Callable[..., Person],
    engine: Engine,
    clock: FixedClock,
    outbox: Outbox,
) -> None:
    admin = person("ada", admin=True)
    clock.set(datetime(2026, 3, 2, 7, 30, tzinfo=UTC))
    await _setup(admin, "time=09:00 tz=UTC days=daily")
    assert (await tick(engine, outbox, Always())).posted == 0  # type: ignore[arg-type]
    await _setup(admin, "time=07:00")
    assert (await tick(engine, outbox, Always())).posted == 1  # type: ignore[arg-type]
    await admin.run("/daily-question pause")
    clock.advance(timedelta(days=1))
    assert (await tick(engine, outbox, Always())).posted == 0  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("days", "expected_utc_hours"),
    [
        # New York springs forward on Sunday 8 March 2026: 09:00 is 14:00 UTC, then 13:00.
        ([datetime(2026, 3, d, tzinfo=UTC) for d in (6, 7, 8, 9)], [14, 14, 13, 13]),
        # ...and falls back on Sunday 1 November 2026: 13:00 UTC, then 14:00.
        (
            [datetime(2026, 10, 30, tzinfo=UTC) + timedelta(days=i) for i in range(4)],
            [13, 13, 14, 14],
        ),
    ],
)
async def test_posts_at_nine_local_on_both_sides_of_a_dst_change(
    person: Callable[..., Person],
    engine: Engine,
    clock: FixedClock,
    outbox: Outbox,
    printed: Printed,
    days: list[datetime],
    expected_utc_hours: list[int],
) -> None:
    clock.set(days[0] - timedelta(hours=12))
    await _setup(person("ada", admin=True), "time=09:00 tz=America/New_York days=daily")
    for day, hour in zip(days, expected_utc_hours, strict=True):
        clock.set(day.replace(hour=hour) - timedelta(minutes=1))
        assert (await tick(engine, outbox, Always())).posted == 0, day  # type: ignore[arg-type]
        clock.set(day.replace(hour=hour))
        assert (await tick(engine, outbox, Always())).posted == 1, day  # type: ignore[arg-type]
        clock.advance(timedelta(hours=3))
        assert (await tick(engine, outbox, Always())).posted == 0, day  # type: ignore[arg-type]
    posts = await _posts(engine.store)
    assert [p.local_date.day for p in posts] == [d.day for d in days]


async def test_one_failing_channel_never_stops_the_others_and_is_retried(
    person: Callable[..., Person],
    engine: Engine,
    clock: FixedClock,
    outbox: Outbox,
    printed: Printed,
) -> None:
    admin = person("ada", admin=True)
    clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    for name in ("one", "two", "gone", "four"):
        await _setup(admin, "time=08:00 tz=UTC days=daily", channel=name)
    printed.broken.add("gone")
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    report = await tick(engine, outbox, Always())  # type: ignore[arg-type]
    assert (report.posted, report.failed) == (4, 1)
    assert sorted(c.channel.channel_id for c in printed.cards) == ["four", "one", "two"]
    status = text_of(await admin.run("/daily-question status", where=admin.in_channel("gone")))
    assert "Last problem posting here" in status and "channel_not_found" in status
    assert (await tick(engine, outbox, Always())).retried == 0  # type: ignore[arg-type]
    printed.broken.clear()
    clock.advance(timedelta(minutes=1))  # too soon: the first try might still be running
    assert (await tick(engine, outbox, Always())).retried == 0  # type: ignore[arg-type]
    clock.advance(timedelta(minutes=1))  # two minutes after the claim, it is retried
    report = await tick(engine, outbox, Always())  # type: ignore[arg-type]
    assert (report.retried, report.failed) == (1, 0)
    assert sorted(c.channel.channel_id for c in printed.cards) == ["four", "gone", "one", "two"]
    status = text_of(await admin.run("/daily-question status", where=admin.in_channel("gone")))
    assert "Last problem" not in status
    assert len(await _posts(engine.store)) == 4


async def test_two_schedulers_post_each_question_once(
    person: Callable[..., Person],
    engine: Engine,
    store: Store,
    clock: FixedClock,
    outbox: Outbox,
    printed: Printed,
) -> None:
    admin = person("ada", admin=True)
    clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    for name in ("one", "two", "three"):
        await _setup(admin, "time=08:00 tz=UTC days=daily", channel=name)
    other_store = Store.from_url(str(store.engine.url.render_as_string(hide_password=False)))
    try:
        other = Engine(other_store, load_bank(), ScriptedGrader(), clock)
        clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
        # Both believe they lead (a split brain): the database's claims still decide.
        reports = await asyncio.gather(
            tick(engine, outbox, Always()),  # type: ignore[arg-type]
            tick(other, outbox, Always()),  # type: ignore[arg-type]
            tick(engine, outbox, Always()),  # type: ignore[arg-type]
        )
    finally:
        await other_store.close()
    assert sum(r.posted for r in reports) == 3
    assert len(printed.cards) == 3 and len(await _posts(store)) == 3


async def test_only_one_process_leads_and_another_takes_over(store: Store) -> None:
    first, second = LeaderLock(store.engine), LeaderLock(store.engine)
    if store.engine.url.database in (None, ":memory:"):
        pytest.skip("an in-memory database belongs to one process")
    assert await first.ensure()
    assert not await second.ensure()
    assert await first.ensure()  # keeps leading
    await first.release()  # the leader stops (or dies: its session or file lock goes)
    assert await second.ensure()
    assert not await first.ensure()
    await second.release()


async def test_reveal_recap_and_reminders_go_out_once(
    person: Callable[..., Person],
    engine: Engine,
    clock: FixedClock,
    outbox: Outbox,
    printed: Printed,
) -> None:
    admin = person("ada", admin=True)
    bob = person("bob")
    clock.set(datetime(2026, 3, 9, 6, 0, tzinfo=UTC))  # Monday
    await _setup(admin, "time=08:00 tz=UTC days=daily reveal=2h")
    await bob.run("/streak reminders on")
    await bob.run("/review")  # nothing due yet, but it creates bob
    for day in range(7):  # a week of daily questions that bob answers
        clock.set(datetime(2026, 3, 2 + day, 8, 0, tzinfo=UTC))
        await tick(engine, outbox, Always())  # type: ignore[arg-type]
        await bob.run("/answer good")
        clock.advance(timedelta(hours=2))
        report = await tick(engine, outbox, Always())  # type: ignore[arg-type]
        assert report.revealed == 1
    clock.set(datetime(2026, 3, 9, 8, 0, tzinfo=UTC))  # Monday: recap time
    report = await tick(engine, outbox, Always())  # type: ignore[arg-type]
    assert report.recaps == 2  # the board and its chart
    assert any("Last week in #general" in line for line in printed.lines)
    assert (await tick(engine, outbox, Always())).recaps == 0  # type: ignore[arg-type]
    clock.set(datetime(2026, 3, 9, 21, 30, tzinfo=UTC))  # bob has not answered today
    report = await tick(engine, outbox, Always())  # type: ignore[arg-type]
    assert report.reminders == 1
    assert any("streak ends at midnight" in line for line in printed.lines)
    assert (await tick(engine, outbox, Always())).reminders == 0  # type: ignore[arg-type]


async def test_review_reminders_are_opt_in_and_daily(
    person: Callable[..., Person],
    engine: Engine,
    clock: FixedClock,
    outbox: Outbox,
    printed: Printed,
) -> None:
    bob = person("bob")
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    await bob.run("/mock-interview statistics 1")
    for word in ("weak answer", "skip", "skip"):
        await bob.say(word)
    clock.set(datetime(2026, 3, 4, 18, 30, tzinfo=UTC))  # the weak answer is due again
    assert (await tick(engine, outbox, Always())).reminders == 0  # type: ignore[arg-type]
    assert "Review reminders are on" in text_of(await bob.run("/review reminders on"))
    assert (await tick(engine, outbox, Always())).reminders == 1  # type: ignore[arg-type]
    assert any("due for review" in line for line in printed.lines)
    assert (await tick(engine, outbox, Always())).reminders == 0  # type: ignore[arg-type]
    assert "Usage: /review reminders on|off" in text_of(await bob.run("/review reminders maybe"))


async def test_a_post_that_went_out_is_never_posted_again_when_recording_it_fails(
    person: Callable[..., Person],
    engine: Engine,
    clock: FixedClock,
    outbox: Outbox,
    printed: Printed,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    await _setup(person("ada", admin=True), "time=08:00 tz=UTC days=daily")
    delivered = engine.scheduled.delivered

    async def locked(post_id: int, ref: str) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(engine.scheduled, "delivered", locked)
    monkeypatch.setattr("scheduler.outbox.RECORD_WAITS", (0, 0))
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    report = await tick(engine, outbox, Always())  # type: ignore[arg-type]
    assert (report.posted, report.failed, len(printed.cards)) == (1, 0, 1)
    assert outbox.unrecorded  # kept for the next round
    monkeypatch.setattr(engine.scheduled, "delivered", delivered)
    clock.advance(timedelta(minutes=30))  # long past every retry wait
    report = await tick(engine, outbox, Always())  # type: ignore[arg-type]
    assert (report.retried, len(printed.cards)) == (0, 1)
    [post] = await _posts(engine.store)
    assert post.delivered_at is not None and not outbox.unrecorded


async def test_a_process_only_claims_what_it_can_deliver(
    person: Callable[..., Person],
    engine: Engine,
    clock: FixedClock,
    outbox: Outbox,
) -> None:
    clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    slack_admin = person("ada", admin=True, platform="slack", workspace="T1")
    await _setup(slack_admin, "time=08:00 tz=UTC days=daily reveal=1h")
    await _setup(person("bo", admin=True), "time=08:00 tz=UTC days=daily reveal=1h")
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    # This process runs only the terminal: the Slack channel is left to a process with Slack.
    assert (await tick(engine, outbox, Always())).posted == 1  # type: ignore[arg-type]
    assert [p.channel_id for p in await _posts(engine.store)] == [2]
