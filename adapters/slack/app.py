"""The slack-bolt app: ack first, translate, call the engine, deliver; never a Slack error page."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound
from adapters.slack.admins import AdminCheck
from adapters.slack.delivery import Respond, SlackDelivery
from adapters.slack.inbound import Origin
from bot.engine import SORRY, Engine
from bot.events import Inbound, Outbound, Reply

log = logging.getLogger(__name__)

ANSWER_FIELD = "answer"
MAX_ANSWER = 3000
"""Slack's own limit for a text input; the modal says so before this check ever has to."""


class SlackBot:
    """Wires an `Engine` into a bolt `AsyncApp`."""

    def __init__(self, engine: Engine, admins: AdminCheck) -> None:
        self.engine = engine
        self.admins = admins
        self.delivery = SlackDelivery(engine.daily.set_message_ref)

    def build(
        self,
        *,
        client: AsyncWebClient,
        signing_secret: str | None,
        token: str | None = None,
        oauth_settings: AsyncOAuthSettings | None = None,
    ) -> AsyncApp:
        """The bolt app with every listener registered."""
        app = AsyncApp(
            client=client,
            # The client carries the single-workspace token; with OAuth, tokens come per team.
            token=None if oauth_settings is not None or client.token else token,
            signing_secret=signing_secret,
            oauth_settings=oauth_settings,
            process_before_response=False,
            raise_error_for_unhandled_request=False,
        )
        for spec in self.engine.commands:
            app.command(f"/{spec.name}")(self.on_command)
        app.event("message")(self.on_message)
        app.event("app_home_opened")(self.on_home)
        app.action(re.compile(".+"))(self.on_action)
        app.view(re.compile(".+"))(self.on_view)
        return app

    async def on_command(
        self,
        ack: Callable[..., Awaitable[Any]],
        body: dict[str, Any],
        client: AsyncWebClient,
        respond: Respond,
    ) -> None:
        """A slash command: ack at once, then do the work and answer."""
        await ack()
        name = str(body.get("command", "")).lstrip("/").lower()
        admin = self.engine.checks_admin(name) and await self.admins.is_admin(
            client, body["team_id"], body["user_id"]
        )
        event, origin = inbound.command_event(body, is_admin=admin)
        to_dm = self.engine.in_direct_messages(name) and not origin.is_direct
        replies = await self._handle(event)
        if to_dm:
            await self.delivery.send(
                client,
                origin,
                [
                    Reply(
                        "I've started this in our direct messages: look for me there.", private=True
                    )
                ],
                respond=respond,
            )
        await self.delivery.send(client, origin, replies, respond=respond, to_dm=to_dm)

    async def on_message(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        """A DM to the app: an interview answer or word, once per event even when retried."""
        found = inbound.message_event(body)
        if found is None or not await self._first(body):
            return
        event, origin = found
        await self._run(client, event, origin)

    async def on_home(
        self, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """The App Home tab was opened: publish the member's dashboard."""
        if event.get("tab", "home") != "home" or not await self._first(body):
            return
        team = body.get("team_id") or event.get("view", {}).get("team_id") or ""
        user = event["user"]
        admin = await self.admins.is_admin(client, team, user)
        view = await self.engine.home(inbound.member_ref(team, user, None, admin))
        await self.delivery.send(client, Origin(team, user, None, True), [view])

    async def on_action(
        self, ack: Callable[..., Awaitable[Any]], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """A button: ack, then the engine (which may answer with a form to open)."""
        await ack()
        team, user = inbound.team_of(body), body["user"]["id"]
        value = str(((body.get("actions") or [{}])[0]).get("value") or "")
        command = value.lstrip("/").split(" ")[0]
        admin = self.engine.checks_admin(command) and await self.admins.is_admin(client, team, user)
        event, origin = inbound.action_event(body, is_admin=admin)
        replies = await self._handle(event)
        to_dm = self.engine.in_direct_messages(command) or origin.channel_id is None
        await self.delivery.send(client, origin, replies, to_dm=to_dm and not origin.is_direct)
        if body.get("view", {}).get("type") == "home":
            await self.delivery.send(client, origin, [await self.engine.home(event.member)])

    async def on_view(
        self, ack: Callable[..., Awaitable[Any]], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """A modal submission: refuse an empty answer in the modal, else close it and grade."""
        values = body["view"].get("state", {}).get("values", {})
        answer = values.get(ANSWER_FIELD, {}).get("value", {}).get("value")
        if ANSWER_FIELD in values and not (answer or "").strip():
            await ack(response_action="errors", errors={ANSWER_FIELD: "Write an answer first."})
            return
        if answer and len(answer) > MAX_ANSWER:
            await ack(
                response_action="errors",
                errors={
                    ANSWER_FIELD: f"Keep it under {MAX_ANSWER:,} characters "
                    f"(this one has {len(answer):,})."
                },
            )
            return
        await ack()
        team, user = inbound.team_of(body), body["user"]["id"]
        callback = body["view"].get("callback_id")
        admin = self.engine.checks_admin(callback) and await self.admins.is_admin(
            client, team, user
        )
        event, origin = inbound.view_event(body, is_admin=admin)
        await self._run(client, event, origin)

    async def _run(self, client: AsyncWebClient, event: Inbound, origin: Origin) -> None:
        await self.delivery.send(client, origin, await self._handle(event))

    async def _handle(self, event: Inbound) -> Sequence[Outbound]:
        # The engine turns its own failures into a polite reply; this catches the rest, so a
        # failure after the ack is logged and told to the member, never raised into bolt.
        try:
            return await self.engine.handle(event)
        except Exception:
            log.exception("slack: failed to handle %s", type(event).__name__)
            return [Reply(SORRY, private=True)]

    async def _first(self, body: dict[str, Any]) -> bool:
        event_id = body.get("event_id")
        if not event_id:
            return True
        first = await self.engine.first_delivery(f"slack:{event_id}")
        if not first:
            log.info("slack: event %s already handled (a retry); skipped", event_id)
        return first
