"""A loopback Discord for tests: fake REST API and gateway that real discord.py clients talk to."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self, TypeVar

from aiohttp import WSMsgType, web

Json = dict[str, Any]
T = TypeVar("T")

API_VERSION = 10
API_PREFIX = f"/api/v{API_VERSION}"
GATEWAY_PATH = "/"
DISCORD_EPOCH_MS = 1_420_070_400_000
HEARTBEAT_INTERVAL_MS = 45_000
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
EPHEMERAL = 1 << 6
LOADING = 1 << 7

# Gateway intents the fake looks at.
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ALL_PERMISSIONS = (1 << 53) - 1
DEFAULT_PERMISSIONS = (
    (1 << 0)  # CREATE_INSTANT_INVITE
    | (1 << 6)  # ADD_REACTIONS
    | (1 << 10)  # VIEW_CHANNEL
    | (1 << 11)  # SEND_MESSAGES
    | (1 << 14)  # EMBED_LINKS
    | (1 << 15)  # ATTACH_FILES
    | (1 << 16)  # READ_MESSAGE_HISTORY
    | (1 << 18)  # USE_EXTERNAL_EMOJIS
    | (1 << 26)  # CHANGE_NICKNAME
    | (1 << 31)  # USE_APPLICATION_COMMANDS
    | (1 << 35)  # CREATE_PUBLIC_THREADS
    | (1 << 38)  # SEND_MESSAGES_IN_THREADS
)
"""What @everyone gets in a freshly created guild (text-related subset)."""

# Channel types.
GUILD_TEXT = 0
DM = 1
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12

# Interaction types and callback types.
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
CHANNEL_MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9

OPTION_TYPES = {bool: 5, int: 4, float: 10, str: 3}
RATE_LIMIT = 50


def _now_iso(delta: timedelta = timedelta()) -> str:
    return (datetime.now(UTC) + delta).isoformat(timespec="microseconds")


def _error(code: int, message: str) -> Json:
    return {"code": code, "message": message}


def _bucket(route: str) -> str:
    return hashlib.md5(route.encode(), usedforsecurity=False).hexdigest()


class Snowflakes:
    """Monotonic Discord-style snowflakes (ms since 2015 << 22 | worker | increment), as strings."""

    def __init__(self) -> None:
        self._last = 0

    def __call__(self) -> str:
        stamp = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22 | 1 << 17
        self._last = max(stamp, self._last + 1)
        return str(self._last)


# -- the world -------------------------------------------------------------------------------


@dataclass
class FakeUser:
    id: str
    username: str
    bot: bool = False
    accepts_dms: bool = True
    """False makes every message to this user's DM fail with 403 / 50007, as Discord does."""

    def to_dict(self) -> Json:
        return {
            "id": self.id,
            "username": self.username,
            "global_name": None if self.bot else self.username.title(),
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "system": False,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }


@dataclass
class FakeRole:
    id: str
    name: str
    permissions: int
    position: int = 0
    managed: bool = False
    bot_id: str | None = None

    def to_dict(self) -> Json:
        role: Json = {
            "id": self.id,
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "managed": self.managed,
            "mentionable": False,
            "flags": 0,
        }
        if self.bot_id:
            role["tags"] = {"bot_id": self.bot_id}
        return role


@dataclass
class FakeMember:
    user: FakeUser
    roles: list[str] = field(default_factory=list)
    joined_at: str = field(default_factory=_now_iso)

    def to_dict(self) -> Json:
        return {
            "user": self.user.to_dict(),
            "nick": None,
            "avatar": None,
            "banner": None,
            "roles": list(self.roles),
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }


@dataclass
class FakeChannel:
    id: str
    type: int
    name: str | None = None
    guild_id: str | None = None
    parent_id: str | None = None
    owner_id: str | None = None
    position: int = 0
    recipients: list[FakeUser] = field(default_factory=list)
    last_message_id: str | None = None

    @property
    def is_thread(self) -> bool:
        return self.type in (PUBLIC_THREAD, PRIVATE_THREAD)

    def to_dict(self) -> Json:
        if self.type == DM:
            return self._dm_dict()
        if self.is_thread:
            return self._thread_dict()
        return {
            "id": self.id,
            "type": self.type,
            "guild_id": self.guild_id,
            "name": self.name,
            "position": self.position,
            "parent_id": self.parent_id,
            "topic": None,
            "nsfw": False,
            "rate_limit_per_user": 0,
            "last_message_id": self.last_message_id,
            "permission_overwrites": [],
            "flags": 0,
        }

    def _dm_dict(self) -> Json:
        return {
            "id": self.id,
            "type": DM,
            "last_message_id": self.last_message_id,
            "recipients": [user.to_dict() for user in self.recipients],
            "flags": 0,
        }

    def _thread_dict(self) -> Json:
        return {
            "id": self.id,
            "type": self.type,
            "guild_id": self.guild_id,
            "parent_id": self.parent_id,
            "owner_id": self.owner_id,
            "name": self.name,
            "last_message_id": self.last_message_id,
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": _now_iso(),
                "locked": False,
                "create_timestamp": _now_iso(),
            },
        }


