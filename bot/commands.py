"""Command text parsing shared by every adapter: `/name arg "quoted arg"`."""

from __future__ import annotations

import shlex
from dataclasses import dataclass


class UsageError(ValueError):
    """A command was typed wrongly; the message tells the member how to type it."""


@dataclass(frozen=True)
class CommandSpec:
    """A command the engine offers: its name, argument synopsis and one-line summary.

    `checks_admin`: some uses are for admins only, so adapters find out whether the caller is
    one (only for these commands, as that can cost a platform call). `in_direct_messages`: a
    private conversation that adapters carry on in the member's DM.
    """

    name: str
    usage: str
    summary: str
    checks_admin: bool = False
    in_direct_messages: bool = False

    def synopsis(self) -> str:
        """`/name usage`, as shown in help."""
        return f"/{self.name} {self.usage}".rstrip()


ON_OFF = {"on": True, "yes": True, "off": False, "no": False}


def parse_on_off(word: str, usage: str) -> bool:
    """`on`/`off` (or yes/no) as a bool; anything else is a usage error quoting `usage`."""
    if word.lower() not in ON_OFF:
        raise UsageError(f"Usage: {usage}")
    return ON_OFF[word.lower()]


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
