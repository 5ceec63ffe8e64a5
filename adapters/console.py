"""The terminal adapter: one member chatting with the engine through stdin and stdout."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from bot.commands import parse_command_line
from bot.daily_render import local_time
from bot.domain import ChannelRef, MemberRef
from bot.engine import Engine
from bot.events import (
    Attachment,
    BoardLine,
    ChannelMessage,
    CommandInvoked,
    DirectMessage,
    FormRequest,
    Inbound,
    Leaderboard,
    MessageReceived,
    Outbound,
    QuestionCard,
    Reply,
    RevealCard,
    Scorecard,
)
from scheduler.outbox import Outbox

log = logging.getLogger(__name__)

PLATFORM = "console"
WORKSPACE = "local"
QUIT_WORDS = {"/quit", "/exit"}


def to_event(line: str, member: MemberRef, channel: ChannelRef) -> Inbound | None:
    """A typed line as an engine event; None for blank lines."""
    text = line.rstrip("\r\n")
    if not text.strip():
        return None
    command = parse_command_line(text)
    if command is not None:
        name, rest = command
        return CommandInvoked(member=member, channel=channel, name=name, text=rest)
    return MessageReceived(member=member, channel=channel, text=text)


def render(message: Outbound) -> str:
    """An outbound message as terminal text."""
    match message:
        case Reply(text=text, title=title, sections=sections, buttons=buttons):
            parts = [f"== {title} ==" if title else "", text]
            parts += [f"\n{s.heading}\n{s.body}" for s in sections]
            parts += [f"[{b.label}: type {b.command}]" for b in buttons]
            return "\n".join(p for p in parts if p)
        case Scorecard():
            return render_scorecard(message)
        case FormRequest(title=title, intro=intro, command=command):
            return "\n".join(p for p in (f"== {title} ==", intro, f"Type: {command}") if p)
        case QuestionCard():
            return (
                f"== {message.title} ==\n{message.prompt}\n"
                f"Answer privately with /answer <your answer>. The model answer is revealed "
                f"{local_time(message.reveal_at, message.zone)}."
            )
        case RevealCard():
            return render_reveal(message)
        case Leaderboard():
            return render_leaderboard(message)
        case Attachment(filename=filename, caption=caption):
            return f"{caption} (saved as {filename})" if caption else f"(saved {filename})"
    return str(message)


def render_leaderboard(board: Leaderboard) -> str:
    """A leaderboard as terminal text; the caller's own line is marked."""
    lines = [f"== {board.title} =="]

    def line(entry: BoardLine) -> str:
        mark = " <- you" if entry.you else ""
        detail = f"  ({entry.detail})" if entry.detail else ""
        return f"{entry.rank:>4}. {entry.name}  {entry.points} pts{detail}{mark}"

    lines += [line(entry) for entry in board.lines]
    if board.own:
        lines += ["   ..."] + [line(entry) for entry in board.own]
    if board.footer:
        lines.append(board.footer)
    return "\n".join(lines)


def render_reveal(card: RevealCard) -> str:
    """A daily reveal as terminal text: model answer, key-point shares, a histogram."""
    lines = [
        "== Daily question revealed ==",
        f"Q: {card.prompt}",
        f"Model answer: {card.model_answer}",
        "",
        f"{card.answered} answered." if card.answered != 1 else "1 answered.",
    ]
    if card.answered:
        lines += [
            f"- {label}: {count} of {card.answered} ({round(100 * count / card.answered)}%)"
            for label, count in card.key_points
        ]
        lines += ["Scores:"] + [
            f"  {bucket:>6} {'#' * count} {count}" for bucket, count in card.histogram
        ]
    return "\n".join(lines)


