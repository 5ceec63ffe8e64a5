"""Timed jobs are registered by importable reference and call the engine."""

from __future__ import annotations

from apscheduler.triggers.interval import IntervalTrigger

from scheduler.runner import IDLE_SWEEP_SECONDS, build_scheduler


class FakeInterviews:
    def __init__(self) -> None:
        self.calls = 0

    async def pause_idle(self) -> int:
        self.calls += 1
        return 2


class FakeEngine:
    def __init__(self) -> None:
        self.interviews = FakeInterviews()


async def test_idle_sweep_is_registered_by_reference_and_pauses_through_the_engine() -> None:
    engine = FakeEngine()
    scheduler = build_scheduler(engine)  # type: ignore[arg-type]
    job = scheduler.get_job("pause-idle-interviews")
    assert job is not None
    assert job.func_ref == "scheduler.jobs:pause_idle_interviews"
    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval.total_seconds() == IDLE_SWEEP_SECONDS
    assert await job.func(*job.args) == 2 and engine.interviews.calls == 1
