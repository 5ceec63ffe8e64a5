"""The Slack app in Socket Mode end to end: the real serve_slack against the fake's websocket."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from aiohttp import WSCloseCode
from slack_fake import (
    Args,
    FakeSlack,
    event_body,
    message_im_event,
    slash_command_body,
    socket_payload,
)
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.server import serve_slack
from bot.clock import FixedClock
from bot.engine import Engine
from bot.grading import OfflineGrader
from bot.settings import Settings, load_settings
from bot.storage import migrate
from bot.storage.store import Store
from question_bank import load_bank

BOT_TOKEN = "xoxb-test"
APP_TOKEN = "xapp-test"
MEMBER = "U0MEMBER"
CHANNEL = "C0PREP"
DM = "DU0MEMBER"
NOTHING_WAITING = "Nothing is waiting for an answer right now"
TIMEOUT = 5
FOREIGN_SETTINGS = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET")
"""Environment variables that would switch the bot to another Slack mode if set."""


@dataclass
class Running:
    """serve_slack running as a task, and the event that stops it."""

    stop: asyncio.Event
    task: asyncio.Task[None]

    async def shut_down(self) -> None:
        """Set `stop` and wait for serve_slack to return; re-raises anything it raised (again
        if it is already done)."""
        self.stop.set()
        await asyncio.wait_for(self.task, TIMEOUT)


@dataclass
class DeliverySpy:
    """Records `Engine.first_delivery` verdicts so a test can wait for a retry to be judged."""

    engine: Engine
    verdicts: dict[str, list[bool]] = field(default_factory=dict)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def __call__(self, key: str) -> bool:
        verdict = await type(self.engine).first_delivery(self.engine, key)
        async with self.changed:
            self.verdicts.setdefault(key, []).append(verdict)
            self.changed.notify_all()
        return verdict

    async def judged(self, key: str, count: int) -> list[bool]:
        """The verdicts for `key`, once there are `count` of them."""

        def ready() -> bool:
            return len(self.verdicts.get(key, [])) >= count

        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(ready), TIMEOUT)
        return self.verdicts[key]


@pytest.fixture(scope="module")
def grader() -> OfflineGrader:
    """The real offline grader."""
    return OfflineGrader.for_bank(load_bank())


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A SQLite file for this test."""
    return f"sqlite+aiosqlite:///{tmp_path / 'socket.db'}"


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    """A migrated SQLite database."""
    store = Store.from_url(database_url)
    await migrate.upgrade(store.engine)
    yield store
    await store.close()


@pytest.fixture
def engine(store: Store, grader: OfflineGrader) -> Engine:
    """The real engine on a clock frozen at Monday 2 March 2026, 08:00 UTC."""
    return Engine(store, load_bank(), grader, FixedClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC)))


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    """The fake Slack, accepting only the test's app token for Socket Mode."""
    async with FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as fake:
        fake.users[MEMBER] = {}
        yield fake


