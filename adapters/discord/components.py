"""Buttons that keep working after a restart (their state is in the custom id), and the modal."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

import discord

from adapters.discord.render import ANSWER_PREFIX, RUN_PREFIX, ButtonSpec
from adapters.discord.text import clip
from bot.events import FormRequest

if TYPE_CHECKING:
    from adapters.discord.bridge import DiscordBridge

MODAL_PREFIX = "form:"


class HasBridge(Protocol):
    """Our bot: a discord.py client that carries the bridge to the engine."""

    bridge: DiscordBridge


def _bridge(interaction: discord.Interaction) -> DiscordBridge:
    return interaction.client.bridge  # type: ignore[attr-defined]


class AnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"daily-answer:(?P<post>\d+)"
):
    """ "Answer privately" under a daily question: opens the answer modal."""

    def __init__(self, post_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Answer privately",
                style=discord.ButtonStyle.primary,
                custom_id=f"{ANSWER_PREFIX}{post_id}",
            )
        )
        self.post_id = post_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnswerButton:
        """Rebuild the button from its custom id (after a restart too)."""
        return cls(int(match["post"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Open the modal for this post."""
        await _bridge(interaction).button(interaction, "daily-answer", str(self.post_id))


class RunButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"run:(?P<command>.+)"):
    """A button that runs a command line (e.g. `/interview-forget-me confirm`)."""

    def __init__(self, command: str, label: str = "Run", danger: bool = False) -> None:
        style = discord.ButtonStyle.danger if danger else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"{RUN_PREFIX}{command}")
        )
        self.command = command

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RunButton:
        """Rebuild the button from its custom id."""
        return cls(match["command"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Run the command as the member who pressed it."""
        await _bridge(interaction).button(interaction, "run", self.command)


def view_for(buttons: Sequence[ButtonSpec]) -> discord.ui.View:
    """A view (no timeout) holding the message's buttons."""
    view = discord.ui.View(timeout=None)
    for spec in buttons[:5]:
        if spec.custom_id.startswith(ANSWER_PREFIX):
            view.add_item(AnswerButton(int(spec.custom_id.removeprefix(ANSWER_PREFIX))))
        else:
            view.add_item(
                RunButton(spec.custom_id.removeprefix(RUN_PREFIX), spec.label, spec.danger)
            )
    return view


class FormModal(discord.ui.Modal):
    """A modal built from an engine `FormRequest`.

    Submissions are handled by the bot's `on_interaction` from the custom id, not here, so a
    modal opened before a restart is still received after it.
    """

    def __init__(self, form: FormRequest) -> None:
        super().__init__(
            title=clip(form.title, 45), custom_id=f"{MODAL_PREFIX}{form.form}:{form.context}"
        )
        for field in form.fields[:5]:
            self.add_item(
                discord.ui.TextInput(
                    label=clip(field.label, 45),
                    custom_id=field.name,
                    style=(
                        discord.TextStyle.paragraph if field.multiline else discord.TextStyle.short
                    ),
                    max_length=min(field.max_length, 4000),
                    placeholder=clip(field.placeholder or form.intro, 100) or None,
                    default=field.value or None,
                    required=True,
                )
            )


def parse_modal_id(custom_id: str) -> tuple[str, str] | None:
    """(`form`, `context`) from a modal's custom id, or None if it is not ours."""
    if not custom_id.startswith(MODAL_PREFIX):
        return None
    form, _, context = custom_id.removeprefix(MODAL_PREFIX).partition(":")
    return form, context
