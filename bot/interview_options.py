"""Parse `/mock-interview [topic] [difficulty] [length]` into options, with helpful errors."""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands import UsageError, split_args
from question_bank import Bank

DEFAULT_LENGTH = 5
MAX_LENGTH = 15
# Bare numbers are the length, so difficulty is always a word.
DIFFICULTY_WORDS = {"easy": 1, "medium": 2, "hard": 3, "adaptive": None}
MIXED_WORDS = {"mixed", "any", "all", "random"}
TOPIC_ALIASES = {
    "stats": "statistics",
    "stat": "statistics",
    "probability": "statistics",
    "dl": "deep-learning",
    "deep": "deep-learning",
    "deeplearning": "deep-learning",
    "eval": "evaluation",
    "metrics": "evaluation",
    "ml": "algorithms",
    "algos": "algorithms",
    "cs": "programming",
    "coding": "programming",
    "sql": "programming",
    "biz": "business",
    "product": "business",
    "ops": "mlops",
    "production": "mlops",
    "beh": "behavioural",
    "behavioral": "behavioural",
    "fnd": "foundations",
    "basics": "foundations",
}


@dataclass(frozen=True)
class InterviewOptions:
    """What the member asked for; None means mixed topics / adaptive difficulty."""

    topic: str | None = None
    difficulty: int | None = None
    length: int = DEFAULT_LENGTH


def resolve_topic(word: str, bank: Bank) -> str | None:
    """The bank topic a typed word names (aliases and unique prefixes too), or None."""
    topics = bank.topics
    word = TOPIC_ALIASES.get(word, word)
    if word in topics:
        return word
    matches = [t for t in topics if t.startswith(word)]
    return matches[0] if len(matches) == 1 else None


def usage(bank: Bank) -> str:
    """How to call /mock-interview, with the valid values."""
    return (
        "Usage: /mock-interview [topic] [easy|medium|hard] [number of questions]\n"
        f"Topics: {', '.join(bank.topics)} (or mixed, the default).\n"
        f"Difficulty adapts to you unless you pick one; length is 1 to {MAX_LENGTH} "
        f"(default {DEFAULT_LENGTH}). Also: /mock-interview resume, /mock-interview end."
    )


def parse_options(text: str, bank: Bank) -> InterviewOptions:
    """Options from the command text, in any order; UsageError names what was wrong."""
    topic: str | None = None
    difficulty: int | None = None
    length = DEFAULT_LENGTH
    for raw in split_args(text):
        word = raw.lower().strip(",")
        if word in DIFFICULTY_WORDS:
            difficulty = DIFFICULTY_WORDS[word]
        elif word.isdigit():
            length = int(word)
            if not 1 <= length <= MAX_LENGTH:
                raise UsageError(
                    f"An interview has 1 to {MAX_LENGTH} questions, not {length}.\n" + usage(bank)
                )
        elif word in MIXED_WORDS:
            topic = None
        elif (found := resolve_topic(word, bank)) is not None:
            topic = found
        else:
            raise UsageError(f"I don't know the option '{raw}'.\n" + usage(bank))
    return InterviewOptions(topic, difficulty, length)