def render_scorecard(card: Scorecard) -> str:
    """A scorecard as terminal text."""
    overall = f"{card.overall}/100" if card.overall is not None else "no answered questions"
    lines = [f"== {card.title} ==", f"Overall: {overall}"]
    for row in card.rows:
        score = f"{row.score}/100" if row.score is not None else "-"
        note = f" ({row.note})" if row.note else ""
        lines += ["", f"{row.number}. [{row.topic}] {score}{note}", f"   Q: {row.prompt}"]
        if row.covered:
            lines.append("   Covered: " + "; ".join(row.covered))
        if row.missed:
            lines.append("   Missed: " + "; ".join(row.missed))
        lines.append(f"   Model answer: {row.model_answer}")
    if card.strongest:
        lines += ["", "Strongest: " + ", ".join(card.strongest)]
    if card.weakest:
        lines.append("Weakest: " + ", ".join(card.weakest))
    if card.review_next:
        lines += ["", "Review next:"] + [f"- {item}" for item in card.review_next]
    return "\n".join(lines)


def save_attachment(attachment: Attachment, directory: Path) -> Attachment:
    """Write the file and return it renamed to where it was saved."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / Path(attachment.filename).name
    path.write_bytes(attachment.data)
    return replace(attachment, filename=str(path))


class ConsoleSender:
    """The scheduler's messages for terminal channels, printed where the member is chatting."""

    def __init__(self, say: Callable[[str], None], files_dir: Path) -> None:
        self.say = say
        self.files_dir = files_dir

    async def post_question(self, card: QuestionCard) -> str:
        """Print the daily question."""
        self.say(render(card))
        return "terminal"

    async def post_reveal(self, card: RevealCard) -> None:
        """Print the reveal."""
        self.say(render(card))

    async def post_to_channel(self, message: ChannelMessage) -> None:
        """Print a recap; its chart is saved as a file."""
        shown = message.message
        if isinstance(shown, Attachment):
            shown = save_attachment(shown, self.files_dir)
        self.say(render(shown))

    async def send_direct(self, message: DirectMessage) -> None:
        """Print a reminder."""
        self.say(render(message.message))


async def _lines(stream: TextIO) -> AsyncIterator[str]:
    """Lines from `stream` without blocking the event loop when it is a pipe or terminal."""
    mode = os.fstat(stream.fileno()).st_mode
    if stat.S_ISREG(mode):
        # A regular file never blocks, and the event loop cannot watch one anyway.
        for line in stream:
            yield line
        return
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 20)
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(os.dup(stream.fileno()), "rb")
    )
    try:
        while raw := await reader.readline():
            yield raw.decode("utf-8", errors="replace")
    finally:
        transport.close()


async def run_console(
    engine: Engine,
    user: str,
    channel: str = "general",
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    files_dir: Path | None = None,
    outbox: Outbox | None = None,
) -> int:
    """Chat until /quit or end of input; returns the exit status. Files the bot sends (charts,
    exports) are saved in `files_dir` (default: the current directory)."""
    files_dir = files_dir or Path.cwd()
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    member = MemberRef(PLATFORM, WORKSPACE, user, display_name=user, is_admin=True)
    where = ChannelRef(PLATFORM, WORKSPACE, channel, is_direct=False, name=channel)
    interactive = stdin.isatty()

    def say(text: str) -> None:
        stdout.write(text + "\n")
        stdout.flush()

    if outbox is not None:
        outbox.register(PLATFORM, ConsoleSender(say, files_dir))
    say(
        f"Mock Interview Bot (terminal) — you are {user} in #{channel}. "
        "Type /help for commands, /quit to leave."
    )
    if interactive:
        stdout.write("> ")
        stdout.flush()
    async for line in _lines(stdin):
        if line.strip().lower() in QUIT_WORDS:
            say("Bye! Your progress is saved.")
            return 0
        event = to_event(line, member, where)
        if event is not None:
            for message in await engine.handle(event):
                if isinstance(message, Attachment):
                    message = save_attachment(message, files_dir)
                say(render(message))
                if isinstance(message, QuestionCard):
                    await engine.daily.set_message_ref(message.post_id, "terminal")
        if interactive:
            stdout.write("> ")
            stdout.flush()
    return 0