@dataclass
class FakeGuild:
    id: str
    name: str
    owner_id: str
    roles: dict[str, FakeRole] = field(default_factory=dict)
    channels: dict[str, FakeChannel] = field(default_factory=dict)
    members: dict[str, FakeMember] = field(default_factory=dict)

    @property
    def text_channels(self) -> list[FakeChannel]:
        return [c for c in self.channels.values() if c.type == GUILD_TEXT]

    def permissions_of(self, user_id: str) -> int:
        """Guild-level permissions: @everyone plus the member's roles; owners and admins get all."""
        member = self.members[user_id]
        value = self.roles[self.id].permissions
        for role_id in member.roles:
            value |= self.roles[role_id].permissions
        if user_id == self.owner_id or value & ADMINISTRATOR:
            return ALL_PERMISSIONS
        return value

    def to_dict(self) -> Json:
        """A GUILD_CREATE payload: everything discord.py needs to cache the guild."""
        return {
            "id": self.id,
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": self.owner_id,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "features": [],
            "max_members": 500_000,
            "max_video_channel_users": 25,
            "application_id": None,
            "roles": [role.to_dict() for role in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "joined_at": _now_iso(),
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "voice_states": [],
            "members": [member.to_dict() for member in self.members.values()],
            "channels": [c.to_dict() for c in self.channels.values() if not c.is_thread],
            "threads": [c.to_dict() for c in self.channels.values() if c.is_thread],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


# -- what the fake records -----------------------------------------------------------------


@dataclass
class UploadedFile:
    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class Call:
    """One REST request the client made, and what the fake answered."""

    method: str
    path: str
    """Path below the API base, e.g. ``/channels/123/messages``."""
    json: Any
    """The JSON body (for multipart requests: the parsed ``payload_json`` part)."""
    files: list[UploadedFile]
    headers: dict[str, str]
    query: dict[str, str] = field(default_factory=dict)
    status: int = 0
    response: Any = None


@dataclass
class Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: Json
    headers: dict[str, str]
    times: int


@dataclass
class InteractionState:
    payload: Json
    callback: Call | None = None
    original_message_id: str | None = None

    @property
    def id(self) -> str:
        return str(self.payload["id"])

    @property
    def token(self) -> str:
        return str(self.payload["token"])


Handler = Callable[[Call, re.Match[str]], Awaitable[tuple[int, Any]]]


class HttpError(Exception):
    """Raised by a route handler to answer with a Discord error body."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.body = _error(code, message)


def _unknown(what: str, code: int) -> HttpError:
    return HttpError(404, code, f"Unknown {what}")


class FakeDiscord:
    """Plays Discord's REST API and gateway on 127.0.0.1 for a real discord.py client."""

    def __init__(
        self,
        *,
        app_name: str = "Mock Interview Bot",
        token: str | None = None,
        echo_messages: bool = True,
    ) -> None:
        self.snowflake = Snowflakes()
        self.token = token
        """When set, requests and IDENTIFY with another token fail like Discord's (401 / 4004)."""
        self.echo_messages = echo_messages
        """Echo the bot's own messages back as MESSAGE_CREATE when its intents ask for them."""
        self.application_id = self.snowflake()
        self.app_name = app_name
        self.bot_user = FakeUser(self.snowflake(), app_name.lower().replace(" ", "-"), bot=True)
        self.owner = FakeUser(self.snowflake(), "owner")
        self.users: dict[str, FakeUser] = {u.id: u for u in (self.bot_user, self.owner)}
        self.guilds: dict[str, FakeGuild] = {}
        self.channels: dict[str, FakeChannel] = {}
        self.messages: dict[str, Json] = {}
        self.commands: dict[str | None, list[Json]] = {}
        """Synced application commands by guild id (None: global)."""
        self.interactions: dict[str, InteractionState] = {}
        self.calls: list[Call] = []
        self.gateway_received: list[Json] = []
        self.identify_payload: Json | None = None
        self.gateway_query: dict[str, str] = {}
        self.session_id: str | None = None
        self._failures: list[Failure] = []
        self._routes = self._build_routes()
        self._cond = asyncio.Condition()
        self._sockets: set[web.WebSocketResponse] = set()
        self._socket: web.WebSocketResponse | None = None
        self._send_lock = asyncio.Lock()
        self._seq = 0
        self._acked_seq = -1
        self._ready_sent = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.guild = self.add_guild("Interview Prep", channels=("general", "interviews"))
        self.channel = self.guild.text_channels[0]
        self.user = self.add_member(self.guild, self.add_user("alice"))
        moderators = self.add_role(self.guild, "Moderators", MANAGE_GUILD)
        self.admin = self.add_member(self.guild, self.add_user("morgan"), roles=[moderators])

    # -- lifecycle --------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._handle_rest)
        app.router.add_get(GATEWAY_PATH, self._handle_gateway)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for socket in list(self._sockets):
            await socket.close(code=1001, message=b"fake shutting down")
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        """What to put in ``discord.http.Route.BASE``."""
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """What to put (as a ``yarl.URL``) in ``DiscordWebSocket.DEFAULT_GATEWAY``."""
        return f"ws://127.0.0.1:{self.port}{GATEWAY_PATH}"

    # -- building the world -----------------------------------------------------------------

    def add_user(self, username: str, *, accepts_dms: bool = True) -> FakeUser:
        user = FakeUser(self.snowflake(), username, accepts_dms=accepts_dms)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, *, channels: Iterable[str] = ("general",)) -> FakeGuild:
        """A guild owned by ``self.owner``, with @everyone, the bot's managed role and the bot."""
        guild = FakeGuild(self.snowflake(), name, self.owner.id)
        guild.roles[guild.id] = FakeRole(guild.id, "@everyone", DEFAULT_PERMISSIONS)
        bot_role = self.add_role(guild, self.app_name, DEFAULT_PERMISSIONS | MANAGE_CHANNELS)
        bot_role.managed, bot_role.bot_id = True, self.bot_user.id
        self.guilds[guild.id] = guild
        for channel_name in channels:
            self.add_text_channel(guild, channel_name)
        self.add_member(guild, self.owner)
        self.add_member(guild, self.bot_user, roles=[bot_role])
        return guild

    def add_text_channel(self, guild: FakeGuild, name: str) -> FakeChannel:
        channel = FakeChannel(
            self.snowflake(), GUILD_TEXT, name, guild.id, position=len(guild.channels)
        )
        guild.channels[channel.id] = self.channels[channel.id] = channel
        return channel

    def add_role(self, guild: FakeGuild, name: str, permissions: int) -> FakeRole:
        role = FakeRole(self.snowflake(), name, permissions, position=len(guild.roles))
        guild.roles[role.id] = role
        return role

    def add_member(
        self, guild: FakeGuild, user: FakeUser, *, roles: Iterable[FakeRole] = ()
    ) -> FakeUser:
        guild.members[user.id] = FakeMember(user, [role.id for role in roles])
        return user

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The bot's DM channel with ``user``, created on first use like Discord does."""
        for channel in self.channels.values():
            if channel.type == DM and channel.recipients[0].id == user.id:
                return channel
        channel = FakeChannel(self.snowflake(), DM, recipients=[user])
        self.channels[channel.id] = channel
        return channel

    # -- recording and waiting ---------------------------------------------------------------

    def fail_next(
        self,
        verb: str,
        path_regex: str,
        status: int = 403,
        code: int = 50007,
        message: str = "Cannot send messages to this user",
        *,
        retry_after: float = 0.0,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` matching requests with a Discord error instead."""
        headers: dict[str, str] = {}
        body = _error(code, message)
        if status == 429:
            body = {"message": "You are being rate limited.", "retry_after": retry_after}
            body["global"] = False
            headers = self._rate_limited_headers(path_regex, retry_after)
        pattern = re.compile(path_regex)
        self._failures.append(Failure(verb.upper(), pattern, status, body, headers, times))

    def calls_to(self, verb: str, path_regex: str) -> list[Call]:
        """Recorded calls whose method is ``verb`` and whose path fully matches ``path_regex``."""
        pattern = re.compile(path_regex)
        verb = verb.upper()
        return [c for c in self.calls if c.method == verb and pattern.fullmatch(c.path)]

    async def wait_for(
        self, verb: str, path_regex: str, count: int = 1, timeout: float = 5
    ) -> list[Call]:
        """Wait until ``count`` matching calls were recorded; return the first ``count``."""

        def enough() -> list[Call] | None:
            found = self.calls_to(verb, path_regex)
            return found[:count] if len(found) >= count else None

        return await self._wait(enough, timeout, f"{count} x {verb} {path_regex}")

    async def interaction_response(self, interaction_id: str, timeout: float = 5) -> Call:
        """Wait for the client's callback to the interaction; return the recorded call."""
        state = self.interactions[str(interaction_id)]
        return await self._wait(lambda: state.callback, timeout, f"callback to {interaction_id}")

    def followups(self, interaction_id: str) -> list[Call]:
        """Followup messages (POST /webhooks/{app}/{token}) sent for an interaction."""
        return self.calls_to("POST", self.webhook_path(interaction_id))

    def webhook_path(self, interaction_id: str) -> str:
        """Path regex of an interaction's followup webhook."""
        token = self.interactions[str(interaction_id)].token
        return re.escape(f"/webhooks/{self.application_id}/{token}")

    def messages_in(self, channel_id: str) -> list[Json]:
        """Messages stored in a channel, oldest first."""
        return [m for m in self.messages.values() if m["channel_id"] == str(channel_id)]

    async def _wait(self, probe: Callable[[], T | None], timeout: float, what: str) -> T:
        async with self._cond:
            try:
                async with asyncio.timeout(timeout):
                    await self._cond.wait_for(lambda: probe() is not None)
            except TimeoutError:
                seen = [f"{c.method} {c.path} -> {c.status}" for c in self.calls[-10:]]
                message = f"timed out after {timeout}s waiting for {what}; last calls: {seen}"
                raise AssertionError(message) from None
            result = probe()
            assert result is not None
            return result

    async def _changed(self) -> None:
        async with self._cond:
            self._cond.notify_all()

    # -- gateway ----------------------------------------------------------------------------

    async def ready(self, timeout: float = 10) -> None:
        """Wait until READY and every GUILD_CREATE were sent and the client has parsed them.

        discord.py's ``on_ready`` fires ``guild_ready_timeout`` (2 s by default) later still;
        await ``client.wait_until_ready()`` as well if the code under test depends on it.
        """
        await self._wait(lambda: self._ready_sent or None, timeout, "IDENTIFY and READY")
        await self.sync(timeout)

    async def sync(self, timeout: float = 5) -> None:
        """Barrier: returns once the client has parsed every dispatch sent so far.

        Sends op 1 (Discord's "heartbeat now" request); discord.py answers from its read
        loop with the sequence it has processed, so frames are handled in order.
        """
        target = self._seq
        await self._send({"op": 1, "d": None, "s": None, "t": None})
        await self._wait(lambda: self._acked_seq >= target or None, timeout, f"ack of s={target}")

    async def dispatch(
        self, event: str, data: Json, *, processed: bool = True, timeout: float = 5
    ) -> int:
        """Send a DISPATCH (op 0) event; by default wait until the client has parsed it."""
        async with self._send_lock:
            self._seq += 1
            seq = self._seq
            await self._send_unlocked({"op": 0, "d": data, "s": seq, "t": event})
        if processed:
            await self.sync(timeout)
        return seq

    async def wait_for_op(self, op: int, count: int = 1, timeout: float = 5) -> list[Json]:
        """Wait until the client has sent ``count`` gateway frames with opcode ``op``."""

        def enough() -> list[Json] | None:
            frames = [f for f in self.gateway_received if f.get("op") == op]
            return frames[:count] if len(frames) >= count else None

        return await self._wait(enough, timeout, f"{count} gateway frame(s) with op {op}")

    async def disconnect(self, code: int = 4000) -> None:
        """Close the gateway socket (discord.py reconnects and RESUMEs for most codes)."""
        if self._socket is not None:
            await self._socket.close(code=code)

    async def _send(self, frame: Json) -> None:
        async with self._send_lock:
            await self._send_unlocked(frame)

    async def _send_unlocked(self, frame: Json) -> None:
        if self._socket is None or self._socket.closed:
            raise AssertionError("no gateway connection; did the client connect?")
        await self._socket.send_str(json.dumps(frame))

    async def _handle_gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await socket.prepare(request)
        self._sockets.add(socket)
        self._socket, self._acked_seq = socket, -1
        self.gateway_query = dict(request.query)
        hello = {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}
        await self._send({"op": 10, "d": hello, "s": None, "t": None})
        try:
            async for message in socket:
                if message.type is WSMsgType.TEXT:
                    await self._on_frame(socket, json.loads(message.data))
        finally:
            self._sockets.discard(socket)
            if self._socket is socket:
                self._socket = None
        return socket

    async def _on_frame(self, socket: web.WebSocketResponse, frame: Json) -> None:
        self.gateway_received.append(frame)
        op, data = frame.get("op"), frame.get("d")
        if op == 1:
            self._acked_seq = max(self._acked_seq, data if isinstance(data, int) else -1)
            await self._send({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            await self._identify(socket, data)
        elif op == 6:
            await self._resume(data)
        elif op == 8:
            await self._members_chunk(data)
        await self._changed()

    async def _identify(self, socket: web.WebSocketResponse, data: Json) -> None:
        if self.token is not None and data.get("token") != self.token:
            await socket.close(code=4004, message=b"Authentication failed.")
            return
        self.identify_payload = data
        self.session_id = secrets.token_hex(16)
        self._seq = 0
        await self.dispatch("READY", self._ready_payload(), processed=False)
        for guild in self.guilds.values():
            await self.dispatch("GUILD_CREATE", guild.to_dict(), processed=False)
        self._ready_sent = True

    async def _resume(self, data: Json) -> None:
        if data.get("session_id") != self.session_id:
            await self._send({"op": 9, "d": False, "s": None, "t": None})
            return
        await self.dispatch("RESUMED", {}, processed=False)

    async def _members_chunk(self, data: Json) -> None:
        guild = self.guilds[str(data["guild_id"])]
        chunk = {
            "guild_id": guild.id,
            "members": [m.to_dict() for m in guild.members.values()],
            "chunk_index": 0,
            "chunk_count": 1,
            "nonce": data.get("nonce"),
        }
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk, processed=False)

    def _ready_payload(self) -> Json:
        shard = (self.identify_payload or {}).get("shard")
        return {
            **({"shard": shard} if shard else {}),
            "v": API_VERSION,
            "user": self._me(),
            "user_settings": {},
            "private_channels": [],
            "guilds": [{"id": guild_id, "unavailable": True} for guild_id in self.guilds],
            "session_id": self.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": self.application_id, "flags": 0},
            "geo_ordered_rtc_regions": ["rotterdam"],
            "guild_join_requests": [],
            "presences": [],
            "relationships": [],
            "auth": {},
        }

    def _intent(self, flag: int) -> bool:
        return bool(self.identify_payload and self.identify_payload.get("intents", 0) & flag)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _echo(self, event: str, data: Json) -> None:
        if self._socket is not None and not self._socket.closed:
            self._spawn(self._dispatch_quietly(event, data))

    async def _dispatch_quietly(self, event: str, data: Json) -> None:
        with contextlib.suppress(AssertionError, ConnectionError):
            await self.dispatch(event, data, processed=False)

    # -- payload builders -------------------------------------------------------------------

    def slash_command(
        self,
        name: str,
        options: dict[str, Any] | list[Json] | None = None,
        *,
        user: FakeUser | None = None,
        guild_id: str | None = None,
        channel_id: str | None = None,
        dm: bool = False,
        member_permissions: int | None = None,
        locale: str = "en-US",
    ) -> Json:
        """INTERACTION_CREATE (type 2) for ``/name`` ("group sub" names nest subcommands)."""
        data = self._command_data(name, options, guild_id, channel_id, dm)
        return self._interaction(
            APPLICATION_COMMAND, data, user, guild_id, channel_id, dm, member_permissions, locale
        )

    def autocomplete(
        self,
        name: str,
        options: dict[str, Any],
        focused: str,
        *,
        user: FakeUser | None = None,
        guild_id: str | None = None,
        channel_id: str | None = None,
        dm: bool = False,
    ) -> Json:
        """INTERACTION_CREATE (type 4): the user is typing into option ``focused``."""
        data = self._command_data(name, options, guild_id, channel_id, dm)
        for option in self._leaf_options(data):
            if option["name"] == focused:
                option["focused"], option["value"] = True, str(option["value"])
        return self._interaction(AUTOCOMPLETE, data, user, guild_id, channel_id, dm, None, "en-US")

    def button_click(
        self,
        custom_id: str,
        message_id: str | None = None,
        *,
        user: FakeUser | None = None,
        channel_id: str | None = None,
        dm: bool = False,
        component_type: int = 2,
        values: list[str] | None = None,
        member_permissions: int | None = None,
    ) -> Json:
        """INTERACTION_CREATE (type 3) for a button (or a select menu with ``values``)."""
        data: Json = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = values
        payload = self._interaction(
            MESSAGE_COMPONENT, data, user, None, channel_id, dm, member_permissions, "en-US"
        )
        payload["message"] = self._clicked_message(payload, message_id, custom_id)
        return payload

    def modal_submit(
        self,
        custom_id: str,
        values: dict[str, str],
        *,
        user: FakeUser | None = None,
        channel_id: str | None = None,
        dm: bool = False,
        member_permissions: int | None = None,
    ) -> Json:
        """INTERACTION_CREATE (type 5) answering the modal ``custom_id`` with text values.

        Mirrors the layout of the last modal the client opened with that custom_id (action
        rows or labels); without one, each value goes in its own action row.
        """
        components = self._modal_components(custom_id, values)
        data = {"custom_id": custom_id, "components": components}
        return self._interaction(
            MODAL_SUBMIT, data, user, None, channel_id, dm, member_permissions, "en-US"
        )

    def dm_message(
        self, content: str, *, user: FakeUser | None = None, channel_id: str | None = None
    ) -> Json:
        """MESSAGE_CREATE for a user writing to the bot in DM (no guild_id)."""
        user = user or self.user
        channel = self.channels[channel_id] if channel_id else self.dm_channel(user)
        return self._store_message(channel, user, {"content": content})

    def _interaction(
        self,
        kind: int,
        data: Json,
        user: FakeUser | None,
        guild_id: str | None,
        channel_id: str | None,
        dm: bool,
        member_permissions: int | None,
        locale: str,
    ) -> Json:
        user = user or self.user
        channel = self._target_channel(user, guild_id, channel_id, dm)
        payload: Json = {
            "id": self.snowflake(),
            "application_id": self.application_id,
            "type": kind,
            "data": data,
            "token": "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48),
            "version": 1,
            "locale": locale,
            "channel": channel.to_dict(),
            "channel_id": channel.id,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if channel.guild_id:
            self._add_guild_context(
                payload, self.guilds[channel.guild_id], user, member_permissions
            )
        else:
            payload.update(user=user.to_dict(), context=1, app_permissions=str(DEFAULT_PERMISSIONS))
            payload["authorizing_integration_owners"] = {"0": self.guild.id}
        self.interactions[payload["id"]] = InteractionState(payload)
        return payload

    def _add_guild_context(
        self, payload: Json, guild: FakeGuild, user: FakeUser, permissions: int | None
    ) -> None:
        if user.id not in guild.members:
            self.add_member(guild, user)
        member = guild.members[user.id].to_dict()
        value = guild.permissions_of(user.id) if permissions is None else permissions
        member["permissions"] = str(value)
        payload.update(
            guild_id=guild.id,
            guild_locale="en-US",
            guild={"id": guild.id, "locale": "en-US", "features": []},
            member=member,
            context=0,
            app_permissions=str(guild.permissions_of(self.bot_user.id)),
            authorizing_integration_owners={"0": guild.id},
        )

    def _target_channel(
        self, user: FakeUser, guild_id: str | None, channel_id: str | None, dm: bool
    ) -> FakeChannel:
        if channel_id:
            return self.channels[str(channel_id)]
        if dm:
            return self.dm_channel(user)
        guild = self.guilds[str(guild_id)] if guild_id else self.guild
        return guild.text_channels[0]

    def _command_data(
        self,
        name: str,
        options: dict[str, Any] | list[Json] | None,
        guild_id: str | None,
        channel_id: str | None,
        dm: bool,
    ) -> Json:
        root, *path = name.split()
        scope = None if dm else self._guild_of(guild_id, channel_id)
        stored = self._find_command(root, scope)
        data: Json = {"id": stored["id"] if stored else self.snowflake(), "name": root, "type": 1}
        if stored and stored.get("guild_id"):
            data["guild_id"] = stored["guild_id"]
        definitions = stored.get("options", []) if stored else []
        for sub in path:
            definition = _named(definitions, sub)
            definitions = definition.get("options", []) if definition else []
        leaves = self._typed_options(options, definitions)
        data["options"] = _nest(path, leaves)
        resolved = self._resolved(leaves, scope)
        if resolved:
            data["resolved"] = resolved
        return data

    def _guild_of(self, guild_id: str | None, channel_id: str | None) -> str | None:
        if channel_id:
            return self.channels[str(channel_id)].guild_id
        return str(guild_id) if guild_id else self.guild.id

    def _find_command(self, name: str, guild_id: str | None) -> Json | None:
        scopes = [guild_id, None] if guild_id else [None]
        for scope in scopes:
            found = _named(self.commands.get(scope, []), name)
            if found:
                return found
        return None

    def _typed_options(
        self, options: dict[str, Any] | list[Json] | None, definitions: list[Json]
    ) -> list[Json]:
        if isinstance(options, list):
            return options
        typed = []
        for key, value in (options or {}).items():
            definition = _named(definitions, key)
            kind = definition["type"] if definition else OPTION_TYPES[type(value)]
            typed.append({"name": key, "type": kind, "value": value})
        return typed

    def _resolved(self, options: list[Json], guild_id: str | None) -> Json:
        resolved: Json = {}
        for option in options:
            value = str(option.get("value"))
            if option.get("type") == 6 and value in self.users:
                resolved.setdefault("users", {})[value] = self.users[value].to_dict()
                guild = self.guilds.get(guild_id or "")
                if guild and value in guild.members:
                    member = guild.members[value].to_dict()
                    member.pop("user")
                    member["permissions"] = str(guild.permissions_of(value))
                    resolved.setdefault("members", {})[value] = member
            elif option.get("type") == 7 and value in self.channels:
                channel = self.channels[value].to_dict()
                channel["permissions"] = str(ALL_PERMISSIONS)
                resolved.setdefault("channels", {})[value] = channel
        return resolved

    def _leaf_options(self, data: Json) -> list[Json]:
        options = data.get("options", [])
        while options and options[0].get("type") in (1, 2):
            options = options[0].get("options", [])
        return options

    def _clicked_message(self, payload: Json, message_id: str | None, custom_id: str) -> Json:
        if message_id and str(message_id) in self.messages:
            return self.messages[str(message_id)]
        button = {"type": 2, "style": 1, "label": custom_id, "custom_id": custom_id}
        body = {"content": "", "components": [{"type": 1, "components": [button]}]}
        message = self._message(self.channels[payload["channel_id"]], self.bot_user, body)
        if message_id:
            message["id"] = str(message_id)
        return message

    def _modal_components(self, custom_id: str, values: dict[str, str]) -> list[Json]:
        opened = [
            call.json["data"]
            for call in self.calls
            if call.path.endswith("/callback")
            and call.json.get("type") == MODAL
            and call.json["data"].get("custom_id") == custom_id
        ]
        if not opened:
            rows = ({"type": 4, "custom_id": k, "value": v} for k, v in values.items())
            return [{"type": 1, "components": [row]} for row in rows]
        ids = itertools.count(1)
        return [_submitted(component, values, ids) for component in opened[-1]["components"]]

    def _message(self, channel: FakeChannel, author: FakeUser, body: Json) -> Json:
        message: Json = {
            "id": self.snowflake(),
            "type": 19 if body.get("message_reference") else 0,
            "channel_id": channel.id,
            "author": author.to_dict(),
            "content": body.get("content") or "",
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "flags": body.get("flags") or 0,
        }
        if channel.guild_id:
            message["guild_id"] = channel.guild_id
        for key in ("nonce", "message_reference", "sticker_ids", "poll"):
            if body.get(key) is not None:
                message[key] = body[key]
        return message

    def _store_message(
        self, channel: FakeChannel, author: FakeUser, body: Json, files: Iterable[UploadedFile] = ()
    ) -> Json:
        message = self._message(channel, author, body)
        message["attachments"] = [self._attachment(channel, f) for f in files]
        self.messages[message["id"]] = message
        channel.last_message_id = message["id"]
        return message

    def _attachment(self, channel: FakeChannel, upload: UploadedFile) -> Json:
        attachment_id = self.snowflake()
        url = (
            f"https://cdn.discordapp.com/attachments/{channel.id}/{attachment_id}/{upload.filename}"
        )
        return {
            "id": attachment_id,
            "filename": upload.filename,
            "size": len(upload.data),
            "url": url,
            "proxy_url": url.replace("cdn.discordapp.com", "media.discordapp.net"),
            "content_type": upload.content_type,
        }

    def _echo_message(self, message: Json, event: str = "MESSAGE_CREATE") -> None:
        """Send the bot's own message back over the gateway, as Discord does for its intents."""
        channel = self.channels[message["channel_id"]]
        wanted = INTENT_DIRECT_MESSAGES if channel.type == DM else INTENT_GUILD_MESSAGES
        if self.echo_messages and self._intent(wanted) and not message["flags"] & EPHEMERAL:
            self._echo(event, message)

    # -- REST -------------------------------------------------------------------------------

    def _build_routes(self) -> list[tuple[str, re.Pattern[str], Handler]]:
        app = r"(?P<app>\d+)"
        hook = r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"
        msg = r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)"
        table: list[tuple[str, str, Handler]] = [
            ("GET", r"/users/@me", self._get_me),
            ("GET", r"/oauth2/applications/@me", self._get_application),
            ("GET", r"/applications/@me", self._get_application),
            ("GET", r"/gateway", self._get_gateway),
            ("GET", r"/gateway/bot", self._get_gateway_bot),
            ("PUT", rf"/applications/{app}(?:/guilds/(?P<guild>\d+))?/commands", self._put_cmds),
            ("GET", rf"/applications/{app}(?:/guilds/(?P<guild>\d+))?/commands", self._get_cmds),
            ("POST", rf"/applications/{app}(?:/guilds/(?P<guild>\d+))?/commands", self._post_cmd),
            ("POST", r"/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback", self._callback),
            ("POST", hook, self._followup),
            ("GET", hook + r"/messages/(?P<message>@original|\d+)", self._get_hook_msg),
            ("PATCH", hook + r"/messages/(?P<message>@original|\d+)", self._edit_hook_msg),
            ("DELETE", hook + r"/messages/(?P<message>@original|\d+)", self._delete_hook_msg),
            ("POST", r"/users/@me/channels", self._create_dm),
            ("GET", r"/users/(?P<user>\d+)", self._get_user),
            ("GET", r"/channels/(?P<channel>\d+)", self._get_channel),
            ("POST", r"/channels/(?P<channel>\d+)/messages", self._post_message),
            ("GET", r"/channels/(?P<channel>\d+)/messages", self._list_messages),
            ("GET", msg, self._get_message),
            ("PATCH", msg, self._edit_message),
            ("DELETE", msg, self._delete_message),
            ("POST", msg + "/threads", self._thread_from_message),
            ("POST", r"/channels/(?P<channel>\d+)/threads", self._thread_without_message),
            ("GET", r"/guilds/(?P<guild>\d+)", self._get_guild),
            ("GET", r"/guilds/(?P<guild>\d+)/channels", self._get_guild_channels),
            ("GET", r"/guilds/(?P<guild>\d+)/members/(?P<user>\d+)", self._get_member),
        ]
        return [(verb, re.compile(path), handler) for verb, path, handler in table]

    async def _handle_rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        call = await _read_call(request, path)
        route, handler, match = self._route(call)
        status, body, headers = await self._answer(call, route, handler, match)
        call.status, call.response = status, body
        self.calls.append(call)
        await self._changed()
        if status == 204:
            return web.Response(status=204, headers=headers)
        # discord.py only decodes a body whose Content-Type is exactly "application/json".
        headers["Content-Type"] = "application/json"
        return web.Response(body=json.dumps(body).encode(), status=status, headers=headers)

    def _route(self, call: Call) -> tuple[str, Handler | None, re.Match[str] | None]:
        for verb, pattern, handler in self._routes:
            match = pattern.fullmatch(call.path)
            if verb == call.method and match:
                return f"{verb} {pattern.pattern}", handler, match
        return f"{call.method} {call.path}", None, None

    async def _answer(
        self, call: Call, route: str, handler: Handler | None, match: re.Match[str] | None
    ) -> tuple[int, Any, dict[str, str]]:
        failure = self._pop_failure(call)
        if failure is not None:
            return failure.status, failure.body, {"Via": "1.1 google", **failure.headers}
        headers = self._ok_headers(route)
        if not self._authorised(call):
            return 401, _error(0, "401: Unauthorized"), headers
        if handler is None or match is None:
            generic = 204 if call.method in ("PUT", "DELETE") else 200
            return generic, None if generic == 204 else {}, headers
        try:
            status, body = await handler(call, match)
        except HttpError as error:
            return error.status, error.body, headers
        return status, body, headers

    def _authorised(self, call: Call) -> bool:
        if self.token is None or call.path.startswith(("/interactions/", "/webhooks/")):
            return True
        return call.headers.get("Authorization") == f"Bot {self.token}"

    def _pop_failure(self, call: Call) -> Failure | None:
        for failure in self._failures:
            if failure.method == call.method and failure.pattern.fullmatch(call.path):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    def _ok_headers(self, route: str) -> dict[str, str]:
        return {
            "Via": "1.1 google",
            "X-RateLimit-Bucket": _bucket(route),
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": str(RATE_LIMIT - 1),
            "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
        }

    def _rate_limited_headers(self, route: str, retry_after: float) -> dict[str, str]:
        return {
            "X-RateLimit-Bucket": _bucket(route),
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Scope": "user",
            "Retry-After": str(int(retry_after + 0.999)),
        }

    # -- REST handlers: identity and gateway discovery ---------------------------------------

    def _me(self) -> Json:
        me = self.bot_user.to_dict()
        me.update(verified=True, mfa_enabled=False, email=None, locale="en-US", bio="")
        return me

    async def _get_me(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        return 200, self._me()

    async def _get_application(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        return 200, {
            "id": self.application_id,
            "name": self.app_name,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": secrets.token_hex(32),
            "owner": self.owner.to_dict(),
            "team": None,
            "flags": 0,
            "bot": self.bot_user.to_dict(),
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "approximate_guild_count": len(self.guilds),
            "integration_types_config": {"0": {}},
        }

    async def _get_gateway(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    async def _get_gateway_bot(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    # -- REST handlers: application commands ------------------------------------------------

    def _check_app(self, match: re.Match[str]) -> str | None:
        if match["app"] != self.application_id:
            raise _unknown("Application", 10002)
        guild = match.groupdict().get("guild")
        if guild is not None and guild not in self.guilds:
            raise HttpError(403, 50001, "Missing Access")
        return guild

    def _command(self, body: Json, guild: str | None, previous: Json | None) -> Json:
        command = {
            "type": 1,
            "default_member_permissions": None,
            "nsfw": False,
            "contexts": None,
            "integration_types": [0],
            **body,
            "id": previous["id"] if previous else self.snowflake(),
            "application_id": self.application_id,
            "version": self.snowflake(),
        }
        command.setdefault("description", "")
        if command["default_member_permissions"] is not None:  # Discord answers with a string
            command["default_member_permissions"] = str(command["default_member_permissions"])
        if guild:
            command["guild_id"] = guild
        return command

    async def _put_cmds(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        guild = self._check_app(match)
        old = self.commands.get(guild, [])
        self.commands[guild] = [self._command(b, guild, _named(old, b["name"])) for b in call.json]
        return 200, self.commands[guild]

    async def _get_cmds(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        return 200, self.commands.get(self._check_app(match), [])

    async def _post_cmd(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        guild = self._check_app(match)
        existing = self.commands.setdefault(guild, [])
        previous = _named(existing, call.json["name"])
        command = self._command(call.json, guild, previous)
        existing[:] = [c for c in existing if c is not previous] + [command]
        return (200 if previous else 201), command

    # -- REST handlers: interactions and webhooks -------------------------------------------

    async def _callback(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        state = self.interactions.get(match["id"])
        if state is None or state.token != match["token"]:
            raise _unknown("interaction", 10062)
        if state.callback is not None:
            raise HttpError(400, 40060, "Interaction has already been acknowledged.")
        state.callback = call
        kind, data = call.json["type"], call.json.get("data") or {}
        resource: Json = {"type": kind}
        info: Json = {"id": state.id, "type": state.payload["type"]}
        message = self._callback_message(state, kind, data, call.files)
        if message is not None:
            info["response_message_id"] = message["id"]
            info["response_message_loading"] = kind == DEFERRED_MESSAGE
            info["response_message_ephemeral"] = bool(message["flags"] & EPHEMERAL)
            if kind in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
                resource["message"] = message
        return 200, {"interaction": info, "resource": resource}

    def _callback_message(
        self, state: InteractionState, kind: int, data: Json, files: list[UploadedFile]
    ) -> Json | None:
        channel = self.channels[state.payload["channel_id"]]
        if kind == CHANNEL_MESSAGE:
            message = self._store_message(channel, self.bot_user, data, files)
        elif kind == DEFERRED_MESSAGE:
            flags = (data.get("flags") or 0) | LOADING
            message = self._store_message(channel, self.bot_user, {"flags": flags})
        elif kind in (DEFERRED_UPDATE, UPDATE_MESSAGE) and "message" in state.payload:
            message = self.messages.setdefault(
                state.payload["message"]["id"], state.payload["message"]
            )
            if kind == UPDATE_MESSAGE:
                _edit(message, data)
        else:
            return None
        state.original_message_id = message["id"]
        if kind in (CHANNEL_MESSAGE, DEFERRED_MESSAGE):
            self._echo_message(message)
        elif kind == UPDATE_MESSAGE:
            self._echo_message(message, "MESSAGE_UPDATE")
        return message

    def _hook_interaction(self, match: re.Match[str]) -> InteractionState:
        if match["app"] == self.application_id:
            for state in self.interactions.values():
                if state.token == match["token"] and state.callback is not None:
                    return state
        raise _unknown("Webhook", 10015)

    async def _followup(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        """A followup; the first one after a "thinking" defer replaces the loading message."""
        state = self._hook_interaction(match)
        original = self.messages.get(state.original_message_id or "")
        if original is not None and original["flags"] & LOADING:
            flags = original["flags"] & ~LOADING
            _edit(original, {**call.json, "flags": flags}, edited=False)
            self._echo_message(original, "MESSAGE_UPDATE")
            return 200, original
        channel = self.channels[state.payload["channel_id"]]
        message = self._store_message(channel, self.bot_user, call.json, call.files)
        message.update(webhook_id=self.application_id, application_id=self.application_id)
        self._echo_message(message)
        waited = call.query.get("wait", "false").lower() in ("1", "true")
        return (200, message) if waited else (204, None)

    def _hook_message(self, match: re.Match[str]) -> Json:
        state = self._hook_interaction(match)
        wanted = match["message"]
        message_id = state.original_message_id if wanted == "@original" else wanted
        if message_id not in self.messages:
            raise _unknown("Message", 10008)
        return self.messages[message_id]

    async def _get_hook_msg(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        return 200, self._hook_message(match)

    async def _edit_hook_msg(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        message = self._hook_message(match)
        body = dict(call.json or {})
        body.setdefault("flags", message["flags"] & ~LOADING)
        _edit(message, body)
        self._echo_message(message, "MESSAGE_UPDATE")
        return 200, message

    async def _delete_hook_msg(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        self.messages.pop(self._hook_message(match)["id"])
        return 204, None

    # -- REST handlers: users, channels, messages, threads, guilds ---------------------------

    async def _create_dm(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        user = self.users.get(str(call.json.get("recipient_id")))
        if user is None:
            raise _unknown("User", 10013)
        return 200, self.dm_channel(user).to_dict()

    async def _get_user(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        if match["user"] not in self.users:
            raise _unknown("User", 10013)
        return 200, self.users[match["user"]].to_dict()

    def _channel(self, match: re.Match[str]) -> FakeChannel:
        if match["channel"] not in self.channels:
            raise _unknown("Channel", 10003)
        return self.channels[match["channel"]]

    def _channel_message(self, match: re.Match[str]) -> Json:
        message = self.messages.get(match["message"])
        if message is None or message["channel_id"] != self._channel(match).id:
            raise _unknown("Message", 10008)
        return message

    async def _get_channel(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        return 200, self._channel(match).to_dict()

    async def _post_message(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        channel = self._channel(match)
        if channel.type == DM and not channel.recipients[0].accepts_dms:
            raise HttpError(403, 50007, "Cannot send messages to this user")
        body = call.json or {}
        if not (body.get("content") or body.get("embeds") or call.files or body.get("components")):
            raise HttpError(400, 50006, "Cannot send an empty message")
        message = self._store_message(channel, self.bot_user, body, call.files)
        self._echo_message(message)
        return 200, message

    async def _list_messages(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        limit = int(call.query.get("limit", 50))
        newest_first = list(reversed(self.messages_in(self._channel(match).id)))
        return 200, newest_first[:limit]

    async def _get_message(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        return 200, self._channel_message(match)

    async def _edit_message(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        message = self._channel_message(match)
        _edit(message, call.json or {})
        self._echo_message(message, "MESSAGE_UPDATE")
        return 200, message

    async def _delete_message(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        self.messages.pop(self._channel_message(match)["id"])
        return 204, None

    def _open_thread(self, parent: FakeChannel, body: Json, thread_id: str, kind: int) -> Json:
        if parent.type != GUILD_TEXT:
            raise HttpError(400, 50024, "Cannot execute action on this channel type")
        thread = FakeChannel(
            thread_id, kind, body.get("name"), parent.guild_id, parent.id, self.bot_user.id
        )
        self.channels[thread.id] = self.guilds[str(parent.guild_id)].channels[thread.id] = thread
        payload = thread.to_dict()
        if self._intent(INTENT_GUILDS):
            self._echo("THREAD_CREATE", {**payload, "newly_created": True})
        return payload

    async def _thread_from_message(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        message = self._channel_message(match)
        if "thread" in message:
            raise HttpError(400, 160004, "A thread has already been created for this message")
        payload = self._open_thread(self._channel(match), call.json, message["id"], PUBLIC_THREAD)
        message["thread"] = payload
        return 201, payload

    async def _thread_without_message(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        kind = int(call.json.get("type") or PRIVATE_THREAD)
        return 201, self._open_thread(self._channel(match), call.json, self.snowflake(), kind)

    def _guild(self, match: re.Match[str]) -> FakeGuild:
        if match["guild"] not in self.guilds:
            raise _unknown("Guild", 10004)
        return self.guilds[match["guild"]]

    async def _get_guild(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        guild = self._guild(match).to_dict()
        for key in ("members", "channels", "threads", "presences", "voice_states"):
            guild.pop(key)
        return 200, guild

    async def _get_guild_channels(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        channels = self._guild(match).channels.values()
        return 200, [c.to_dict() for c in channels if not c.is_thread]

    async def _get_member(self, call: Call, match: re.Match[str]) -> tuple[int, Any]:
        member = self._guild(match).members.get(match["user"])
        if member is None:
            raise _unknown("Member", 10007)
        return 200, member.to_dict()


# -- helpers ---------------------------------------------------------------------------------


def _named(items: list[Json], name: str) -> Json | None:
    return next((item for item in items if item.get("name") == name), None)


def _nest(path: list[str], leaves: list[Json]) -> list[Json]:
    """Wrap leaf options in subcommand (type 1) and subcommand-group (type 2) options."""
    options = leaves
    for depth, name in reversed(list(enumerate(path))):
        kind = 1 if depth == len(path) - 1 else 2
        options = [{"name": name, "type": kind, "options": options}]
    return options


def _submitted(component: Json, values: dict[str, str], ids: Iterator[int]) -> Json:
    """A modal component as Discord echoes it on submit: numbered, text inputs carry values."""
    submitted: Json = {"type": component["type"], "id": component.get("id") or next(ids)}
    if component["type"] == 4:
        custom_id = component["custom_id"]
        submitted["custom_id"] = custom_id
        submitted["value"] = values.get(custom_id, component.get("value") or "")
    if "components" in component:
        submitted["components"] = [_submitted(c, values, ids) for c in component["components"]]
    if "component" in component:
        submitted["component"] = _submitted(component["component"], values, ids)
    return submitted


def _edit(message: Json, body: Json, *, edited: bool = True) -> None:
    for key in ("content", "embeds", "components", "flags", "attachments"):
        if key in body and body[key] is not None:
            message[key] = body[key]
    if edited:
        message["edited_timestamp"] = _now_iso()


async def _read_call(request: web.Request, path: str) -> Call:
    files: list[UploadedFile] = []
    body: Any = None
    if request.content_type.startswith("multipart/"):
        body = await _read_multipart(request, files)
    elif request.can_read_body:
        raw = await request.read()
        with contextlib.suppress(ValueError):
            body = json.loads(raw) if raw else None
    headers = dict(request.headers)
    return Call(request.method, path, body, files, headers, dict(request.query))


async def _read_multipart(request: web.Request, files: list[UploadedFile]) -> Any:
    body: Any = None
    reader = await request.multipart()
    async for part in reader:
        if not hasattr(part, "read"):
            continue
        data = bytes(await part.read())
        if part.name == "payload_json":
            body = json.loads(data)
        else:
            content_type = part.headers.get("Content-Type", "application/octet-stream")
            files.append(UploadedFile(part.name or "", part.filename or "", content_type, data))
    return body
