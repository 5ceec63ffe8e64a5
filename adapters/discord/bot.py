"""The discord.py bot: minimal intents, commands synced at start, DMs and modals routed."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord.ext import commands

from adapters.discord.bridge import DiscordBridge
from adapters.discord.commands import InterviewCommands
from adapters.discord.components import AnswerButton, RunButton, parse_modal_id
from adapters.discord.sender import DiscordSender
from bot.engine import Engine
from scheduler.outbox import Outbox

log = logging.getLogger(__name__)


def intents() -> discord.Intents:
    """Guilds (channels and permissions) and DM messages; nothing privileged: DM text reaches
    a bot without the message-content intent."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.dm_messages = True
    return chosen


def modal_values(data: dict[str, Any]) -> dict[str, str]:
    """`{custom_id: value}` of a modal submission's text inputs (in rows or labels)."""
    values: dict[str, str] = {}
    for row in data.get("components", []):
        children = row.get("components") or ([row["component"]] if "component" in row else [])
        for child in children:
            if "custom_id" in child:
                values[child["custom_id"]] = str(child.get("value") or "")
    return values


def make_bot(
    engine: Engine,
    *,
    admin_ids: frozenset[str] = frozenset(),
    dev_guild_id: int | None = None,
    shard_count: int | None = None,
    guild_ready_timeout: float = 2.0,
    outbox: Outbox | None = None,
) -> commands.Bot:
    """The bot; sharded (`AutoShardedBot`) when a shard count is given."""
    base: type[commands.Bot] = commands.AutoShardedBot if shard_count else commands.Bot

    class InterviewBot(base):  # type: ignore[misc, valid-type]
        """Holds the bridge; sets itself up in `setup_hook`."""

        bridge: DiscordBridge

        async def setup_hook(self) -> None:
            self.bridge = DiscordBridge(engine, self, admin_ids)
            if outbox is not None:
                outbox.register("discord", DiscordSender(self, self.bridge.delivery))
            self.add_dynamic_items(AnswerButton, RunButton)
            await self.add_cog(InterviewCommands(self.bridge, engine.bank.topics))
            if dev_guild_id:
                guild = discord.Object(id=dev_guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
            else:
                synced = await self.tree.sync()
            log.info("discord: %d commands synced", len(synced))

        async def on_message(self, message: discord.Message) -> None:
            if message.guild is not None or message.author.bot or not message.content:
                return
            await self.bridge.dm_message(message)

        async def on_interaction(self, interaction: discord.Interaction) -> None:
            if interaction.type is not discord.InteractionType.modal_submit:
                return
            data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
            parsed = parse_modal_id(str(data.get("custom_id", "")))
            if parsed is not None:
                await self.bridge.modal_submit(interaction, *parsed, modal_values(data))

    options: dict[str, Any] = {"shard_count": shard_count} if shard_count else {}
    return InterviewBot(
        command_prefix=commands.when_mentioned,
        intents=intents(),
        allowed_mentions=discord.AllowedMentions.none(),
        help_command=None,
        guild_ready_timeout=guild_ready_timeout,
        **options,
    )
