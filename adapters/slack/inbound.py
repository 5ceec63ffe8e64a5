"""Slack payloads in, engine events out: pure functions over the JSON Slack sends."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.domain import ChannelRef, MemberRef
from bot.events import ButtonPressed, CommandInvoked, FormSubmitted, MessageReceived

PLATFORM = "slack"
RUN_PREFIX = "run"
"""Buttons whose action id starts with this run the command line in their value."""


@dataclass(frozen=True)
class Origin:
    """Where a request came from, so replies can go back there."""

    team_id: str
    user_id: str
    channel_id: str | None
    is_direct: bool
    trigger_id: str | None = None


def _is_dm(channel_id: str | None, channel_name: str | None = None) -> bool:
    return bool(channel_id and channel_id.startswith("D")) or channel_name == "directmessage"


def member_ref(team_id: str, user_id: str, name: str | None, is_admin: bool) -> MemberRef:
    """The engine's identity for a Slack user in a workspace."""
    return MemberRef(PLATFORM, team_id, user_id, display_name=name, is_admin=is_admin)


def _channel(team_id: str, channel_id: str | None, name: str | None, user_id: str) -> ChannelRef:
    direct = _is_dm(channel_id, name)
    return ChannelRef(
        PLATFORM,
        team_id,
        channel_id or f"home-{user_id}",
        is_direct=direct or channel_id is None,
        name=None if direct else name,
    )


def command_event(body: dict[str, Any], is_admin: bool = False) -> tuple[CommandInvoked, Origin]:
    """A slash command (form fields as a dict) as an engine command."""
    team, user, channel_id = body["team_id"], body["user_id"], body.get("channel_id")
    event = CommandInvoked(
        member=member_ref(team, user, body.get("user_name"), is_admin),
        channel=_channel(team, channel_id, body.get("channel_name"), user),
        name=str(body.get("command", "")).lstrip("/").lower(),
        text=str(body.get("text") or ""),
    )
    origin = Origin(
        team, user, channel_id, _is_dm(channel_id, body.get("channel_name")), body.get("trigger_id")
    )
    return event, origin


def message_event(envelope: dict[str, Any]) -> tuple[MessageReceived, Origin] | None:
    """A message in the DM with the app; None for anything that is not a person's new message
    (bots, edits, joins, thread broadcasts)."""
    event = envelope.get("event") or {}
    if event.get("type") != "message" or event.get("channel_type") != "im":
        return None
    if event.get("subtype") or event.get("bot_id") or not event.get("user"):
        return None
    team = event.get("team") or envelope.get("team_id") or ""
    user, channel_id = event["user"], event.get("channel")
    received = MessageReceived(
        member=member_ref(team, user, None, False),
        channel=_channel(team, channel_id, None, user),
        text=str(event.get("text") or ""),
    )
    return received, Origin(team, user, channel_id, True)


def team_of(body: dict[str, Any]) -> str:
    """The workspace of the user behind an interaction payload."""
    user = body.get("user") or {}
    return user.get("team_id") or (body.get("team") or {}).get("id") or ""


def action_event(body: dict[str, Any], is_admin: bool = False) -> tuple[ButtonPressed, Origin]:
    """A button click (`block_actions`) as an engine event."""
    action = (body.get("actions") or [{}])[0]
    team, user = team_of(body), body["user"]["id"]
    channel_id = (body.get("channel") or {}).get("id")
    action_id = str(action.get("action_id", ""))
    name = RUN_PREFIX if action_id.startswith(RUN_PREFIX) else action_id
    pressed = ButtonPressed(
        member=member_ref(team, user, body["user"].get("username"), is_admin),
        channel=_channel(team, channel_id, (body.get("channel") or {}).get("name"), user),
        action=name,
        value=str(action.get("value") or ""),
    )
    origin = Origin(team, user, channel_id, _is_dm(channel_id), body.get("trigger_id"))
    return pressed, origin


def form_metadata(form: str, context: str, channel_id: str | None) -> str:
    """What a modal carries to its submission: the form, its context and the channel."""
    return json.dumps({"form": form, "context": context, "channel": channel_id})


def view_event(body: dict[str, Any], is_admin: bool = False) -> tuple[FormSubmitted, Origin]:
    """A modal submission (`view_submission`) as an engine event."""
    view = body["view"]
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        meta = {}
    team, user = team_of(body), body["user"]["id"]
    channel_id = meta.get("channel")
    values: dict[str, str] = {}
    for block_id, inputs in ((view.get("state") or {}).get("values") or {}).items():
        for element in inputs.values():
            value = element.get("value")
            if value is None and element.get("selected_option"):
                value = element["selected_option"].get("value")
            values[block_id] = str(value or "")
    if meta.get("context"):
        values.setdefault("context", str(meta["context"]))
    submitted = FormSubmitted(
        member=member_ref(team, user, body["user"].get("username"), is_admin),
        channel=_channel(team, channel_id, None, user),
        form=str(meta.get("form") or view.get("callback_id") or ""),
        values=values,
    )
    return submitted, Origin(team, user, channel_id, _is_dm(channel_id))
