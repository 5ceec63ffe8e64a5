"""Runtime settings from the environment and `.env`, validated into one clear error line."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.storage.url import normalise_database_url

log = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/bot.db"


class SettingsError(Exception):
    """Settings are unusable; the message names the variable and what is wrong."""


class Settings(BaseSettings):
    """Every setting the bot reads; each field is documented in `.env.example`."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        case_sensitive=False,
    )

    database_url: str = DEFAULT_DATABASE_URL
    log_level: str = "INFO"
    default_timezone: str = "UTC"
    question_bank_dirs: str = ""

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_base_url: str | None = None
    host: str = "127.0.0.1"
    # 0 asks the system for a free port (the log line says which); tests use it.
    port: int = Field(default=3000, ge=0, le=65535)

    discord_token: str | None = None
    discord_dev_guild_id: int | None = None
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    discord_shard_count: int | None = Field(default=None, ge=1)

    admin_user_ids: str = ""

    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_model: str | None = None
    llm_timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    scheduler_grace_hours: float = Field(default=6.0, ge=0, le=72)
    scheduler_tick_seconds: float = Field(default=20.0, ge=1, le=600)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return normalise_database_url(value.strip())

    @field_validator("default_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"'{value}' is not an IANA time zone (e.g. Europe/Berlin, America/New_York)"
            ) from None
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @model_validator(mode="after")
    def _platform_pairs(self) -> Settings:
        if self.slack_bot_token and not (self.slack_signing_secret or self.slack_app_token):
            raise ValueError(
                "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not "
                "(HTTP mode needs it; or set SLACK_APP_TOKEN for Socket Mode)"
            )
        if bool(self.slack_client_id) != bool(self.slack_client_secret):
            raise ValueError("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET must be set together")
        if self.slack_client_id and not self.slack_signing_secret:
            raise ValueError(
                "SLACK_CLIENT_ID is set but SLACK_SIGNING_SECRET is not (the multi-workspace "
                "install runs in HTTP mode, which checks every request's signature)"
            )
        if self.slack_client_id and self.slack_app_token:
            raise ValueError(
                "SLACK_APP_TOKEN (Socket Mode, one workspace) and SLACK_CLIENT_ID (install to "
                "many workspaces over HTTP) cannot be combined; unset one of them"
            )
        if self.slack_app_token and not self.slack_app_token.startswith("xapp-"):
            raise ValueError("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
        if self.llm_base_url and not self.llm_model:
            raise ValueError("LLM_BASE_URL is set but LLM_MODEL is not")
        return self

    @property
    def slack_enabled(self) -> bool:
        """True when a Slack mode is configured."""
        return bool(self.slack_bot_token or self.slack_client_id)

    @property
    def discord_enabled(self) -> bool:
        """True when a Discord token is configured."""
        return bool(self.discord_token)

    @property
    def admin_ids(self) -> frozenset[str]:
        """User ids from ADMIN_USER_IDS (comma-separated) that count as admins."""
        return frozenset(p.strip() for p in self.admin_user_ids.split(",") if p.strip())

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file behind DATABASE_URL, if it is a file database."""
        prefix = "sqlite+aiosqlite:///"
        path = self.database_url.removeprefix(prefix)
        if not self.database_url.startswith(prefix) or path in {"", ":memory:"}:
            return None
        return Path(path)


def _first_error_line(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error.get("loc", ())) or ""
    message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    if where:
        return f"{where.upper()}: {message}"
    return message


def load_settings(**overrides: Any) -> Settings:
    """Read settings now (never at import); raise `SettingsError` with one readable line."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(_first_error_line(exc)) from None
