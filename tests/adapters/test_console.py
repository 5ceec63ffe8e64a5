"""The terminal adapter: pure translation both ways, and the real process over pipes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.console import render, to_event
from bot.domain import ChannelRef, MemberRef
from bot.events import CommandInvoked, MessageReceived, Reply, Section

REPO = Path(__file__).resolve().parents[2]
ME = MemberRef("console", "local", "ada")
HERE = ChannelRef("console", "local", "general")


def test_slash_lines_become_commands() -> None:
    event = to_event("/mock-interview statistics 2\n", ME, HERE)
    assert event == CommandInvoked(ME, HERE, "mock-interview", "statistics 2")


def test_other_lines_are_messages_and_blank_lines_nothing() -> None:
    assert to_event("Precision is TP/(TP+FP)\n", ME, HERE) == MessageReceived(
        ME, HERE, "Precision is TP/(TP+FP)"
    )
    assert to_event("   \n", ME, HERE) is None


def test_render_shows_title_text_and_sections() -> None:
    text = render(Reply("Body", title="Scorecard", sections=(Section("Gaps", "recall"),)))
    assert text.splitlines() == ["== Scorecard ==", "Body", "", "Gaps", "recall"]


def _bot(args: list[str], stdin: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    environment.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", **env})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
    )


def test_piped_help_then_quit_exits_cleanly(tmp_path: Path) -> None:
    result = _bot(["console", "--user", "ada"], "/help\n/quit\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "/interview-help" in result.stdout
    assert "Bye!" in result.stdout
    assert (tmp_path / "bot.db").exists()


def test_end_of_input_without_quit_exits_zero(tmp_path: Path) -> None:
    result = _bot(["console"], "hello there\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Nothing is waiting for an answer" in result.stdout


def test_unknown_command_gets_a_clear_message(tmp_path: Path) -> None:
    result = _bot(["console"], "/frobnicate now\n", tmp_path)
    assert "I don't know the command /frobnicate" in result.stdout


def test_bad_setting_stops_start_with_one_line(tmp_path: Path) -> None:
    result = _bot(["run"], "", tmp_path, DEFAULT_TIMEZONE="Mars/Olympus")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: DEFAULT_TIMEZONE: 'Mars/Olympus' is not an IANA time zone "
        "(e.g. Europe/Berlin, America/New_York)"
    ]


def test_unreachable_database_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = _bot(["console"], "", tmp_path, DATABASE_URL="postgresql://nobody@127.0.0.1:1/x")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: cannot open the database at postgresql+asyncpg://")


def test_bad_now_option_is_explained(tmp_path: Path) -> None:
    result = _bot(["console", "--now", "yesterday-ish"], "", tmp_path)
    assert result.returncode == 2
    assert "is not an ISO-8601 time" in result.stderr


@pytest.mark.skipif(
    shutil.which("make") is None or not (REPO / ".venv" / ".installed").exists(),
    reason="needs make and the project's .venv (created by `make test`)",
)
def test_make_run_starts_the_terminal_when_no_token_is_set(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'bot.db'}"
    result = subprocess.run(
        ["make", "--no-print-directory", "run"],
        input="/help\n/quit\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "/interview-help" in result.stdout


def test_a_full_mock_interview_runs_in_the_terminal(tmp_path: Path) -> None:
    answer = (
        "A p-value is the probability, assuming the null hypothesis is true, of seeing data at "
        "least as extreme as what we observed. It is not the probability that the null is true."
    )
    script = ["/mock-interview statistics 5", "hint", answer, answer, "repeat", answer]
    script += ["skip", "idk", answer, answer, answer, answer, answer, answer, answer, answer]
    script += ["/quit"]
    result = _bot(
        ["console", "--now", "2026-03-02T09:00:00+00:00"], "\n".join(script) + "\n", tmp_path
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "== Question 1 of 5 · Statistics and probability" in out
    assert "Hint (-10 points on this question)" in out
    assert "== Follow-up ==" in out
    assert "(again) ==" in out
    assert "Saying you don't know is better than bluffing" in out
    assert "== Scorecard ==" in out and "Overall:" in out and "Model answer:" in out
