"""Send engine messages to Slack: ephemeral, DM, channel, thread, modal, file or Home tab."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks
from adapters.slack.inbound import Origin
from adapters.slack.text import clip, escape
from bot.events import (
    Attachment,
    FormRequest,
    HomeView,
    Outbound,
    QuestionCard,
    Reply,
    RevealCard,
)

log = logging.getLogger(__name__)

# Errors that mean "this channel cannot take the message": fall back to the member's DM.
CHANNEL_GONE = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "user_not_in_channel",
    "restricted_action",
}
Respond = Callable[..., Awaitable[Any]]
MessageRefSink = Callable[[int, str], Awaitable[None]]


def _error(exc: SlackApiError) -> str:
    return str(exc.response.get("error", "unknown_error")) if exc.response else "unknown_error"


class SlackDelivery:
    """Puts each outbound message where it belongs for one request."""

    def __init__(self, on_posted: MessageRefSink) -> None:
        self.on_posted = on_posted
        self._dms: dict[tuple[str, str], str] = {}

    async def send(
        self,
        client: AsyncWebClient,
        origin: Origin,
        messages: Sequence[Outbound],
        *,
        respond: Respond | None = None,
        to_dm: bool = False,
    ) -> None:
        """Deliver every message; one that fails is logged and the rest still go out."""
        for outbound in messages:
            try:
                await self._send_one(client, origin, outbound, respond, to_dm)
            except SlackApiError as exc:
                log.error(
                    "slack: could not deliver %s to %s/%s: %s",
                    type(outbound).__name__,
                    origin.team_id,
                    origin.channel_id,
                    _error(exc),
                )
                if not isinstance(outbound, QuestionCard | RevealCard):
                    continue
                await self.private(
                    client,
                    origin,
                    Reply(_post_failure(_error(exc)), private=True),
                    respond,
                    to_dm=False,
                )

    async def _send_one(
        self,
        client: AsyncWebClient,
        origin: Origin,
        outbound: Outbound,
        respond: Respond | None,
        to_dm: bool,
    ) -> None:
        match outbound:
            case QuestionCard():
                await self.post_question(client, outbound)
            case RevealCard():
                await self.post_reveal(client, outbound)
            case HomeView():
                await client.views_publish(user_id=origin.user_id, view=blocks.home(outbound))
            case FormRequest():
                await self.open_form(client, origin, outbound, respond)
            case Attachment():
                await self.upload(client, await self.dm_channel(client, origin), outbound)
            case Reply(private=False) if not to_dm and origin.channel_id and not origin.is_direct:
                await self.public(client, origin, outbound, respond)
            case _:
                await self.private(client, origin, outbound, respond, to_dm)

    async def post_question(
        self, client: AsyncWebClient, card: QuestionCard, record: bool = True
    ) -> str:
        """Post the daily question publicly; remember its ts for the reveal's thread."""
        response = await client.chat_postMessage(
            channel=card.channel.channel_id, unfurl_links=False, **blocks.message(card)
        )
        ts = str(response["ts"])
        if record:  # the scheduler records its own posts
            await self.on_posted(card.post_id, ts)
        return ts

    async def post_reveal(self, client: AsyncWebClient, card: RevealCard) -> None:
        """The reveal, in the question's thread when it has one."""
        await client.chat_postMessage(
            channel=card.channel.channel_id,
            thread_ts=card.thread,
            unfurl_links=False,
            **blocks.message(card),
        )

    async def public(
        self, client: AsyncWebClient, origin: Origin, reply: Outbound, respond: Respond | None
    ) -> None:
        """A message everyone in the channel sees."""
        payload = blocks.message(reply)
        if respond is not None:
            await respond(response_type="in_channel", **payload)
            return
        await client.chat_postMessage(channel=origin.channel_id, **payload)

    async def private(
        self,
        client: AsyncWebClient,
        origin: Origin,
        reply: Outbound,
        respond: Respond | None,
        to_dm: bool,
    ) -> None:
        """Only the member sees it: ephemeral where they are, else (or when asked) their DM."""
        payload = blocks.message(reply)
        if not to_dm and origin.channel_id and not origin.is_direct:
            if respond is not None:
                await respond(response_type="ephemeral", **payload)
                return
            try:
                await client.chat_postEphemeral(
                    channel=origin.channel_id, user=origin.user_id, **payload
                )
                return
            except SlackApiError as exc:
                if _error(exc) not in CHANNEL_GONE:
                    raise
                log.info("slack: channel %s is gone; sending to the DM", origin.channel_id)
        channel = await self.dm_channel(client, origin)
        await client.chat_postMessage(channel=channel, unfurl_links=False, **payload)

    async def dm_channel(self, client: AsyncWebClient, origin: Origin) -> str:
        """The member's DM channel with the app."""
        if origin.is_direct and origin.channel_id:
            return origin.channel_id
        key = (origin.team_id, origin.user_id)
        if key not in self._dms:
            opened = await client.conversations_open(users=origin.user_id)
            self._dms[key] = str(opened["channel"]["id"])
        return self._dms[key]

    async def open_form(
        self,
        client: AsyncWebClient,
        origin: Origin,
        form: FormRequest,
        respond: Respond | None,
    ) -> None:
        """A modal when Slack gave us a trigger; otherwise say what to type."""
        if origin.trigger_id:
            await client.views_open(
                trigger_id=origin.trigger_id, view=blocks.modal(form, origin.channel_id)
            )
            return
        await self.private(client, origin, Reply(f"{form.intro}\n{form.command}"), respond, False)

    async def upload(self, client: AsyncWebClient, channel: str, file: Attachment) -> None:
        """Upload a chart or export into a channel (a member's DM, or a recap's channel)."""
        await client.files_upload_v2(
            channel=channel,
            content=file.data,
            filename=file.filename,
            title=clip(file.filename, 250),
            initial_comment=escape(file.caption) if file.caption else None,
        )


def _post_failure(error: str) -> str:
    if error in {"not_in_channel", "channel_not_found"}:
        return (
            "I could not post in this channel: add the app to it first (in the channel, "
            "/invite and the app's name), then try again."
        )
    return f"I could not post in this channel (Slack said: {error}). Please try again."
