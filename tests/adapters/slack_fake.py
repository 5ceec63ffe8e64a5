"""A loopback Slack for tests: fake Web API and Socket Mode servers, and signed inbound requests."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import WSCloseCode, WSMsgType, web

TEAM_ID = "T0FAKE"
TEAM_DOMAIN = "fake-team"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"
APP_ID = "A0FAKE"
VERIFICATION_TOKEN = "fake-verification-token"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
SOCKET_PATH = "/socket"
SOCKET_CLOSE_TIMEOUT = 1.0
APP_TOKEN_PREFIX = "xapp-"
APP_LEVEL_METHODS = frozenset({"apps.connections.open"})
"""Methods that take the app-level (xapp-) token; every other method refuses it."""
ACKED_WITH_PAYLOAD = frozenset({"view_submission", "block_suggestion"})
"""Interactive payload types whose Socket Mode ack may carry a response payload."""

JSON_FIELDS = frozenset(
    {"blocks", "attachments", "view", "files", "metadata", "user_auth_blocks", "outputs", "unfurls"}
)
"""Fields slack_sdk JSON-encodes into a string when it sends form or query parameters."""

CHANNEL_FIELDS = ("channel", "channel_id")
_FIRST_TS = 1_700_000_000_000_000
"""Message timestamps are microseconds since the epoch, written as "seconds.micros"."""

Args = dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One Web API request as the fake saw it, and how it answered."""

    method: str
    args: Args
    token: str | None
    raw: Args = field(default_factory=dict)
    """The arguments exactly as received: JSON-encoded fields are still strings here."""
    http_verb: str = "POST"
    status: int = 200
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None


@dataclass(frozen=True)
class Failure:
    """A scripted answer for the next call of one method."""

    status: int
    error: str
    retry_after: int


@dataclass
class UploadedFile:
    """A file sent through files.getUploadURLExternal, the upload URL and the completion call."""

    file_id: str
    name: str
    length: int
    content: bytes = b""
    received: bool = False
    title: str | None = None
    channel: str | None = None
    completed: bool = False


def _format_ts(micros: int) -> str:
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def _decode_json_fields(raw: Args) -> Args:
    args = dict(raw)
    for name in JSON_FIELDS & raw.keys():
        if isinstance(raw[name], str):
            with contextlib.suppress(ValueError):
                args[name] = json.loads(raw[name])
    return args


def _bearer_token(request: web.Request, raw: Args) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ")
    token = raw.get("token")
    return token if isinstance(token, str) else None


async def _read_body(request: web.Request) -> Args:
    if not request.can_read_body:
        return {}
    if request.content_type == JSON:
        body = await request.json()
        return body if isinstance(body, dict) else {}
    if request.content_type in (FORM, "multipart/form-data"):
        form = await request.post()
        return {k: (v.file.read() if isinstance(v, web.FileField) else v) for k, v in form.items()}
    return {}


def _tz_offset(tz: str) -> int:
    offset = datetime.now(UTC).astimezone(ZoneInfo(tz)).utcoffset()
    return int(offset.total_seconds()) if offset else 0


def _im_channel(user_id: str) -> str:
    return "D" + user_id


