"""`python -m bot run` as its own process serving Discord, driven over the fake gateway."""

from __future__ import annotations

import asyncio
import re
import signal
from pathlib import Path

from discord_fake import FakeDiscord
from processes import bot_environment, start_bot, wait_for_line

TOKEN = "discord-process-token"
SYNCED = re.compile(r"discord: (\d+) commands synced")


async def test_the_bot_serves_discord_as_its_own_process(tmp_path: Path) -> None:
    async with FakeDiscord(token=TOKEN) as fake:
        environment = bot_environment(
            tmp_path,
            DISCORD_TOKEN=TOKEN,
            DISCORD_API_BASE=fake.api_base,
            DISCORD_GATEWAY_URL=fake.gateway_url,
            LOG_LEVEL="INFO",
        )
        process = await start_bot(tmp_path, environment)
        try:
            assert process.stderr is not None
            synced = await asyncio.wait_for(wait_for_line(process.stderr, SYNCED), 60)
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
        environment = bot_environment(
            tmp_path,
            DISCORD_TOKEN="not-the-token",
            DISCORD_API_BASE=fake.api_base,
            DISCORD_GATEWAY_URL=fake.gateway_url,
        )
        process = await start_bot(tmp_path, environment)
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    lines = stderr.decode().strip().splitlines()
    assert lines[-1].startswith("error: ") and "token" in lines[-1].lower()
    assert "Traceback" not in stderr.decode()
