"""The monthly pay check: "Were you paid for <month>? 1 in full 2 part 3 not at all".

On a day after the posting's pay day (`Posting.pay_day`, clamped to the month's last day),
each working member (departed, not come home) who left before that month began is asked
about the month before it: pay day 10 in November asks about October, from 11 November.
One periodic job (`workers.paychecks.run(now)`, kept scheduled like the check-in job) asks
the latest due month once (a month it missed is not asked late) and sends nothing in the
quiet hours. One `PayCheck` row per (application, period): the unique constraint makes a
second run, or a run on another worker at the same moment, ask nobody twice (its insert
fails in a savepoint and the outbox row is never written).

An unanswered check is reminded once after PAY_CHECK_REMINDER_DAYS, then left (the
figures count it as unanswered). 2 (part) or 3 (not at all) opens a wage case
(category wages_unpaid, via `paycheck`, linked to the placement, its posting, agency and
employer) and asks the amount missing; the amount is kept on the check and noted on the
case. `wage_cases` gives what a wage-arrears complaint needs, for the officers' CSV.
"""

from __future__ import annotations

import calendar
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from menus import types as m
from menus.paychecks import month_text

from ..kernel import csvsafe
from ..kernel.quiet import in_quiet_hours
from ..messaging.outbox import add_message
from ..models import (
    Application,
    ApplicationStatus,
    Case,
    CaseCategory,
    CaseEvent,
    Contact,
    PayAnswer,
    PayCheck,
    Posting,
    Villager,
)
from ..templates import templated
from .cases import open_case

KIND = "paycheck"


def period_of(day: date) -> str:
    """The "YYYY-MM" of a date's month."""
    return f"{day.year:04d}-{day.month:02d}"


