"""Recruitment days: an officer schedules a day of interviews for a posting at a township;
the villagers the posting fits are invited by SMS, book a slot with a digit, are reminded
the day before, and the agency records each interview's outcome.

Invitations go to the job alerts' audience (`core.alert_audience`), each once (an
`Interview` row per villager and day). A booking takes a place in its slot with a guarded
update (`taken < places`), so a slot is never overbooked, also when bookings race; it also
records the villager's application to the posting (made now when there is none), which the
outcome shortlists or rejects through `applications.decide`, as the agency's decisions always
do (the villager is told by SMS).

Reminders are due in the database (`Interview.remind_at`: `INTERVIEW_REMINDER_HOUR` local
time the day before, or at once when the booking comes later) and sent by a periodic job
(`run_reminders`), never in the quiet hours: a lost Redis or a stopped worker delays them,
but cannot lose them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from menus import types as m
from menus.jobtext import day as day_text

from ..kernel.errors import Refused
from ..kernel.lifecycle import Lifecycle, rows_changed
from ..kernel.names import pinyin_name
from ..kernel.quiet import in_quiet_hours, landing_time
from ..messaging import jobpaths
from ..messaging.outbox import add_message, enqueue_after_commit
from ..models import (
    Application,
    ApplicationStatus,
    Area,
    Contact,
    Interview,
    InterviewSlot,
    InterviewStatus,
    Posting,
    PostingStatus,
    RecruitmentDay,
    RecruitmentDayStatus,
    Villager,
)
from ..templates import Templated, templated
from . import applications
from .core import title_in

S = InterviewStatus
OPEN = (S.INVITED, S.CHOOSING, S.BOOKED)  # an invitation a digit may still answer
OUTCOMES = {"shortlisted": S.SHORTLISTED, "rejected": S.REJECTED, "no_show": S.NO_SHOW}
LIFECYCLE = Lifecycle.of({
    S.CHOOSING: (S.INVITED, S.CHOOSING),
    S.BOOKED: (S.INVITED, S.CHOOSING),
    S.SHORTLISTED: (S.BOOKED,),
    S.REJECTED: (S.BOOKED,),
    S.NO_SHOW: (S.BOOKED,),
})


def invitations_job_id(day_id: int) -> str:
    """The one id of the job that finds who is invited to a day."""
    return f"interview-invitations-{day_id}"


# Scheduling.


def schedule(session: Session, posting: Posting, township: Area, place: str, day: date,
             slots: Sequence[tuple[str, int]], created_by_id: int | None,
             today: date) -> RecruitmentDay:
    """A new day for a published posting, its slots numbered 1.. in time order; Refused
    (422) for a day in the past or a posting that is not published."""
    if posting.status != PostingStatus.PUBLISHED:
        raise Refused(f"the posting is {posting.status.value}, not published",
                      field="posting_id", status=422)
    if day <= today:
        raise Refused("the day must be after today (invitations and reminders need time)",
                      field="day", status=422)
    recruitment_day = RecruitmentDay(posting_id=posting.id, township_id=township.id,
                                     place=place, day=day, created_by_id=created_by_id)
    session.add(recruitment_day)
    session.flush()
    for number, (starts, places) in enumerate(sorted(slots), 1):
        session.add(InterviewSlot(day_id=recruitment_day.id, number=number, starts=starts,
                                  places=places))
    session.flush()
    session.refresh(recruitment_day)
    return recruitment_day


# Invitations.


def place_in(recruitment_day: RecruitmentDay, language: str) -> str:
    """The day's place as a villager reads it: typed by an officer, in Chinese; English
    readers get it in pinyin, so their SMS stays GSM-7."""
    return recruitment_day.place if language == "zh" else pinyin_name(recruitment_day.place)


def invitation_text(recruitment_day: RecruitmentDay, language: str, today: date) -> Templated:
    """The SMS that invites a villager: the job, the place, the date; reply 1 to book."""
    return templated(language, "sms_interview_invite",
                     title=title_in(recruitment_day.posting, language),
                     place=place_in(recruitment_day, language),
                     date=day_text(recruitment_day.day, today, language))


def invite(session: Session, recruitment_day: RecruitmentDay, villagers: Sequence[Villager],
           now: datetime, today: date, default_language: str, channel: str) -> int:
    """Invite each villager not invited to this day yet (a rerun batch invites nobody
    twice); returns how many were invited."""
    if recruitment_day.status != RecruitmentDayStatus.SCHEDULED or recruitment_day.day <= today:
        return 0
    done = set(session.scalars(select(Interview.villager_id).where(
        Interview.day_id == recruitment_day.id,
        Interview.villager_id.in_([v.id for v in villagers]))))
    invited, written = 0, []
    for villager in villagers:
        if villager.id in done:
            continue
        session.add(Interview(day_id=recruitment_day.id, villager_id=villager.id, asked_at=now))
        language = villager.contact.language or default_language
        message = add_message(session, villager.contact,
                              invitation_text(recruitment_day, language, today),
                              kind=f"interview-invite:{recruitment_day.id}", channel=channel,
                              enqueue=False)
        if message is not None:
            written.append(message.id)
        invited += 1
    session.flush()
    if written:  # one batch job after commit, as job alerts (not a work-horse per villager)
        enqueue_after_commit(session, jobpaths.SEND_BATCH, written)
    return invited


# What the villager's conversation sees, and does.


def open_for(session: Session, villager_id: int, today: date) -> Interview | None:
    """The villager's latest invitation, to a scheduled day from today on, that is open."""
    return session.scalars(
        select(Interview).join(RecruitmentDay, RecruitmentDay.id == Interview.day_id)
        .where(Interview.villager_id == villager_id, Interview.status.in_(OPEN),
               RecruitmentDay.status == RecruitmentDayStatus.SCHEDULED,
               RecruitmentDay.day >= today)
        .options(joinedload(Interview.recruitment_day).joinedload(RecruitmentDay.posting))
        .order_by(Interview.asked_at.desc(), Interview.id.desc())).first()


