"""Send engine messages to Discord: interaction followups, DMs, channel posts and threads."""

from __future__ import annotations

import io
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

from adapters.discord import render
from adapters.discord.components import view_for
from adapters.discord.text import clip
from bot.events import Attachment, Outbound, QuestionCard, Reply, RevealCard

log = logging.getLogger(__name__)

CANNOT_DM = 50007
NO_MENTIONS = discord.AllowedMentions.none()
DMS_CLOSED = (
    "I can't send you direct messages, so your interview can't start there. Open this "
    "server's menu, choose Privacy Settings and allow direct messages from server members, "
    "then run the command again (your progress is kept)."
)
MessageRefSink = Callable[[int, str], Awaitable[None]]
Target = discord.abc.Messageable


def message_kwargs(outbound: Outbound) -> dict[str, Any]:
    """Keyword arguments for `send`: content, embeds, buttons; never any mentions."""
    rendered = render.message(outbound)
    kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
    if rendered.content:
        kwargs["content"] = rendered.content
    if rendered.embeds:
        kwargs["embeds"] = [discord.Embed.from_dict(e) for e in rendered.embeds]
    if rendered.buttons:
        kwargs["view"] = view_for(rendered.buttons)
    return kwargs


def _file(attachment: Attachment) -> discord.File:
    return discord.File(io.BytesIO(attachment.data), filename=attachment.filename)


class DiscordDelivery:
    """Puts each outbound message where it belongs."""

    def __init__(self, client: discord.Client, on_posted: MessageRefSink) -> None:
        self.client = client
        self.on_posted = on_posted

    async def to_interaction(
        self,
        interaction: discord.Interaction,
        messages: Sequence[Outbound],
        *,
        to_dm: bool = False,
    ) -> bool:
        """Answer a deferred interaction: private replies ephemeral (or in the DM), public
        ones in the channel, cards where they belong. A DM the member has closed is explained
        ephemerally in the channel. True when everything was delivered."""
        delivered, answered = True, False
        for outbound in messages:
            try:
                answered |= await self._one(interaction, outbound, to_dm)
            except discord.Forbidden as exc:
                if exc.code == CANNOT_DM:
                    await interaction.followup.send(DMS_CLOSED, ephemeral=True)
                    return False
                log.error("discord: refused to deliver %s: %s", type(outbound).__name__, exc)
                await interaction.followup.send(_refused(exc), ephemeral=True)
                return False
            except discord.HTTPException as exc:
                # Logged and skipped: the messages after it still go out.
                log.error("discord: could not deliver %s: %s", type(outbound).__name__, exc)
                delivered = False
        if not answered and not to_dm:
            # A deferred interaction shows "thinking..." until a followup replaces it.
            await interaction.followup.send("Done.", ephemeral=True)
        return delivered

    async def _one(self, interaction: discord.Interaction, outbound: Outbound, to_dm: bool) -> bool:
        """Send one message; True when it answered the interaction itself."""
        match outbound:
            case QuestionCard():
                await self.post_question(outbound)
                return False
            case RevealCard():
                await self.post_reveal(outbound)
                return False
            case Attachment() if to_dm:
                await interaction.user.send(
                    content=clip(outbound.caption, 2000), file=_file(outbound)
                )
                return False
            case Attachment():
                await interaction.followup.send(
                    content=clip(outbound.caption, 2000) or None,
                    file=_file(outbound),
                    ephemeral=True,
                )
            case Reply(private=False) if not to_dm and interaction.guild is not None:
                await interaction.followup.send(**message_kwargs(outbound))
            case _ if to_dm:
                await interaction.user.send(**message_kwargs(outbound))
                return False
            case _:
                await interaction.followup.send(ephemeral=True, **message_kwargs(outbound))
        return True

    async def to_channel(self, channel: Target, messages: Sequence[Outbound]) -> None:
        """Messages into a channel (a DM reply to a DM message)."""
        for outbound in messages:
            if isinstance(outbound, Attachment):
                await channel.send(content=clip(outbound.caption, 2000), file=_file(outbound))
            else:
                await channel.send(**message_kwargs(outbound))

    async def channel(self, channel_id: str) -> Target:
        """A channel by id: from the cache, else fetched."""
        found = self.client.get_channel(int(channel_id)) or await self.client.fetch_channel(
            int(channel_id)
        )
        assert isinstance(found, discord.abc.Messageable)
        return found

    async def post_question(self, card: QuestionCard, record: bool = True) -> int:
        """The daily question in its channel; its message id is kept for the reveal thread."""
        channel = await self.channel(card.channel.channel_id)
        message = await channel.send(**message_kwargs(card))
        if record:  # the scheduler records its own posts
            await self.on_posted(card.post_id, str(message.id))
        return message.id

    async def post_reveal(self, card: RevealCard) -> None:
        """The reveal, in a thread on the question's message (in the channel if it is gone)."""
        channel = await self.channel(card.channel.channel_id)
        target: Target = channel
        if card.thread and isinstance(channel, discord.TextChannel):
            try:
                question = await channel.fetch_message(int(card.thread))
                target = question.thread or await question.create_thread(
                    name=clip(f"Answer: {card.prompt}", 100)
                )
            except discord.HTTPException as exc:
                log.warning("discord: no thread for the reveal of post %s: %s", card.post_id, exc)
        await target.send(**message_kwargs(card))


def _refused(exc: discord.Forbidden) -> str:
    return (
        "I'm not allowed to do that here (Discord said: "
        f"{clip(str(exc.text), 200)}). Check my permissions in this channel."
    )
