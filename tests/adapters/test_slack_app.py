"""The Slack app end to end: real slack-bolt over loopback HTTP, a fake Slack Web API."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_fake import (
    FORM,
    JSON,
    FakeSlack,
    app_home_opened_event,
    block_actions_body,
    event_body,
    message_im_event,
    post_to_app,
    slash_command_body,
    view_submission_body,
)
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.admins import AdminCheck
from adapters.slack.app import SlackBot
from adapters.slack.http import web_app
from adapters.slack.server import oauth_settings, slack_sender, web_client
from bot.clock import FixedClock
from bot.engine import Engine
from bot.grading import OfflineGrader
from bot.settings import load_settings
from bot.storage import migrate
from bot.storage.store import Store
from question_bank import load_bank
from scheduler.jobs import tick
from scheduler.outbox import Outbox

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"
ADMIN, MEMBER = "U0ADMIN", "U0MEMBER"
CHANNEL = "C0PREP"
PINGS = ("<!channel>", "<!here>", "<!everyone>", "<@U", "<!subteam")
STRONG = (
    "Bias is error from wrong assumptions, so the model underfits; variance is sensitivity to "
    "the particular training sample, so it overfits. More complexity lowers bias and raises "
    "variance; total error is bias squared plus variance plus noise, and regularization or "
    "cross-validation picks the balance."
)


class Leads:
    """This process leads the scheduler (leadership has its own tests)."""

    async def ensure(self) -> bool:
        return True


class Served:
    """The bot's Slack endpoint on an ephemeral loopback port."""

    def __init__(self, app: AsyncApp) -> None:
        self.runner = web.AppRunner(web_app(app, 0), access_log=None)
        self.url = ""

    async def __aenter__(self) -> Served:
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/slack/events"
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.runner.cleanup()

    async def command(
        self, slack: FakeSlack, line: str, user: str = MEMBER, channel: str = CHANNEL
    ) -> int:
        """Type a slash command; its replies go to the fake's response_url."""
        name, _, text = line.partition(" ")
        body = slash_command_body(
            name,
            text,
            user,
            channel_id=channel,
            channel_name="interview-prep",
            response_url=slack.response_url(),
            trigger_id=f"trigger-{name}",
            user_name=user.lower(),
        )
        status, _ = await post_to_app(self.url, body, FORM, SECRET)
        return status

    async def dm(self, user: str, text: str, event_id: str, retry: int | None = None) -> int:
        """A DM to the app."""
        body = event_body(message_im_event(user, text), event_id=event_id)
        status, _ = await post_to_app(self.url, body, JSON, SECRET, retry_num=retry)
        return status


@pytest.fixture(scope="module")
def grader() -> OfflineGrader:
    """The real offline grader (rubrics compile as questions come up)."""
    return OfflineGrader.for_bank(load_bank())


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated SQLite database."""
    store = Store.from_url(f"sqlite+aiosqlite:///{tmp_path / 'slack.db'}")
    await migrate.upgrade(store.engine)
    yield store
    await store.close()


@pytest.fixture
def clock() -> FixedClock:
    """Monday 2 March 2026, 08:00 UTC."""
    return FixedClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    """The fake Slack Web API, with one admin."""
    async with FakeSlack() as fake:
        fake.users[ADMIN] = {"is_admin": True}
        fake.users[MEMBER] = {}
        yield fake


@pytest.fixture
def engine(store: Store, clock: FixedClock, grader: OfflineGrader) -> Engine:
    """The real engine."""
    return Engine(store, load_bank(), grader, clock)


@pytest.fixture
async def served(slack: FakeSlack, engine: Engine) -> AsyncIterator[Served]:
    """The bot's bolt app, wired as in production but pointed at the fake."""
    client = AsyncWebClient(
        token=TOKEN,
        base_url=slack.base_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=3)],
    )
    app = SlackBot(engine, AdminCheck()).build(client=client, signing_secret=SECRET)
    async with Served(app) as server:
        yield server


def _texts(calls: list[Any]) -> str:
    return json.dumps([call.args for call in calls], ensure_ascii=False)