@pytest.fixture
def settings(slack: FakeSlack, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Socket Mode settings pointed at the fake, ignoring any `.env` and stray variables."""
    for name in FOREIGN_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return load_settings(
        _env_file=None,
        slack_bot_token=BOT_TOKEN,
        slack_app_token=APP_TOKEN,
        slack_api_base_url=slack.base_url,
        database_url=database_url,
    )


@pytest.fixture
async def running(slack: FakeSlack, engine: Engine, settings: Settings) -> AsyncIterator[Running]:
    """serve_slack connected to the fake over Socket Mode; stopped (and checked) at the end."""
    stop = asyncio.Event()
    served = Running(stop, asyncio.create_task(serve_slack(engine, settings, stop)))
    await slack.socket_connected(TIMEOUT)
    yield served
    await served.shut_down()


def _help_command(slack: FakeSlack) -> Args:
    body = slash_command_body(
        "/interview-help",
        "",
        MEMBER,
        channel_id=CHANNEL,
        channel_name="interview-prep",
        trigger_id="trigger-help",
        response_url=slack.response_url(),
        user_name="member",
    )
    return socket_payload(body)


def _dm(text: str, event_id: str) -> Args:
    return socket_payload(event_body(message_im_event(MEMBER, text), event_id=event_id))


async def test_connects_with_the_app_token_and_is_greeted(
    running: Running, slack: FakeSlack
) -> None:
    # One call checks the app token before connecting; the next opens the connection.
    checked, opened = slack.calls_to("apps.connections.open", ok=True)
    assert checked.token == opened.token == APP_TOKEN
    assert slack.envelopes[0]["type"] == "hello"
    assert slack.open_sockets == 1
    assert all(c.token == BOT_TOKEN for c in slack.calls if c.method != "apps.connections.open")


async def test_slash_command_is_acked_and_answered_via_response_url(
    running: Running, slack: FakeSlack
) -> None:
    envelope_id = await slack.send_envelope("slash_commands", _help_command(slack))
    assert await slack.wait_for_ack(envelope_id, TIMEOUT) == {"envelope_id": envelope_id}
    [reply] = await slack.wait_for("response_url", timeout=TIMEOUT)
    assert reply.args["response_type"] == "ephemeral"
    assert "/interview-help" in json.dumps(reply.args["blocks"])
    assert not slack.calls_to("chat.postMessage")


async def test_dm_is_answered_once_even_when_the_envelope_is_retried(
    running: Running,
    slack: FakeSlack,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spy = DeliverySpy(engine)
    monkeypatch.setattr(engine, "first_delivery", spy)
    payload = _dm("hello", "EvSock1")
    first = await slack.send_envelope("events_api", payload)
    assert await slack.wait_for_ack(first, TIMEOUT) == {"envelope_id": first}
    [answer] = await slack.wait_for("chat.postMessage", timeout=TIMEOUT)
    assert answer.args["channel"] == DM
    assert NOTHING_WAITING in json.dumps(answer.args)

    retry = await slack.send_envelope("events_api", payload, retry_attempt=1)
    await slack.wait_for_ack(retry, TIMEOUT)
    # The retry's handler has now been told "seen before"; past that point it posts nothing.
    assert await spy.judged("slack:EvSock1", count=2) == [True, False]
    assert len(slack.calls_to("chat.postMessage")) == 1

    await slack.send_envelope("events_api", _dm("hello again", "EvSock2"))
    posted = await slack.wait_for("chat.postMessage", count=2, timeout=TIMEOUT)
    assert [c.args["channel"] for c in posted] == [DM, DM]
    assert spy.verdicts["slack:EvSock2"] == [True]


async def test_a_disconnect_request_reconnects_and_keeps_serving(
    running: Running, slack: FakeSlack
) -> None:
    await slack.send_disconnect("refresh_requested")
    await slack.socket_connected(TIMEOUT, count=2)
    assert len(slack.calls_to("apps.connections.open", ok=True)) == 3  # check + 2 connections
    envelope_id = await slack.send_envelope("slash_commands", _help_command(slack))
    await slack.wait_for_ack(envelope_id, TIMEOUT)
    await slack.wait_for("response_url", timeout=TIMEOUT)
    assert slack.open_sockets == 1


async def test_stop_closes_the_socket_and_returns_cleanly(
    running: Running, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await running.shut_down()
    await slack.socket_closed(TIMEOUT)
    assert running.task.result() is None
    assert slack.connections == 1
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_a_bot_token_cannot_open_a_socket_connection(slack: FakeSlack) -> None:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=slack.base_url)
    with pytest.raises(SlackApiError) as refused:
        await client.apps_connections_open(app_token=BOT_TOKEN)
    assert refused.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as wrong:
        await client.apps_connections_open(app_token="xapp-other")
    assert wrong.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as misused:
        await AsyncWebClient(token=APP_TOKEN, base_url=slack.base_url).auth_test()
    assert misused.value.response["error"] == "not_allowed_token_type"


async def _open_socket(
    slack: FakeSlack, session: aiohttp.ClientSession
) -> aiohttp.ClientWebSocketResponse:
    opened = await AsyncWebClient(base_url=slack.base_url).apps_connections_open(
        app_token=APP_TOKEN
    )
    return await session.ws_connect(str(opened["url"]), autoping=False)


async def test_the_fake_speaks_the_socket_mode_protocol() -> None:
    async with aiohttp.ClientSession() as session:
        async with FakeSlack() as slack:
            socket = await _open_socket(slack, session)
            hello = await socket.receive_json(timeout=TIMEOUT)
            assert hello["type"] == "hello" and hello["num_connections"] == 1
            await slack.socket_connected(TIMEOUT)
            envelope_id = await slack.send_envelope("events_api", {"type": "event_callback"})
            assert await socket.receive_json(timeout=TIMEOUT) == {
                "envelope_id": envelope_id,
                "payload": {"type": "event_callback"},
                "type": "events_api",
                "accepts_response_payload": False,
                "retry_attempt": 0,
                "retry_reason": "",
            }
            await socket.ping(b"sdk-ping-pong:1")
            pong = await socket.receive(timeout=TIMEOUT)
            assert (pong.type, pong.data) == (aiohttp.WSMsgType.PONG, b"sdk-ping-pong:1")
            await socket.send_json({"envelope_id": envelope_id, "payload": {"text": "ok"}})
            ack = await slack.wait_for_ack(envelope_id, TIMEOUT)
            assert ack == {"envelope_id": envelope_id, "payload": {"text": "ok"}}
            assert slack.acks == [ack]
            closing = asyncio.ensure_future(socket.receive(timeout=TIMEOUT))
        message = await closing
    assert (message.type, message.data) == (aiohttp.WSMsgType.CLOSE, WSCloseCode.GOING_AWAY)
    assert slack.open_sockets == 0


async def test_the_fake_refuses_unknown_tickets_and_times_out_waits(slack: FakeSlack) -> None:
    url = f"ws://{slack.root_url.removeprefix('http://')}/socket?ticket=forged"
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(url)
    assert refused.value.status == 401
    with pytest.raises(AssertionError, match="no Socket Mode client"):
        await slack.send_envelope("events_api", {})
    with pytest.raises(AssertionError, match="ack of envelope nope"):
        await slack.wait_for_ack("nope", timeout=0.01)


async def test_a_rejected_app_token_stops_the_start(
    slack: FakeSlack, engine: Engine, settings: Settings
) -> None:
    wrong = settings.model_copy(update={"slack_app_token": "xapp-wrong"})
    with pytest.raises(SlackApiError):
        await asyncio.wait_for(serve_slack(engine, wrong, asyncio.Event()), TIMEOUT)
    assert slack.open_sockets == 0
