"""Job alerts: when a posting is published, one SMS to each villager it fits, in batches."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from menus.texts import t
from smsgateway import jobpaths
from smsgateway.config import local_today
from smsgateway.jobcontext import jobline
from smsgateway.models import Contact, Message, Posting, PostingStatus, Villager
from smsgateway.outbox import add_message, enqueue_after_commit
from smsgateway.postings import Seeker, area_ids_under, open_to, title_in


def _fits_skills(posting: Posting, villager: Villager) -> bool:
    """The villager has the trade or a skill asked for; a posting asking none fits anyone."""
    skills = {s.skill_code for s in villager.skills}
    required = set(posting.skills_required or [])
    return not required or posting.trade in skills or bool(skills & required)


def send_job_alerts(posting_id: int) -> int:
    """Find who the posting fits (area, sex, age, skills; opted in) and enqueue batches."""
    svc = jobline()
    today = local_today(svc.settings)
    size = svc.settings["ALERT_BATCH_SIZE"]
    with svc.sessions.begin() as db:
        posting = db.get(Posting, posting_id)
        if posting is None or posting.status != PostingStatus.PUBLISHED:
            return 0
        query = (select(Villager).join(Contact, Villager.contact_id == Contact.id)
                 .where(Villager.township_id.in_(area_ids_under(db, posting.area_id)),
                        Villager.sms_consent.is_(True), Contact.opted_out.is_(False))
                 .options(selectinload(Villager.skills)).order_by(Villager.id))
        chosen = [v.id for v in db.scalars(query)
                  if open_to(posting, Seeker.of(v), today) and _fits_skills(posting, v)]
        for start in range(0, len(chosen), size):
            batch = chosen[start:start + size]
            enqueue_after_commit(db, jobpaths.SEND_JOB_ALERT_BATCH, posting_id, batch,
                                 queue="default",
                                 job_id=f"job-alerts-{posting_id}-{start // size}")
    return len(chosen)


def send_job_alert_batch(posting_id: int, villager_ids: list[int]) -> int:
    """Write one alert per villager of the batch (none twice, even when the batch reruns)."""
    svc = jobline()
    kind = f"alert:{posting_id}"
    today = local_today(svc.settings)
    with svc.sessions.begin() as db:
        posting = db.get_one(Posting, posting_id)
        villagers = [v for v in db.scalars(select(Villager).where(Villager.id.in_(villager_ids))
                                           .options(selectinload(Villager.contact)))
                     if open_to(posting, Seeker.of(v), today)]  # closed or filled meanwhile?
        done = set(db.scalars(select(Message.contact_id).where(
            Message.kind == kind, Message.contact_id.in_([v.contact_id for v in villagers]))))
        written = 0
        for villager in villagers:
            if villager.contact_id in done:
                continue
            language = villager.contact.language or svc.settings["DEFAULT_LANGUAGE"]
            text = t(language, "sms_job_alert", title=title_in(posting, language),
                     place=posting.destination_city, wage_min=posting.wage_min,
                     wage_max=posting.wage_max, code=posting.verification_code, job=posting.id)
            written += add_message(db, villager.contact, text, kind=kind,
                                   channel=svc.settings["SMS_PROVIDER"]) is not None
    return written