def as_seen(interview: Interview) -> m.OpenInterview:
    """An invitation as the conversation sees it."""
    recruitment_day = interview.recruitment_day
    posting = recruitment_day.posting
    booked = interview.slot.number if interview.slot is not None else None
    return m.OpenInterview(
        interview.id, interview.asked_at, interview.status.value,
        m.Option(str(posting.id), posting.title_zh, posting.title_en), recruitment_day.day,
        recruitment_day.place,
        tuple(m.InterviewSlot(s.number, s.starts, max(s.places - s.taken, 0))
              for s in recruitment_day.slots), booked, place_in(recruitment_day, "en"))


def ask_slots(session: Session, interview: Interview, now: datetime) -> None:
    """The free times were sent: the invitation now waits for a slot's number."""
    LIFECYCLE.move(session, Interview, interview.id, S.CHOOSING, asked_at=now)


def remind_at(recruitment_day: RecruitmentDay, now: datetime,
              settings: Mapping[str, Any]) -> datetime | None:
    """When a booking made `now` is reminded: `INTERVIEW_REMINDER_HOUR` local time the day
    before, out of the quiet hours; at once when that has passed; never on the day itself."""
    zone = ZoneInfo(settings["TIMEZONE"])
    if now.astimezone(zone).date() >= recruitment_day.day:
        return None
    at = datetime.combine(recruitment_day.day - timedelta(days=1),
                          time(int(settings["INTERVIEW_REMINDER_HOUR"])), zone).astimezone(UTC)
    return landing_time(max(at, now), settings["QUIET_HOURS"], settings["TIMEZONE"])


def _take_place(session: Session, slot_id: int) -> bool:
    """One place of the slot, never above its places (a guarded counter update)."""
    return bool(rows_changed(session.execute(
        update(InterviewSlot).where(InterviewSlot.id == slot_id,
                                    InterviewSlot.taken < InterviewSlot.places)
        .values(taken=InterviewSlot.taken + 1).execution_options(synchronize_session=False))))


def _application(session: Session, villager: Villager, posting: Posting, via: str,
                 today: date) -> Application:
    """The villager's application to the posting: theirs already, or made now."""
    found = applications.find(session, villager, posting.id)
    if found is not None and found.status != ApplicationStatus.WITHDRAWN:
        return found
    return applications.apply(session, villager, posting, via, today)


def book(session: Session, interview: Interview, number: int, via: str, now: datetime,
         today: date, settings: Mapping[str, Any]) -> Interview:
    """Book slot `number`; Refused("taken") when it has no place left (a booking that raced
    this one took it), Refused("closed") when the invitation is no longer open. The place
    and the move are undone together when either fails."""
    recruitment_day = interview.recruitment_day
    slot = next((s for s in recruitment_day.slots if s.number == number), None)
    if slot is None:
        raise Refused("taken")
    with session.begin_nested():
        if not LIFECYCLE.move(session, Interview, interview.id, S.BOOKED, slot_id=slot.id,
                              booked_at=now, remind_at=remind_at(recruitment_day, now, settings)):
            raise Refused("closed")
        if not _take_place(session, slot.id):
            raise Refused("taken")
        application = _application(session, interview.villager, recruitment_day.posting, via,
                                   today)
        session.execute(update(Interview).where(Interview.id == interview.id)
                        .values(application_id=application.id)
                        .execution_options(synchronize_session=False))
    session.refresh(interview)
    session.refresh(slot)
    return interview


def lost_text(interview: Interview, number: int, language: str) -> Templated:
    """The SMS telling a villager the time they chose went to someone else meanwhile."""
    slot = next((s for s in interview.recruitment_day.slots if s.number == number), None)
    return templated(language, "sms_interview_lost", time=slot.starts if slot else str(number))


# Reminders, by the periodic job.


def reminder_text(interview: Interview, language: str) -> Templated:
    """The reminder the day before: the job, the time, the place."""
    assert interview.slot is not None
    return templated(language, "sms_interview_reminder",
                     title=title_in(interview.recruitment_day.posting, language),
                     time=interview.slot.starts,
                     place=place_in(interview.recruitment_day, language))


