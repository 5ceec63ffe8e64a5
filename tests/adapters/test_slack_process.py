"""`python -m bot run` as its own process serving Slack over HTTP, driven like Slack would."""

from __future__ import annotations

import asyncio
import re
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from processes import bot_environment, start_bot, wait_for_line
from slack_fake import (
    FORM,
    JSON,
    FakeSlack,
    event_body,
    message_im_event,
    post_to_app,
    slash_command_body,
)

SECRET = "process-signing-secret"
LISTENING = re.compile(r"slack: listening on (http://\S+)")


@pytest.fixture
async def bot_process(
    tmp_path: Path,
) -> AsyncIterator[tuple[asyncio.subprocess.Process, FakeSlack, str]]:
    """The bot process on a free port, pointed at a fake Slack."""
    async with FakeSlack() as slack:
        environment = bot_environment(
            tmp_path,
            SLACK_BOT_TOKEN="xoxb-process",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_BASE_URL=slack.base_url,
            PORT="0",
            LOG_LEVEL="INFO",
        )
        process = await start_bot(tmp_path, environment)
        try:
            assert process.stderr is not None
            url = (await asyncio.wait_for(wait_for_line(process.stderr, LISTENING), 60)).group(1)
            yield process, slack, url
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


async def test_the_bot_serves_slack_as_its_own_process(
    bot_process: tuple[asyncio.subprocess.Process, FakeSlack, str],
) -> None:
    process, slack, url = bot_process
    help_command = slash_command_body(
        "/interview-help", "", "U0ONE", response_url=slack.response_url()
    )
    assert (await post_to_app(url, help_command, FORM, SECRET))[0] == 200
    (reply,) = await slack.wait_for("response_url", timeout=30)
    assert "/mock-interview" in str(reply.args)

    body = event_body(message_im_event("U0ONE", "hello there"), event_id="EvProcess")
    assert (await post_to_app(url, body, JSON, SECRET))[0] == 200
    (dm,) = await slack.wait_for("chat.postMessage", timeout=30)
    assert "Nothing is waiting for an answer" in str(dm.args)

    assert (await post_to_app(url, help_command, FORM, SECRET, bad_signature=True))[0] == 401

    process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(process.wait(), 30) == 0
