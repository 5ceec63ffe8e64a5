"""Parse one question file into model objects, collecting readable problems on the way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from question_bank.fields import SLUG, FieldReader, Problem
from question_bank.model import (
    DIFFICULTIES,
    KINDS,
    Question,
    Tip,
)
from question_bank.yaml_lines import LineMap, load_with_lines

FILE_FIELDS = {"topic", "title", "questions", "tips"}
QUESTION_FIELDS = {
    "id",
    "topic",
    "prompt",
    "reference_answer",
    "key_points",
    "difficulty",
    "kind",
    "tags",
    "covers",
    "pitfalls",
    "follow_ups",
    "hints",
    "coaching",
    "solution",
}
TIP_FIELDS = {"id", "covers", "title", "text", "related_tags"}


@dataclass
class ParsedFile:
    """What one file yielded: its questions, tips, topic title and problems."""

    path: str
    topic: str
    title: str
    questions: list[tuple[Question, int]] = field(default_factory=list)
    tips: list[tuple[Tip, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Checker(FieldReader):
    """Walks one file's data, building questions and tips and recording problems."""

    def question(self, data: Any, topic: str, line: int, index: int) -> Question | None:
        if not isinstance(data, LineMap):
            self.problem(line, "", f"questions[{index}]", "must be a mapping")
            return None
        qid = str(data.get("id") or "")
        self.check_fields(data, QUESTION_FIELDS, qid, "")
        if not qid:
            self.problem(data.line, f"questions[{index}]", "id", "is required")
            return None
        if not SLUG.match(qid):
            self.problem(
                data.line_of("id"), qid, "id", "must be a lowercase slug (a-z, 0-9, hyphens)"
            )
        prompt = self.text(data, "prompt", qid, "", required=True)
        answer = self.text(data, "reference_answer", qid, "", required=True)
        points = self.key_points(data, qid, "", required=True)
        q_topic = self.text(data, "topic", qid, "", required=False) or topic
        difficulty = data.get("difficulty", 2)
        if difficulty not in DIFFICULTIES or isinstance(difficulty, bool):
            self.problem(
                data.line_of("difficulty"),
                qid,
                "difficulty",
                f"must be 1 (easy), 2 (medium) or 3 (hard), not {difficulty!r}",
            )
            difficulty = 2
        kind = data.get("kind", "concept")
        if kind not in KINDS:
            self.problem(
                data.line_of("kind"),
                qid,
                "kind",
                f"must be one of {', '.join(KINDS)}, not {kind!r}",
            )
            kind = "concept"
        question = Question(
            id=qid,
            topic=q_topic,
            prompt=prompt or "",
            reference_answer=answer or "",
            key_points=points,
            difficulty=difficulty,
            kind=kind,
            tags=self.strings(data, "tags", qid, ""),
            covers=self.covers(data, qid),
            pitfalls=self.pitfalls(data, qid),
            follow_ups=self.follow_ups(data, qid, "", {p.id for p in points}, 0),
            hints=self.strings(data, "hints", qid, ""),
            coaching=self.text(data, "coaching", qid, "", required=False),
            solution=self.solution(data, qid),
            source=self.path,
        )
        if self.strict:
            self.strict_rules(data, question)
        return question if prompt and answer and points else None

    def strict_rules(self, data: LineMap, q: Question) -> None:
        """Extra rules for the packaged bank: complete rubrics, follow-ups, hints, coverage."""
        for key in ("difficulty", "kind", "covers"):
            if key not in data:
                self.problem(data.line, q.id, key, "is required in the packaged bank")
        if "covers" in data and not q.covers:
            self.problem(data.line_of("covers"), q.id, "covers", "must list at least one id")
        if not 3 <= len(q.key_points) <= 6:
            self.problem(
                data.line_of("key_points"),
                q.id,
                "key_points",
                f"needs 3 to 6 key points, has {len(q.key_points)}",
            )
        if len(q.follow_ups) < 2:
            self.problem(
                data.line_of("follow_ups"),
                q.id,
                "follow_ups",
                f"needs at least 2 follow-ups, has {len(q.follow_ups)}",
            )
        if not q.hints:
            self.problem(data.line_of("hints"), q.id, "hints", "needs at least one hint")
        if q.kind == "behavioural" and not q.coaching:
            self.problem(data.line, q.id, "coaching", "behavioural questions need a coaching note")
        if q.kind == "coding" and q.solution is None:
            self.problem(data.line, q.id, "solution", "coding questions need a worked solution")

    def tip(self, data: Any, line: int, index: int) -> Tip | None:
        if not isinstance(data, LineMap):
            self.problem(line, "", f"tips[{index}]", "must be a mapping")
            return None
        tid = str(data.get("id") or "")
        self.check_fields(data, TIP_FIELDS, tid, "")
        if not tid:
            self.problem(data.line, f"tips[{index}]", "id", "is required")
            return None
        title = self.text(data, "title", tid, "", required=True)
        text = self.text(data, "text", tid, "", required=True)
        if not (title and text):
            return None
        return Tip(
            tid, title, text, self.covers(data, tid), self.strings(data, "related_tags", tid, "")
        )


def parse_file(path: str, text: str, strict: bool) -> ParsedFile:
    """Parse one YAML question file; `strict` applies the packaged-bank rules."""
    checker = _Checker(path, strict)
    fallback_topic = re.sub(r"\.ya?ml$", "", path.rsplit("/", 1)[-1]) if strict else "custom"
    result = ParsedFile(path, fallback_topic, fallback_topic)
    try:
        data = load_with_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        checker.problem(line, "", "yaml", f"not valid YAML: {reason}")
        result.problems = checker.problems
        return result
    if not isinstance(data, LineMap):
        checker.problem(
            1, "", "file", "must be a mapping with `questions:` (and optionally `topic:`)"
        )
        result.problems = checker.problems
        return result
    checker.check_fields(data, FILE_FIELDS, "", "")
    topic = checker.text(data, "topic", "", "", required=strict) or result.topic
    if not SLUG.match(topic):
        checker.problem(data.line_of("topic"), "", "topic", "must be a lowercase slug")
    result.topic = topic
    result.title = checker.text(data, "title", "", "", required=False) or topic
    questions = data.get("questions") or []
    tips = data.get("tips") or []
    if not isinstance(questions, list):
        checker.problem(data.line_of("questions"), "", "questions", "must be a list")
        questions = []
    if not isinstance(tips, list):
        checker.problem(data.line_of("tips"), "", "tips", "must be a list")
        tips = []
    if not questions and not tips:
        checker.problem(data.line, "", "questions", "the file has no questions")
    for index, item in enumerate(questions):
        question = checker.question(item, topic, data.line_of("questions"), index)
        if question:
            result.questions.append((question, getattr(item, "line", 1)))
    for index, item in enumerate(tips):
        tip = checker.tip(item, data.line_of("tips"), index)
        if tip:
            result.tips.append((tip, getattr(item, "line", 1)))
    result.problems = checker.problems
    return result
