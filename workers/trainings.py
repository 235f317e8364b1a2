"""Training notices and reminders: one SMS per villager, written in batches.

A new session's notice goes to who `smsgateway.training.sessions.notice_recipients` picks; the
reminder, scheduled for the day before, reads the roster when it runs, so a villager who
enrolled after the notice is reminded and one who withdrew is not. A cancelled session
sends nothing more.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from smsgateway.config import local_today
from smsgateway.jobcontext import jobline
from smsgateway.messaging import jobpaths
from smsgateway.models import Enrolment, EnrolmentStatus, TrainingSession, TrainingStatus, Villager
from smsgateway.training.sessions import notice_recipients, notice_text, reminder_text

from .alerts import enqueue_batches, write_once


def _open(training: TrainingSession) -> bool:
    return training.status == TrainingStatus.OPEN


def send_training_notices(training_id: int) -> int:
    """Find who hears of the new session and enqueue their batches; returns how many."""
    svc = jobline()
    with svc.sessions.begin() as db:
        training = db.get(TrainingSession, training_id)
        if training is None or not _open(training):
            return 0
        chosen = notice_recipients(db, training)
        enqueue_batches(db, jobpaths.SEND_TRAINING_NOTICE_BATCH, training_id, chosen,
                        svc.settings["ALERT_BATCH_SIZE"], "training-notices")
    return len(chosen)


def send_training_notice_batch(training_id: int, villager_ids: list[int]) -> int:
    """Write the notice to each villager of the batch (none twice, even when it reruns)."""
    svc = jobline()
    today = local_today(svc.settings)
    with svc.sessions.begin() as db:
        training = db.get(TrainingSession, training_id)
        if training is None or not _open(training):
            return 0
        villagers = list(db.scalars(select(Villager).where(Villager.id.in_(villager_ids))
                                    .options(selectinload(Villager.contact))))
        return write_once(db, f"training:{training_id}", villagers,
                          lambda language: notice_text(training, language, today),
                          svc.settings["DEFAULT_LANGUAGE"], svc.settings["SMS_PROVIDER"])


def send_training_reminder(training_id: int) -> int:
    """Remind everyone enrolled now (not those who withdrew); nothing for a cancelled one."""
    svc = jobline()
    today = local_today(svc.settings)
    with svc.sessions.begin() as db:
        training = db.get(TrainingSession, training_id)
        if training is None or not _open(training):
            return 0
        villagers = list(db.scalars(
            select(Villager).join(Enrolment, Enrolment.villager_id == Villager.id)
            .where(Enrolment.session_id == training_id,
                   Enrolment.status == EnrolmentStatus.ENROLLED)
            .options(selectinload(Villager.contact)).order_by(Villager.id)))
        return write_once(db, f"training-reminder:{training_id}", villagers,
                          lambda language: reminder_text(training, language, today),
                          svc.settings["DEFAULT_LANGUAGE"], svc.settings["SMS_PROVIDER"])
