"""What the scheduler uses to post to Discord: daily questions, reveals, recaps, reminders."""

from __future__ import annotations

import io

import discord

from adapters.discord.delivery import DiscordDelivery, message_kwargs
from bot.events import Attachment, ChannelMessage, DirectMessage, QuestionCard, RevealCard


class DiscordSender:
    """Posts on the bot's own initiative."""

    def __init__(self, client: discord.Client, delivery: DiscordDelivery) -> None:
        self.client = client
        self.delivery = delivery

    async def post_question(self, card: QuestionCard) -> str:
        """The daily question with its persistent button."""
        return str(await self.delivery.post_question(card, record=False))

    async def post_reveal(self, card: RevealCard) -> None:
        """The reveal, in a thread on the question."""
        await self.delivery.post_reveal(card)

    async def post_to_channel(self, message: ChannelMessage) -> None:
        """A recap message or its chart."""
        channel = await self.delivery.channel(message.channel.channel_id)
        if isinstance(message.message, Attachment):
            file = message.message
            await channel.send(file=discord.File(io.BytesIO(file.data), filename=file.filename))
            return
        await channel.send(**message_kwargs(message.message))

    async def send_direct(self, message: DirectMessage) -> None:
        """A reminder in the member's DM."""
        user = await self.client.fetch_user(int(message.member.user_id))
        await user.send(**message_kwargs(message.message))
