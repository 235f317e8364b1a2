"""Recruitment days: the invitations (fanned out in batches like job alerts) and the
reminders' periodic job (due reminders are rows in the database: see
`smsgateway.postings.recruitment_days`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from smsgateway.config import local_today
from smsgateway.db import utcnow
from smsgateway.jobcontext import jobline
from smsgateway.messaging import jobpaths
from smsgateway.models import Posting, RecruitmentDay, RecruitmentDayStatus, Villager
from smsgateway.postings import recruitment_days
from smsgateway.postings.core import Seeker, alert_audience, open_to

from .alerts import enqueue_batches
from .periodic import run_then_reschedule


def send_invitations(day_id: int) -> int:
    """Find the villagers the day's posting is for (the job alerts' audience) and enqueue
    batches of invitations."""
    svc = jobline()
    today = local_today(svc.settings)
    with svc.sessions.begin() as db:
        found = db.get(RecruitmentDay, day_id)
        if found is None or found.status != RecruitmentDayStatus.SCHEDULED:
            return 0
        chosen = alert_audience(db, db.get_one(Posting, found.posting_id), today)
        enqueue_batches(db, jobpaths.SEND_INTERVIEW_INVITATION_BATCH, day_id, chosen,
                        svc.settings["ALERT_BATCH_SIZE"], "interview-invitations")
    return len(chosen)


def send_invitation_batch(day_id: int, villager_ids: list[int]) -> int:
    """Invite each villager of the batch once (a rerun invites nobody twice)."""
    svc = jobline()
    today = local_today(svc.settings)
    with svc.sessions.begin() as db:
        found = db.get_one(RecruitmentDay, day_id)
        villagers = [v for v in db.scalars(select(Villager).where(Villager.id.in_(villager_ids))
                                           .options(selectinload(Villager.contact),
                                                    selectinload(Villager.skills)))
                     if open_to(found.posting, Seeker.of(v), today)]  # filled meanwhile?
        return recruitment_days.invite(db, found, villagers, utcnow(), today,
                                       svc.settings["DEFAULT_LANGUAGE"],
                                       svc.settings["SMS_PROVIDER"])


def remind(now: datetime | None = None) -> int:
    """Send the interview reminders due by `now` (default: now)."""
    svc = jobline()
    with svc.sessions.begin() as db:
        return recruitment_days.run_reminders(db, now or utcnow(), svc.settings)


def remind_and_reschedule() -> int:
    """Run, then schedule the next run."""
    return run_then_reschedule(remind, jobpaths.INTERVIEWS_JOB_ID)
