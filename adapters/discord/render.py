"""Engine messages out as Discord content and embeds: pure functions returning plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from adapters.discord.text import (
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    FIELD_LIMIT,
    TITLE_LIMIT,
    clip,
    escape,
    split_text,
)
from bot.daily_render import answer_note, answered_heading, reveal_histogram, reveal_shares
from bot.events import (
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

ANSWER_PREFIX = "daily-answer:"
RUN_PREFIX = "run:"
CUSTOM_ID_LIMIT = 100
COLOUR = 0x4C78A8
MAX_EMBEDS = 10


@dataclass(frozen=True)
class ButtonSpec:
    """A button to attach: its label, custom id and whether it is dangerous."""

    label: str
    custom_id: str
    danger: bool = False
    primary: bool = False


@dataclass(frozen=True)
class DiscordMessage:
    """What to send: content, embeds (as dicts) and buttons."""

    content: str = ""
    embeds: tuple[dict[str, Any], ...] = ()
    buttons: tuple[ButtonSpec, ...] = field(default_factory=tuple)


def _embed(title: str | None, description: str = "", **extra: Any) -> dict[str, Any]:
    embed: dict[str, Any] = {"type": "rich", "color": COLOUR}
    if title:
        embed["title"] = clip(escape(title), TITLE_LIMIT)
    if description:
        embed["description"] = clip(escape(description), EMBED_DESCRIPTION_LIMIT)
    embed.update(extra)
    return embed


def _field(name: str, value: str, inline: bool = False) -> dict[str, Any]:
    return {
        "name": clip(escape(name), TITLE_LIMIT) or "\u200b",
        "value": clip(escape(value), FIELD_LIMIT) or "\u200b",
        "inline": inline,
    }


def run_button(label: str, command: str, danger: bool = False) -> ButtonSpec | None:
    """A button that runs a command line, if the line fits a custom id."""
    custom_id = RUN_PREFIX + command
    if len(custom_id) > CUSTOM_ID_LIMIT:
        return None
    return ButtonSpec(clip(label, 80), custom_id, danger)


def message(outbound: Outbound) -> DiscordMessage:
    """The Discord form of one engine message."""
    match outbound:
        case Reply():
            return _reply(outbound)
        case Scorecard():
            return DiscordMessage(embeds=scorecard(outbound))
        case QuestionCard():
            return question_card(outbound)
        case RevealCard():
            return DiscordMessage(embeds=(reveal(outbound),))
        case Leaderboard():
            return DiscordMessage(embeds=(leaderboard(outbound),))
        case HomeView():
            return DiscordMessage(embeds=(home(outbound),))
        case FormRequest():
            return DiscordMessage(
                content=clip(escape(f"{outbound.intro}\n{outbound.command}".strip()), 2000)
            )
    return DiscordMessage(content=escape(type(outbound).__name__))


def _reply(reply: Reply) -> DiscordMessage:
    buttons = tuple(
        b for b in (run_button(x.label, x.command, x.danger) for x in reply.buttons) if b
    )
    if not reply.title and not reply.sections and len(reply.text) <= CONTENT_LIMIT // 2:
        return DiscordMessage(content=escape(reply.text), buttons=buttons)
    parts = split_text(reply.text, EMBED_DESCRIPTION_LIMIT // 2)
    embeds = [_embed(reply.title, parts[0])]
    embeds += [_embed(None, part) for part in parts[1:]]
    if reply.sections:
        embeds[-1]["fields"] = [_field(s.heading, s.body) for s in reply.sections[:25]]
    return DiscordMessage(embeds=tuple(embeds[:MAX_EMBEDS]), buttons=buttons)


def scorecard(card: Scorecard) -> tuple[dict[str, Any], ...]:
    """The scorecard: a summary embed, then one embed per question."""
    overall = f"{card.overall}/100" if card.overall is not None else "no answered questions"
    summary = [f"Overall: {overall}"]
    if card.strongest:
        summary.append("Strongest: " + ", ".join(card.strongest))
    if card.weakest:
        summary.append("Weakest: " + ", ".join(card.weakest))
    if card.review_next:
        summary.append("Review next:\n" + "\n".join(f"• {item}" for item in card.review_next))
    embeds = [_embed(card.title, "\n".join(summary))]
    for row in card.rows[: MAX_EMBEDS - 1]:
        score = f"{row.score}/100" if row.score is not None else "not answered"
        note = f" ({row.note})" if row.note else ""
        fields = []
        if row.covered:
            fields.append(_field("Covered", "; ".join(row.covered)))
        if row.missed:
            fields.append(_field("Missed", "; ".join(row.missed)))
        fields.append(_field("Model answer", row.model_answer))
        embeds.append(
            _embed(f"{row.number}. {row.topic} · {score}{note}", row.prompt, fields=fields)
        )
    return tuple(embeds)


def question_card(card: QuestionCard) -> DiscordMessage:
    """The daily question with its "Answer privately" button."""
    embed = _embed(card.title, card.prompt, footer={"text": clip(answer_note(card), 2048)})
    button = ButtonSpec("Answer privately", f"{ANSWER_PREFIX}{card.post_id}", primary=True)
    return DiscordMessage(embeds=(embed,), buttons=(button,))


def reveal(card: RevealCard) -> dict[str, Any]:
    """The reveal: model answer, share per key point, score histogram; no names."""
    fields = []
    if card.answered:
        fields.append(_field(answered_heading(card), reveal_shares(card)))
        histogram = f"```\n{reveal_histogram(card)}\n```"
        fields.append({"name": "Scores", "value": histogram, "inline": False})
    else:
        fields.append(_field("Answers", "Nobody answered this one."))
    return _embed("Model answer", card.model_answer, fields=fields)


def leaderboard(board: Leaderboard) -> dict[str, Any]:
    """A leaderboard; the caller's line is bold."""

    def line(entry: Any) -> str:
        detail = f" ({entry.detail})" if entry.detail else ""
        text = escape(f"{entry.rank}. {entry.name} · {entry.points} pts{detail}")
        return f"**{text}**" if entry.you else text

    rows = [line(entry) for entry in board.lines]
    if board.own:
        rows += ["…"] + [line(entry) for entry in board.own]
    embed: dict[str, Any] = {
        "type": "rich",
        "color": COLOUR,
        "title": clip(escape(board.title), TITLE_LIMIT),
        "description": clip("\n".join(rows), EMBED_DESCRIPTION_LIMIT) or "\u200b",
    }
    if board.footer:
        embed["footer"] = {"text": clip(board.footer, 2048)}
    return embed


def home(view: HomeView) -> dict[str, Any]:
    """A member's progress (Discord has no home tab; `/streak` and stats cover most of it)."""
    rank = f"#{view.rank}" if view.rank else "not ranked yet"
    lines = [
        f"Streak: {plural(view.streak, 'day')} (longest {view.longest}), "
        f"{plural(view.freezes, 'freeze')}; your day ends in {view.day_ends_in}",
        f"Points: {view.points} all-time ({rank}), {view.weekly_points} this week",
        f"Reviews due: {view.due_reviews}",
    ]
    return _embed("Your interview practice", "\n".join(lines))