class FakeSlack:
    """An aiohttp server on 127.0.0.1 answering the Slack Web API the way slack.com would."""

    def __init__(
        self,
        *,
        team_id: str = TEAM_ID,
        bot_user_id: str = BOT_USER_ID,
        bot_id: str = BOT_ID,
        bot_token: str | None = None,
        app_token: str | None = None,
    ) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.bot_token = bot_token
        """If set, any other token is answered with invalid_auth."""
        self.app_token = app_token
        """If set, apps.connections.open answers any other xapp- token with invalid_auth."""
        self.calls: list[Call] = []
        self.users: dict[str, Args] = {}
        """Per-test users.info data, e.g. `slack.users["U1"] = {"is_admin": True}`."""
        self.messages: dict[tuple[str, str], Args] = {}
        """Messages posted (and later updated), keyed by (channel id, ts)."""
        self.files: dict[str, UploadedFile] = {}
        self.channel_errors: dict[str, str] = {}
        self._failures: dict[str, deque[Failure]] = {}
        self._counter = itertools.count(1)
        self._ts_counter = itertools.count(1)
        self._recorded = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.root_url = ""
        self.envelopes: list[Args] = []
        """Every Socket Mode message the fake sent (hello, envelopes, disconnects), in order."""
        self.socket_messages: list[Args] = []
        """Every text message a Socket Mode client sent back, in order."""
        self.connections = 0
        """How many Socket Mode connections were established (each greeted with `hello`)."""
        self._sockets: list[web.WebSocketResponse] = []
        self._tickets: set[str] = set()
        self._socket_state = asyncio.Condition()
        self._handlers: dict[str, Callable[[Args], Args]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update_message,
            "views.open": self._view_with("trigger_id"),
            "views.push": self._view_with("trigger_id"),
            "views.publish": self._view_with("user_id"),
            "views.update": self._view_with("view_id", "external_id"),
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "files.getUploadURLExternal": self._upload_url,
            "files.completeUploadExternal": self._complete_upload,
        }

    # -- lifecycle -------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/upload/v1/{file_id}", self._handle_upload)
        app.router.add_post("/response/{name}", self._handle_response_url)
        app.router.add_get(SOCKET_PATH, self._handle_socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.root_url = f"http://{host}:{port}"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for socket in list(self._sockets):
            await socket.close(code=WSCloseCode.GOING_AWAY, message=b"fake Slack shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """Pass as `AsyncWebClient(base_url=...)`; the trailing slash matters to urljoin."""
        return f"{self.root_url}/api/"

    def response_url(self, name: str = "default") -> str:
        """A response_url for payload builders; POSTs to it are recorded as "response_url" calls."""
        return f"{self.root_url}/response/{name}"

    # -- test controls ---------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        error: str | None = None,
        retry_after: int = 0,
        times: int = 1,
    ) -> None:
        """Queue failures for the next calls of `method`.

        Without `status`: HTTP 200 `{ok: false, error}` if `error` is given, else a 429.
        """
        code = status if status is not None else (200 if error else 429)
        reason = error or {429: "ratelimited", 200: "unknown_error"}.get(code, "internal_error")
        queue = self._failures.setdefault(method, deque())
        queue.extend(Failure(code, reason, retry_after) for _ in range(times))

    def fail_channel(self, channel: str, error: str = "channel_not_found") -> None:
        """Answer every call aimed at `channel` with `{ok: false, error}` until healed."""
        self.channel_errors[channel] = error

    def heal_channel(self, channel: str) -> None:
        self.channel_errors.pop(channel, None)

    # -- inspection ------------------------------------------------------------------------

    def calls_to(self, method: str, *, ok: bool | None = None) -> list[Call]:
        """Calls of one method, in order; `ok=True` keeps only those answered successfully."""
        return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    async def wait_for(
        self, method: str, count: int = 1, timeout: float = 5, *, ok: bool | None = None
    ) -> list[Call]:
        """Wait (on a condition, not a poll) until `count` calls of `method` were recorded."""

        def enough() -> bool:
            return len(self.calls_to(method, ok=ok)) >= count

        async with self._recorded:
            if enough():
                return self.calls_to(method, ok=ok)
            try:
                await asyncio.wait_for(self._recorded.wait_for(enough), timeout)
            except TimeoutError:
                seen = [c.method for c in self.calls]
                msg = f"expected {count} {method} call(s) within {timeout}s; saw {seen}"
                raise AssertionError(msg) from None
        return self.calls_to(method, ok=ok)

    @property
    def uploaded(self) -> list[UploadedFile]:
        """Files whose bytes reached the upload URL, in upload order."""
        return [f for f in self.files.values() if f.received]

    # -- Socket Mode -----------------------------------------------------------------------

    @property
    def acks(self) -> list[Args]:
        """The clients' acknowledgements (`{envelope_id, payload?}`), in the order received."""
        return [m for m in self.socket_messages if "envelope_id" in m]

    @property
    def open_sockets(self) -> int:
        """Socket Mode connections open right now."""
        return len(self._sockets)

    async def socket_connected(self, timeout: float = 5, *, count: int = 1) -> None:
        """Wait until `count` Socket Mode connections were established in all."""
        await self._await_socket_state(
            lambda: self.connections >= count,
            timeout,
            lambda: f"{count} Socket Mode connection(s); saw {self.connections}",
        )

    async def socket_closed(self, timeout: float = 5) -> None:
        """Wait until every Socket Mode connection is closed (by either side)."""
        await self._await_socket_state(
            lambda: not self._sockets,
            timeout,
            lambda: f"every Socket Mode connection closed; {self.open_sockets} still open",
        )

    async def send_envelope(
        self,
        type_: str,
        payload: Args,
        retry_attempt: int | None = None,
        *,
        retry_reason: str | None = None,
        accepts_response_payload: bool | None = None,
    ) -> str:
        """Send one envelope on the newest open connection, as Slack does; returns its id.

        `type_` is "slash_commands", "events_api" or "interactive". Events API envelopes always
        carry `retry_attempt` (0 the first time) and `retry_reason` ("" the first time).
        """
        envelope_id = str(uuid.uuid4())
        if accepts_response_payload is None:
            accepts_response_payload = type_ == "slash_commands" or (
                type_ == "interactive" and payload.get("type") in ACKED_WITH_PAYLOAD
            )
        envelope: Args = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": type_,
            "accepts_response_payload": accepts_response_payload,
        }
        if type_ == "events_api" or retry_attempt is not None:
            envelope["retry_attempt"] = retry_attempt or 0
            default_reason = "timeout" if retry_attempt else ""
            envelope["retry_reason"] = default_reason if retry_reason is None else retry_reason
        await self._send_socket(envelope)
        return envelope_id

    async def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the client to reconnect, as Slack does before it recycles a connection."""
        debug_info = {"host": "fake-applink"}
        await self._send_socket({"type": "disconnect", "reason": reason, "debug_info": debug_info})

    async def wait_for_ack(self, envelope_id: str, timeout: float = 5) -> Args:
        """Wait (on a condition, not a poll) for the client's ack of one envelope."""

        def ack() -> Args | None:
            return next((m for m in self.acks if m["envelope_id"] == envelope_id), None)

        await self._await_socket_state(
            lambda: ack() is not None,
            timeout,
            lambda: f"an ack of envelope {envelope_id}; saw {self.acks}",
        )
        found = ack()
        assert found is not None
        return found

    async def _await_socket_state(
        self, ready: Callable[[], bool], timeout: float, expected: Callable[[], str]
    ) -> None:
        async with self._socket_state:
            try:
                await asyncio.wait_for(self._socket_state.wait_for(ready), timeout)
            except TimeoutError:
                raise AssertionError(f"expected {expected()} within {timeout}s") from None

    async def _send_socket(self, message: Args) -> None:
        if not self._sockets:
            raise AssertionError("no Socket Mode client is connected")
        await self._sockets[-1].send_json(message)
        self.envelopes.append(message)

    async def _socket_changed(self, change: Callable[[], None]) -> None:
        async with self._socket_state:
            change()
            self._socket_state.notify_all()

    async def _handle_socket(self, request: web.Request) -> web.StreamResponse:
        if request.query.get("ticket") not in self._tickets:
            return web.Response(status=401, text="invalid ticket", content_type="text/plain")
        # A client that does not answer our close within a second is gone; don't wait for it.
        socket = web.WebSocketResponse(autoping=True, timeout=SOCKET_CLOSE_TIMEOUT)
        await socket.prepare(request)
        hello = self._hello()
        await socket.send_json(hello)
        self.envelopes.append(hello)
        await self._socket_changed(lambda: self._opened(socket))
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    await self._socket_changed(partial(self._received, message.data))
        finally:
            await self._socket_changed(lambda: self._sockets.remove(socket))
        return socket

    def _opened(self, socket: web.WebSocketResponse) -> None:
        self._sockets.append(socket)
        self.connections += 1

    def _received(self, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            message = data
        self.socket_messages.append(message if isinstance(message, dict) else {"data": message})

    def _hello(self) -> Args:
        return {
            "type": "hello",
            "num_connections": len(self._sockets) + 1,
            "debug_info": {
                "host": "fake-applink",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": APP_ID},
        }

    # -- HTTP plumbing ---------------------------------------------------------------------

    async def _record(self, call: Call) -> None:
        async with self._recorded:
            self.calls.append(call)
            self._recorded.notify_all()

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw: Args = {**request.query, **await _read_body(request)}
        token = _bearer_token(request, raw)
        raw.pop("token", None)
        args = _decode_json_fields(raw)
        status, body, headers = self._answer(method, args, token)
        error = None if body.get("ok") else str(body.get("error"))
        call = Call(method, args, token, raw, request.method, status, error)
        await self._record(call)
        return web.json_response(body, status=status, headers=headers)

    def _answer(self, method: str, args: Args, token: str | None) -> tuple[int, Args, Args]:
        queue = self._failures.get(method)
        if queue:
            failure = queue.popleft()
            headers = {"Retry-After": str(failure.retry_after)} if failure.status == 429 else {}
            return failure.status, {"ok": False, "error": failure.error}, headers
        if not token:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if method in APP_LEVEL_METHODS:
            return 200, self._connections_open(token), {}
        if token.startswith(APP_TOKEN_PREFIX):
            return 200, {"ok": False, "error": "not_allowed_token_type"}, {}
        if self.bot_token is not None and token != self.bot_token:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        for name in CHANNEL_FIELDS:
            if args.get(name) in self.channel_errors:
                return 200, {"ok": False, "error": self.channel_errors[args[name]]}, {}
        handler = self._handlers.get(method)
        return 200, (handler(args) if handler else {"ok": True}), {}

    async def _handle_upload(self, request: web.Request) -> web.Response:
        upload = self.files.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="Not Found", content_type="text/plain")
        upload.content = await request.read()
        upload.received = True
        return web.Response(text=f"OK - {len(upload.content)}", content_type="text/plain")

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        body = await request.json() if request.content_type == JSON else dict(await request.post())
        raw = {"name": request.match_info["name"], **body}
        await self._record(Call("response_url", _decode_json_fields(raw), None, raw))
        return web.Response(text="ok", content_type="text/html")

    # -- Web API methods -------------------------------------------------------------------

    def _next(self) -> int:
        return next(self._counter)

    def _next_ts(self) -> str:
        return _format_ts(_FIRST_TS + 100 * next(self._ts_counter))

    def _connections_open(self, token: str) -> Args:
        if not token.startswith(APP_TOKEN_PREFIX):
            return {"ok": False, "error": "not_allowed_token_type"}
        if self.app_token is not None and token != self.app_token:
            return {"ok": False, "error": "invalid_auth"}
        ticket = uuid.uuid4().hex
        self._tickets.add(ticket)
        query = urlencode({"ticket": ticket, "app_id": APP_ID})
        return {
            "ok": True,
            "url": f"ws://{self.root_url.removeprefix('http://')}{SOCKET_PATH}?{query}",
        }

    def _auth_test(self, args: Args) -> Args:
        return {
            "ok": True,
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "Fake Team",
            "user": "mockbot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _message(self, args: Args, ts: str) -> Args:
        message = {
            "type": "message",
            "subtype": "bot_message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": APP_ID,
            "team": self.team_id,
            "text": args.get("text", ""),
            "ts": ts,
        }
        for name in ("blocks", "attachments", "thread_ts", "metadata"):
            if name in args:
                message[name] = args[name]
        return message

    def _post_message(self, args: Args) -> Args:
        channel = args.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not (args.get("text") or args.get("blocks") or args.get("attachments")):
            return {"ok": False, "error": "no_text"}
        if channel[0] in "UW":
            channel = _im_channel(channel)
        ts = self._next_ts()
        message = self._message(args, ts)
        self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _post_ephemeral(self, args: Args) -> Args:
        if not args.get("channel") or not args.get("user"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _update_message(self, args: Args) -> Args:
        channel, ts = args.get("channel"), args.get("ts")
        if not channel or not ts:
            return {"ok": False, "error": "invalid_arguments"}
        message = {**self.messages.get((channel, ts), {}), **self._message(args, ts)}
        self.messages[(channel, ts)] = message
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "text": message["text"],
            "message": message,
        }

    def _view_with(self, *required: str) -> Callable[[Args], Args]:
        """A views.* handler that needs a view and one of the `required` arguments."""

        def handle(args: Args) -> Args:
            view = args.get("view")
            if not isinstance(view, dict) or not any(args.get(name) for name in required):
                return {"ok": False, "error": "invalid_arguments"}
            view_id = args.get("view_id") or f"V{self._next():08d}"
            return {"ok": True, "view": self._view_object(view, view_id)}

        return handle

    def _view_object(self, view: Args, view_id: str) -> Args:
        return {
            "id": view_id,
            "team_id": self.team_id,
            "type": view.get("type", "modal"),
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": uuid.uuid4().hex[:16],
            "title": view.get("title"),
            "submit": view.get("submit"),
            "close": view.get("close"),
            "external_id": view.get("external_id", ""),
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": APP_ID,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }

    def _users_info(self, args: Args) -> Args:
        user_id = args.get("user")
        if user_id not in self.users:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": self._user_object(user_id, self.users[user_id])}

    def _user_object(self, user_id: str, overrides: Args) -> Args:
        name = overrides.get("name", user_id.lower())
        real_name = overrides.get("real_name", name.title())
        tz = overrides.get("tz", "Europe/London")
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": real_name,
            "deleted": False,
            "tz": tz,
            "tz_label": tz,
            "tz_offset": _tz_offset(tz),
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_bot": False,
            "profile": {"real_name": real_name, "display_name": name},
        }
        return {**user, **overrides}

    def _conversations_open(self, args: Args) -> Args:
        users = str(args.get("users", "")).split(",")
        channel = args.get("channel") or (_im_channel(users[0]) if users[0] else None)
        if channel is None:
            return {"ok": False, "error": "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": channel}}

    def _upload_url(self, args: Args) -> Args:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{self._next():08d}"
        self.files[file_id] = UploadedFile(file_id, args["filename"], int(args["length"]))
        return {
            "ok": True,
            "upload_url": f"{self.root_url}/upload/v1/{file_id}",
            "file_id": file_id,
        }

    def _complete_upload(self, args: Args) -> Args:
        entries = args.get("files")
        if not isinstance(entries, list) or not entries:
            return {"ok": False, "error": "invalid_arguments"}
        if any(e.get("id") not in self.files for e in entries):
            return {"ok": False, "error": "file_not_found"}
        channel = args.get("channel_id") or args.get("channels")
        return {"ok": True, "files": [self._complete_file(e, channel) for e in entries]}

    def _complete_file(self, entry: Args, channel: str | None) -> Args:
        upload = self.files[entry["id"]]
        upload.title = entry.get("title") or upload.name
        upload.channel = channel
        upload.completed = True
        return {
            "id": upload.file_id,
            "name": upload.name,
            "title": upload.title,
            "size": len(upload.content),
            "channels": [channel] if channel else [],
            "url_private": f"{self.root_url}/files/{upload.file_id}/{upload.name}",
        }


# -- signing -------------------------------------------------------------------------------


def slack_signature(signing_secret: str, timestamp: int | str, body: str | bytes) -> str:
    """Slack's v0 signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    raw = body if isinstance(body, bytes) else body.encode()
    base = b"v0:" + str(timestamp).encode() + b":" + raw
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


def signed_request(
    signing_secret: str, body: str | bytes, content_type: str, timestamp: int | None = None
) -> dict[str, str]:
    """The headers Slack sends with a request to the app's endpoint."""
    stamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(stamp),
        "X-Slack-Signature": slack_signature(signing_secret, stamp, body),
    }


async def post_to_app(
    url: str,
    body: str | bytes,
    content_type: str,
    signing_secret: str,
    retry_num: int | None = None,
    timestamp: int | None = None,
    bad_signature: bool = False,
    retry_reason: str = "http_timeout",
) -> tuple[int, str]:
    """POST a signed request to the app like Slack does; returns (status, response text)."""
    secret = signing_secret + "-wrong" if bad_signature else signing_secret
    headers = signed_request(secret, body, content_type, timestamp)
    headers["User-Agent"] = "Slackbot 1.0 (+https://api.slack.com/robots)"
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason
    data = body if isinstance(body, bytes) else body.encode()
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=data, headers=headers) as response,
    ):
        return response.status, await response.text()


