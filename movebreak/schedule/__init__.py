"""Turning the core's "wake me at T" into a real timer (APScheduler)."""
