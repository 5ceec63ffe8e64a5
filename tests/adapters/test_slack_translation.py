"""The Slack adapter's pure halves: payloads to engine events, engine messages to Block Kit."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from adapters.slack import blocks, inbound
from adapters.slack.text import chunks, escape
from bot.domain import ChannelRef
from bot.events import (
    Button,
    ChannelSummary,
    FormField,
    FormRequest,
    HomeView,
    QuestionCard,
    Reply,
    RevealCard,
    Section,
)

FIXTURES = Path(__file__).parent / "fixtures" / "slack"
CHANNEL = ChannelRef("slack", "T0001", "C0001", name="interview-prep")
PINGS = ("<!channel>", "<!here>", "<!everyone>", "<@U", "<!subteam")


def _load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def _all_text(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False)


def test_slash_command_becomes_a_command_from_that_channel() -> None:
    event, origin = inbound.command_event(_load("slash_command.json"), is_admin=True)
    assert (event.name, event.text) == ("mock-interview", "stats hard 3")
    assert (event.member.platform, event.member.workspace_id, event.member.user_id) == (
        "slack",
        "T0001",
        "U0001",
    )
    assert event.member.display_name == "ada" and event.member.is_admin
    assert not event.channel.is_direct and event.channel.name == "interview-prep"
    assert origin.trigger_id == "1111.2222.abcd" and not origin.is_direct


def test_slash_command_in_a_dm_is_direct() -> None:
    event, origin = inbound.command_event(_load("slash_command_dm.json"))
    assert event.channel.is_direct and origin.is_direct and event.channel.name is None


def test_dm_message_becomes_a_message_and_bot_messages_are_ignored() -> None:
    found = inbound.message_event(_load("message_im.json"))
    assert found is not None
    event, origin = found
    assert event.text.startswith("Regularization adds a penalty")
    assert event.channel.is_direct and origin.channel_id == "D0001"
    assert inbound.message_event(_load("message_bot.json")) is None
    edited = _load("message_im.json")
    edited["event"]["subtype"] = "message_changed"
    assert inbound.message_event(edited) is None
    channel_message = _load("message_im.json")
    channel_message["event"]["channel_type"] = "channel"
    assert inbound.message_event(channel_message) is None


def test_button_and_modal_submission() -> None:
    pressed, origin = inbound.action_event(_load("block_actions.json"))
    assert (pressed.action, pressed.value) == ("daily-answer", "42")
    assert origin.trigger_id == "3333.4444.efgh" and origin.channel_id == "C0001"
    submitted, origin = inbound.view_event(_load("view_submission.json"))
    assert submitted.form == "daily-answer"
    assert submitted.values["context"] == "42"
    assert submitted.values["answer"].startswith("Bias is error")
    assert origin.channel_id == "C0001" and not origin.is_direct


def test_run_buttons_carry_their_command() -> None:
    body = _load("block_actions.json")
    body["actions"][0].update(action_id="run-1", value="/interview-forget-me confirm")
    pressed, _ = inbound.action_event(body)
    assert (pressed.action, pressed.value) == ("run", "/interview-forget-me confirm")


def test_escape_makes_mentions_and_broadcasts_inert() -> None:
    hostile = "<!channel> <!here|here> <@U123> <!subteam^S1> @everyone & a > b"
    safe = escape(hostile)
    assert not any(ping in safe for ping in PINGS)
    assert "&lt;!channel&gt;" in safe and "&amp;" in safe
    assert "@everyone" not in safe


def test_reply_renders_escaped_sections_and_buttons() -> None:
    reply = Reply(
        "You said <!channel> & <@U999>",
        title="Feedback",
        sections=(Section("Missed", "regularization"),),
        buttons=(Button("Delete my data", "/interview-forget-me confirm", danger=True),),
    )
    payload = blocks.message(reply)
    text = _all_text(payload)
    assert not any(ping in text for ping in PINGS)
    assert payload["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Feedback", "emoji": False},
    }
    assert all(b["text"].get("verbatim") for b in payload["blocks"] if b["type"] == "section")
    [actions] = [b for b in payload["blocks"] if b["type"] == "actions"]
    button = actions["elements"][0]
    assert button["action_id"].startswith("run") and button["style"] == "danger"
    assert button["value"] == "/interview-forget-me confirm"


def test_long_text_is_split_into_sections_that_fit() -> None:
    reply = Reply("\n".join(f"line {i} " + "x" * 90 for i in range(200)))
    payload = blocks.message(reply)
    sections = [b for b in payload["blocks"] if b["type"] == "section"]
    assert len(sections) > 5
    assert all(len(b["text"]["text"]) <= 3000 for b in sections)
    assert len(payload["blocks"]) <= 50
    assert chunks("a\nb", 10) == ["a\nb"] and chunks("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_question_card_has_the_answer_button() -> None:
    card = QuestionCard(
        CHANNEL,
        42,
        "Daily question · Statistics · easy",
        "What is a p-value?",
        datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
        "Europe/Berlin",
    )
    payload = blocks.message(card)
    [actions] = [b for b in payload["blocks"] if b["type"] == "actions"]
    button = actions["elements"][0]
    assert (button["action_id"], button["value"], button["style"]) == (
        "daily-answer",
        "42",
        "primary",
    )
    assert "Mon 2 Mar 11:00 CET" in _all_text(payload)


def test_reveal_shows_shares_and_histogram_without_names() -> None:
    card = RevealCard(
        CHANNEL,
        42,
        "1700000000.000100",
        "What is a p-value?",
        "The probability of data at least this extreme if the null is true.",
        4,
        (("Defined under the null", 3), ("Not P(H0 | data)", 1)),
        (("0-19", 1), ("20-39", 0), ("40-59", 0), ("60-79", 1), ("80-100", 2)),
    )
    text = _all_text(blocks.message(card))
    assert "Defined under the null: 3 of 4 (75%)" in text
    assert "4 people answered" in text and "80-100" in text


def test_modal_from_a_form_request() -> None:
    form = FormRequest(
        "daily-answer",
        "Your answer to today's daily question",
        (FormField("answer", "Your answer", max_length=9000, placeholder="A few paragraphs"),),
        context="42",
        intro="What is a p-value?",
    )
    view = blocks.modal(form, "C0001")
    assert view["type"] == "modal" and view["callback_id"] == "daily-answer"
    assert len(view["title"]["text"]) <= 24
    [field] = [b for b in view["blocks"] if b["type"] == "input"]
    assert field["block_id"] == "answer"
    assert field["element"]["multiline"] and field["element"]["max_length"] == 3000
    assert json.loads(view["private_metadata"]) == {
        "form": "daily-answer",
        "context": "42",
        "channel": "C0001",
    }


def test_home_tab_shows_progress_buttons_and_admin_channels() -> None:
    view = HomeView(
        streak=4,
        longest=9,
        freezes=1,
        points=120,
        weekly_points=30,
        rank=3,
        due_reviews=2,
        next_review=None,
        day_ends_in="5 h 10 min",
        interview_open=False,
        channels=(ChannelSummary("interview-prep", "09:00 UTC on weekdays", False, "Tue 09:00"),),
        is_admin=True,
    )
    home = blocks.home(view)
    text = _all_text(home)
    assert home["type"] == "home"
    assert "4 days" in text and "#3" in text and "Reviews due:* 2" in text
    assert "/mock-interview" in text and "/review" in text
    assert "#interview-prep" in text
    member_view = blocks.home(HomeView(0, 0, 0, 0, 0, None, 0, None, "1 h 0 min", True))
    assert "Daily questions (admins)" not in _all_text(member_view)
    assert "/mock-interview resume" in _all_text(member_view)
