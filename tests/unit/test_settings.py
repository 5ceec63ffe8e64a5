"""Settings: good values load, bad ones stop the start with one line naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in (
        "DATABASE_URL",
        "DEFAULT_TIMEZONE",
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "DISCORD_TOKEN",
        "PORT",
        "LLM_BASE_URL",
        "LLM_MODEL",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_use_local_sqlite_and_no_platform() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///./data/bot.db"
    assert not settings.slack_enabled and not settings.discord_enabled


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql://u@h:5432/db", "postgresql+asyncpg://u@h:5432/db"),
        ("postgres://u:p@h/db", "postgresql+asyncpg://u:p@h/db"),
    ],
)
def test_database_urls_map_to_async_drivers(given: str, expected: str) -> None:
    assert load_settings(database_url=given).database_url == expected


@pytest.mark.parametrize(
    ("env", "variable", "fragment"),
    [
        ({"DEFAULT_TIMEZONE": "Mars/Olympus"}, "DEFAULT_TIMEZONE", "not an IANA time zone"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL", "not a database URL"),
        ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL", "unsupported database"),
        ({"DATABASE_URL": "postgresql://u@h"}, "DATABASE_URL", "names no database"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET", "is not"),
        ({"SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN", "xapp-"),
        (
            {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s"},
            "SLACK_SIGNING_SECRET",
            "is not",
        ),
        (
            {
                "SLACK_CLIENT_ID": "1.2",
                "SLACK_CLIENT_SECRET": "s",
                "SLACK_SIGNING_SECRET": "x",
                "SLACK_APP_TOKEN": "xapp-1",
            },
            "SLACK_APP_TOKEN",
            "cannot be combined",
        ),
        ({"PORT": "70000"}, "PORT", "less than or equal"),
        ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL", "must be one of"),
    ],
)
def test_bad_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], variable: str, fragment: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert variable in message and fragment in message
    assert "\n" not in message


def test_socket_mode_needs_no_signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    assert load_settings().slack_enabled


def test_dotenv_file_is_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".env").write_text("DEFAULT_TIMEZONE=Europe/Berlin\n")
    assert load_settings().default_timezone == "Europe/Berlin"


def test_the_example_env_file_loads_as_is(tmp_path) -> None:  # type: ignore[no-untyped-def]
    example = Path(__file__).resolve().parents[2] / ".env.example"
    (tmp_path / ".env").write_text(example.read_text())
    settings = load_settings()
    assert not settings.slack_enabled and settings.discord_dev_guild_id is None