# -- payloads Slack sends to /slack/events -------------------------------------------------

_event_ids = itertools.count(1)


def _event_ts() -> str:
    return _format_ts(_FIRST_TS + 500_000_000 + 100 * next(_event_ids))


def _trigger_id() -> str:
    return f"{next(_event_ids)}.{int(time.time())}.{uuid.uuid4().hex}"


def _form_payload(payload: Args) -> str:
    return urlencode({"payload": json.dumps(payload)})


def socket_payload(body: str) -> Args:
    """The Socket Mode `payload` for a body built for HTTP by the builders below.

    JSON (Events API) is decoded, `payload=<json>` (interactions) unwrapped, and a slash
    command's form fields become a dict of strings, as Slack sends them over the socket.
    """
    if body.startswith("{"):
        decoded = json.loads(body)
        return decoded if isinstance(decoded, dict) else {}
    fields = dict(parse_qsl(body, keep_blank_values=True))
    if fields.keys() == {"payload"}:
        decoded = json.loads(fields["payload"])
        return decoded if isinstance(decoded, dict) else {}
    return fields


def slash_command_body(
    command: str,
    text: str,
    user_id: str,
    team_id: str = TEAM_ID,
    channel_id: str = "C0GENERAL",
    channel_name: str = "general",
    trigger_id: str | None = None,
    response_url: str | None = None,
    user_name: str | None = None,
) -> str:
    """A slash command, form-encoded with the field names and order Slack uses."""
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name or user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url or f"https://hooks.slack.com/commands/{team_id}/1/fake",
        "trigger_id": trigger_id or _trigger_id(),
    }
    return urlencode(fields)


