"""The optional LLM grader against a loopback chat-completions server: contract and fallback."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable

import pytest
from aiohttp import web

from bot.grading import Grade
from bot.grading.llm import LLMGrader
from question_bank import load_bank

QUESTION = load_bank().get("alg-l1-vs-l2")
IDS = [kp.id for kp in QUESTION.key_points]


class StubOffline:
    """The fallback: records that it was used."""

    def __init__(self) -> None:
        self.calls = 0

    async def grade(self, question, answer):  # type: ignore[no-untyped-def]
        self.calls += 1
        return Grade(42, (), tuple(IDS), dont_know=answer.strip().lower() == "idk")


Handler = Callable[[web.Request], "asyncio.Future[web.StreamResponse]"]


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[dict], list]]:  # type: ignore[type-arg]
    """A loopback server whose reply each test sets; returns (base url, requests, replies)."""
    requests: list[dict] = []  # type: ignore[type-arg]
    replies: list = []  # type: ignore[type-arg]
    never = asyncio.Event()

    async def completions(request: web.Request) -> web.StreamResponse:
        requests.append(
            {"body": await request.json(), "auth": request.headers.get("Authorization")}
        )
        reply = replies.pop(0)
        if reply == "hang":
            await never.wait()
        if isinstance(reply, int):
            return web.Response(status=reply, text="upstream trouble")
        content = reply if isinstance(reply, str) else json.dumps(reply)
        return web.json_response({"choices": [{"message": {"content": content}}]})

    app = web.Application()
    app.router.add_post("/v1/chat/completions", completions)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/v1", requests, replies
    finally:
        never.set()
        await runner.cleanup()


def _grader(url: str, offline: StubOffline, timeout: float = 5.0) -> LLMGrader:
    return LLMGrader(url, "test-model", offline, api_key="sk-test", timeout_seconds=timeout)


async def test_a_valid_reply_becomes_the_grade(server) -> None:  # type: ignore[no-untyped-def]
    url, requests, replies = server
    replies.append(
        {
            "score": 81,
            "covered": IDS[:2],
            "evidence": {IDS[0]: "adds a penalty"},
            "wrong_claims": [],
            "feedback": "Solid; say more about elastic net.",
        }
    )
    offline = StubOffline()
    grade = await _grader(url, offline).grade(QUESTION, "Both add a penalty ...")
    assert grade.grader == "llm" and grade.score == 81
    assert grade.covered == tuple(IDS[:2]) and set(grade.missed) == set(IDS[2:])
    body = requests[0]["body"]
    assert body["model"] == "test-model" and body["response_format"] == {"type": "json_object"}
    assert requests[0]["auth"] == "Bearer sk-test"
    rubric = json.loads(body["messages"][1]["content"])["rubric"]
    assert [kp["id"] for kp in rubric["key_points"]] == IDS


@pytest.mark.parametrize(
    "reply",
    [
        "this is not json",
        {"score": 130, "covered": []},
        {"score": 50, "covered": ["made-up-point"]},
        {"score": "high", "covered": []},
        500,
        429,
    ],
    ids=["not-json", "score-range", "unknown-point", "score-type", "http-500", "http-429"],
)
async def test_a_broken_reply_falls_back_to_the_offline_grade(server, reply) -> None:  # type: ignore[no-untyped-def]
    url, _, replies = server
    replies.append(reply)
    offline = StubOffline()
    grade = await _grader(url, offline).grade(QUESTION, "some answer")
    assert grade.grader == "offline" and grade.score == 42


async def test_a_slow_model_times_out_to_the_offline_grade(server) -> None:  # type: ignore[no-untyped-def]
    url, _, replies = server
    replies.append("hang")
    grade = await _grader(url, StubOffline(), timeout=0.2).grade(QUESTION, "some answer")
    assert grade.grader == "offline"


async def test_dont_know_never_reaches_the_model(server) -> None:  # type: ignore[no-untyped-def]
    url, requests, _ = server
    grade = await _grader(url, StubOffline()).grade(QUESTION, "idk")
    assert grade.dont_know and requests == []


async def test_an_unreachable_endpoint_falls_back() -> None:
    grade = await _grader("http://127.0.0.1:1/v1", StubOffline()).grade(QUESTION, "answer")
    assert grade.grader == "offline"
