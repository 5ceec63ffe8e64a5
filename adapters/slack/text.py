"""Text for Slack: escape what Slack would parse, and cut what is too long for a block."""

from __future__ import annotations

import re

from bot.wording import clip, split_text

__all__ = ["HEADER_LIMIT", "SECTION_LIMIT", "chunks", "clip", "escape"]

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)


def escape(text: str) -> str:
    """Make untrusted text inert in mrkdwn: `&`, `<` and `>` become entities (so `<!here>` or
    `<@U123>` cannot form), and a bare `@here` gets a zero-width joiner so it never pings."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: "@\u2060" + m.group(1), escaped)


def chunks(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Pieces of `text` that each fit a section."""
    return split_text(text, limit)
