"""Departure reminders: an RQ scheduled job per offset (see `smsgateway.followup.departures`)."""

from __future__ import annotations

from datetime import datetime

from smsgateway.followup import departures
from smsgateway.jobcontext import jobline
from smsgateway.models import Departure


def send_reminder(departure_id: int, leaves_at: str, offset: str) -> int:
    """Remind the roster, if the departure still leaves at the time this was scheduled for
    (`leaves_at`, ISO): a reminder of a moved or cancelled departure sends nothing."""
    svc = jobline()
    with svc.sessions.begin() as db:
        departure = db.get(Departure, departure_id, with_for_update=True)
        if departure is None:
            return 0
        return departures.send_reminder(db, departure, datetime.fromisoformat(leaves_at),
                                        svc.settings)