def event_body(
    event: Args,
    team_id: str = TEAM_ID,
    event_id: str | None = None,
    api_app_id: str = APP_ID,
    bot_user_id: str = BOT_USER_ID,
) -> str:
    """An Events API `event_callback` envelope (JSON) around one event."""
    envelope = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_event_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{uuid.uuid4().hex}",
    }
    return json.dumps(envelope)


def message_im_event(
    user: str, text: str, channel: str | None = None, ts: str | None = None, team_id: str = TEAM_ID
) -> Args:
    """A user's direct message to the bot, as the `event` of an event_callback."""
    stamp = ts or _event_ts()
    block = {
        "type": "rich_text",
        "block_id": uuid.uuid4().hex[:5],
        "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
    }
    return {
        "type": "message",
        "client_msg_id": str(uuid.uuid4()),
        "user": user,
        "text": text,
        "blocks": [block],
        "team": team_id,
        "channel": channel or _im_channel(user),
        "channel_type": "im",
        "ts": stamp,
        "event_ts": stamp,
    }


def app_home_opened_event(user: str, tab: str = "home") -> Args:
    """The `app_home_opened` event Slack sends when a user opens the app's Home tab."""
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": _im_channel(user),
        "tab": tab,
        "event_ts": _event_ts(),
    }


