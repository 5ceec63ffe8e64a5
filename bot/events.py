"""Inbound events and outbound messages: plain data, no platform types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain import ChannelRef, MemberRef


@dataclass(frozen=True)
class CommandInvoked:
    """A slash command: `/name text`."""

    member: MemberRef
    channel: ChannelRef
    name: str
    text: str = ""


@dataclass(frozen=True)
class MessageReceived:
    """A plain message to the bot (an answer, or a word like `hint`)."""

    member: MemberRef
    channel: ChannelRef
    text: str


@dataclass(frozen=True)
class ButtonPressed:
    """A button click; `action` says which, `value` carries its payload."""

    member: MemberRef
    channel: ChannelRef
    action: str
    value: str = ""


@dataclass(frozen=True)
class FormSubmitted:
    """A submitted form (Slack modal, Discord modal)."""

    member: MemberRef
    channel: ChannelRef
    form: str
    values: dict[str, str] = field(default_factory=dict)


Inbound = CommandInvoked | MessageReceived | ButtonPressed | FormSubmitted


@dataclass(frozen=True)
class Section:
    """A titled block of text inside a richer message."""

    heading: str
    body: str


@dataclass(frozen=True)
class Button:
    """A button under a message that runs the command line `command` when pressed (where
    buttons don't exist, people type it)."""

    label: str
    command: str
    danger: bool = False


@dataclass(frozen=True)
class Reply:
    """A text answer to the person who spoke; `private` asks for ephemeral/DM delivery.

    `text` is plain text: adapters escape it for their platform. `sections` add
    titled blocks that adapters render as fields, embeds or Block Kit sections.
    """

    text: str
    private: bool = False
    title: str | None = None
    sections: tuple[Section, ...] = ()
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class FormField:
    """One input of a form."""

    name: str
    label: str
    multiline: bool = True
    max_length: int = 3000
    placeholder: str = ""
    value: str = ""


@dataclass(frozen=True)
class FormRequest:
    """Ask the platform to open a form (a modal) for the member; `form` names it on submit and
    `context` comes back with the values."""

    form: str
    title: str
    fields: tuple[FormField, ...]
    context: str = ""
    intro: str = ""
    command: str = ""


@dataclass(frozen=True)
class Attachment:
    """A file for the member: a chart, an export."""

    filename: str
    data: bytes
    mime: str
    caption: str = ""
    private: bool = True


@dataclass(frozen=True)
class QuestionCard:
    """The daily question, posted publicly to `channel` with an "Answer privately" button."""

    channel: ChannelRef
    post_id: int
    title: str
    prompt: str
    reveal_at: datetime
    zone: str


@dataclass(frozen=True)
class RevealCard:
    """The model answer and anonymous results, posted in the question's thread (`thread`)."""

    channel: ChannelRef
    post_id: int
    thread: str | None
    prompt: str
    model_answer: str
    answered: int
    key_points: tuple[tuple[str, int], ...]
    histogram: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ScorecardRow:
    """One question's line on a scorecard."""

    number: int
    prompt: str
    topic: str
    score: int | None
    covered: tuple[str, ...]
    missed: tuple[str, ...]
    model_answer: str
    note: str = ""


@dataclass(frozen=True)
class Scorecard:
    """The end of a mock interview: per-question results, overall score, what to review."""

    title: str
    overall: int | None
    rows: tuple[ScorecardRow, ...]
    strongest: tuple[str, ...] = ()
    weakest: tuple[str, ...] = ()
    review_next: tuple[str, ...] = ()


@dataclass(frozen=True)
class BoardLine:
    """One line of a leaderboard: a member or a study group."""

    rank: int
    name: str
    points: int
    detail: str = ""
    you: bool = False


@dataclass(frozen=True)
class Leaderboard:
    """A ranked list, plus the caller's own line when it is not in the list."""

    title: str
    lines: tuple[BoardLine, ...]
    own: tuple[BoardLine, ...] = ()
    footer: str = ""


@dataclass(frozen=True)
class ChannelSummary:
    """One subscribed channel's daily-question setup, for admins."""

    name: str
    schedule: str
    paused: bool
    next_post: str | None = None
    problem: str | None = None


@dataclass(frozen=True)
class HomeView:
    """A member's dashboard (Slack's App Home): progress, what is due, and (admins) channels."""

    streak: int
    longest: int
    freezes: int
    points: int
    weekly_points: int
    rank: int | None
    due_reviews: int
    next_review: str | None
    day_ends_in: str
    interview_open: bool
    channels: tuple[ChannelSummary, ...] = ()
    is_admin: bool = False


@dataclass(frozen=True)
class ChannelMessage:
    """A message the bot posts to a channel on its own (weekly recap), not as a reply."""

    channel: ChannelRef
    message: Reply | Leaderboard | Attachment


@dataclass(frozen=True)
class DirectMessage:
    """A message the bot sends a member in a DM on its own (a reminder)."""

    member: MemberRef
    message: Reply


Outbound = (
    Reply
    | ChannelMessage
    | DirectMessage
    | Scorecard
    | FormRequest
    | Attachment
    | QuestionCard
    | RevealCard
    | Leaderboard
    | HomeView
)


def first_line(event: Inbound) -> str:
    """A short, log-safe description of an event (never the answer text)."""
    match event:
        case CommandInvoked(name=name):
            return f"command /{name}"
        case MessageReceived(text=text):
            return f"message ({len(text)} chars)"
        case ButtonPressed(action=action):
            return f"button {action}"
        case FormSubmitted(form=form):
            return f"form {form}"
    return type(event).__name__
