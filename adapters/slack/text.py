"""Text for Slack: escape what Slack would parse, and cut what is too long for a block."""

from __future__ import annotations

import re

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)


def escape(text: str) -> str:
    """Make untrusted text inert in mrkdwn: `&`, `<` and `>` become entities (so `<!here>` or
    `<@U123>` cannot form), and a bare `@here` gets a zero-width joiner so it never pings."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: "@\u2060" + m.group(1), escaped)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chunks(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split on line breaks (or hard, for one huge line) into pieces that fit a section."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces
