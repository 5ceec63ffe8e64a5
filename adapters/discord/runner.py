"""Run the Discord bot until asked to stop; loopback REST and gateway URLs for tests."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord.bot import make_bot
from adapters.discord.delivery import DiscordDelivery
from adapters.discord.sender import DiscordSender
from bot.engine import Engine
from bot.settings import Settings
from scheduler.outbox import Outbox

log = logging.getLogger(__name__)


def point_at(api_base: str | None, gateway_url: str | None) -> None:
    """Send discord.py's REST calls and gateway connection somewhere else (set at start)."""
    if api_base:
        Route.BASE = api_base.rstrip("/")
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


async def serve_discord(
    engine: Engine, settings: Settings, stop: asyncio.Event, outbox: Outbox | None = None
) -> None:
    """Log in, connect and serve until `stop` is set; a bad token or a lost gateway ends it.
    The scheduler posts through `outbox` once the bot is set up."""
    assert settings.discord_token
    point_at(settings.discord_api_base, settings.discord_gateway_url)
    bot = make_bot(
        engine,
        admin_ids=settings.admin_ids,
        dev_guild_id=settings.discord_dev_guild_id,
        shard_count=settings.discord_shard_count,
        outbox=outbox,
    )
    running = asyncio.create_task(bot.start(settings.discord_token))
    stopping = asyncio.create_task(stop.wait())
    try:
        done, _ = await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        await bot.close()
        stopping.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await stopping
    if running in done:
        running.result()  # re-raise what ended the bot (e.g. a rejected token)
    else:
        with contextlib.suppress(asyncio.CancelledError):
            await running


@contextlib.asynccontextmanager
async def rest_sender(engine: Engine, settings: Settings) -> AsyncIterator[DiscordSender]:
    """A sender that logs in over REST only, no gateway (`python -m bot run-job`)."""
    assert settings.discord_token
    point_at(settings.discord_api_base, settings.discord_gateway_url)
    client = discord.Client(intents=discord.Intents.none())
    await client.login(settings.discord_token)
    try:
        yield DiscordSender(client, DiscordDelivery(client, engine.daily.set_message_ref))
    finally:
        await client.close()
