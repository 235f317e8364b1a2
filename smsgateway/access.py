"""Who may see and do what: the one authorisation layer of the API and the console.

Roles first (`require_role`), then scope: admins see everything, an officer what lies in
their area (and the areas below it), an agency its own postings and what hangs off them.
Something out of scope is answered as if it did not exist (`NotVisible`: 404 in the API
and in the console), so that nobody learns what others hold: that holds for ids in a path,
for ids and area codes in a body (creating a posting, a training, a villager, a target or
a broadcast in an area outside one's own is 404, as an unknown area is), and for phones in
the console's simulator.

For each kind of record there is one condition, "the rows this account may see"
(`postings_seen`, `applications_seen`, `villagers_seen`, `trainings_seen`,
`enrolments_seen`, `departures_seen`, `cases_seen`, `broadcasts_seen`, `targets_seen`),
and one getter, "the row, if this account may see it" (`posting`, `application`,
`villager`, `training`, `enrolment`, `departure`, `case`, `broadcast`, `area`, `phone`).
Lists filter with the condition, views fetch with the getter; nothing else in the code
decides scope.

The rules, kind by kind:
- postings: admins all; officers those of their area; agencies their own agency's.
- applications and departures: those of a posting the account may see.
- villagers, training sessions (and their enrolments), report areas and targets: admins
  all; officers those of their area; agencies none.
- cohorts (a departure's workers, leaders and reports): those of a departure the account
  may see; agencies read only.
- cases: admins all; officers those of villagers of their area; agencies their own
  agency's (read only: the routes say so by role).
- broadcasts: admins all; officers those sent by an officer of their area (an officer's
  audience always lies within the sender's area: `audience_areas`); agencies none.
- a phone in the simulator: one not registered yet, or a villager's of the officer's area.
- records of agencies and employers: staff all; an agency its own, and those of employers it
  posted for; a county's vetting threshold: staff of that county (see the end of the file).
- recruitment days and their interviews: those of a posting the account may see (staff
  schedule one only at a township of their area).
- suspending or reinstating an agency: admins only (`AGENCY_KEEPERS`). An agency recruits
  for every county, and the programme does not record which county registered it, so no
  one county may shut it out of all the others; an officer who finds a fault asks an admin.
- approved template ids of a templated SMS provider: admins only (`TEMPLATE_KEEPERS`). They
  belong to the programme's one provider account, for every county alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import QueryableAttribute, Session, joinedload

from .kernel.areas import area_ids_under
from .kernel.errors import Refused
from .models import (
    Agency,
    Application,
    Area,
    AreaLevel,
    Broadcast,
    Case,
    Cohort,
    Contact,
    Departure,
    Employer,
    Enrolment,
    Interview,
    Posting,
    RecruitmentDay,
    Role,
    Target,
    TrainingSession,
    User,
    Villager,
)

STAFF = (Role.ADMIN, Role.OFFICER)
AGENCY = (Role.AGENCY, Role.ADMIN)
EVERYONE = tuple(Role)
AGENCY_KEEPERS = (Role.ADMIN,)  # who may suspend or reinstate an agency (see above)
TEMPLATE_KEEPERS = (Role.ADMIN,)  # who may read and set approved template ids (see above)


class WrongRole(Refused):
    """The account's role may not do this (the API answers 403, the console 404)."""

    def __init__(self, roles: Iterable[Role]) -> None:
        self.roles = tuple(roles)
        super().__init__(f"this needs the role {' or '.join(self.roles)}", "role", 403)


class NotVisible(Refused):
    """Not there, or not the caller's to see: answered 404 everywhere."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message, field, 404)


def token_digest(token: str) -> str:
    """The stored form of an API token (tokens are random: a plain SHA-256 is enough)."""
    return hashlib.sha256(token.strip().encode()).hexdigest()


def require_role(user: User, roles: Iterable[Role]) -> None:
    """Refuse an account whose role is not among `roles`."""
    roles = tuple(roles)
    if user.role not in roles:
        raise WrongRole(roles)


# --- Areas -----------------------------------------------------------------------------------


def area_scope(session: Session, user: User) -> set[int] | None:
    """The areas the user works in (None: everywhere, for admins; none for agencies)."""
    if user.role == Role.ADMIN:
        return None
    if user.role == Role.OFFICER and user.area_id is not None:
        return area_ids_under(session, user.area_id)
    return set()


def within(session: Session, user: User, area_id: int) -> bool:
    """True when `area_id` lies in the user's area (admins: always)."""
    scope = area_scope(session, user)
    return scope is None or area_id in scope


