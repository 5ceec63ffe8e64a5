"""Signs that an answer is not really an answer: "I don't know", an echo, a list of terms."""

from __future__ import annotations

import re

from bot.grading.match import Answer
from bot.grading.rubric import Rubric

_DONT_KNOW = re.compile(
    r"\b(i\s*(do\s*n[o']?t|dont|don't)\s*know|idk|no\s*idea|not\s*sure|no\s*clue|dunno|"
    r"i\s*have\s*no\s*idea|i\s*give\s*up|no\s*comment)\b"
)
_SWEEPING = re.compile(
    r"\b(doesn'?t (really )?(matter|care|change)|don'?t (really )?need|no need|you'?re done|"
    r"that'?s it|that'?s all|simply|just|entirely|automatically|the whole point|no effect|"
    r"plenty|(is|are) (basically )?fine|(really|basically|exactly) the same|always works|"
    r"obviously|of course|guaranteed|completely|wouldn'?t change anything|nothing to worry)\b"
)
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SEGMENTS = re.compile(r"[,;\n\u2022]|\s-\s|\s\*\s")


def says_dont_know(answer: Answer) -> bool:
    """Empty, or "I don't know" with next to nothing else."""
    stripped = answer.folded.strip(" \t\n.!?")
    if not stripped:
        return True
    if not _DONT_KNOW.search(stripped):
        return False
    remainder = _DONT_KNOW.sub(" ", stripped)
    return len(Answer(remainder).content) < 3


def sweeping_certainty(answer: Answer) -> int:
    """How many sweeping phrases ("doesn't matter", "just", "you're done") the answer uses."""
    return len(_SWEEPING.findall(answer.folded))


def topicality(answer: Answer, rubric: Rubric) -> float:
    """The share of the answer's distinct words that belong to the question's topic."""
    words = {t for t in answer.content_stems if t[0].isalnum()}
    if not words:
        return 0.0
    on_topic = sum(1 for t in words if t in rubric.topic_weights or t in rubric.prompt_tokens)
    return on_topic / len(words)


def echoes_prompt(answer: Answer, rubric: Rubric) -> bool:
    """Does the answer mostly repeat the question's own words?"""
    words = [t for t in answer.content_stems if t[0].isalnum()]
    if not words:
        return False
    novel = [t for t in words if t not in rubric.prompt_tokens]
    return len(novel) <= max(2, len(words) // 5)


def lists_terms(answer: Answer) -> bool:
    """A list of terms with nothing connecting them explains nothing."""
    if len(answer.tokens) < 4:
        return False
    function_share = sum(1 for t in answer.tokens if t.stop) / len(answer.tokens)
    flat = _BRACKETED.sub(" ", answer.folded)
    segments = [s.strip() for s in _SEGMENTS.split(flat) if s.strip()]
    if function_share < 0.12 and len(segments) <= 1:
        return True
    if len(segments) < 5:
        return False
    lengths = sorted(len(s.split()) for s in segments)
    return lengths[-1] <= 7 and lengths[len(lengths) // 2] <= 5