def run_reminders(session: Session, now: datetime, settings: Mapping[str, Any]) -> int:
    """Send every reminder due by `now` (none in the quiet hours: the next run after them
    sends it), each once; returns how many were written."""
    if in_quiet_hours(now, settings["QUIET_HOURS"], settings["TIMEZONE"]):
        return 0
    today = now.astimezone(ZoneInfo(settings["TIMEZONE"])).date()
    due = session.scalars(
        select(Interview).join(RecruitmentDay, RecruitmentDay.id == Interview.day_id)
        .where(Interview.remind_at <= now, Interview.reminded_at.is_(None),
               Interview.status == S.BOOKED,
               RecruitmentDay.status == RecruitmentDayStatus.SCHEDULED,
               RecruitmentDay.day >= today)
        .options(joinedload(Interview.villager).joinedload(Villager.contact),
                 joinedload(Interview.slot))
        .order_by(Interview.id).with_for_update(of=Interview)).unique().all()
    for interview in due:
        contact: Contact = interview.villager.contact
        language = contact.language or settings["DEFAULT_LANGUAGE"]
        add_message(session, contact, reminder_text(interview, language),
                    kind=f"interview-reminder:{interview.day_id}",
                    channel=settings["SMS_PROVIDER"])
        interview.reminded_at = now
    session.flush()
    return len(due)


# Cancelling a day.


def cancelled_text(recruitment_day: RecruitmentDay, language: str, today: date) -> Templated:
    """The SMS telling a villager who answered the invitation that the day is cancelled."""
    return templated(language, "sms_interview_cancelled",
                     title=title_in(recruitment_day.posting, language),
                     place=place_in(recruitment_day, language),
                     date=day_text(recruitment_day.day, today, language))


def cancel(session: Session, recruitment_day: RecruitmentDay, reason: str, now: datetime,
           today: date, default_language: str, channel: str) -> int:
    """Cancel a scheduled day that has not passed, with the officer's reason; returns how
    many villagers were told.

    Every open invitation is closed (so no digit books it, no reminder goes, no outcome is
    recorded). Those who answered it (choosing a time, or booked) are told by SMS; those
    who never answered are not sent anything more. Each step is a guarded UPDATE: a second
    cancel, or one racing this, is Refused (409) and changes nothing; a booking racing it
    either lands first, and is told, or finds its invitation closed.
    """
    if recruitment_day.day < today:
        raise Refused(f"the day ({recruitment_day.day}) has passed: it cannot be cancelled")
    if not rows_changed(session.execute(
            update(RecruitmentDay).where(RecruitmentDay.id == recruitment_day.id,
                                         RecruitmentDay.status == RecruitmentDayStatus.SCHEDULED)
            .values(status=RecruitmentDayStatus.CANCELLED, cancelled_at=now,
                    cancel_reason=reason).execution_options(synchronize_session=False))):
        raise Refused("the day is already cancelled")
    session.execute(update(Interview).where(Interview.day_id == recruitment_day.id,
                                            Interview.status == S.INVITED)
                    .values(status=S.CANCELLED).execution_options(synchronize_session=False))
    answered = list(session.scalars(
        update(Interview).where(Interview.day_id == recruitment_day.id,
                                Interview.status.in_((S.CHOOSING, S.BOOKED)))
        .values(status=S.CANCELLED).returning(Interview.villager_id)
        .execution_options(synchronize_session=False)))
    session.refresh(recruitment_day)
    for villager in session.scalars(select(Villager).where(Villager.id.in_(answered))
                                    .options(joinedload(Villager.contact))
                                    .order_by(Villager.id)):
        language = villager.contact.language or default_language
        add_message(session, villager.contact, cancelled_text(recruitment_day, language, today),
                    kind=f"interview-cancelled:{recruitment_day.id}", channel=channel)
    return len(answered)


# The agency's outcome.


def record_outcome(session: Session, interview: Interview, outcome: str, reason: str | None,
                   channel: str, today: date, default_language: str) -> Interview:
    """Shortlisted or rejected moves the application as an agency's decision does (the
    villager is told by SMS); no_show only records it. Only a booked interview has one."""
    target = OUTCOMES[outcome]
    if outcome == "rejected" and not (reason or "").strip():
        raise Refused("a rejection needs a reason", field="reason", status=422)
    if interview.recruitment_day.day > today:
        raise Refused(f"the interviews are on {interview.recruitment_day.day}: outcomes are "
                      "recorded from that day")
    if not LIFECYCLE.move(session, Interview, interview.id, target,
                          reason=(reason or "").strip() or None, outcome_at=datetime.now(UTC)):
        raise Refused(f"an interview that is {interview.status.value} has no outcome to "
                      "record (only a booked one)")
    application = interview.application
    if application is not None and outcome != "no_show":
        action = "shortlist" if outcome == "shortlisted" else "reject"
        if action == "reject" or application.status == ApplicationStatus.INTERESTED:
            applications.decide(session, application, action, reason, channel, today,
                                default_language)
    session.refresh(interview)
    return interview
