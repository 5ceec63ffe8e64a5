"""Parse one question file into model objects, collecting readable problems on the way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from question_bank.coverage import coverage_items
from question_bank.model import (
    DIFFICULTIES,
    KINDS,
    FollowUp,
    KeyPoint,
    Pitfall,
    Question,
    Solution,
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
KEY_POINT_FIELDS = {"id", "label", "aliases"}
PITFALL_FIELDS = {"claim", "correction", "patterns"}
FOLLOW_UP_FIELDS = {"prompt", "reference_answer", "targets", "key_points", "follow_ups"}
SOLUTION_FIELDS = {"language", "code", "complexity"}
TIP_FIELDS = {"id", "covers", "title", "text", "related_tags"}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a question file, printed as `file:line: id: field: message`."""

    path: str
    line: int
    question_id: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.question_id or '-'}: {self.field}: {self.message}"


@dataclass
class ParsedFile:
    """What one file yielded: its questions, tips, topic title and problems."""

    path: str
    topic: str
    title: str
    questions: list[tuple[Question, int]] = field(default_factory=list)
    tips: list[tuple[Tip, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def slugify(text: str) -> str:
    """A lowercase hyphenated slug of `text` (for key points given as plain strings)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "point"


class _Checker:
    """Walks one file's data, building model objects and recording problems."""

    def __init__(self, path: str, strict: bool) -> None:
        self.path = path
        self.strict = strict
        self.problems: list[Problem] = []

    def problem(self, line: int, qid: str, fld: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, qid, fld, message))

    def check_fields(self, data: LineMap, allowed: set[str], qid: str, where: str) -> None:
        for key, line in data.duplicate_keys:
            self.problem(line, qid, f"{where}{key}", "appears twice in the same mapping")
        for key in data:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.problem(
                    data.line_of(key), qid, f"{where}{key}", f"unknown field (allowed: {hint})"
                )

    def text(self, data: LineMap, key: str, qid: str, where: str, required: bool) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(data.line, qid, f"{where}{key}", "is required")
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(data.line_of(key), qid, f"{where}{key}", "must be text")
            return None
        text = str(value).strip()
        if not text and required:
            self.problem(data.line_of(key), qid, f"{where}{key}", "must not be empty")
            return None
        return text or None

    def strings(self, data: LineMap, key: str, qid: str, where: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
            self.problem(data.line_of(key), qid, f"{where}{key}", "must be a list of text items")
            return ()
        items = tuple(str(v).strip() for v in value)
        if any(not v for v in items):
            self.problem(data.line_of(key), qid, f"{where}{key}", "has an empty item")
        return tuple(v for v in items if v)

    def key_points(
        self, owner: LineMap, qid: str, where: str, required: bool
    ) -> tuple[KeyPoint, ...]:
        value = owner.get("key_points")
        if value is None or value == []:
            if required:
                self.problem(
                    owner.line_of("key_points"),
                    qid,
                    f"{where}key_points",
                    "needs at least one key point (an empty rubric cannot grade anything)",
                )
            return ()
        if not isinstance(value, list):
            self.problem(owner.line_of("key_points"), qid, f"{where}key_points", "must be a list")
            return ()
        points: list[KeyPoint] = []
        for index, item in enumerate(value):
            fld = f"{where}key_points[{index}]"
            if isinstance(item, str) and not self.strict:
                if item.strip():
                    points.append(KeyPoint(id=slugify(item), label=item.strip()))
                else:
                    self.problem(owner.line_of("key_points"), qid, fld, "is empty")
                continue
            if not isinstance(item, LineMap):
                self.problem(
                    owner.line_of("key_points"),
                    qid,
                    fld,
                    "must be a mapping with id, label and aliases",
                )
                continue
            self.check_fields(item, KEY_POINT_FIELDS, qid, f"{fld}.")
            label = self.text(item, "label", qid, f"{fld}.", required=True)
            point_id = self.text(item, "id", qid, f"{fld}.", required=self.strict)
            if point_id and not SLUG.match(point_id):
                self.problem(
                    item.line_of("id"),
                    qid,
                    f"{fld}.id",
                    "must be a lowercase slug (a-z, 0-9, hyphens)",
                )
            if label:
                points.append(
                    KeyPoint(
                        id=point_id or slugify(label),
                        label=label,
                        aliases=self.strings(item, "aliases", qid, f"{fld}."),
                    )
                )
        ids = [p.id for p in points]
        for dup in {i for i in ids if ids.count(i) > 1}:
            self.problem(
                owner.line_of("key_points"),
                qid,
                f"{where}key_points",
                f"key point id '{dup}' is used twice",
            )
        return tuple(points)

    def pitfalls(self, data: LineMap, qid: str) -> tuple[Pitfall, ...]:
        value = data.get("pitfalls")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(data.line_of("pitfalls"), qid, "pitfalls", "must be a list")
            return ()
        result = []
        for index, item in enumerate(value):
            fld = f"pitfalls[{index}]"
            if not isinstance(item, LineMap):
                self.problem(
                    data.line_of("pitfalls"),
                    qid,
                    fld,
                    "must be a mapping with claim, correction and patterns",
                )
                continue
            self.check_fields(item, PITFALL_FIELDS, qid, f"{fld}.")
            claim = self.text(item, "claim", qid, f"{fld}.", required=True)
            correction = self.text(item, "correction", qid, f"{fld}.", required=True)
            patterns = self.strings(item, "patterns", qid, f"{fld}.")
            if claim and correction:
                result.append(Pitfall(claim, correction, patterns))
        return tuple(result)

    def follow_ups(
        self, owner: LineMap, qid: str, where: str, points: set[str], depth: int
    ) -> tuple[FollowUp, ...]:
        value = owner.get("follow_ups")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(owner.line_of("follow_ups"), qid, f"{where}follow_ups", "must be a list")
            return ()
        result = []
        for index, item in enumerate(value):
            fld = f"{where}follow_ups[{index}]"
            if not isinstance(item, LineMap):
                self.problem(
                    owner.line_of("follow_ups"),
                    qid,
                    fld,
                    "must be a mapping with prompt and reference_answer",
                )
                continue
            self.check_fields(item, FOLLOW_UP_FIELDS, qid, f"{fld}.")
            prompt = self.text(item, "prompt", qid, f"{fld}.", required=True)
            answer = self.text(item, "reference_answer", qid, f"{fld}.", required=True)
            targets = self.text(item, "targets", qid, f"{fld}.", required=False)
            if targets and depth > 0:
                self.problem(
                    item.line_of("targets"),
                    qid,
                    f"{fld}.targets",
                    "only first-level follow-ups can target a key point",
                )
            elif targets and targets not in points:
                known = ", ".join(sorted(points)) or "none"
                self.problem(
                    item.line_of("targets"),
                    qid,
                    f"{fld}.targets",
                    f"names key point '{targets}', which the question does not have "
                    f"(it has: {known})",
                )
            own_points = self.key_points(item, qid, f"{fld}.", required=not targets)
            nested = self.follow_ups(item, qid, f"{fld}.", points, depth + 1)
            if prompt and answer:
                result.append(FollowUp(prompt, answer, targets, own_points, nested))
        return tuple(result)

    def solution(self, data: LineMap, qid: str) -> Solution | None:
        value = data.get("solution")
        if value is None:
            return None
        if not isinstance(value, LineMap):
            self.problem(
                data.line_of("solution"),
                qid,
                "solution",
                "must be a mapping with language, code and complexity",
            )
            return None
        self.check_fields(value, SOLUTION_FIELDS, qid, "solution.")
        language = self.text(value, "language", qid, "solution.", required=True)
        code = self.text(value, "code", qid, "solution.", required=True)
        complexity = self.text(value, "complexity", qid, "solution.", required=True)
        if language and code and complexity:
            return Solution(language, code, complexity)
        return None

    def covers(self, data: LineMap, qid: str) -> tuple[str, ...]:
        covers = self.strings(data, "covers", qid, "")
        known = coverage_items()
        for cid in covers:
            if cid not in known:
                self.problem(data.line_of("covers"), qid, "covers", f"unknown coverage id '{cid}'")
        return covers

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
