"""Text for Discord: escape markdown in what we send, and cut what is too long."""

from __future__ import annotations

from discord.utils import escape_markdown

from bot.wording import clip, split_text

__all__ = ["clip", "escape", "split_text"]

CONTENT_LIMIT = 2000
EMBED_DESCRIPTION_LIMIT = 4096
FIELD_LIMIT = 1024
TITLE_LIMIT = 256


def escape(text: str) -> str:
    """Text shown literally: `*`, `_`, `~`, `|`, `` ` `` and quotes cannot restyle it.

    Mentions are made harmless separately: everything is sent with no allowed mentions.
    """
    return escape_markdown(text, ignore_links=False)
