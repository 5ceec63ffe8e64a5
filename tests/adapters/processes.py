"""Start `python -m bot run` as its own process for the platform tests."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path


def bot_environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    """This process's environment without platform settings, plus `settings` and a database."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    environment.update(DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", **settings)
    return environment


async def start_bot(tmp_path: Path, environment: dict[str, str]) -> asyncio.subprocess.Process:
    """`python -m bot run` in `tmp_path`, its log readable on stderr."""
    return await asyncio.create_subprocess_exec(
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


async def wait_for_line(
    stream: asyncio.StreamReader, pattern: re.Pattern[str], seen: list[str] | None = None
) -> re.Match[str]:
    """Read the log until a line matches (the bot logs when it is ready)."""
    seen = [] if seen is None else seen
    while line := await stream.readline():
        text = line.decode(errors="replace")
        seen.append(text)
        if match := pattern.search(text):
            return match
    raise AssertionError("the bot exited:\n" + "".join(seen))