def _in_area(session: Session, user: User, column: QueryableAttribute[Any]) -> ColumnElement[bool]:
    scope = area_scope(session, user)
    if scope is None:
        return true()
    return column.in_(scope) if scope else false()


def area(session: Session, user: User, code: str, field: str = "area",
         level: object | None = None) -> Area:
    """The area with this code, if it lies in the user's area (else 404 on `field`, as for
    an unknown code); `level` restricts it to one level (a township)."""
    query = select(Area).where(Area.code == code)
    if level is not None:
        query = query.where(Area.level == level)
    found = session.scalars(query).first()
    if found is None or not within(session, user, found.id):
        raise NotVisible(f"no such area: {code!r}", field)
    return found


def audience_areas(session: Session, user: User, codes: Sequence[str]) -> list[str]:
    """A broadcast's areas: those given, each within the sender's area (else 404 on
    `audience.areas`); none given, an officer's own area (an admin's: everyone)."""
    for code in codes:
        area(session, user, code, "audience.areas")
    if not codes and user.role != Role.ADMIN:
        if user.area is None:
            raise NotVisible("this account has no area to send to", "audience.areas")
        return [user.area.code]
    return list(codes)


# --- Postings and what hangs off them --------------------------------------------------------


def postings_seen(session: Session, user: User) -> ColumnElement[bool]:
    """The postings the user may see: admins all, officers their area's, agencies their own."""
    if user.role == Role.AGENCY:
        return Posting.agency_id == user.agency_id if user.agency_id is not None else false()
    return _in_area(session, user, Posting.area_id)


def sees_posting(session: Session, user: User, posting: Posting) -> bool:
    """`postings_seen` for one posting in hand."""
    if user.role == Role.AGENCY:
        return user.agency_id is not None and posting.agency_id == user.agency_id
    return within(session, user, posting.area_id)


def posting(session: Session, user: User, posting_id: int,
            field: str = "posting_id") -> Posting:
    """The posting, if the user may see it."""
    found = session.get(Posting, posting_id, options=[joinedload(Posting.agency),
                                                      joinedload(Posting.area)])
    if found is None or not sees_posting(session, user, found):
        raise NotVisible("no such posting", field)
    return found


def posting_agency(session: Session, user: User, agency_id: int | None) -> Agency:
    """The agency a new posting is for: an agency account's own (naming another is 404),
    any existing one for staff."""
    if user.role == Role.AGENCY:
        if user.agency is None or agency_id not in (None, user.agency_id):
            raise NotVisible("no such agency", "agency_id")
        return user.agency
    found = session.get(Agency, agency_id) if agency_id else None
    if found is None:
        raise NotVisible("no such agency", "agency_id")
    return found


def posting_area(session: Session, user: User, code: str) -> Area:
    """The area a new posting is for: any for an agency (it recruits everywhere), one
    within their own for staff (else 404, as for an unknown code)."""
    if user.role == Role.AGENCY:
        found = session.scalars(select(Area).where(Area.code == code)).first()
        if found is None:
            raise NotVisible(f"no such area: {code!r}", "area")
        return found
    return area(session, user, code)


def applications_seen(session: Session, user: User) -> ColumnElement[bool]:
    """Applications to a posting the user may see."""
    return Application.posting_id.in_(select(Posting.id).where(postings_seen(session, user)))


def application(session: Session, user: User, application_id: int,
                lock: bool = False) -> Application:
    """The application, if the user may see its posting (locked: a decision follows)."""
    found = session.get(Application, application_id, with_for_update=lock or None)
    if found is None or not sees_posting(session, user, found.posting):
        raise NotVisible("no such application", "application_id")
    return found


def departures_seen(session: Session, user: User) -> ColumnElement[bool]:
    """Departures of a posting the user may see."""
    return Departure.posting_id.in_(select(Posting.id).where(postings_seen(session, user)))


def departure(session: Session, user: User, departure_id: int) -> Departure:
    """The departure, if the user may see its posting."""
    found = session.get(Departure, departure_id, options=[joinedload(Departure.posting)])
    if found is None or not sees_posting(session, user, found.posting):
        raise NotVisible("no such departure", "departure_id")
    return found


# --- Villagers, phones, training -------------------------------------------------------------