def _user_ref(user_id: str, team_id: str) -> Args:
    name = user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def block_actions_body(
    action_id: str,
    value: str,
    user_id: str,
    team_id: str = TEAM_ID,
    channel_id: str | None = "C0GENERAL",
    trigger_id: str | None = None,
    message_ts: str | None = None,
    *,
    block_id: str = "actions",
    ephemeral: bool = False,
    response_url: str | None = None,
) -> str:
    """A button press as `payload=<json>`: on a message in `channel_id`, or on App Home if None."""
    action = {
        "type": "button",
        "action_id": action_id,
        "block_id": block_id,
        "text": {"type": "plain_text", "text": value, "emoji": True},
        "value": value,
        "action_ts": _event_ts(),
    }
    payload: Args = {
        "type": "block_actions",
        "user": _user_ref(user_id, team_id),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or _trigger_id(),
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "state": {"values": {}},
        "actions": [action],
    }
    if channel_id is None:
        view_id = "VHOME" + user_id
        payload["container"] = {"type": "view", "view_id": view_id}
        payload["view"] = {"id": view_id, "type": "home", "team_id": team_id, "blocks": []}
        return _form_payload(payload)
    ts = message_ts or _event_ts()
    payload["container"] = {
        "type": "message",
        "message_ts": ts,
        "channel_id": channel_id,
        "is_ephemeral": ephemeral,
    }
    payload["channel"] = {"id": channel_id, "name": "directmessage" if channel_id[0] == "D" else ""}
    payload["response_url"] = response_url or f"https://hooks.slack.com/actions/{team_id}/1/fake"
    if not ephemeral:
        payload["message"] = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts}
    return _form_payload(payload)


def _state_values(values: dict[str, dict[str, Any]]) -> dict[str, dict[str, Args]]:
    def element(v: Any) -> Args:
        return v if isinstance(v, dict) else {"type": "plain_text_input", "value": v}

    return {block: {act: element(v) for act, v in acts.items()} for block, acts in values.items()}


def view_submission_body(
    callback_id: str,
    private_metadata: str,
    values: dict[str, dict[str, Any]],
    user_id: str,
    team_id: str = TEAM_ID,
    *,
    view_id: str = "V0MODAL",
    trigger_id: str | None = None,
) -> str:
    """A modal submission as `payload=<json>`; plain strings in `values` become text inputs."""
    view = {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "blocks": [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": _state_values(values)},
        "hash": uuid.uuid4().hex[:16],
        "title": {"type": "plain_text", "text": "Modal", "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": APP_ID,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": BOT_ID,
    }
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": _user_ref(user_id, team_id),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or _trigger_id(),
        "view": view,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return _form_payload(payload)