async def test_bad_signature_and_stale_timestamp_get_401_and_no_call(
    served: Served, slack: FakeSlack
) -> None:
    body = slash_command_body("/streak", "", MEMBER, response_url=slack.response_url())
    assert (await post_to_app(served.url, body, FORM, SECRET, bad_signature=True))[0] == 401
    stale = int((datetime.now(UTC) - timedelta(minutes=10)).timestamp())
    assert (await post_to_app(served.url, body, FORM, SECRET, timestamp=stale))[0] == 401
    assert slack.calls == []


async def test_the_daily_question_flow(served: Served, slack: FakeSlack, engine: Engine) -> None:
    assert await served.command(slack, "/daily-question setup time=09:00 tz=UTC reveal=1h") == 200
    assert await served.command(slack, "/daily-question setup days=daily", user=ADMIN) == 200
    refused, accepted = await slack.wait_for("response_url", count=2)
    assert "Only workspace admins" in _texts([refused])
    assert "Daily question for this channel" in _texts([accepted])

    await served.command(slack, "/daily-question now", user=ADMIN)
    (card,) = await slack.wait_for("chat.postMessage")
    assert card.args["channel"] == CHANNEL
    [actions] = [b for b in card.args["blocks"] if b["type"] == "actions"]
    post_id = actions["elements"][0]["value"]

    pressed = block_actions_body("daily-answer", post_id, MEMBER, channel_id=CHANNEL)
    assert (await post_to_app(served.url, pressed, FORM, SECRET))[0] == 200
    (opened,) = await slack.wait_for("views.open")
    modal = opened.args["view"]
    assert modal["callback_id"] == "daily-answer"
    metadata = modal["private_metadata"]

    empty = view_submission_body("daily-answer", metadata, {"answer": {"value": "   "}}, MEMBER)
    status, text = await post_to_app(served.url, empty, FORM, SECRET)
    assert status == 200 and "Write an answer first" in text

    huge = view_submission_body("daily-answer", metadata, {"answer": {"value": "x" * 3001}}, MEMBER)
    status, text = await post_to_app(served.url, huge, FORM, SECRET)
    assert status == 200 and "Keep it under 3,000 characters (this one has 3,001)" in text

    answer = view_submission_body("daily-answer", metadata, {"answer": {"value": STRONG}}, MEMBER)
    assert (await post_to_app(served.url, answer, FORM, SECRET))[0] == 200
    (feedback,) = await slack.wait_for("chat.postEphemeral")
    assert feedback.args["channel"] == CHANNEL and feedback.args["user"] == MEMBER
    assert "Score" in _texts([feedback]) and "Model answer" not in _texts([feedback])

    await served.command(slack, "/daily-question reveal", user=ADMIN)
    _, reveal = await slack.wait_for("chat.postMessage", count=2)
    question_ts = next(ts for (channel, ts) in slack.messages if channel == CHANNEL)
    assert reveal.args["thread_ts"] == question_ts
    assert "1 person answered" in _texts([reveal])


async def test_a_whole_mock_interview_in_the_dm(served: Served, slack: FakeSlack) -> None:
    assert await served.command(slack, "/mock-interview statistics 1") == 200
    (note,) = await slack.wait_for("response_url")
    assert "direct messages" in _texts([note])
    _intro, question = await slack.wait_for("chat.postMessage", count=2)
    dm = question.args["channel"]
    assert dm.startswith("D") and "Question 1 of 1" in _texts([question])
    seen = 2
    for event_id, text in enumerate(
        ("hint", "I think it is about the p-value and the null", "skip", "skip", "skip")
    ):
        await served.dm(MEMBER, text, f"Ev{event_id}")
        messages = await slack.wait_for("chat.postMessage", count=seen + 1)
        seen = len(messages)
        if "Scorecard" in _texts(messages):
            break
    everything = _texts(messages)
    assert all(m.args["channel"] == dm for m in messages)
    assert "Hint" in everything or "hint" in everything
    assert "Scorecard" in everything and "Model answer" in everything


