"""The Discord adapter's pure halves: options to command text, engine messages to embeds."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from adapters.discord import options, render
from adapters.discord.bot import intents, modal_values
from adapters.discord.components import parse_modal_id
from bot.commands import split_args
from bot.domain import ChannelRef
from bot.events import (
    BoardLine,
    Button,
    Leaderboard,
    QuestionCard,
    Reply,
    RevealCard,
    Scorecard,
    ScorecardRow,
    Section,
)

CHANNEL = ChannelRef("discord", "111", "222", name="prep")


def test_options_become_the_engines_command_text() -> None:
    assert options.words("statistics", "hard", 3, None) == "statistics hard 3"
    setup = options.settings("setup", {"time": "09:00", "tz": "Europe/Berlin", "days": None})
    assert setup == "setup time=09:00 tz=Europe/Berlin"
    spaced = options.subcommand("join", ["Stats Nerds"])
    assert split_args(spaced) == ["join", "Stats Nerds"]
    tricky = options.settings("setup", {"topics": "stats, ml"})
    assert split_args(tricky) == ["setup", "topics=stats, ml"]


def test_short_reply_is_escaped_content_with_run_buttons() -> None:
    reply = Reply(
        "You said *bold* and __under__ @everyone",
        buttons=(Button("Delete my data", "/interview-forget-me confirm", danger=True),),
    )
    message = render.message(reply)
    assert message.content == r"You said \*bold\* and \_\_under\_\_ @everyone"
    assert message.buttons == (
        render.ButtonSpec("Delete my data", "run:/interview-forget-me confirm", danger=True),
    )


def test_titled_reply_becomes_an_embed_with_fields() -> None:
    reply = Reply("Body", title="Your streak", sections=(Section("By topic", "stats: 3"),))
    [embed] = render.message(reply).embeds
    assert embed["title"] == "Your streak" and embed["description"] == "Body"
    assert embed["fields"] == [{"name": "By topic", "value": "stats: 3", "inline": False}]


def test_long_reply_is_split_across_embeds_within_limits() -> None:
    reply = Reply("\n".join("x" * 150 for _ in range(100)), title="Long")
    embeds = render.message(reply).embeds
    assert len(embeds) > 1
    assert all(len(e.get("description", "")) <= 4096 for e in embeds)


def test_question_card_has_a_persistent_answer_button() -> None:
    card = QuestionCard(
        CHANNEL,
        42,
        "Daily question · Statistics · easy",
        "What is a p-value?",
        datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
        "Europe/Berlin",
    )
    message = render.message(card)
    assert message.buttons == (
        render.ButtonSpec("Answer privately", "daily-answer:42", primary=True),
    )
    assert "Mon 2 Mar 11:00 CET" in message.embeds[0]["footer"]["text"]


def test_reveal_and_scorecard_embeds() -> None:
    reveal = RevealCard(
        CHANNEL,
        42,
        "999",
        "Q?",
        "The model answer.",
        2,
        (("Point A", 1),),
        (("0-19", 1), ("80-100", 1)),
    )
    [embed] = render.message(reveal).embeds
    text = json.dumps(embed)
    assert "Point A: 1 of 2 (50%)" in text and "2 people answered" in text
    card = Scorecard(
        "Scorecard",
        70,
        (ScorecardRow(1, "Q?", "statistics", 70, ("a",), ("b",), "Model."),),
        strongest=("statistics",),
    )
    embeds = render.message(card).embeds
    assert embeds[0]["description"].startswith("Overall: 70/100")
    assert embeds[1]["title"] == "1. statistics · 70/100"
    assert {f["name"] for f in embeds[1]["fields"]} == {"Covered", "Missed", "Model answer"}


def test_leaderboard_marks_the_caller_and_escapes_names() -> None:
    board = Leaderboard(
        "This week", (BoardLine(1, "*star*", 40),), (BoardLine(12, "me_too", 3, you=True),), "f"
    )
    [embed] = render.message(board).embeds
    assert embed["description"] == "1. \\*star\\* · 40 pts\n…\n**12. me\\_too · 3 pts**"


def test_run_buttons_that_do_not_fit_a_custom_id_are_dropped() -> None:
    assert render.run_button("x", "/" + "a" * 200) is None


def test_modal_ids_and_values() -> None:
    assert parse_modal_id("form:daily-answer:42") == ("daily-answer", "42")
    assert parse_modal_id("someone-else") is None
    rows = {
        "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": "answer", "value": "hi"}]}
        ]
    }
    labels = {
        "components": [{"type": 18, "component": {"type": 4, "custom_id": "answer", "value": "yo"}}]
    }
    assert modal_values(rows) == {"answer": "hi"}
    assert modal_values(labels) == {"answer": "yo"}


def test_intents_are_minimal_and_not_privileged() -> None:
    chosen = intents()
    assert chosen.guilds and chosen.dm_messages
    assert not (chosen.message_content or chosen.members or chosen.presences)
    assert not chosen.guild_messages
