"""The Discord bot end to end: real discord.py over a loopback REST API and gateway."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord_fake import (
    AUTOCOMPLETE_RESULT,
    DEFERRED_MESSAGE,
    EPHEMERAL,
    MANAGE_GUILD,
    MODAL,
    FakeDiscord,
)

from adapters.discord.bot import make_bot
from adapters.discord.sender import DiscordSender
from bot.clock import FixedClock
from bot.engine import Engine
from bot.grading import OfflineGrader
from bot.storage import migrate
from bot.storage.store import Store
from question_bank import load_bank
from scheduler.jobs import tick
from scheduler.outbox import Outbox

TOKEN = "discord-test-token"
TIMEOUT = 10
STRONG = (
    "Bias is error from wrong assumptions, so the model underfits; variance is sensitivity to "
    "the particular training sample, so it overfits. More complexity lowers bias and raises "
    "variance; total error is bias squared plus variance plus noise, and regularization or "
    "cross-validation picks the balance."
)


@pytest.fixture(scope="module")
def grader() -> OfflineGrader:
    """The real offline grader."""
    return OfflineGrader.for_bank(load_bank())


@pytest.fixture
async def engine(tmp_path: Path, grader: OfflineGrader) -> AsyncIterator[Engine]:
    """The real engine on a migrated SQLite database."""
    store = Store.from_url(f"sqlite+aiosqlite:///{tmp_path / 'discord.db'}")
    await migrate.upgrade(store.engine)
    yield Engine(store, load_bank(), grader, FixedClock(datetime(2026, 3, 2, 8, tzinfo=UTC)))
    await store.close()


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """The fake Discord, with discord.py pointed at it."""
    async with FakeDiscord(token=TOKEN) as server:
        monkeypatch.setattr(discord.http.Route, "BASE", server.api_base)
        monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url))
        yield server


@pytest.fixture
async def bot(fake: FakeDiscord, engine: Engine) -> AsyncIterator[commands.Bot]:
    """Our bot, logged in, commands synced, guilds cached."""
    client = make_bot(engine, guild_ready_timeout=0.05)
    running = asyncio.create_task(client.start(TOKEN))
    await asyncio.wait_for(client.wait_until_ready(), TIMEOUT)
    await fake.wait_for("PUT", r"/applications/\d+/commands", timeout=TIMEOUT)
    yield client
    await client.close()
    await asyncio.wait_for(running, TIMEOUT)


async def _command(
    fake: FakeDiscord, name: str, options: dict[str, Any] | None = None, **who: Any
) -> str:
    payload = fake.slash_command(name, options, **who)
    await fake.dispatch("INTERACTION_CREATE", payload)
    return str(payload["id"])


async def _followup(fake: FakeDiscord, interaction_id: str, count: int = 1) -> list[dict[str, Any]]:
    calls = await fake.wait_for(
        "POST", fake.webhook_path(interaction_id), count=count, timeout=TIMEOUT
    )
    return [call.json for call in calls]


def _text(payloads: list[dict[str, Any]]) -> str:
    return json.dumps(payloads, ensure_ascii=False)


async def test_commands_sync_as_the_engines_commands(
    fake: FakeDiscord, bot: commands.Bot, engine: Engine
) -> None:
    synced = {c["name"]: c for c in fake.commands[None]}
    assert set(synced) == {spec.name for spec in engine.commands}
    assert synced["daily-question"]["default_member_permissions"] == str(MANAGE_GUILD)
    assert {o["name"] for o in synced["daily-question"]["options"]} >= {"setup", "now", "status"}


async def test_the_daily_question_flow(fake: FakeDiscord, bot: commands.Bot) -> None:
    setup = await _command(
        fake,
        "daily-question setup",
        {"time": "09:00", "zone": "UTC", "reveal": "1h"},
        user=fake.admin,
    )
    assert (await fake.interaction_response(setup, TIMEOUT)).json["type"] == DEFERRED_MESSAGE
    assert "Daily question for this channel" in _text(await _followup(fake, setup))

    now = await _command(fake, "daily-question now", user=fake.admin)
    await _followup(fake, now)
    channel_messages = rf"/channels/{fake.channel.id}/messages"
    (posted,) = await fake.wait_for("POST", channel_messages, timeout=TIMEOUT)
    button = posted.json["components"][0]["components"][0]
    assert button["custom_id"].startswith("daily-answer:")
    assert posted.json["allowed_mentions"] == {"parse": []}
    question_id = posted.response["id"]

    click = fake.button_click(button["custom_id"], question_id)
    await fake.dispatch("INTERACTION_CREATE", click)
    opened = await fake.interaction_response(click["id"], TIMEOUT)
    assert opened.json["type"] == MODAL
    modal_id = opened.json["data"]["custom_id"]

    submit = fake.modal_submit(modal_id, {"answer": STRONG})
    await fake.dispatch("INTERACTION_CREATE", submit)
    deferred = await fake.interaction_response(submit["id"], TIMEOUT)
    assert deferred.json["data"]["flags"] & EPHEMERAL
    feedback = _text(await _followup(fake, submit["id"]))
    assert "Score" in feedback and "Model answer" not in feedback

    reveal = await _command(fake, "daily-question reveal", user=fake.admin)
    await _followup(fake, reveal)
    (thread,) = await fake.wait_for(
        "POST", rf"/channels/{fake.channel.id}/messages/{question_id}/threads", timeout=TIMEOUT
    )
    (revealed,) = await fake.wait_for(
        "POST", rf"/channels/{thread.response['id']}/messages", timeout=TIMEOUT
    )
    assert "Model answer" in _text([revealed.json]) and "1 person answered" in _text(
        [revealed.json]
    )


async def test_a_whole_mock_interview_in_dms(fake: FakeDiscord, bot: commands.Bot) -> None:
    start = await _command(fake, "mock-interview", {"topic": "statistics", "questions": 1})
    (note,) = await _followup(fake, start)
    assert "direct messages" in note["content"]
    (opened,) = fake.calls_to("POST", "/users/@me/channels")
    dm = opened.response["id"]
    messages = await fake.wait_for("POST", rf"/channels/{dm}/messages", count=2, timeout=TIMEOUT)
    assert "Question 1 of 1" in _text([m.json for m in messages])
    seen = len(messages)
    for word in ("hint", "I think it is about the p-value and the null", "skip", "skip", "skip"):
        await fake.dispatch("MESSAGE_CREATE", fake.dm_message(word, channel_id=dm))
        messages = await fake.wait_for(
            "POST", rf"/channels/{dm}/messages", count=seen + 1, timeout=TIMEOUT
        )
        seen = len(messages)
        if "Scorecard" in _text([m.json for m in messages]):
            break
    everything = _text([m.json for m in messages])
    assert "Scorecard" in everything and "Model answer" in everything


async def test_closed_dms_are_explained_in_the_channel(
    fake: FakeDiscord, bot: commands.Bot
) -> None:
    shy = fake.add_user("shy", accepts_dms=False)
    fake.add_member(fake.guild, shy)
    start = await _command(fake, "mock-interview", {"questions": 1}, user=shy)
    (reply,) = await _followup(fake, start)
    assert "can't send you direct messages" in reply["content"]
    assert reply["flags"] & EPHEMERAL


async def test_admin_commands_refuse_members_without_manage_server(
    fake: FakeDiscord, bot: commands.Bot
) -> None:
    refused = await _command(fake, "daily-question setup", {"time": "09:00"}, user=fake.user)
    assert "Only workspace admins" in _text(await _followup(fake, refused))
    assert not fake.calls_to("POST", rf"/channels/{fake.channel.id}/messages")


async def test_a_slow_answer_is_deferred_first_and_answered_once(
    fake: FakeDiscord, bot: commands.Bot, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = asyncio.Event()
    handle = engine.handle

    async def slow(event: Any) -> Any:
        await release.wait()
        return await handle(event)

    monkeypatch.setattr(engine, "handle", slow)
    streak = await _command(fake, "streak")
    deferred = await fake.interaction_response(streak, TIMEOUT)
    assert deferred.json["type"] == DEFERRED_MESSAGE
    assert fake.followups(streak) == []
    release.set()
    (reply,) = await _followup(fake, streak)
    assert "Current streak" in _text([reply])
    callbacks = fake.calls_to("POST", rf"/interactions/{streak}/.+/callback")
    assert len(callbacks) == 1


async def test_user_text_never_mentions_anyone(fake: FakeDiscord, bot: commands.Bot) -> None:
    hostile = await _command(fake, "timezone", {"zone": "@everyone <@&123> **bold**"})
    (reply,) = await _followup(fake, hostile)
    assert "not a time zone" in reply["content"]
    assert reply["allowed_mentions"] == {"parse": []}
    assert r"\*\*bold\*\*" in reply["content"]


async def test_forget_me_confirms_with_a_button(fake: FakeDiscord, bot: commands.Bot) -> None:
    ask = await _command(fake, "interview-forget-me")
    (reply,) = await _followup(fake, ask)
    button = reply["components"][0]["components"][0]
    assert button["custom_id"] == "run:/interview-forget-me confirm" and button["style"] == 4
    click = fake.button_click(button["custom_id"])
    await fake.dispatch("INTERACTION_CREATE", click)
    (done,) = await _followup(fake, click["id"])
    assert "rows about you are deleted" in _text([done])


async def test_topics_and_time_zones_autocomplete(fake: FakeDiscord, bot: commands.Bot) -> None:
    typing = fake.autocomplete("timezone", {"zone": "berl"}, "zone")
    await fake.dispatch("INTERACTION_CREATE", typing)
    zones = await fake.interaction_response(typing["id"], TIMEOUT)
    assert zones.json["type"] == AUTOCOMPLETE_RESULT
    assert {"name": "Europe/Berlin", "value": "Europe/Berlin"} in zones.json["data"]["choices"]
    typing = fake.autocomplete("mock-interview", {"topic": "stat"}, "topic")
    await fake.dispatch("INTERACTION_CREATE", typing)
    topics = await fake.interaction_response(typing["id"], TIMEOUT)
    assert topics.json["data"]["choices"] == [{"name": "statistics", "value": "statistics"}]


async def test_a_sharded_bot_connects_and_answers(fake: FakeDiscord, engine: Engine) -> None:
    client = make_bot(engine, shard_count=1, guild_ready_timeout=0.05)
    assert isinstance(client, commands.AutoShardedBot)
    running = asyncio.create_task(client.start(TOKEN))
    try:
        await asyncio.wait_for(client.wait_until_ready(), TIMEOUT)
        ask = await _command(fake, "interview-help")
        assert "/mock-interview" in _text(await _followup(fake, ask))
    finally:
        await client.close()
        await asyncio.wait_for(running, TIMEOUT)


async def test_scheduled_posts_and_reveals_reach_discord(
    fake: FakeDiscord, bot: commands.Bot, engine: Engine
) -> None:
    outbox = Outbox()
    outbox.register("discord", DiscordSender(bot, bot.bridge.delivery))  # type: ignore[attr-defined]
    clock = engine.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime(2026, 3, 9, 7, 0, tzinfo=UTC))
    setup = await _command(
        fake,
        "daily-question setup",
        {"time": "08:00", "zone": "UTC", "reveal": "1h"},
        user=fake.admin,
    )
    await _followup(fake, setup)
    clock.set(datetime(2026, 3, 9, 8, 0, tzinfo=UTC))
    report = await tick(engine, outbox, Leads())  # type: ignore[arg-type]
    assert report.posted == 1 and report.failed == 0
    (posted,) = await fake.wait_for(
        "POST", rf"/channels/{fake.channel.id}/messages", timeout=TIMEOUT
    )
    assert posted.json["components"][0]["components"][0]["custom_id"].startswith("daily-answer:")
    clock.set(datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    assert (await tick(engine, outbox, Leads())).revealed == 1  # type: ignore[arg-type]
    await fake.wait_for(
        "POST",
        rf"/channels/{fake.channel.id}/messages/{posted.response['id']}/threads",
        timeout=TIMEOUT,
    )


class Leads:
    """This process leads the scheduler."""

    async def ensure(self) -> bool:
        return True
