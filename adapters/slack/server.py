"""Run the Slack app: Socket Mode with an app token, else HTTP (single workspace or OAuth)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.admins import AdminCheck
from adapters.slack.app import SlackBot
from adapters.slack.delivery import SlackDelivery
from adapters.slack.http import EVENTS_PATH, web_app
from adapters.slack.sender import ClientFor, SlackSender
from bot.engine import Engine
from bot.settings import Settings
from scheduler.outbox import Outbox

log = logging.getLogger(__name__)

BOT_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "im:history",
    "im:write",
    "users:read",
    "files:write",
)
RATE_LIMIT_RETRIES = 5
"""How often one call is retried after HTTP 429 (each after Slack's Retry-After)."""


def web_client(settings: Settings) -> AsyncWebClient:
    """A Web API client that honours 429 Retry-After and retries transient failures."""
    options = {"base_url": settings.slack_api_base_url} if settings.slack_api_base_url else {}
    return AsyncWebClient(
        token=settings.slack_bot_token,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=2),
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
        ],
        **options,
    )


async def oauth_settings(engine: Engine, settings: Settings) -> AsyncOAuthSettings | None:
    """Multi-workspace install, with installations and OAuth state kept in our database."""
    if not (settings.slack_client_id and settings.slack_client_secret):
        return None
    installations = AsyncSQLAlchemyInstallationStore(
        client_id=settings.slack_client_id, engine=engine.store.engine
    )
    states = AsyncSQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine.store.engine)
    await installations.create_tables()
    await states.create_tables()
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=installations,
        state_store=states,
    )


def client_factory(
    settings: Settings, oauth: AsyncOAuthSettings | None, default: AsyncWebClient
) -> ClientFor:
    """Client per workspace: `default` for a single workspace, else one carrying the bot token
    that workspace's install stored."""

    async def client_for(team_id: str) -> AsyncWebClient:
        if oauth is None:
            return default
        installation = await oauth.installation_store.async_find_installation(
            enterprise_id=None, team_id=team_id
        )
        if installation is None or not installation.bot_token:
            raise LookupError(f"the app is not installed in workspace {team_id}")
        client = web_client(settings)
        client.token = installation.bot_token
        return client

    return client_for


async def serve_slack(
    engine: Engine, settings: Settings, stop: asyncio.Event, outbox: Outbox | None = None
) -> None:
    """Serve Slack until `stop` is set; the scheduler posts through `outbox`."""
    bot = SlackBot(engine, AdminCheck(settings.admin_ids))
    oauth = await oauth_settings(engine, settings)
    app = bot.build(
        client=web_client(settings),
        signing_secret=settings.slack_signing_secret,
        token=settings.slack_bot_token,
        oauth_settings=oauth,
    )
    if outbox is not None:
        outbox.register(
            "slack", SlackSender(bot.delivery, client_factory(settings, oauth, app.client))
        )
    if settings.slack_app_token:
        # Fail at once on a rejected app token, instead of retrying in the background forever.
        await app.client.apps_connections_open(app_token=settings.slack_app_token)
        handler = AsyncSocketModeHandler(app, settings.slack_app_token, web_client=app.client)
        connecting = asyncio.ensure_future(handler.connect_async())
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({connecting, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if connecting.done():
                connecting.result()
                log.info("slack: connected in Socket Mode")
                await stopping
        finally:
            stopping.cancel()
            await handler.close_async()  # sets client.closed, so a retrying connect gives up
            connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await connecting
        return
    runner = web.AppRunner(web_app(app, settings.port))
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    host, port = runner.addresses[0][:2]
    log.info("slack: listening on http://%s:%s%s", host, port, EVENTS_PATH)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


async def slack_sender(engine: Engine, settings: Settings) -> SlackSender:
    """A sender for posting without serving (`python -m bot run-job`)."""
    oauth = await oauth_settings(engine, settings)
    delivery = SlackDelivery(engine.daily.set_message_ref)
    return SlackSender(delivery, client_factory(settings, oauth, web_client(settings)))
