"""Between discord.py and the engine: defer first, translate, call the engine, deliver."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import discord

from adapters.discord.components import FormModal
from adapters.discord.delivery import DiscordDelivery
from bot.domain import ChannelRef, MemberRef
from bot.engine import SORRY, Engine
from bot.events import (
    ButtonPressed,
    CommandInvoked,
    FormRequest,
    FormSubmitted,
    Inbound,
    MessageReceived,
    Outbound,
    Reply,
)

log = logging.getLogger(__name__)

PLATFORM = "discord"
DM_WORKSPACE = "dm"
"""The workspace of someone who only ever talked to the bot in DMs."""
FORM_DEADLINE = 2.0
"""Seconds the engine may take to produce a modal; Discord wants an answer within 3."""


def member_ref(user: discord.abc.User, workspace: str, is_admin: bool = False) -> MemberRef:
    """The engine's identity for a Discord user in a server."""
    return MemberRef(
        PLATFORM, workspace, str(user.id), display_name=user.display_name, is_admin=is_admin
    )


def channel_ref(channel: object, workspace: str, user_id: int) -> ChannelRef:
    """The engine's address of a channel (a DM is direct)."""
    if channel is None or isinstance(channel, discord.DMChannel | discord.PartialMessageable):
        is_dm = channel is None or getattr(channel, "guild", None) is None
        if is_dm:
            channel_id = str(getattr(channel, "id", f"dm-{user_id}"))
            return ChannelRef(PLATFORM, workspace, channel_id, is_direct=True)
    return ChannelRef(
        PLATFORM,
        workspace,
        str(getattr(channel, "id", "")),
        is_direct=False,
        name=getattr(channel, "name", None),
    )


class DiscordBridge:
    """One per bot: every interaction and DM goes through here."""

    def __init__(self, engine: Engine, client: discord.Client, admin_ids: frozenset[str]) -> None:
        self.engine = engine
        self.admin_ids = admin_ids
        self.delivery = DiscordDelivery(client, engine.daily.set_message_ref)

    async def is_admin(self, interaction: discord.Interaction) -> bool:
        """Manage Server in this server, or listed in ADMIN_USER_IDS."""
        if str(interaction.user.id) in self.admin_ids:
            return True
        permissions = getattr(interaction.user, "guild_permissions", None)
        return bool(permissions and permissions.manage_guild)

    async def workspace(self, interaction_guild: discord.Guild | None, user_id: int) -> str:
        """The server id, or for a DM the server the user is busy in."""
        if interaction_guild is not None:
            return str(interaction_guild.id)
        return await self.engine.workspace_for(PLATFORM, str(user_id)) or DM_WORKSPACE

    async def command(self, interaction: discord.Interaction, name: str, text: str) -> None:
        """A slash command: defer (or open a modal) within Discord's 3 s, then answer."""
        admin = self.engine.checks_admin(name) and await self.is_admin(interaction)
        workspace = await self.workspace(interaction.guild, interaction.user.id)
        event = CommandInvoked(
            member_ref(interaction.user, workspace, admin),
            channel_ref(interaction.channel, workspace, interaction.user.id),
            name,
            text,
        )
        if name == "answer" and not text.strip():
            await self._maybe_modal(interaction, event)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        to_dm = self.engine.in_direct_messages(name) and interaction.guild is not None
        replies = await self._handle(event)
        delivered = await self.delivery.to_interaction(interaction, replies, to_dm=to_dm)
        if to_dm and delivered:
            note = Reply(
                "I've started this in our direct messages: look for me there.", private=True
            )
            await self.delivery.to_interaction(interaction, [note])

    async def button(self, interaction: discord.Interaction, action: str, value: str) -> None:
        """A persistent button: the answer modal, or a command run by the member."""
        workspace = await self.workspace(interaction.guild, interaction.user.id)
        command = value.lstrip("/").split(" ")[0]
        admin = self.engine.checks_admin(command) and await self.is_admin(interaction)
        event = ButtonPressed(
            member_ref(interaction.user, workspace, admin),
            channel_ref(interaction.channel, workspace, interaction.user.id),
            action,
            value,
        )
        if action == "daily-answer":
            await self._maybe_modal(interaction, event)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        to_dm = self.engine.in_direct_messages(command) and interaction.guild is not None
        await self.delivery.to_interaction(interaction, await self._handle(event), to_dm=to_dm)

    async def modal_submit(
        self, interaction: discord.Interaction, form: str, context: str, values: dict[str, str]
    ) -> None:
        """A submitted modal (also one opened before a restart)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        workspace = await self.workspace(interaction.guild, interaction.user.id)
        event = FormSubmitted(
            member_ref(interaction.user, workspace),
            channel_ref(interaction.channel, workspace, interaction.user.id),
            form,
            {**values, "context": context},
        )
        await self.delivery.to_interaction(interaction, await self._handle(event))

    async def dm_message(self, message: discord.Message) -> None:
        """A message in a DM: an interview answer, or a word like `skip`."""
        workspace = await self.workspace(None, message.author.id)
        event = MessageReceived(
            member_ref(message.author, workspace),
            ChannelRef(PLATFORM, workspace, str(message.channel.id), is_direct=True),
            message.content,
        )
        async with message.channel.typing():
            replies = await self._handle(event)
        await self.delivery.to_channel(message.channel, replies)

    async def _maybe_modal(self, interaction: discord.Interaction, event: Inbound) -> None:
        # A modal must be the first response, so ask the engine first, with a deadline.
        try:
            replies = await asyncio.wait_for(self._handle(event), FORM_DEADLINE)
        except TimeoutError:
            await interaction.response.send_message(
                "That took too long; please press the button again.", ephemeral=True
            )
            return
        form = next((r for r in replies if isinstance(r, FormRequest)), None)
        if form is not None:
            await interaction.response.send_modal(FormModal(form))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.delivery.to_interaction(interaction, replies)

    async def _handle(self, event: Inbound) -> Sequence[Outbound]:
        try:
            return await self.engine.handle(event)
        except Exception:
            log.exception("discord: failed to handle %s", type(event).__name__)
            return [Reply(SORRY, private=True)]
