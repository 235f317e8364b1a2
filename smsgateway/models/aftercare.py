"""After arrival: the monthly pay check and the arrival's promise check.

Both are questions put to a departed worker (one row per question asked), answered with
one digit; an answer that reports a problem opens a case (`case_id`). Who the employer and
the agency are comes from the application's posting, so a record is never copied here.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Connection,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy import inspect as inspect_state
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from ..db import Base, enum_column

if TYPE_CHECKING:
    from .postings import Application


def township_of_application(context: Any) -> int | None:
    """The township of the inserted row's application (a column default of the rows that
    copy it: pay checks, check-ins)."""
    application_id = context.get_current_parameters()["application_id"]
    return context.connection.scalar(  # type: ignore[no-any-return]
        text("SELECT township_id FROM applications WHERE id = :id"), {"id": application_id})


class PayAnswer(enum.StrEnum):
    FULL = "full"  # 1: paid in full
    PART = "part"  # 2: paid in part
    NONE = "none"  # 3: not paid at all


class PayCheck(Base):
    """"Were you paid for <month>? 1 in full 2 part 3 not at all", asked once per working
    member and month on a day after the posting's pay day.

    Open while `answer` is None (reminded once, `reminded_at`, then left). PART or NONE
    opens a wage case (category wages_unpaid) and asks the amount missing (yuan), which the
    case then carries: the check waits for it while `missing_amount` is None.
    """

    __tablename__ = "pay_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    # The counted columns (pay_check_totals) load their old value before a change
    # (active_history), so that the totals take away exactly what was counted.
    # period: "2026-10", the month the pay was for.
    period: Mapped[str] = mapped_column(String(7), active_history=True)
    asked_at: Mapped[datetime]
    answer: Mapped[PayAnswer | None] = mapped_column(enum_column(PayAnswer), active_history=True)
    answered_at: Mapped[datetime | None]
    # missing_amount: yuan, when PART or NONE and the worker said.
    missing_amount: Mapped[int | None] = mapped_column(active_history=True)
    reminded_at: Mapped[datetime | None]  # the one reminder of an unanswered check (0021)
    # The placement's township, copied when asked (0021), as applications copy it: the
    # township of its pay_check_totals row.
    # Left out of an insert, it is looked up from the application.
    township_id: Mapped[int] = mapped_column(ForeignKey("areas.id"),
                                             default=township_of_application,
                                             active_history=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))

    application: Mapped[Application] = relationship()

    __table_args__ = (UniqueConstraint("application_id", "period"),
                      Index("ix_pay_checks_period", "period", "answer"))


class PayCheckTotal(Base):
    """The pay checks of one month's pay and one township, counted as they are written: the
    monthly report reads a few dozen of these rows instead of counting a month's pay checks
    (174,382 at 1,000,000 villagers: bench/report.py).

    Kept by the PayCheck mapper events below, in the same transaction as the pay check
    itself (a rolled-back savepoint or transaction takes its count back with it): every
    ORM path that asks, answers or records an amount goes through them; nothing writes pay
    checks in bulk SQL. A pay-check run holds its townships' rows until it commits, so an
    answer from the same township and month waits for that commit (seconds).
    """

    __tablename__ = "pay_check_totals"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    asked: Mapped[int] = mapped_column(default=0)
    answered: Mapped[int] = mapped_column(default=0)
    paid_in_full: Mapped[int] = mapped_column(default=0)
    missing_amount: Mapped[int] = mapped_column(BigInteger, default=0)  # yuan, summed


_COUNTED = ("period", "township_id", "answer", "missing_amount")
_ADD_TO_TOTAL = text(
    "INSERT INTO pay_check_totals (period, township_id, asked, answered, paid_in_full, "
    "missing_amount) VALUES (:period, :township_id, :asked, :answered, :full, :missing) "
    "ON CONFLICT (period, township_id) DO UPDATE SET "
    "asked = pay_check_totals.asked + excluded.asked, "
    "answered = pay_check_totals.answered + excluded.answered, "
    "paid_in_full = pay_check_totals.paid_in_full + excluded.paid_in_full, "
    "missing_amount = pay_check_totals.missing_amount + excluded.missing_amount")


def _add_to_total(connection: Connection, values: dict[str, Any], sign: int) -> None:
    """Add (sign 1) or take away (sign -1) one pay check, as `values` describe it."""
    answer = values["answer"]
    connection.execute(_ADD_TO_TOTAL, {
        "period": values["period"], "township_id": values["township_id"], "asked": sign,
        "answered": sign * (answer is not None), "full": sign * (answer == PayAnswer.FULL),
        "missing": sign * (values["missing_amount"] or 0)})


@event.listens_for(PayCheck, "after_insert")
def _counted_when_asked(_mapper: Mapper[PayCheck], connection: Connection,
                        check: PayCheck) -> None:
    _add_to_total(connection, {name: getattr(check, name) for name in _COUNTED}, 1)


@event.listens_for(PayCheck, "after_update")
def _counted_again_when_changed(_mapper: Mapper[PayCheck], connection: Connection,
                                check: PayCheck) -> None:
    state = inspect_state(check)
    before, changed = {}, False
    for name in _COUNTED:
        history = state.attrs[name].history
        if history.has_changes():
            changed = True
            before[name] = history.deleted[0] if history.deleted else None
        else:
            before[name] = getattr(check, name)
    if changed:
        _add_to_total(connection, before, -1)
        _add_to_total(connection, {name: getattr(check, name) for name in _COUNTED}, 1)


@event.listens_for(PayCheck, "after_delete")
def _uncounted_when_deleted(_mapper: Mapper[PayCheck], connection: Connection,
                            check: PayCheck) -> None:
    _add_to_total(connection, {name: getattr(check, name) for name in _COUNTED}, -1)


class PromiseCheck(Base):
    """The arrival check-in's two questions: is the job the one the posting described, and
    are the wage and the hours as it said? (1 yes 2 no each.)

    A "no" to either opens a case of the category contract (not as promised) against the
    posting and its agency, and counts against them in their records.
    """

    __tablename__ = "promise_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    asked_at: Mapped[datetime]
    job_as_promised: Mapped[bool | None]  # None: not answered yet
    pay_as_promised: Mapped[bool | None]  # the wage and the hours; None: not answered yet
    answered_at: Mapped[datetime | None]  # when the last of the two was answered
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))

    application: Mapped[Application] = relationship()