def villagers_seen(session: Session, user: User) -> ColumnElement[bool]:
    """Villagers living in the user's area (agencies: none)."""
    return _in_area(session, user, Villager.township_id)


def villager(session: Session, user: User, villager_id: int) -> Villager:
    """The villager, if they live in the user's area (agencies never see villagers here)."""
    found = session.get(Villager, villager_id)
    if found is None or not within_staff(session, user, found.township_id):
        raise NotVisible("no such villager", "villager_id")
    return found


def villagers_in(session: Session, user: User, code: str) -> ColumnElement[bool]:
    """Villagers living in the area of this code and below it, which must lie in the user's
    area (else 404 on `area`, as for an unknown code): a list's area filter."""
    found = area(session, user, code)
    return Villager.township_id.in_(area_ids_under(session, found.id))


def within_staff(session: Session, user: User, area_id: int) -> bool:
    """True for staff whose area holds `area_id` (agencies: never)."""
    return user.role != Role.AGENCY and within(session, user, area_id)


def phone(session: Session, user: User, number: str) -> None:
    """A phone the user may play in the simulator: one no villager has registered yet, or
    a villager's of the user's area (admins: any); else 404."""
    township = session.scalar(select(Villager.township_id)
                              .join(Contact, Contact.id == Villager.contact_id)
                              .where(Contact.phone == number))
    if township is not None and not within_staff(session, user, township):
        raise NotVisible("no such phone", "phone")


def trainings_seen(session: Session, user: User) -> ColumnElement[bool]:
    """Training sessions held in the user's area (agencies: none)."""
    return _in_area(session, user, TrainingSession.township_id)


def training(session: Session, user: User, training_id: int,
             lock: bool = False) -> TrainingSession:
    """The training session, if it is held in the user's area."""
    # A locked row is read alone (PostgreSQL locks no outer join); its township loads after.
    options = [] if lock else [joinedload(TrainingSession.township).joinedload(Area.parent)]
    found = session.get(TrainingSession, training_id, with_for_update=lock, options=options)
    if found is None or not within_staff(session, user, found.township_id):
        raise NotVisible("no such training session", "training_id")
    return found


def enrolments_seen(session: Session, user: User) -> ColumnElement[bool]:
    """Enrolments in a session the user may see."""
    return Enrolment.session_id.in_(select(TrainingSession.id)
                                    .where(trainings_seen(session, user)))


def enrolment(session: Session, user: User, enrolment_id: int,
              lock: bool = False) -> Enrolment:
    """The enrolment, if its session is held in the user's area."""
    found = session.get(Enrolment, enrolment_id, with_for_update=lock or None)
    if found is None or not within_staff(session, user, found.session.township_id):
        raise NotVisible("no such enrolment", "enrolment_id")
    return found


def targets_seen(session: Session, user: User) -> ColumnElement[bool]:
    """Targets of the user's area and the areas below it."""
    return _in_area(session, user, Target.area_id)


# --- Cases -----------------------------------------------------------------------------------


def cases_seen(session: Session, user: User) -> ColumnElement[bool]:
    """Admins see every case; officers those of villagers in their area (and below);
    agencies their own agency's (read only)."""
    if user.role == Role.AGENCY:
        return Case.agency_id == user.agency_id if user.agency_id is not None else false()
    return _in_area(session, user, Case.area_id)


def sees_case(session: Session, user: User, found: Case) -> bool:
    """`cases_seen` for one case in hand."""
    if user.role == Role.AGENCY:
        return user.agency_id is not None and found.agency_id == user.agency_id
    return within(session, user, found.area_id)


def case(session: Session, user: User, case_id: int, lock: bool = False) -> Case:
    """The case, if the user may see it."""
    found = session.get(Case, case_id, with_for_update=lock or None)
    if found is None or not sees_case(session, user, found):
        raise NotVisible("no such case", "case_id")
    return found


def may_handle_case(session: Session, user: User, found: Case) -> bool:
    """Who a case may be assigned to: an admin, or an officer whose area holds the case's."""
    return user.role == Role.ADMIN or (user.role == Role.OFFICER
                                       and sees_case(session, user, found))


# --- Broadcasts and agencies -----------------------------------------------------------------


def broadcasts_seen(session: Session, user: User) -> ColumnElement[bool]:
    """Admins see every broadcast; officers those sent by an officer of their area."""
    if user.role == Role.ADMIN:
        return true()
    senders = select(User.id).where(User.role == Role.OFFICER,
                                    _in_area(session, user, User.area_id))
    return Broadcast.created_by_id.in_(senders) if user.role == Role.OFFICER else false()


