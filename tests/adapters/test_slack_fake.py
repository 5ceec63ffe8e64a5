"""The loopback Slack works with the real slack_sdk client, and its signed requests verify."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_fake import (
    BOT_USER_ID,
    FORM,
    JSON,
    TEAM_ID,
    FakeSlack,
    app_home_opened_event,
    block_actions_body,
    event_body,
    message_im_event,
    post_to_app,
    signed_request,
    slash_command_body,
    view_submission_body,
)
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-test"
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Q1* What is bias?"}}]


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(slack: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=slack.base_url)


@pytest.fixture
def no_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    """slack_sdk sleeps Retry-After + random.random() seconds; drop the random part."""
    monkeypatch.setattr(random, "random", lambda: 0.0)


# -- the Web API fake ----------------------------------------------------------------------


async def test_post_message_is_recorded_with_blocks(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    first = await client.chat_postMessage(channel="C1", text="Q1", blocks=BLOCKS)
    second = await client.chat_postMessage(channel="C1", text="Q2")

    (call, _) = slack.calls_to("chat.postMessage")
    assert (call.method, call.token, call.args["channel"]) == ("chat.postMessage", TOKEN, "C1")
    assert call.args["blocks"] == BLOCKS
    assert (first["channel"], first["ts"], second["ts"]) == (
        "C1",
        "1700000000.000100",
        "1700000000.000200",
    )
    assert first["message"]["blocks"] == BLOCKS
    assert slack.messages[("C1", first["ts"])]["text"] == "Q1"


async def test_form_encoded_json_fields_are_decoded_and_kept_raw(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    await client.api_call("chat.postMessage", data={"channel": "C1", "blocks": json.dumps(BLOCKS)})

    (call,) = slack.calls_to("chat.postMessage")
    assert call.args["blocks"] == BLOCKS
    assert call.raw["blocks"] == json.dumps(BLOCKS)


async def test_posting_to_a_user_lands_in_their_dm_and_updates_apply(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    posted = await client.chat_postMessage(channel="U1", text="hi")
    await client.chat_update(channel=posted["channel"], ts=posted["ts"], text="edited")
    opened = await client.conversations_open(users="U1")

    assert posted["channel"] == opened["channel"]["id"] == "DU1"
    assert slack.messages[("DU1", posted["ts"])]["text"] == "edited"


async def test_views_and_ephemeral_messages(slack: FakeSlack, client: AsyncWebClient) -> None:
    modal = {"type": "modal", "callback_id": "answer", "title": {"type": "plain_text", "text": "A"}}
    opened = await client.views_open(trigger_id="1.2.abc", view=modal)
    updated = await client.views_update(view_id=opened["view"]["id"], view=modal)
    home = await client.views_publish(user_id="U1", view={"type": "home", "blocks": BLOCKS})
    ephemeral = await client.chat_postEphemeral(channel="C1", user="U1", text="psst")

    assert opened["view"]["id"].startswith("V")
    assert updated["view"]["id"] == opened["view"]["id"]
    assert home["view"]["type"] == "home"
    assert slack.calls_to("views.open")[0].args["view"]["callback_id"] == "answer"
    assert ephemeral["message_ts"]


async def test_views_open_needs_a_trigger_id(client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client.api_call("views.open", json={"view": {"type": "modal"}})
    assert raised.value.response["error"] == "invalid_arguments"


async def test_files_upload_v2_delivers_the_bytes(slack: FakeSlack, client: AsyncWebClient) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    result = await client.files_upload_v2(
        channel="C1", file=png, filename="stats.png", title="Your week"
    )

    (upload,) = slack.uploaded
    assert (upload.name, upload.title, upload.channel) == ("stats.png", "Your week", "C1")
    assert upload.content == png
    assert result["file"]["id"] == upload.file_id
    assert [c.method for c in slack.calls] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]


async def test_users_info_serves_configured_users(slack: FakeSlack, client: AsyncWebClient) -> None:
    slack.users["U1"] = {"is_admin": True, "tz": "Asia/Tokyo", "real_name": "Ada"}

    user = (await client.users_info(user="U1"))["user"]
    with pytest.raises(SlackApiError) as raised:
        await client.users_info(user="U404")

    assert (user["is_admin"], user["is_owner"], user["tz"], user["real_name"]) == (
        True,
        False,
        "Asia/Tokyo",
        "Ada",
    )
    assert user["tz_offset"] == 9 * 3600
    assert raised.value.response["error"] == "user_not_found"
    assert slack.calls_to("users.info")[0].http_verb == "GET"


async def test_auth_test_names_the_bot(client: AsyncWebClient) -> None:
    auth = await client.auth_test()
    assert (auth["team_id"], auth["user_id"]) == (TEAM_ID, BOT_USER_ID)
    assert auth["bot_id"]


async def test_other_methods_answer_ok_and_are_recorded(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    await client.reactions_add(channel="C1", timestamp="1.2", name="tada")
    assert slack.calls_to("reactions.add")[0].args["name"] == "tada"


async def test_response_urls_are_recorded(slack: FakeSlack) -> None:
    url = slack.response_url("cmd")
    await AsyncWebhookClient(url).send(text="later", response_type="ephemeral")

    (call,) = await slack.wait_for("response_url")
    assert (call.args["name"], call.args["text"]) == ("cmd", "later")


# -- failure injection ---------------------------------------------------------------------


async def test_rate_limit_is_retried_once_then_recorded(slack: FakeSlack, no_jitter: None) -> None:
    retrying = AsyncWebClient(
        token=TOKEN,
        base_url=slack.base_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )
    slack.fail_next("chat.postMessage", status=429, retry_after=0)

    response = await retrying.chat_postMessage(channel="C1", text="hello")

    attempts = slack.calls_to("chat.postMessage")
    assert [c.status for c in attempts] == [429, 200]
    assert slack.calls_to("chat.postMessage", ok=True) == attempts[1:]
    assert response["ok"]


async def test_rate_limit_without_a_retry_handler_raises(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    slack.fail_next("chat.postMessage", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            await client.chat_postMessage(channel="C1", text="hello")
        assert raised.value.response.status_code == 429
        assert raised.value.response.headers["Retry-After"] == "0"
        assert raised.value.response["error"] == "ratelimited"
    await client.chat_postMessage(channel="C1", text="hello")
    assert [c.ok for c in slack.calls_to("chat.postMessage")] == [False, False, True]


async def test_server_errors_can_be_stacked_and_retried(slack: FakeSlack) -> None:
    retrying = AsyncWebClient(
        token=TOKEN,
        base_url=slack.base_url,
        retry_handlers=[
            AsyncServerErrorRetryHandler(2, FixedValueRetryIntervalCalculator(0)),
        ],
    )
    slack.fail_next("views.publish", status=500)
    slack.fail_next("views.publish", status=503)

    await retrying.views_publish(user_id="U1", view={"type": "home", "blocks": []})

    assert [c.status for c in slack.calls_to("views.publish")] == [500, 503, 200]


async def test_error_answers_raise_slack_api_error(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    slack.fail_next("chat.postMessage", error="channel_not_found")
    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel="C1", text="hello")
    assert raised.value.response.status_code == 200
    assert raised.value.response["error"] == "channel_not_found"
    await client.chat_postMessage(channel="C1", text="hello")


async def test_a_deleted_channel_fails_every_time(slack: FakeSlack, client: AsyncWebClient) -> None:
    slack.fail_channel("C999")
    for _ in range(2):
        with pytest.raises(SlackApiError, match="channel_not_found"):
            await client.chat_postMessage(channel="C999", text="hello")
    await client.chat_postMessage(channel="C1", text="elsewhere")
    slack.heal_channel("C999")
    await client.chat_postMessage(channel="C999", text="back")

    assert [c.error for c in slack.calls_to("chat.postMessage")] == [
        "channel_not_found",
        "channel_not_found",
        None,
        None,
    ]


async def test_a_strict_fake_rejects_other_tokens() -> None:
    async with FakeSlack(bot_token=TOKEN) as slack:
        stranger = AsyncWebClient(token="xoxb-other", base_url=slack.base_url)
        with pytest.raises(SlackApiError, match="invalid_auth"):
            await stranger.auth_test()


# -- waiting -------------------------------------------------------------------------------


async def test_wait_for_wakes_when_calls_arrive(slack: FakeSlack, client: AsyncWebClient) -> None:
    async def post_twice() -> None:
        await client.chat_postMessage(channel="C1", text="one")
        await client.chat_postMessage(channel="C1", text="two")

    task = asyncio.create_task(post_twice())
    calls = await slack.wait_for("chat.postMessage", count=2)
    await task

    assert [c.args["text"] for c in calls] == ["one", "two"]


async def test_wait_for_returns_at_once_when_already_there(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    await client.chat_postMessage(channel="C1", text="one")
    assert len(await slack.wait_for("chat.postMessage", timeout=0)) == 1


async def test_wait_for_times_out_with_what_it_saw(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    await client.auth_test()
    with pytest.raises(AssertionError, match=r"chat\.postMessage.*auth\.test"):
        await slack.wait_for("chat.postMessage", timeout=0.01)


# -- signing -------------------------------------------------------------------------------


def test_signed_headers_verify_and_tampering_does_not() -> None:
    body = slash_command_body("/interview", "start ml", "U1")
    headers = signed_request(SECRET, body, FORM)
    verifier = SignatureVerifier(SECRET)

    assert verifier.is_valid_request(body, headers)
    assert verifier.is_valid_request(body.encode(), headers)
    assert not verifier.is_valid_request(body.replace("start", "stop"), headers)
    assert not SignatureVerifier("another-secret").is_valid_request(body, headers)


def test_old_timestamps_fail_verification() -> None:
    body = event_body(message_im_event("U1", "hi"))
    headers = signed_request(SECRET, body, JSON, timestamp=int(time.time()) - 600)
    assert not SignatureVerifier(SECRET).is_valid_request(body, headers)


def test_slash_command_uses_slacks_field_names() -> None:
    body = slash_command_body("/interview", "start ml", "U1", "T1", "C1", "general", "1.2.3")
    fields = {k: v[0] for k, v in parse_qs(body).items()}
    assert list(fields) == [
        "token",
        "team_id",
        "team_domain",
        "channel_id",
        "channel_name",
        "user_id",
        "user_name",
        "command",
        "text",
        "api_app_id",
        "is_enterprise_install",
        "response_url",
        "trigger_id",
    ]
    assert (fields["command"], fields["text"], fields["trigger_id"]) == (
        "/interview",
        "start ml",
        "1.2.3",
    )


@pytest.fixture
async def echo() -> AsyncIterator[tuple[str, list[web.Request], list[bytes]]]:
    """A bare endpoint that keeps each request and its body."""
    requests: list[web.Request] = []
    bodies: list[bytes] = []

    async def keep(request: web.Request) -> web.Response:
        requests.append(request)
        bodies.append(await request.read())
        return web.Response(text="kept")

    app = web.Application()
    app.router.add_post("/slack/events", keep)
    async with _Served(app) as url:
        yield url, requests, bodies


async def test_post_to_app_sends_retry_headers_and_bad_signatures(
    echo: tuple[str, list[web.Request], list[bytes]],
) -> None:
    url, requests, bodies = echo
    body = event_body(app_home_opened_event("U1"))
    verifier = SignatureVerifier(SECRET)

    assert await post_to_app(url, body, JSON, SECRET, retry_num=1) == (200, "kept")
    await post_to_app(url, body, JSON, SECRET, bad_signature=True)

    first, second = requests
    assert first.headers["X-Slack-Retry-Num"] == "1"
    assert first.headers["X-Slack-Retry-Reason"] == "http_timeout"
    assert first.content_type == JSON
    assert verifier.is_valid_request(bodies[0], dict(first.headers))
    assert "X-Slack-Retry-Num" not in second.headers
    assert not verifier.is_valid_request(bodies[1], dict(second.headers))


# -- end to end through slack_bolt ---------------------------------------------------------


class _Served:
    """An aiohttp app on an ephemeral loopback port, as an async context manager."""

    def __init__(self, app: web.Application) -> None:
        self.runner = web.AppRunner(app, access_log=None)

    async def __aenter__(self) -> str:
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        host, port = self.runner.addresses[0][:2]
        return f"http://{host}:{port}/slack/events"

    async def __aexit__(self, *exc: object) -> None:
        await self.runner.cleanup()


def _bolt_app(slack: FakeSlack, seen: dict[str, dict[str, Any]]) -> AsyncApp:
    """Listeners note what they got before acking, so a 200 means it was noted."""
    bolt = AsyncApp(
        signing_secret=SECRET,
        client=AsyncWebClient(token=TOKEN, base_url=slack.base_url),
    )

    @bolt.command("/interview")
    async def command(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        seen["command"] = body
        await ack()
        await client.chat_postMessage(channel=body["channel_id"], text=body["text"])

    @bolt.event("message")
    async def message(event: dict[str, Any], say: Any) -> None:
        seen["message"] = event
        await say(f"echo {event['text']}")

    @bolt.event("app_home_opened")
    async def home(event: dict[str, Any], client: AsyncWebClient) -> None:
        seen["home"] = event
        await client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

    @bolt.action("answer")
    async def action(ack: Any, body: dict[str, Any]) -> None:
        seen["action"] = body
        await ack()

    @bolt.view("daily")
    async def view(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        seen["view"] = view
        await ack()

    return bolt


def _web_app(bolt: AsyncApp) -> web.Application:
    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    return app


async def test_bolt_accepts_every_payload_shape(slack: FakeSlack) -> None:
    seen: dict[str, dict[str, Any]] = {}
    async with _Served(_web_app(_bolt_app(slack, seen))) as url:
        command = slash_command_body("/interview", "start ml", "U1", channel_id="C1")
        assert (await post_to_app(url, command, FORM, SECRET))[0] == 200
        (posted,) = await slack.wait_for("chat.postMessage")
        assert (posted.args["channel"], posted.args["text"]) == ("C1", "start ml")

        dm = event_body(message_im_event("U1", "my answer"))
        assert (await post_to_app(url, dm, JSON, SECRET))[0] == 200
        _, echoed = await slack.wait_for("chat.postMessage", count=2)
        assert (echoed.args["channel"], echoed.args["text"]) == ("DU1", "echo my answer")

        home = event_body(app_home_opened_event("U1"))
        assert (await post_to_app(url, home, JSON, SECRET))[0] == 200
        (published,) = await slack.wait_for("views.publish")
        assert published.args["user_id"] == seen["home"]["user"] == "U1"

        pressed = block_actions_body("answer", "reveal", "U1", channel_id="DU1")
        submitted = view_submission_body("daily", "q-42", {"answer": {"text": "a mean"}}, "U1")
        assert (await post_to_app(url, pressed, FORM, SECRET))[0] == 200
        assert (await post_to_app(url, submitted, FORM, SECRET))[0] == 200

    assert seen["action"]["actions"][0]["value"] == "reveal"
    assert seen["action"]["container"]["channel_id"] == "DU1"
    assert seen["view"]["private_metadata"] == "q-42"
    assert seen["view"]["state"]["values"]["answer"]["text"]["value"] == "a mean"
    assert slack.calls_to("auth.test")


async def test_bolt_rejects_bad_signatures_and_stale_requests(slack: FakeSlack) -> None:
    seen: dict[str, dict[str, Any]] = {}
    async with _Served(_web_app(_bolt_app(slack, seen))) as url:
        body = slash_command_body("/interview", "start", "U1")
        stale = int(time.time()) - 600
        assert (await post_to_app(url, body, FORM, SECRET, bad_signature=True))[0] == 401
        assert (await post_to_app(url, body, FORM, SECRET, timestamp=stale))[0] == 401
    assert seen == {}