async def test_a_retried_event_is_handled_once(
    served: Served, slack: FakeSlack, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    verdicts: list[bool] = []
    both_seen = asyncio.Event()
    first_delivery = engine.first_delivery

    async def noting(key: str) -> bool:
        verdict = await first_delivery(key)
        if key == "slack:EvSame":
            verdicts.append(verdict)
            if len(verdicts) == 2:
                both_seen.set()
        return verdict

    monkeypatch.setattr(engine, "first_delivery", noting)
    await served.command(slack, "/mock-interview statistics 2")
    await slack.wait_for("chat.postMessage", count=2)
    assert await served.dm(MEMBER, "skip", "EvSame") == 200
    before = await slack.wait_for("chat.postMessage", count=4)
    assert "Question 2 of 2" in _texts(before[2:])
    assert await served.dm(MEMBER, "skip", "EvSame", retry=1) == 200
    await asyncio.wait_for(both_seen.wait(), timeout=5)
    assert verdicts == [True, False]
    assert await served.dm(MEMBER, "repeat", "EvNext") == 200
    after = await slack.wait_for("chat.postMessage", count=5)
    assert "Question 2 of 2" in _texts(after[4:])
    assert "Scorecard" not in _texts(after)


async def test_app_home_shows_progress_and_admin_channels(served: Served, slack: FakeSlack) -> None:
    await served.command(slack, "/daily-question setup time=09:00 tz=UTC", user=ADMIN)
    await slack.wait_for("response_url")
    for user, event_id in ((MEMBER, "EvH1"), (ADMIN, "EvH2")):
        body = event_body(app_home_opened_event(user), event_id=event_id)
        assert (await post_to_app(served.url, body, JSON, SECRET))[0] == 200
    published = await slack.wait_for("views.publish", count=2)
    # The two events are handled concurrently, so the views may arrive in either order.
    homes = {call.args["user_id"]: call for call in published}
    member_home, admin_home = homes[MEMBER], homes[ADMIN]
    assert member_home.args["view"]["type"] == "home"
    assert "Start a mock interview" in _texts([member_home])
    assert "#interview-prep" not in _texts([member_home])
    assert "#interview-prep" in _texts([admin_home])
    start = block_actions_body("run-0", "/mock-interview", MEMBER, channel_id=None)
    assert (await post_to_app(served.url, start, FORM, SECRET))[0] == 200
    (question,) = await slack.wait_for("chat.postMessage")
    assert question.args["channel"].startswith("D")


async def test_a_429_during_a_post_is_retried_and_nothing_is_lost(
    served: Served, slack: FakeSlack
) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    await served.command(slack, "/daily-question setup time=09:00 tz=UTC", user=ADMIN)
    await served.command(slack, "/daily-question now", user=ADMIN)
    attempts = await slack.wait_for("chat.postMessage", count=2)
    assert [call.status for call in attempts] == [429, 200]
    assert len(slack.calls_to("chat.postMessage", ok=True)) == 1


async def test_mentions_in_user_text_never_ping(served: Served, slack: FakeSlack) -> None:
    await served.command(slack, "/timezone <!channel> <@U0ADMIN> @here")
    await served.command(slack, "/study-group create <!everyone>")
    replies = await slack.wait_for("response_url", count=2)
    text = _texts(replies)
    assert "not a time zone" in text
    assert not any(ping in text for ping in PINGS)


async def test_the_word_payload_in_a_command_is_not_lost(served: Served, slack: FakeSlack) -> None:
    assert await served.command(slack, "/timezone payload/zone") == 200
    (reply,) = await slack.wait_for("response_url")
    assert "payload/zone" in _texts([reply])


async def test_stats_upload_a_chart_to_the_dm(served: Served, slack: FakeSlack) -> None:
    await served.command(slack, "/interview-stats")
    (completed,) = await slack.wait_for("files.completeUploadExternal")
    assert completed.args["channel_id"].startswith("D")
    assert slack.uploaded[0].content.startswith(b"\x89PNG")


async def test_feedback_goes_to_the_dm_when_the_channel_is_gone(
    served: Served, slack: FakeSlack
) -> None:
    await served.command(slack, "/daily-question setup time=09:00 tz=UTC", user=ADMIN)
    await served.command(slack, "/daily-question now", user=ADMIN)
    (card,) = await slack.wait_for("chat.postMessage")
    actions = next(b for b in card.args["blocks"] if b["type"] == "actions")
    post_id = actions["elements"][0]["value"]
    slack.fail_channel(CHANNEL)
    metadata = json.dumps({"form": "daily-answer", "context": post_id, "channel": CHANNEL})
    answer = view_submission_body("daily-answer", metadata, {"answer": {"value": STRONG}}, MEMBER)
    assert (await post_to_app(served.url, answer, FORM, SECRET))[0] == 200
    _, dm = await slack.wait_for("chat.postMessage", count=2)
    assert dm.args["channel"].startswith("D") and "Score" in _texts([dm])


async def test_a_failure_after_the_ack_is_told_to_the_member(
    served: Served, slack: FakeSlack, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(event: object) -> list[object]:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(engine, "handle", broken)
    assert await served.command(slack, "/streak") == 200
    (reply,) = await slack.wait_for("response_url")
    assert "something went wrong" in _texts([reply])


async def test_scheduled_posts_reveals_recaps_and_reminders_reach_slack(
    served: Served, slack: FakeSlack, engine: Engine, clock: FixedClock
) -> None:
    settings = load_settings(
        _env_file=None,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_base_url=slack.base_url,
    )
    outbox = Outbox()
    outbox.register("slack", await slack_sender(engine, settings))
    clock.set(datetime(2026, 3, 9, 7, 0, tzinfo=UTC))  # a Monday
    await served.command(slack, "/daily-question setup time=08:00 tz=UTC reveal=1h", user=ADMIN)
    await served.command(slack, "/streak reminders on")
    await slack.wait_for("response_url", count=2)
    clock.set(datetime(2026, 3, 9, 8, 0, tzinfo=UTC))
    report = await tick(engine, outbox, Leads())  # type: ignore[arg-type]
    assert (report.posted, report.recaps) == (1, 2)
    question = next(c for c in slack.calls_to("chat.postMessage") if c.args.get("blocks"))
    assert question.args["channel"] == CHANNEL
    await served.command(slack, f"/answer {STRONG}")
    await slack.wait_for("response_url", count=3)
    clock.set(datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    assert (await tick(engine, outbox, Leads())).revealed == 1  # type: ignore[arg-type]
    reveal = slack.calls_to("chat.postMessage")[-1]
    assert reveal.args["thread_ts"] and "Model answer" in _texts([reveal])
    assert slack.calls_to("files.completeUploadExternal")  # the recap's chart
    clock.set(datetime(2026, 3, 10, 21, 30, tzinfo=UTC))  # Tuesday night, not answered yet
    assert (await tick(engine, outbox, Leads())).reminders == 1  # type: ignore[arg-type]
    reminder = slack.calls_to("chat.postMessage")[-1]
    assert reminder.args["channel"].startswith("D") and "streak ends" in _texts([reminder])


async def test_multi_workspace_install_page_keeps_its_state_in_our_database(
    slack: FakeSlack, engine: Engine
) -> None:
    settings = load_settings(
        _env_file=None,
        slack_client_id="111.222",
        slack_client_secret="client-secret",
        slack_signing_secret=SECRET,
        slack_api_base_url=slack.base_url,
    )
    oauth = await oauth_settings(engine, settings)
    assert oauth is not None
    app = SlackBot(engine, AdminCheck()).build(
        client=web_client(settings), signing_secret=SECRET, oauth_settings=oauth
    )
    runner = web.AppRunner(web_app(app, 0), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://{host}:{port}/slack/install", allow_redirects=False) as response,
        ):
            body = await response.text()
            location = response.headers.get("Location", "")
        assert response.status in (200, 302)
        authorize = location or body
        assert "slack.com/oauth/v2/authorize" in authorize and "client_id=111.222" in authorize
        assert "chat%3Awrite" in authorize or "chat:write" in authorize
        async with engine.store.engine.connect() as connection:
            states = await connection.exec_driver_sql("SELECT count(*) FROM slack_oauth_states")
            assert states.scalar() == 1
    finally:
        await runner.cleanup()
