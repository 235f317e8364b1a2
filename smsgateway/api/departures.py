"""Departures (create, list, read with the roster, move, cancel, mark departed) and the
check-in follow-up list. Officers act within their area; a posting's agency may read."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import access
from ..access import STAFF
from ..db import utcnow
from ..followup import arrival, departures
from ..kernel.phones import BadPhone, to_e164
from ..models import Departure, User
from ..services import services
from . import FIRST_PAGE, ApiError, Paging, page_of, route
from .schemas import (
    DepartureDetail,
    DepartureIn,
    DepartureMoveIn,
    DepartureOut,
    FollowUpOut,
    RosterEntry,
)


def _aware(when: datetime) -> datetime:
    """A time given without an offset is in the programme's time zone."""
    if when.tzinfo is None:
        return when.replace(tzinfo=ZoneInfo(services().settings["TIMEZONE"]))
    return when


def departure_out(departure: Departure) -> DepartureOut:
    """The API's view of a departure."""
    return DepartureOut.model_validate(
        {name: getattr(departure, name) for name in DepartureOut.model_fields
         if name != "status"} | {"status": departure.status.value})


def _detail(db: Session, departure: Departure) -> DepartureDetail:
    roster = [RosterEntry(application_id=a.id, villager_id=a.villager_id,
                          villager_name=a.villager.name, villager_phone=a.villager.contact.phone,
                          status=a.status.value, answer=departures.answer_word(going))
              for a, going in departures.roster(db, departure)]
    counts = {word: sum(1 for r in roster if r.answer == word)
              for word in ("confirmed", "declined", "no_answer")}
    return DepartureDetail(**departure_out(departure).model_dump(), roster=roster,
                           counts=counts)


@route("/departures", "POST", "Schedule a departure of a posting's confirmed applicants",
       roles=STAFF, body=DepartureIn, response=DepartureDetail, status=201)
def create_departure(db: Session, user: User, body: DepartureIn) -> DepartureDetail:
    """An officer of the posting's area sets time, place and escort; reminders are scheduled."""
    posting = access.posting(db, user, body.posting_id)
    try:
        phone = to_e164(body.escort_phone, services().settings["DEFAULT_REGION"])
    except BadPhone as exc:
        raise ApiError(422, str(exc), "escort_phone") from exc
    departure = departures.create(db, posting, _aware(body.leaves_at), body.place.strip(),
                                  body.escort_name.strip(), phone, user.id, utcnow(),
                                  services().settings)
    return _detail(db, departure)


@route("/departures", "GET", "List departures the caller may see (`?posting_id=`)",
       response=DepartureOut, paginated=True, query=("posting_id",))
def list_departures(db: Session, user: User, paging: Paging = FIRST_PAGE,
                    posting_id: str | None = None) -> tuple[list[DepartureOut], int, int, int]:
    """Admins see all, officers their area's, agencies their postings'; soonest first."""
    page, per_page = paging
    query = select(Departure).where(access.departures_seen(db, user))
    if posting_id:
        if not posting_id.isdigit():
            raise ApiError(400, "posting_id must be a number", "posting_id")
        query = query.where(Departure.posting_id == int(posting_id))
    rows, total = page_of(db, query.order_by(Departure.leaves_at, Departure.id), paging)
    return [departure_out(d) for d in rows], total, page, per_page


@route("/departures/<int:departure_id>", "GET",
       "One departure with its roster: who confirmed, declined, or did not answer",
       response=DepartureDetail)
def get_departure(db: Session, user: User, departure_id: int) -> DepartureDetail:
    """The departure and each villager's latest answer, with counts."""
    return _detail(db, access.departure(db, user, departure_id))


@route("/departures/<int:departure_id>/move", "POST",
       "Move a departure (time and/or place); its reminders are replaced",
       roles=STAFF, body=DepartureMoveIn, response=DepartureDetail)
def move_departure(db: Session, user: User, body: DepartureMoveIn,
                   departure_id: int) -> DepartureDetail:
    """Nobody is reminded of the old time; the roster is told of the change."""
    departure = access.departure(db, user, departure_id)
    settings = services().settings
    departures.move(db, departure, _aware(body.leaves_at) if body.leaves_at else None,
                    body.place.strip() if body.place else None, utcnow(), settings,
                    settings["SMS_PROVIDER"])
    return _detail(db, departure)


@route("/departures/<int:departure_id>/cancel", "POST",
       "Cancel a departure; its reminders are removed and the roster told",
       roles=STAFF, response=DepartureDetail)
def cancel_departure(db: Session, user: User, departure_id: int) -> DepartureDetail:
    """No reminder goes any more."""
    departure = access.departure(db, user, departure_id)
    settings = services().settings
    departures.cancel(db, departure, utcnow(), settings, settings["SMS_PROVIDER"])
    return _detail(db, departure)


@route("/departures/<int:departure_id>/depart", "POST",
       "Mark a departure departed: its roster's placements start their check-ins",
       roles=STAFF, response=DepartureDetail)
def depart(db: Session, user: User, departure_id: int) -> DepartureDetail:
    """Confirmed applications (but of those who said they cannot go) become departed."""
    departure = access.departure(db, user, departure_id)
    settings = services().settings
    departures.mark_departed(db, departure, utcnow(), settings, settings["SMS_PROVIDER"])
    return _detail(db, departure)


@route("/checkins/follow-up", "GET",
       "Workers who did not answer a check-in and its two reminders, and (first) those "
       "whose arrival check-in is unanswered a day and nobody answered for", roles=STAFF,
       response=FollowUpOut, paginated=True)
def follow_up(db: Session, user: User,
              paging: Paging = FIRST_PAGE) -> tuple[list[FollowUpOut], int, int, int]:
    """Arrivals nobody answered for first, then oldest first; an officer sees the workers
    of their area (by home township)."""
    page, per_page = paging
    query = arrival.follow_up().where(access.villagers_seen(db, user))
    rows, total = page_of(db, query, paging)
    now = utcnow()
    notices = arrival.notices_of(db, [c.id for c in rows])  # cohorts: arrivals noticed
    items = []
    for checkin in rows:
        notice = notices.get(checkin.id)
        application = checkin.application
        villager = application.villager
        items.append(FollowUpOut(
            checkin_id=checkin.id, checkin_number=checkin.number, sent_at=checkin.sent_at,
            reminders=checkin.reminders, flagged_at=checkin.flagged_at,
            overdue_days=(now - checkin.sent_at).days, application_id=application.id,
            posting_id=application.posting_id, posting_title=application.posting.title_en,
            departed_at=application.departed_at, villager_id=villager.id,
            villager_name=villager.name, villager_phone=villager.contact.phone,
            arrival_noticed_at=notice.noticed_at if notice else None,
            heard_via=notice.heard_via if notice else None,
            family_answer=notice.family_answer if notice else None))
    return items, total, page, per_page
