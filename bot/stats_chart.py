"""The `/interview-stats` chart: 30 days of activity and mean score per topic, as a PNG."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date


def render_stats_chart(
    days: Sequence[tuple[date, int]],
    topics: Sequence[tuple[str, int, float]],
    title: str,
    activity_title: str = "Answers per day, last 30 days",
) -> bytes:
    """A PNG with answers per day (left) and mean score per topic (right).

    Draws with matplotlib's Agg canvas directly (no pyplot, no display, no global state), so
    it is safe in a server; matplotlib is imported here because it is slow to import and only
    this command needs it.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 4), dpi=100)
    FigureCanvasAgg(figure)
    activity, scores = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    activity.bar(range(len(days)), [count for _, count in days], color="#4C78A8")
    ticks = list(range(0, len(days), 7 if len(days) > 10 else 1))
    activity.set_xticks(ticks, [f"{days[i][0]:%d %b}" for i in ticks])
    activity.set_title(activity_title)
    activity.set_ylabel("answers")
    activity.yaxis.get_major_locator().set_params(integer=True)
    if topics:
        names = [f"{name} ({count})" for name, count, _ in topics]
        scores.barh(names, [mean for _, _, mean in topics], height=0.6, color="#F58518")
        scores.invert_yaxis()
    else:
        scores.text(0.5, 0.5, "no answers yet", ha="center", va="center")
        scores.set_yticks([])
    scores.set_xlim(0, 100)
    scores.set_title("Mean score by topic (answers)")
    # A dollar sign would switch matplotlib into math mode; names are untrusted text.
    figure.suptitle(title.replace("$", r"\$"))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