def broadcast(session: Session, user: User, broadcast_id: int,
              lock: bool = False) -> Broadcast:
    """The broadcast, if the user may see it (locked: a cancellation follows)."""
    query = select(Broadcast).where(Broadcast.id == broadcast_id,
                                    broadcasts_seen(session, user))
    found = session.scalars(query.with_for_update(of=Broadcast) if lock else query).first()
    if found is None:
        raise NotVisible("no such broadcast", "broadcast_id")
    return found


def agency_to_suspend(session: Session, user: User, agency_id: int) -> Agency:
    """The agency an account may suspend or reinstate: admins only (see above)."""
    require_role(user, AGENCY_KEEPERS)
    found = session.get(Agency, agency_id)
    if found is None:
        raise NotVisible("no such agency", "agency_id")
    return found


# --- Records of agencies and employers -------------------------------------------------------
# Agencies and employers are programme-wide (any account lists them; an agency recruits for
# every county), and so are their records for staff: an officer of any county may be asked
# to vet any agency's posting. An agency reads its own record and the records of employers
# it has posted for, never another agency's (404, as for an unknown id). A county's vetting
# threshold is set by staff whose area holds that county.


def agency_record(session: Session, user: User, agency_id: int) -> Agency:
    """The agency whose record the user may read."""
    found = session.get(Agency, agency_id)
    if found is None or (user.role == Role.AGENCY and user.agency_id != agency_id):
        raise NotVisible("no such agency", "agency_id")
    return found


def employer_record(session: Session, user: User, employer_id: int) -> Employer:
    """The employer whose record the user may read."""
    found = session.get(Employer, employer_id)
    if found is not None and user.role == Role.AGENCY:
        posted = session.scalar(select(Posting.id).where(
            Posting.employer_id == employer_id, Posting.agency_id == user.agency_id).limit(1))
        found = found if posted is not None and user.agency_id is not None else None
    if found is None:
        raise NotVisible("no such employer", "employer_id")
    return found


def threshold_county(session: Session, user: User, code: str) -> Area:
    """The county whose vetting threshold the user may read or set: one within their area."""
    require_role(user, STAFF)
    return area(session, user, code, "county", level=AreaLevel.COUNTY)
# --- Cohorts ---------------------------------------------------------------------------------


def cohorts_seen(session: Session, user: User) -> ColumnElement[bool]:
    """Cohorts of a departure the user may see: the departure's posting's area for officers,
    the posting's agency (read only: the routes say so by role), admins all."""
    return Cohort.departure_id.in_(select(Departure.id).where(departures_seen(session, user)))


def cohort(session: Session, user: User, departure_id: int) -> Departure:
    """The departure whose cohort is asked for, if the user may see it (as `departure`)."""
    try:
        return departure(session, user, departure_id)
    except NotVisible:
        raise NotVisible("no such cohort", "departure_id") from None
# --- Recruitment days and their interviews ----------------------------------------------------
# A day belongs to its posting: seen by whoever sees the posting (admins, the officers of the
# posting's area, its agency). Staff schedule one only at a township within their own area.


def recruitment_days_seen(session: Session, user: User) -> ColumnElement[bool]:
    """Recruitment days of a posting the user may see."""
    return RecruitmentDay.posting_id.in_(select(Posting.id).where(postings_seen(session, user)))


def recruitment_day(session: Session, user: User, day_id: int) -> RecruitmentDay:
    """The recruitment day, if the user may see its posting."""
    found = session.get(RecruitmentDay, day_id, options=[joinedload(RecruitmentDay.posting)])
    if found is None or not sees_posting(session, user, found.posting):
        raise NotVisible("no such recruitment day", "day_id")
    return found


def interview(session: Session, user: User, interview_id: int, lock: bool = False) -> Interview:
    """The interview (an invitation, its booking), if the user may see its day's posting."""
    found = session.get(Interview, interview_id, with_for_update=lock or None)
    if found is None or not sees_posting(session, user, found.recruitment_day.posting):
        raise NotVisible("no such interview", "interview_id")
    return found


# --- Approved template ids (issue 14) ---


def may_keep_templates(user: User) -> None:
    """Reading or setting the approved template ids: admins only (see above)."""
    require_role(user, TEMPLATE_KEEPERS)
# --- end Approved template ids ---
