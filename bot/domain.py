"""Value types shared by the engine and the adapters: who is talking, and where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PLATFORMS = ("console", "slack", "discord")


@dataclass(frozen=True)
class MemberRef:
    """A person as the platform identifies them: (platform, workspace, user id)."""

    platform: str
    workspace_id: str
    user_id: str
    display_name: str | None = None
    is_admin: bool = False

    def __str__(self) -> str:
        return f"{self.platform}:{self.workspace_id}:{self.user_id}"


@dataclass(frozen=True)
class ChannelRef:
    """Where a message came from or goes to; `is_direct` for a DM with the bot."""

    platform: str
    workspace_id: str
    channel_id: str
    is_direct: bool = False
    name: str | None = None

    def __str__(self) -> str:
        return f"{self.platform}:{self.workspace_id}:{self.channel_id}"


@dataclass(frozen=True)
class AttemptSummary:
    """What question selection needs to know about a member's past answers to one question."""

    question_id: str
    last_at: datetime
    best_score: int
    mean_score: float
