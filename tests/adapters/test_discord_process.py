"""`python -m bot run` as its own process serving Discord, driven over the fake gateway."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

from discord_fake import FakeDiscord

TOKEN = "discord-process-token"
SYNCED = re.compile(r"discord: (\d+) commands synced")


async def _wait_for_line(stream: asyncio.StreamReader, pattern: re.Pattern[str]) -> re.Match[str]:
    seen: list[str] = []
    while line := await stream.readline():
        text = line.decode(errors="replace")
        seen.append(text)
        if match := pattern.search(text):
            return match
    raise AssertionError("the bot exited:\n" + "".join(seen))


async def test_the_bot_serves_discord_as_its_own_process(tmp_path: Path) -> None:
    async with FakeDiscord(token=TOKEN) as fake:
        environment = {
            k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))
        }
        environment.update(
            DISCORD_TOKEN=TOKEN,
            DISCORD_API_BASE=fake.api_base,
            DISCORD_GATEWAY_URL=fake.gateway_url,
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
        try:
            assert process.stderr is not None
            synced = await asyncio.wait_for(_wait_for_line(process.stderr, SYNCED), 60)
            assert int(synced.group(1)) == len(fake.commands[None]) > 10
            await fake.ready(timeout=30)
            payload = fake.slash_command("interview-help")
            await fake.dispatch("INTERACTION_CREATE", payload)
            (reply,) = await fake.wait_for("POST", fake.webhook_path(payload["id"]), timeout=30)
            assert "/mock-interview" in str(reply.json)
            process.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(process.wait(), 30) == 0
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


async def test_a_rejected_token_is_one_clear_line(tmp_path: Path) -> None:
    async with FakeDiscord(token=TOKEN) as fake:
        environment = {
            k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))
        }
        environment.update(
            DISCORD_TOKEN="not-the-token",
            DISCORD_API_BASE=fake.api_base,
            DISCORD_GATEWAY_URL=fake.gateway_url,
            DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
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
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    lines = stderr.decode().strip().splitlines()
    assert lines[-1].startswith("error: ") and "token" in lines[-1].lower()
    assert "Traceback" not in stderr.decode()
