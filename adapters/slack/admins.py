"""Who may run admin commands: workspace admins and owners (users.info), or ADMIN_USER_IDS."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

CACHE_SECONDS = 600.0


class AdminCheck:
    """Answers "is this user an admin?", asking Slack at most once per user per ten minutes."""

    def __init__(
        self, allow: frozenset[str] = frozenset(), clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.allow = allow
        self.clock = clock
        self._known: dict[tuple[str, str], tuple[bool, float]] = {}

    async def is_admin(self, client: AsyncWebClient, team_id: str, user_id: str) -> bool:
        """True for allow-listed users and for workspace admins, owners and primary owners."""
        if user_id in self.allow:
            return True
        key = (team_id, user_id)
        cached = self._known.get(key)
        if cached and self.clock() - cached[1] < CACHE_SECONDS:
            return cached[0]
        try:
            user = (await client.users_info(user=user_id))["user"]
        except SlackApiError as exc:
            log.warning("slack: users.info failed for %s: %s", user_id, exc.response.get("error"))
            return False
        admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        self._known[key] = (admin, self.clock())
        return admin
