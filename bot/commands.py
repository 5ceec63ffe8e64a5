"""Command text parsing shared by every adapter: `/name arg "quoted arg"`."""

from __future__ import annotations

import shlex
from dataclasses import dataclass


class UsageError(ValueError):
    """A command was typed wrongly; the message tells the member how to type it."""


@dataclass(frozen=True)
class CommandSpec:
    """A command the engine offers: its name, argument synopsis and one-line summary."""

    name: str
    usage: str
    summary: str

    def synopsis(self) -> str:
        """`/name usage`, as shown in help."""
        return f"/{self.name} {self.usage}".rstrip()


def split_args(text: str) -> list[str]:
    """Split command arguments like a shell would; unbalanced quotes are a usage error."""
    try:
        return shlex.split(text)
    except ValueError:
        raise UsageError("There is an unmatched quote in that command.") from None


def parse_command_line(line: str) -> tuple[str, str] | None:
    """`"/mock-interview ml 3"` -> `("mock-interview", "ml 3")`; None if not a command."""
    stripped = line.strip()
    if not stripped.startswith("/") or stripped == "/":
        return None
    name, _, rest = stripped[1:].partition(" ")
    return name.lower(), rest.strip()
