"""Engine messages out as Block Kit: pure functions returning Slack message and view JSON."""

from __future__ import annotations

from typing import Any

from adapters.slack.inbound import RUN_PREFIX, form_metadata
from adapters.slack.text import HEADER_LIMIT, chunks, clip, escape
from bot.daily_render import answer_note, answered_heading, reveal_histogram, reveal_shares
from bot.events import (
    Button,
    FormRequest,
    HomeView,
    Leaderboard,
    Outbound,
    QuestionCard,
    Reply,
    RevealCard,
    Scorecard,
)
from bot.wording import plural

ANSWER_BUTTON = "daily-answer"
MAX_BLOCKS = 50
RAW_CHUNK = 2000
"""Raw text per section before escaping (escaping can lengthen it; a section takes 3000)."""

Block = dict[str, Any]


def _text(text: str) -> dict[str, Any]:
    # verbatim: Slack must not turn anything in the text into links or mentions.
    return {"type": "mrkdwn", "text": clip(escape(text), 3000), "verbatim": True}


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": False}


def header(title: str) -> Block:
    """A header block."""
    return {"type": "header", "text": _plain(title, HEADER_LIMIT)}


def paragraphs(text: str) -> list[Block]:
    """Sections for a long plain text, split where it fits."""
    return [{"type": "section", "text": _text(piece)} for piece in chunks(text, RAW_CHUNK) if piece]


def titled(heading: str, body: str) -> list[Block]:
    """Sections for a body under a bold heading."""
    pieces = [p for p in chunks(body, RAW_CHUNK) if p] or [""]
    first = {
        "type": "section",
        "text": {
            "type": "mrkdwn",
            "text": clip(f"*{escape(heading)}*\n{escape(pieces[0])}", 3000),
            "verbatim": True,
        },
    }
    return [first] + [{"type": "section", "text": _text(p)} for p in pieces[1:]]


def context(text: str) -> Block:
    """Small grey text."""
    return {"type": "context", "elements": [_text(text)]}


def buttons(items: tuple[Button, ...]) -> list[Block]:
    """An actions block of command buttons."""
    if not items:
        return []
    elements = []
    for index, item in enumerate(items[:5]):
        element: dict[str, Any] = {
            "type": "button",
            "action_id": f"{RUN_PREFIX}-{index}",
            "text": _plain(item.label, 75),
            "value": clip(item.command, 2000),
        }
        if item.danger:
            element["style"] = "danger"
        elements.append(element)
    return [{"type": "actions", "elements": elements}]


def _limit(blocks: list[Block]) -> list[Block]:
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return [
        *blocks[: MAX_BLOCKS - 1],
        context("(shortened: the full text did not fit one message)"),
    ]


def message(outbound: Outbound) -> dict[str, Any]:
    """`{"text": fallback, "blocks": [...]}` for chat.postMessage / chat.postEphemeral."""
    match outbound:
        case Reply():
            blocks = [header(outbound.title)] if outbound.title else []
            blocks += paragraphs(outbound.text)
            for section in outbound.sections:
                blocks += titled(section.heading, section.body)
            blocks += buttons(outbound.buttons)
            fallback = outbound.title or outbound.text
        case Scorecard():
            blocks, fallback = scorecard(outbound), outbound.title
        case QuestionCard():
            blocks, fallback = question_card(outbound), f"{outbound.title}: {outbound.prompt}"
        case RevealCard():
            blocks, fallback = reveal(outbound), f"Revealed: {outbound.prompt}"
        case Leaderboard():
            blocks, fallback = leaderboard(outbound), outbound.title
        case FormRequest():
            blocks = paragraphs(f"{outbound.intro}\n{outbound.command}".strip())
            fallback = outbound.title
        case _:
            blocks, fallback = [], type(outbound).__name__
    return {"text": clip(escape(fallback), 3000), "blocks": _limit(blocks)}


def scorecard(card: Scorecard) -> list[Block]:
    """The end-of-interview scorecard."""
    overall = f"{card.overall}/100" if card.overall is not None else "no answered questions"
    blocks = [header(card.title), {"type": "section", "text": _text(f"Overall: {overall}")}]
    for row in card.rows:
        score = f"{row.score}/100" if row.score is not None else "not answered"
        lines = [f"Q: {row.prompt}"]
        if row.covered:
            lines.append("Covered: " + "; ".join(row.covered))
        if row.missed:
            lines.append("Missed: " + "; ".join(row.missed))
        note = f" ({row.note})" if row.note else ""
        blocks += [{"type": "divider"}]
        blocks += titled(f"{row.number}. {row.topic} · {score}{note}", "\n".join(lines))
        blocks += titled("Model answer", row.model_answer)
    summary = []
    if card.strongest:
        summary.append("Strongest: " + ", ".join(card.strongest))
    if card.weakest:
        summary.append("Weakest: " + ", ".join(card.weakest))
    if card.review_next:
        summary.append("Review next:\n" + "\n".join(f"• {item}" for item in card.review_next))
    if summary:
        blocks += [{"type": "divider"}, *paragraphs("\n".join(summary))]
    return blocks


def question_card(card: QuestionCard) -> list[Block]:
    """The public daily question with its "Answer privately" button."""
    return [
        header(card.title),
        *paragraphs(card.prompt),
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": ANSWER_BUTTON,
                    "style": "primary",
                    "text": _plain("Answer privately", 75),
                    "value": str(card.post_id),
                }
            ],
        },
        context(answer_note(card)),
    ]


def reveal(card: RevealCard) -> list[Block]:
    """The reveal in the question's thread: model answer and anonymous results."""
    blocks = titled("Model answer", card.model_answer)
    if card.answered:
        blocks += titled(answered_heading(card), reveal_shares(card))
        blocks.append({"type": "section", "text": _text(f"Scores\n```{reveal_histogram(card)}```")})
    else:
        blocks.append(context("Nobody answered this one. Tomorrow's a new question!"))
    return blocks


def leaderboard(board: Leaderboard) -> list[Block]:
    """A leaderboard; the caller's line is bold."""

    def line(entry: Any) -> str:
        detail = f" ({entry.detail})" if entry.detail else ""
        text = f"{entry.rank}. {entry.name} · {entry.points} pts{detail}"
        return f"*{escape(text)}*" if entry.you else escape(text)

    rows = [line(entry) for entry in board.lines]
    if board.own:
        rows += ["…"] + [line(entry) for entry in board.own]
    blocks = [header(board.title)]
    if rows:
        body = clip("\n".join(rows), 3000)
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": body, "verbatim": True}}
        )
    if board.footer:
        blocks.append(context(board.footer))
    return blocks


def modal(form: FormRequest, channel_id: str | None) -> dict[str, Any]:
    """A modal view for a form; its metadata brings the form and channel back on submit."""
    blocks: list[Block] = paragraphs(form.intro) if form.intro else []
    for field in form.fields:
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": "value",
            "multiline": field.multiline,
            "max_length": min(field.max_length, 3000),
        }
        if field.placeholder:
            element["placeholder"] = _plain(field.placeholder, 150)
        if field.value:
            element["initial_value"] = field.value
        blocks.append(
            {
                "type": "input",
                "block_id": field.name,
                "label": _plain(field.label, 2000),
                "element": element,
            }
        )
    return {
        "type": "modal",
        "callback_id": form.form,
        "title": _plain(form.title, 24),
        "submit": _plain("Submit", 24),
        "close": _plain("Cancel", 24),
        "private_metadata": form_metadata(form.form, form.context, channel_id),
        "blocks": blocks[:100],
    }


def home(view: HomeView) -> dict[str, Any]:
    """The App Home tab."""
    rank = f"#{view.rank}" if view.rank else "not ranked yet"
    streak = (
        f"*Streak:* {plural(view.streak, 'day')} (longest {view.longest}) · "
        f"{plural(view.freezes, 'freeze')} · your day ends in {view.day_ends_in}"
    )
    points = f"*Points:* {view.points} all-time ({rank}), {view.weekly_points} this week"
    if view.due_reviews:
        reviews = f"*Reviews due:* {view.due_reviews}"
    elif view.next_review:
        reviews = f"*Reviews:* nothing due; next {escape(view.next_review)}"
    else:
        reviews = "*Reviews:* weak answers come back here for review"
    start = "Resume my interview" if view.interview_open else "Start a mock interview"
    command = "/mock-interview resume" if view.interview_open else "/mock-interview"
    actions = [Button(start, command)]
    if view.due_reviews:
        actions.append(Button(f"Review {plural(view.due_reviews, 'question')}", "/review"))
    blocks: list[Block] = [
        header("Your interview practice"),
        {"type": "section", "text": {"type": "mrkdwn", "text": f"{streak}\n{points}\n{reviews}"}},
        *buttons(tuple(actions)),
    ]
    if view.is_admin:
        blocks += [{"type": "divider"}, header("Daily questions (admins)")]
        for channel in view.channels:
            state = "paused" if channel.paused else f"next {channel.next_post or 'not scheduled'}"
            body = f"{channel.schedule} · {state}"
            if channel.problem:
                body += f"\nLast problem: {channel.problem}"
            blocks += titled(f"#{channel.name}", body)
        if not view.channels:
            blocks.append(
                context("No channel has a daily question yet: run /daily-question setup in one.")
            )
    return {"type": "home", "blocks": _limit(blocks)}
