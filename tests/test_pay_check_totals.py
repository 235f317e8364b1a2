"""pay_check_totals, which the monthly report reads, always equal the pay checks counted:
after asking, answering, an amount, a savepoint or a transaction rolled back, a deletion,
and a pay check moved to another township; and the report shows them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from smsgateway.figures.reports import monthly
from smsgateway.followup import paychecks
from smsgateway.models import (
    Application,
    Area,
    PayAnswer,
    PayCheck,
    PayCheckTotal,
    Villager,
)
from smsgateway.services import services

from .api import placement_setting

NOW = datetime(2026, 11, 11, 3, tzinfo=UTC)


def _counted(db) -> dict[tuple[str, int], tuple[int, int, int, int]]:
    """The pay checks counted per (period, township), as the totals should say."""
    return {(period, township): (asked, answered, int(full), int(missing))
            for period, township, asked, answered, full, missing in db.execute(
                select(PayCheck.period, PayCheck.township_id, func.count(),
                       func.count(PayCheck.answer),
                       func.coalesce(func.sum(case((PayCheck.answer == PayAnswer.FULL, 1),
                                                   else_=0)), 0),
                       func.coalesce(func.sum(PayCheck.missing_amount), 0))
                .group_by(PayCheck.period, PayCheck.township_id))}


def _totals(db) -> dict[tuple[str, int], tuple[int, int, int, int]]:
    """The totals, leaving out rows that came back to nothing."""
    return {(t.period, t.township_id): (t.asked, t.answered, t.paid_in_full, t.missing_amount)
            for t in db.scalars(select(PayCheckTotal)) if t.asked}


def test_the_totals_follow_every_write_and_every_rollback(app_factory):
    app = app_factory()
    setting = placement_setting(app, app.test_client())
    first, second, third = setting["applications"]
    svc = services(app)
    with svc.sessions.begin() as db:
        other = db.scalars(select(Area.id).where(Area.code == "yongde.yongkang")).one()
        db.get(Application, third).township_id = other  # the placement of another township

    def check(expected: dict) -> None:
        with svc.sessions() as db:
            assert _totals(db) == _counted(db) == expected

    with svc.sessions.begin() as db:  # asked as the run asks: no township given
        for application_id in (first, second, third):
            db.add(PayCheck(application_id=application_id, period="2026-10", asked_at=NOW))
        db.add(PayCheck(application_id=first, period="2026-09", asked_at=NOW))
    with svc.sessions() as db:
        dedang = db.get(Application, first).township_id
    check({("2026-10", dedang): (2, 0, 0, 0), ("2026-10", other): (1, 0, 0, 0),
           ("2026-09", dedang): (1, 0, 0, 0)})

    def villager_of(db, application_id: int) -> Villager:
        return db.get(Application, application_id).villager

    def check_id(db, application_id: int, period: str = "2026-10") -> int:
        return db.scalars(select(PayCheck.id).where(PayCheck.application_id == application_id,
                                                    PayCheck.period == period)).one()

    with svc.sessions.begin() as db:  # answered in full, in part with an amount
        paychecks.answer(db, villager_of(db, first), check_id(db, first), "full", "sms", NOW)
        paychecks.answer(db, villager_of(db, third), check_id(db, third), "part", "sms", NOW)
    with svc.sessions.begin() as db:
        paychecks.record_amount(db, villager_of(db, third), check_id(db, third), 1200, NOW)
    expected = {("2026-10", dedang): (2, 1, 1, 0), ("2026-10", other): (1, 1, 0, 1200),
                ("2026-09", dedang): (1, 0, 0, 0)}
    check(expected)

    with svc.sessions.begin() as db:  # the run's race: a second ask of the same month
        with pytest.raises(IntegrityError), db.begin_nested():
            db.add(PayCheck(application_id=second, period="2026-10", asked_at=NOW))
        with db.begin_nested() as savepoint:  # written, then taken back
            paychecks.answer(db, villager_of(db, second), check_id(db, second), "none", "sms",
                             NOW)
            savepoint.rollback()
    check(expected)
    with pytest.raises(RuntimeError), svc.sessions.begin() as db:  # a transaction that fails
        paychecks.answer(db, villager_of(db, second), check_id(db, second), "none", "sms", NOW)
        raise RuntimeError("after the answer was written")
    check(expected)

    with svc.sessions.begin() as db:  # moved to another township, then one deleted
        db.get(PayCheck, check_id(db, first, "2026-09")).township_id = other
    expected[("2026-09", other)] = expected.pop(("2026-09", dedang))
    check(expected)
    with svc.sessions.begin() as db:
        db.delete(db.get(PayCheck, check_id(db, third)))
    del expected[("2026-10", other)]
    check(expected)

    with svc.sessions() as db:  # and the report reads them
        city = monthly(db, "lincang", "2026-10", "Asia/Shanghai")["rows"][0]
    assert (city["pay_checks_asked"], city["pay_checks_answered"],
            city["pay_checks_unanswered"], city["paid_in_full"],
            city["pay_missing_amount"]) == (2, 1, 1, 1, 0)
