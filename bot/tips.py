"""Interview-craft tips: `/tip [subject]`, and a related tip after each scorecard."""

from __future__ import annotations

from collections.abc import Iterable

from bot.commands import CommandSpec, UsageError, split_args
from bot.events import Reply
from question_bank import Bank, Question, Tip

TIP = CommandSpec("tip", "[subject]", "a piece of interview craft (e.g. /tip case)")


def tips_for(bank: Bank, subjects: Iterable[str]) -> list[Tip]:
    """Tips related to any of `subjects` (tags, kinds or topics), in bank order."""
    wanted = {s.lower() for s in subjects}
    return [t for t in bank.tips.values() if wanted & set(t.related_tags)]


def subjects_of(question: Question) -> set[str]:
    """What a question is about, as tip subjects: its kind, topic and tags."""
    return {question.kind, question.topic, *question.tags}


def choose(tips: list[Tip], seed: int) -> Tip | None:
    """One of `tips`, the same one for the same seed."""
    return tips[seed % len(tips)] if tips else None


def render_tip(tip: Tip) -> Reply:
    """A tip as a private message."""
    return Reply(tip.text, private=True, title=f"Interview tip: {tip.title}")


def tip_command(bank: Bank, text: str, seed: int) -> Reply:
    """Answer `/tip [subject]`; an unknown subject lists the known ones."""
    words = split_args(text)
    if len(words) > 1:
        raise UsageError("Usage: /tip [subject], e.g. /tip case or /tip behavioural")
    tips = tips_for(bank, words) if words else list(bank.tips.values())
    tip = choose(tips, seed)
    if tip is None:
        known = sorted({tag for t in bank.tips.values() for tag in t.related_tags})
        raise UsageError(f"I have no tips on '{words[0]}'. Try one of: {', '.join(known)}.")
    return render_tip(tip)
