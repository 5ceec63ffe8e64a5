"""Load the packaged bank and team directories into one validated `Bank`."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from question_bank.coverage import coverage_items
from question_bank.fields import Problem
from question_bank.model import Bank
from question_bank.schema import ParsedFile, parse_file

log = logging.getLogger(__name__)


class BankError(Exception):
    """The bank could not be loaded; `problems` says exactly where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the question bank:\n{shown}{more}")


@dataclass
class LoadResult:
    """A bank plus every problem found while loading it."""

    bank: Bank
    problems: list[Problem] = field(default_factory=list)
    files: list[ParsedFile] = field(default_factory=list)


def packaged_data_dir() -> Path:
    """The directory holding the question files shipped with the package."""
    return Path(__file__).resolve().parent / "data"


def _yaml_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())


def _display(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _is_packaged(path: Path) -> bool:
    return path.resolve().is_relative_to(packaged_data_dir())


def load_paths(paths: Iterable[Path | str], *, check_coverage: bool = False) -> LoadResult:
    """Parse every YAML file under `paths` and merge them, collecting all problems.

    Files inside the packaged data directory get the strict rules; team files the
    lenient ones. With `check_coverage`, every coverage id must be covered.
    """
    result = LoadResult(Bank())
    seen: dict[str, str] = {}
    for root in paths:
        root = Path(root)
        if not root.exists():
            result.problems.append(Problem(_display(root), 0, "", "path", "does not exist"))
            continue
        files = _yaml_files(root)
        if not files:
            result.problems.append(Problem(_display(root), 0, "", "path", "holds no .yaml files"))
        for file in files:
            parsed = parse_file(_display(file), file.read_text("utf-8"), strict=_is_packaged(file))
            result.files.append(parsed)
            result.problems.extend(parsed.problems)
            result.bank.topic_titles.setdefault(parsed.topic, parsed.title)
            for question, line in parsed.questions:
                where = f"{_display(file)}:{line}"
                if question.id in seen:
                    result.problems.append(
                        Problem(
                            _display(file),
                            line,
                            question.id,
                            "id",
                            f"duplicate id, first defined at {seen[question.id]}",
                        )
                    )
                    continue
                seen[question.id] = where
                result.bank.questions[question.id] = question
            for tip, line in parsed.tips:
                if tip.id in seen:
                    result.problems.append(
                        Problem(
                            _display(file),
                            line,
                            tip.id,
                            "id",
                            f"duplicate id, first defined at {seen[tip.id]}",
                        )
                    )
                    continue
                seen[tip.id] = f"{_display(file)}:{line}"
                result.bank.tips[tip.id] = tip
    if check_coverage:
        result.problems.extend(_coverage_problems(result.bank))
    return result


def _coverage_problems(bank: Bank) -> list[Problem]:
    covered = {c for q in bank.questions.values() for c in q.covers}
    covered |= {c for t in bank.tips.values() for c in t.covers}
    where = _display(packaged_data_dir())
    return [
        Problem(where, 0, "", "covers", f"coverage id {cid} ({title}) is not covered")
        for cid, title in coverage_items().items()
        if cid not in covered
    ]


def split_dirs(value: str | None) -> tuple[str, ...]:
    """Split a `QUESTION_BANK_DIRS` value (colon-separated) into directories."""
    return tuple(part for part in (value or "").split(":") if part.strip())


@cache
def load_bank(extra_dirs: tuple[str, ...] = ()) -> Bank:
    """The packaged bank plus `extra_dirs`, loaded once per process; raises `BankError`."""
    result = load_paths([packaged_data_dir(), *extra_dirs])
    if result.problems:
        raise BankError(result.problems)
    log.info(
        "question bank loaded: %d questions, %d tips, %d topics",
        len(result.bank.questions),
        len(result.bank.tips),
        len(result.bank.topics),
    )
    return result.bank
