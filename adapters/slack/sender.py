"""What the scheduler uses to post to Slack: daily questions, reveals, recaps, reminders."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks
from adapters.slack.delivery import SlackDelivery
from adapters.slack.inbound import Origin
from bot.events import Attachment, ChannelMessage, DirectMessage, QuestionCard, RevealCard

ClientFor = Callable[[str], Awaitable[AsyncWebClient]]


class SlackSender:
    """Posts on the bot's own initiative, with the right workspace's client."""

    def __init__(self, delivery: SlackDelivery, client_for: ClientFor) -> None:
        self.delivery = delivery
        self.client_for = client_for

    async def post_question(self, card: QuestionCard) -> str:
        """The daily question; its ts becomes the reveal's thread."""
        client = await self.client_for(card.channel.workspace_id)
        return await self.delivery.post_question(client, card, record=False)

    async def post_reveal(self, card: RevealCard) -> None:
        """The reveal, in the question's thread."""
        await self.delivery.post_reveal(await self.client_for(card.channel.workspace_id), card)

    async def post_to_channel(self, message: ChannelMessage) -> None:
        """A recap message or its chart."""
        client = await self.client_for(message.channel.workspace_id)
        channel = message.channel.channel_id
        if isinstance(message.message, Attachment):
            await self.delivery.upload(client, channel, message.message)
            return
        await client.chat_postMessage(
            channel=channel, unfurl_links=False, **blocks.message(message.message)
        )

    async def send_direct(self, message: DirectMessage) -> None:
        """A reminder in the member's DM."""
        client = await self.client_for(message.member.workspace_id)
        origin = Origin(message.member.workspace_id, message.member.user_id, None, False)
        channel = await self.delivery.dm_channel(client, origin)
        await client.chat_postMessage(channel=channel, **blocks.message(message.message))
