"""The import rules from DESIGN.md: the engine never reaches into adapters or platforms."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _files(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


def _top(name: str) -> str:
    return name.split(".")[0]


def _violations(files: list[Path], forbidden: set[str], allowed_in: tuple[str, ...] = ()) -> list:
    bad = []
    for path in files:
        rel = path.relative_to(REPO).as_posix()
        if any(rel.startswith(prefix) for prefix in allowed_in):
            continue
        bad += [f"{rel} imports {name}" for name in _imports(path) if _top(name) in forbidden]
    return bad


def test_engine_never_imports_adapters_or_scheduler() -> None:
    assert _violations(_files("bot"), {"adapters", "scheduler"}, ("bot/cli.py",)) == []


def test_question_bank_stands_alone() -> None:
    assert _violations(_files("question_bank"), {"bot", "adapters", "scheduler"}) == []


@pytest.mark.parametrize(
    ("modules", "home"),
    [
        ({"slack_bolt", "slack_sdk"}, "adapters/slack/"),
        ({"discord"}, "adapters/discord/"),
        ({"apscheduler"}, "scheduler/"),
        ({"sqlalchemy", "alembic"}, "bot/storage/"),
    ],
)
def test_third_party_libraries_stay_in_their_home(modules: set[str], home: str) -> None:
    everything = [
        p for pkg in ("bot", "adapters", "scheduler", "question_bank") for p in _files(pkg)
    ]
    assert _violations(everything, modules, (home, "migrations/")) == []


def test_rule_checker_catches_a_violation(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("from adapters.console import render\nimport slack_sdk.web\n")
    assert _imports(sneaky) == {"adapters.console", "slack_sdk.web"}
