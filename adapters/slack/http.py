"""The HTTP endpoint in front of bolt: `/slack/events`, plus the OAuth pages when configured."""

from __future__ import annotations

from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest

EVENTS_PATH = "/slack/events"


def repair_form_body(request: AsyncBoltRequest) -> None:
    """Parse a form body bolt misread.

    bolt treats any form body that merely contains the word "payload" as an interaction and
    reads only its `payload` field, so a slash command such as `/answer the payload is...`
    would arrive empty and be lost. The raw body is left alone, so the signature still checks.
    """
    raw = request.raw_body
    if not raw or raw.startswith("{") or "payload" not in raw:
        return
    fields = dict(parse_qsl(raw, keep_blank_values=True))
    if "payload" in fields:
        return
    request.body = fields
    request.context = build_async_context(AsyncBoltContext({}), fields)


def web_app(app: AsyncApp, port: int) -> web.Application:
    """An aiohttp application serving bolt's events endpoint and its OAuth pages."""

    async def events(request: web.Request) -> web.Response:
        bolt_request = AsyncBoltRequest(
            body=await request.text(),
            query=request.query_string,
            headers=dict(request.headers),
        )
        repair_form_body(bolt_request)
        return await to_aiohttp_response(await app.async_dispatch(bolt_request))

    application = web.Application()
    application.router.add_post(EVENTS_PATH, events)
    flow = app.oauth_flow
    if flow is not None:
        server = app.server(port=port, path=EVENTS_PATH)
        application.router.add_get(flow.install_path, server.handle_get_requests)
        application.router.add_get(flow.redirect_uri_path, server.handle_get_requests)
    return application
