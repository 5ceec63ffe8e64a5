"""`python -m bot run` as its own process serving Slack over HTTP, driven like Slack would."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
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


class BotProcess:
    """The bot started as `python -m bot run`, with its stderr read as it comes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.log: list[str] = []

    async def wait_for_line(self, pattern: re.Pattern[str], timeout: float = 60) -> re.Match[str]:
        """Read stderr until a line matches (the bot logs when it is ready)."""

        async def read() -> re.Match[str]:
            assert self.process.stderr is not None
            while line := await self.process.stderr.readline():
                text = line.decode(errors="replace")
                self.log.append(text)
                if match := pattern.search(text):
                    return match
            raise AssertionError("the bot exited:\n" + "".join(self.log))

        return await asyncio.wait_for(read(), timeout)


@pytest.fixture
async def bot_process(tmp_path: Path) -> AsyncIterator[tuple[BotProcess, FakeSlack, str]]:
    """The bot process on a free port, pointed at a fake Slack."""
    async with FakeSlack() as slack:
        environment = {
            k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))
        }
        environment.update(
            SLACK_BOT_TOKEN="xoxb-process",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_BASE_URL=slack.base_url,
            PORT="0",
            DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
            LOG_LEVEL="INFO",
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=tmp_path,
            env=environment,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        bot = BotProcess(process)
        try:
            url = (await bot.wait_for_line(LISTENING)).group(1)
            yield bot, slack, url
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


async def test_the_bot_serves_slack_as_its_own_process(
    bot_process: tuple[BotProcess, FakeSlack, str],
) -> None:
    bot, slack, url = bot_process
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

    bot.process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(bot.process.wait(), 30) == 0