def _month_before(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def due_period(today: date, pay_day: int) -> tuple[str, date]:
    """The latest month whose pay day is behind `today` (local), and the first day of the
    month its wages were paid in: pay day 10 on 11 Nov → ("2026-10", 1 Nov); on 10 Nov
    (the pay day itself) → ("2026-09", 1 Oct). A pay day past the month's end is its last."""
    first = today.replace(day=1)
    pay_date = min(pay_day, calendar.monthrange(today.year, today.month)[1])
    paid_in = first if today.day > pay_date else _month_before(first)
    return period_of(_month_before(paid_in)), paid_in


def _local_midnight(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(timezone)).astimezone(UTC)


def _ask(session: Session, now: datetime, settings: Mapping[str, Any]) -> int:
    """Ask every working member whose latest due month was not asked yet."""
    zone = settings["TIMEZONE"]
    today = now.astimezone(ZoneInfo(zone)).date()
    asked = 0
    for pay_day in session.scalars(select(Posting.pay_day).distinct()
                                   .where(Posting.pay_day.is_not(None))).all():
        assert pay_day is not None
        period, paid_in = due_period(today, pay_day)
        already = exists().where(PayCheck.application_id == Application.id,
                                 PayCheck.period == period)
        rows = session.scalars(
            select(Application).join(Posting, Posting.id == Application.posting_id)
            .join(Villager, Villager.id == Application.villager_id)
            .join(Contact, Contact.id == Villager.contact_id)
            .where(Posting.pay_day == pay_day, Application.status == ApplicationStatus.DEPARTED,
                   Application.departed_at < _local_midnight(paid_in, zone),
                   Application.returned_at.is_(None), Contact.opted_out.is_(False), ~already)
            .options(joinedload(Application.villager).joinedload(Villager.contact))
            .order_by(Application.id)).all()
        for application in rows:
            try:  # another run may insert the same row now: then it asks, this one does not
                with session.begin_nested():
                    session.add(PayCheck(application_id=application.id, period=period,
                                         township_id=application.township_id, asked_at=now))
            except IntegrityError:
                continue
            _send(session, application.villager.contact, "sms_pay_check", period, settings)
            asked += 1
    return asked


def _send(session: Session, contact: Contact, key: str, period: str,
          settings: Mapping[str, Any]) -> None:
    lang = contact.language or settings["DEFAULT_LANGUAGE"]
    add_message(session, contact, templated(lang, key, month=month_text(period, lang)),
                kind=KIND, channel=settings["SMS_PROVIDER"])


def _remind(session: Session, now: datetime, settings: Mapping[str, Any]) -> int:
    """Remind, once, the checks unanswered for PAY_CHECK_REMINDER_DAYS."""
    before = now - timedelta(days=settings["PAY_CHECK_REMINDER_DAYS"])
    checks = session.scalars(
        select(PayCheck).join(Application, Application.id == PayCheck.application_id)
        .where(PayCheck.answer.is_(None), PayCheck.reminded_at.is_(None),
               PayCheck.asked_at <= before, Application.returned_at.is_(None))
        .options(joinedload(PayCheck.application).joinedload(Application.villager)
                 .joinedload(Villager.contact))
        .order_by(PayCheck.id).with_for_update(of=PayCheck, skip_locked=True)).all()
    for check in checks:
        check.reminded_at = now
        _send(session, check.application.villager.contact, "sms_pay_check_reminder",
              check.period, settings)
    return len(checks)


def run(session: Session, now: datetime, settings: Mapping[str, Any]) -> dict[str, int]:
    """Everything due at `now`: questions and reminders, none in the quiet hours."""
    if in_quiet_hours(now, settings["QUIET_HOURS"], settings["TIMEZONE"]):
        return {"asked": 0, "reminded": 0}
    reminded = _remind(session, now, settings)
    asked = _ask(session, now, settings)
    session.flush()
    return {"asked": asked, "reminded": reminded}


# --- The worker's answers --------------------------------------------------------------------


def open_for(session: Session, villager_id: int) -> PayCheck | None:
    """The villager's latest pay check of a placement they have not come home from."""
    return session.scalars(
        select(PayCheck).join(Application, Application.id == PayCheck.application_id)
        .where(Application.villager_id == villager_id, Application.returned_at.is_(None))
        .order_by(PayCheck.asked_at.desc(), PayCheck.id.desc())).first()


def open_question(check: PayCheck) -> m.OpenPayCheck:
    """The conversation's view of a pay check."""
    awaiting = check.answer in (PayAnswer.PART, PayAnswer.NONE) and check.missing_amount is None
    asked_at = check.answered_at if awaiting and check.answered_at else check.asked_at
    return m.OpenPayCheck(check.id, check.period, asked_at,
                          check.answer.value if check.answer else None, awaiting, check.case_id)


def _mine(session: Session, villager: Villager, pay_check_id: int) -> PayCheck | None:
    check = session.get(PayCheck, pay_check_id, with_for_update=True)
    if check is None or check.application.villager_id != villager.id:
        return None
    return check


def answer(session: Session, villager: Villager, pay_check_id: int, said: str, channel: str,
           now: datetime) -> PayCheck | None:
    """Record full, part or none once (a repeat changes nothing); part or none opens the
    wage case, whose number reaches the worker by SMS (`open_case`)."""
    check = _mine(session, villager, pay_check_id)
    if check is None or check.answer is not None:
        return None
    check.answer, check.answered_at = PayAnswer(said), now
    if check.answer != PayAnswer.FULL:
        words = "paid in part" if check.answer == PayAnswer.PART else "not paid at all"
        case = open_case(session, villager, CaseCategory.WAGES_UNPAID,
                         f"Pay check {check.period}: {words}. Amount missing: not given yet.",
                         anonymous=False, via="paycheck", channel=channel,
                         application=check.application)
        check.case_id = case.id
    session.flush()
    return check


def record_amount(session: Session, villager: Villager, pay_check_id: int, amount: int,
                  now: datetime) -> PayCheck | None:
    """Keep the amount missing on the check and note it on its wage case (once)."""
    check = _mine(session, villager, pay_check_id)
    if check is None or check.answer in (None, PayAnswer.FULL) \
            or check.missing_amount is not None:
        return None
    check.missing_amount = amount
    case = session.get(Case, check.case_id) if check.case_id else None
    if case is not None:
        case.description = case.description.replace("not given yet", f"{amount} yuan")
        session.add(CaseEvent(case_id=case.id, at=now, action="note",
                              note=f"amount missing: {amount} yuan"))
    session.flush()
    return check


def carry_out(session: Session, contact: Contact, effect: m.AnswerPayCheck | m.PayCheckAmount,
              channel: str, now: datetime) -> None:
    """A worker's answer to a pay check, or the amount missing."""
    villager = contact.villager
    if villager is None:
        return
    if isinstance(effect, m.AnswerPayCheck):
        answer(session, villager, effect.pay_check_id, effect.answer, channel, now)
    else:
        record_amount(session, villager, effect.pay_check_id, effect.amount, now)


# --- Wage cases for the labour inspection's complaint channel ---------------------------------


@dataclass(frozen=True)
class WageCase:
    """One wage-arrears complaint: what the labour inspection's channel asks for."""

    case: int
    status: str
    opened_at: str
    period: str
    worker: str
    worker_phone: str
    township: str
    employer: str
    employer_address: str
    employer_city: str
    employer_contact: str
    amount_agreed_min: int
    amount_agreed_max: int
    amount_missing: int | None
    agency: str
    agency_licence: str
    posting: int


WAGE_CASE_COLUMNS = tuple(WageCase.__dataclass_fields__)


def wage_cases(session: Session, seen: ColumnElement[bool], period: str | None = None,
               timezone: str = "Asia/Shanghai") -> list[WageCase]:
    """The wage cases opened by pay checks among the cases `seen` (an `access` rule), oldest
    first, optionally of one period."""
    query = (select(PayCheck, Case).join(Case, Case.id == PayCheck.case_id)
             .where(seen, Case.category == CaseCategory.WAGES_UNPAID)
             .options(joinedload(Case.villager).joinedload(Villager.contact),
                      joinedload(Case.villager).joinedload(Villager.township),
                      joinedload(Case.employer), joinedload(Case.agency),
                      joinedload(Case.posting))
             .order_by(Case.id))
    if period:
        query = query.where(PayCheck.period == period)
    zone = ZoneInfo(timezone)
    found = []
    for check, case in session.execute(query).all():
        employer, agency, posting, villager = case.employer, case.agency, case.posting, \
            case.villager
        assert employer is not None and agency is not None and posting is not None
        found.append(WageCase(
            case=case.id, status=case.status.value,
            opened_at=case.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            period=check.period, worker=villager.name, worker_phone=villager.contact.phone,
            township=villager.township.name_zh, employer=employer.name,
            employer_address=employer.address or "", employer_city=employer.city,
            employer_contact=employer.contact or "",
            amount_agreed_min=posting.wage_min, amount_agreed_max=posting.wage_max,
            amount_missing=check.missing_amount, agency=agency.name,
            agency_licence=agency.licence_number, posting=posting.id))
    return found


def wage_cases_csv(rows: list[WageCase]) -> str:
    """The wage cases as CSV (through `kernel.csvsafe`, as every CSV Jobline writes)."""
    out = io.StringIO()
    writer = csvsafe.writer(out)
    writer.writerow(WAGE_CASE_COLUMNS)
    for row in rows:
        writer.writerow(getattr(row, column) for column in WAGE_CASE_COLUMNS)
    return out.getvalue()
