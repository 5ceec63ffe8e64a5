"""The terminal adapter: pure translation both ways, and the real process over pipes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.console import render, to_event
from bot.domain import ChannelRef, MemberRef
from bot.events import (
    BoardLine,
    Button,
    CommandInvoked,
    FormRequest,
    Leaderboard,
    MessageReceived,
    QuestionCard,
    Reply,
    RevealCard,
    Section,
)

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


def test_render_daily_cards_boards_forms_and_files() -> None:
    moment = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    card = QuestionCard(
        HERE, 7, "Daily question · Statistics · easy", "What is a p-value?", moment, "Europe/Berlin"
    )
    assert render(card).splitlines()[:2] == [
        "== Daily question · Statistics · easy ==",
        "What is a p-value?",
    ]
    assert "revealed Mon 2 Mar 11:00 CET" in render(card)
    reveal = RevealCard(
        HERE,
        7,
        None,
        "What is a p-value?",
        "The probability ...",
        4,
        (("Definition under the null", 3),),
        (("0-19", 1), ("80-100", 3)),
    )
    text = render(reveal)
    assert "4 answered." in text and "Definition under the null: 3 of 4 (75%)" in text
    assert "80-100 ### 3" in text
    board = Leaderboard(
        "This week",
        (BoardLine(1, "amy", 40), BoardLine(2, "bob", 30)),
        (BoardLine(14, "you", 3, you=True),),
        "Weekly boards start again on Monday.",
    )
    assert render(board).splitlines() == [
        "== This week ==",
        "   1. amy  40 pts",
        "   2. bob  30 pts",
        "   ...",
        "  14. you  3 pts <- you",
        "Weekly boards start again on Monday.",
    ]
    form = FormRequest("daily-answer", "Your answer", (), intro="Q?", command="/answer <text>")
    assert render(form).splitlines() == ["== Your answer ==", "Q?", "Type: /answer <text>"]
    confirm = Reply("Sure?", buttons=(Button("Delete my data", "/interview-forget-me confirm"),))
    assert "[Delete my data: type /interview-forget-me confirm]" in render(confirm)


def test_a_daily_question_survives_a_restart_in_the_terminal(tmp_path: Path) -> None:
    first = _bot(
        ["console", "--user", "ada", "--now", "2026-03-02T08:30:00+00:00"],
        "/daily-question setup time=09:00 tz=Europe/Berlin reveal=2h\n/daily-question now\n"
        "/answer A p-value is the probability of data at least this extreme if the null is "
        "true.\n",
        tmp_path,
    )
    assert first.returncode == 0, first.stderr
    assert "== Daily question ·" in first.stdout and "== Your daily answer ==" in first.stdout
    second = _bot(
        ["console", "--user", "ada", "--now", "2026-03-02T09:00:00+00:00"],
        "/daily-question status\n/daily-question reveal\n/leaderboard\n/interview-stats\n"
        "/interview-export\n",
        tmp_path,
    )
    assert second.returncode == 0, second.stderr
    assert "1 answered" in second.stdout
    assert "== Daily question revealed ==" in second.stdout
    assert "<- you" in second.stdout
    chart = tmp_path / "data" / "interview-stats.png"
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert json.loads((tmp_path / "data" / "interview-data.json").read_text())["tables"]["attempts"]


def test_run_job_posts_reveals_and_recaps_once(tmp_path: Path) -> None:
    setup = _bot(
        ["console", "--now", "2026-03-09T07:00:00+00:00"],
        "/daily-question setup time=08:00 tz=UTC days=daily\n",
        tmp_path,
    )
    assert setup.returncode == 0, setup.stderr
    at = ["--now", "2026-03-09T08:00:00+00:00"]
    posted = _bot(["run-job", "daily", "--channel", "general", *at], "", tmp_path)
    assert posted.returncode == 0, posted.stderr
    assert "== Daily question ·" in posted.stdout and "posted the daily question" in posted.stdout
    again = _bot(["run-job", "daily", "--channel", "general", *at], "", tmp_path)
    assert again.returncode == 1 and "already posted" in again.stdout
    revealed = _bot(["run-job", "reveal", "--channel", "general", *at], "", tmp_path)
    assert "== Daily question revealed ==" in revealed.stdout
    recap = _bot(["run-job", "recap", "--channel", "general", *at], "", tmp_path)
    assert recap.returncode == 0 and "Last week in #general" in recap.stdout
    unknown = _bot(["run-job", "daily", "--channel", "nowhere", *at], "", tmp_path)
    assert unknown.returncode == 1 and "no channel" in unknown.stdout
