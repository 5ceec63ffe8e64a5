"""Helpers for engine-level tests: a scripted grader and people who talk to the engine."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import ChannelRef, MemberRef
from bot.engine import Engine
from bot.events import (
    ButtonPressed,
    CommandInvoked,
    FormSubmitted,
    Leaderboard,
    MessageReceived,
    Outbound,
    QuestionCard,
    Reply,
    RevealCard,
)
from bot.grading import Grade
from question_bank import Question


class ScriptedGrader:
    """Grades by the answer's first word, so tests control every outcome.

    `good` 90 (all points), `half` 50 (first half), `idk` 0 (don't know), `score=NN` NN with
    no points, anything else 10.
    """

    async def grade(self, question: Question, answer: str) -> Grade:
        ids = tuple(kp.id for kp in question.key_points)
        if answer.startswith("good"):
            return Grade(90, ids, ())
        if answer.startswith("half"):
            half = len(ids) // 2
            return Grade(50, ids[:half], ids[half:])
        if answer.startswith("idk"):
            return Grade(0, (), ids, dont_know=True)
        if answer.startswith("score="):
            return Grade(int(answer.split()[0][6:]), (), ids)
        return Grade(10, (), ids)


def text_of(messages: Sequence[Outbound]) -> str:
    """Every message's visible text, joined (for asserting on wording)."""
    parts: list[str] = []
    for message in messages:
        match message:
            case Reply():
                parts += [message.title or "", message.text]
                parts += [f"{s.heading}: {s.body}" for s in message.sections]
            case Leaderboard():
                parts.append(message.title)
                parts += [f"{x.rank}. {x.name} {x.points}" for x in message.lines + message.own]
                parts.append(message.footer)
            case QuestionCard() | RevealCard():
                parts.append(message.prompt)
            case _:
                parts.append(str(getattr(message, "title", "") or type(message).__name__))
    return "\n".join(p for p in parts if p)


class Person:
    """Someone in a workspace: types commands in a channel or messages in their DM."""

    def __init__(
        self,
        engine: Engine,
        user: str,
        *,
        admin: bool = False,
        workspace: str = "team",
        channel: str = "general",
        platform: str = "console",
    ) -> None:
        self.engine = engine
        self.ref = MemberRef(platform, workspace, user, display_name=user, is_admin=admin)
        self.channel = ChannelRef(platform, workspace, channel, name=channel)
        self.dm = ChannelRef(platform, workspace, f"dm-{user}", is_direct=True)

    def in_channel(self, channel: str) -> ChannelRef:
        """Another channel of the same workspace."""
        return ChannelRef(self.ref.platform, self.ref.workspace_id, channel, name=channel)

    async def run(self, line: str, where: ChannelRef | None = None) -> list[Outbound]:
        """Type `/command args` in the channel (or `where`)."""
        name, _, rest = line.lstrip("/").partition(" ")
        return await self.engine.handle(CommandInvoked(self.ref, where or self.channel, name, rest))

    async def say(self, text: str) -> list[Outbound]:
        """A message in the member's DM with the bot."""
        return await self.engine.handle(MessageReceived(self.ref, self.dm, text))

    async def press(self, action: str, value: str = "") -> list[Outbound]:
        """Press a button under a channel message."""
        return await self.engine.handle(ButtonPressed(self.ref, self.channel, action, value))

    async def submit(self, form: str, **values: str) -> list[Outbound]:
        """Submit a form."""
        return await self.engine.handle(FormSubmitted(self.ref, self.channel, form, values))
