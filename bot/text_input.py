"""Untrusted text from members: strip what breaks storage, cap what is too long."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_GRADED_CHARS = 6_000
MAX_STORED_CHARS = 20_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class CleanText:
    """Text safe to store and grade, and a note for the member when it was shortened."""

    value: str
    note: str | None = None

    def strip(self) -> str:
        """The text without surrounding white space."""
        return self.value.strip()


def clean_answer(text: str) -> CleanText:
    """Remove control characters (PostgreSQL refuses NUL) and cap very long answers."""
    value = _CONTROL.sub("", unicodedata.normalize("NFC", text or ""))
    if len(value) <= MAX_GRADED_CHARS:
        return CleanText(value)
    note = (
        f"That answer is {len(value):,} characters long; I graded the first "
        f"{MAX_GRADED_CHARS:,}. Interview answers work best in a few short paragraphs."
    )
    return CleanText(value[:MAX_STORED_CHARS], note)
