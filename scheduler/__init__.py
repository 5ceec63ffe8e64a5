"""Timed jobs that call the engine: daily posts, reveals, recaps, reminders."""
