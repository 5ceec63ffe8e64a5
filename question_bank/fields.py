"""Reading fields of a question file with line-numbered problems: the generic readers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from question_bank.coverage import coverage_items
from question_bank.model import FollowUp, KeyPoint, Pitfall, Solution
from question_bank.yaml_lines import LineMap

KEY_POINT_FIELDS = {"id", "label", "aliases"}
PITFALL_FIELDS = {"claim", "correction", "patterns"}
FOLLOW_UP_FIELDS = {"prompt", "reference_answer", "targets", "key_points", "follow_ups"}
SOLUTION_FIELDS = {"language", "code", "complexity"}
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


def slugify(text: str) -> str:
    """A lowercase hyphenated slug of `text` (for key points given as plain strings)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "point"


class FieldReader:
    """Reads typed fields out of YAML mappings, recording a `Problem` for each fault."""

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

    def mappings(
        self, owner: LineMap, key: str, qid: str, where: str, shape: str
    ) -> Iterator[tuple[str, LineMap]]:
        """(field path, item) for each mapping in the list `owner[key]`; other items and a
        non-list value are reported as problems and skipped."""
        value = owner.get(key)
        if value is None:
            return
        if not isinstance(value, list):
            self.problem(owner.line_of(key), qid, f"{where}{key}", "must be a list")
            return
        for index, item in enumerate(value):
            fld = f"{where}{key}[{index}]"
            if isinstance(item, LineMap):
                yield fld, item
            else:
                self.problem(owner.line_of(key), qid, fld, f"must be a mapping with {shape}")

    def pitfalls(self, data: LineMap, qid: str) -> tuple[Pitfall, ...]:
        result = []
        for fld, item in self.mappings(data, "pitfalls", qid, "", "claim, correction and patterns"):
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
        result = []
        for fld, item in self.mappings(
            owner, "follow_ups", qid, where, "prompt and reference_answer"
        ):
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
