"""Quiet hours: the local hours when no message lands that the villager did not just ask for.

`QUIET_HOURS` is `"21-8"` (from 21:00 to 08:00 in `TIMEZONE`), or `""` / `"none"` / `"off"`.
This module is the one place the rule lives: schedulers use it to choose their times, and
the send step (`workers.sending`) enforces it for every message that is not a direct answer
to what a villager just sent, whoever enqueued it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo


def quiet_hours(spec: str) -> tuple[int, int] | None:
    """`"21-8"` → (21, 8); `""`, `"none"`, `"off"` → None; anything else is a ValueError."""
    if spec.strip().lower() in ("", "none", "off"):
        return None
    start, dash, end = spec.partition("-")
    try:
        hours = int(start), int(end)
    except ValueError:
        hours = (-1, -1)
    if not dash or not all(0 <= h <= 23 for h in hours) or hours[0] == hours[1]:
        raise ValueError(f"QUIET_HOURS: {spec!r} is not like 21-8 (local hours) or none")
    return hours


def _quiet(local: datetime, hours: tuple[int, int]) -> bool:
    start, end = hours
    if start > end:  # across midnight
        return start <= local.hour or local.hour < end
    return start <= local.hour < end


def in_quiet_hours(now: datetime, spec: str, zone: str) -> bool:
    """Whether the UTC-aware `now` falls inside the quiet hours."""
    hours = quiet_hours(spec)
    return hours is not None and _quiet(now.astimezone(ZoneInfo(zone)), hours)


def landing_time(now: datetime, spec: str, zone: str) -> datetime:
    """`now`, or the end of the quiet hours when `now` falls inside them (UTC-aware)."""
    hours = quiet_hours(spec)
    if hours is None:
        return now
    local = now.astimezone(ZoneInfo(zone))
    if not _quiet(local, hours):
        return now
    morning = local.replace(hour=hours[1], minute=0, second=0, microsecond=0)
    if morning <= local:
        morning += timedelta(days=1)
    return morning.astimezone(UTC)


def before_quiet_hours(at: datetime, spec: str, zone: str) -> datetime:
    """`at`, or an hour before the quiet hours began when `at` falls inside them."""
    hours = quiet_hours(spec)
    if hours is None:
        return at
    local = at.astimezone(ZoneInfo(zone))
    if not _quiet(local, hours):
        return at
    began = local.replace(hour=hours[0], minute=0, second=0, microsecond=0)
    if began > local:
        began -= timedelta(days=1)
    return (began - timedelta(hours=1)).astimezone(at.tzinfo)


def morning_after(now: datetime, settings: Mapping[str, Any]) -> datetime:
    """`landing_time` under the programme's settings (`QUIET_HOURS`, `TIMEZONE`)."""
    return landing_time(now, settings["QUIET_HOURS"], settings["TIMEZONE"])

