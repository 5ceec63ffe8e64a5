"""The Slack app manifest agrees with the code: commands, scopes, events and URLs."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
import yaml
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings

from adapters.slack.http import EVENTS_PATH
from adapters.slack.server import BOT_SCOPES
from bot.commands import CommandSpec
from bot.engine import Engine

MANIFEST = Path(__file__).resolve().parents[2] / "adapters" / "slack" / "manifest.yaml"
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"  # slack_bolt's default redirect_uri_path
# Slack's manifest schema allows 2000 characters for a description and 1000 for a usage
# hint; descriptions are kept far shorter so they read well in the command picker.
DESCRIPTION_LIMIT = 100
USAGE_HINT_LIMIT = 1000
COMMAND_NAME_LIMIT = 32


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def engine_commands() -> list[CommandSpec]:
    # The engine only keeps references in its constructor, so no database is needed to ask
    # it which commands it registers; SlackBot.build offers exactly these as slash commands.
    engine = Engine(None, None, None, None)  # type: ignore[arg-type]
    return engine.commands


def _slash_commands(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    return manifest["features"]["slash_commands"]


def test_every_engine_command_is_a_slash_command_and_nothing_else(
    manifest: dict[str, Any], engine_commands: list[CommandSpec]
) -> None:
    declared = [entry["command"] for entry in _slash_commands(manifest)]
    assert len(declared) == len(set(declared)), "a slash command is declared twice"
    assert sorted(declared) == sorted(f"/{spec.name}" for spec in engine_commands)


def test_usage_hints_follow_the_command_specs(
    manifest: dict[str, Any], engine_commands: list[CommandSpec]
) -> None:
    usage = {f"/{spec.name}": spec.usage for spec in engine_commands}
    for entry in _slash_commands(manifest):
        assert entry.get("usage_hint", "") == usage[entry["command"]], entry["command"]


def test_slash_commands_fit_slack_limits(manifest: dict[str, Any]) -> None:
    for entry in _slash_commands(manifest):
        name = entry["command"]
        assert name.startswith("/") and name == name.lower(), name
        assert 2 <= len(name) <= COMMAND_NAME_LIMIT, name
        assert 0 < len(entry["description"].strip()) <= DESCRIPTION_LIMIT, name
        assert len(entry.get("usage_hint", "")) <= USAGE_HINT_LIMIT, name
        assert entry["should_escape"] is False, name


def test_bot_scopes_are_exactly_the_ones_the_code_asks_for(manifest: dict[str, Any]) -> None:
    scopes = manifest["oauth_config"]["scopes"]
    assert sorted(scopes["bot"]) == sorted(BOT_SCOPES)
    assert len(scopes["bot"]) == len(set(scopes["bot"]))
    assert "user" not in scopes


def test_events_are_the_ones_the_app_listens_for(manifest: dict[str, Any]) -> None:
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert sorted(events) == ["app_home_opened", "message.im"]
    assert "user_events" not in manifest["settings"]["event_subscriptions"]


def test_every_url_points_at_a_path_the_bot_serves(manifest: dict[str, Any]) -> None:
    settings = manifest["settings"]
    events_urls = [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        *(entry["url"] for entry in _slash_commands(manifest)),
    ]
    for url in events_urls:
        assert url.startswith("https://") and url.endswith(EVENTS_PATH), url
    redirects = manifest["oauth_config"]["redirect_urls"]
    assert redirects
    for url in redirects:
        assert url.startswith("https://") and url.endswith(OAUTH_REDIRECT_PATH), url


def test_oauth_redirect_path_is_the_one_bolt_serves() -> None:
    # server.py leaves redirect_uri_path at bolt's default, which web_app() then routes.
    default = inspect.signature(AsyncOAuthSettings).parameters["redirect_uri_path"].default
    assert default == OAUTH_REDIRECT_PATH


def test_app_home_and_settings(manifest: dict[str, Any]) -> None:
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] is True
    assert home["messages_tab_enabled"] is True
    assert home["messages_tab_read_only_enabled"] is False
    bot_user = manifest["features"]["bot_user"]
    assert bot_user["display_name"] and bot_user["always_online"] is True
    settings = manifest["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is False
    assert settings["org_deploy_enabled"] is False
    assert settings["token_rotation_enabled"] is False
    info = manifest["display_information"]
    assert 0 < len(info["name"]) <= 35
    assert 0 < len(info["description"]) <= 140
