"""Who may see and do what: the one authorisation layer of the API and the console.

Roles first (`require_role`), then scope: admins see everything, an officer what lies in
their area (and the areas below it), an agency its own postings and what hangs off them.
Something out of scope is answered as if it did not exist (`NotVisible`: 404 in the API
and in the console), so that nobody learns what others hold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy.orm import Session, joinedload

from .followup import cases
from .kernel.areas import area_ids_under
from .models import (
    Application,
    Area,
    Case,
    Departure,
    Posting,
    Role,
    TrainingSession,
    User,
    Villager,
)
from .postings.core import can_see

STAFF = (Role.ADMIN, Role.OFFICER)
AGENCY = (Role.AGENCY, Role.ADMIN)
EVERYONE = tuple(Role)


class WrongRole(Exception):
    """The account's role may not do this (the API answers 403, the console 404)."""

    def __init__(self, roles: Iterable[Role]) -> None:
        self.roles = tuple(roles)
        super().__init__(f"this needs the role {' or '.join(self.roles)}")


class NotVisible(Exception):
    """Not there, or not the caller's to see: answered 404 everywhere."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


def token_digest(token: str) -> str:
    """The stored form of an API token (tokens are random: a plain SHA-256 is enough)."""
    return hashlib.sha256(token.strip().encode()).hexdigest()


def require_role(user: User, roles: Iterable[Role]) -> None:
    """Refuse an account whose role is not among `roles`."""
    roles = tuple(roles)
    if user.role not in roles:
        raise WrongRole(roles)


def area_scope(session: Session, user: User) -> set[int] | None:
    """The areas the user works in (None: everywhere, for admins)."""
    return None if user.role == Role.ADMIN else area_ids_under(session, user.area_id or -1)


def within(session: Session, user: User, area_id: int) -> bool:
    """True when `area_id` lies in the user's area (admins: always)."""
    scope = area_scope(session, user)
    return scope is None or area_id in scope


def posting(session: Session, user: User, posting_id: int) -> Posting:
    """The posting, if the user may see it."""
    found = session.get(Posting, posting_id, options=[joinedload(Posting.agency),
                                                      joinedload(Posting.area)])
    if found is None or not can_see(session, user, found):
        raise NotVisible("no such posting", "posting_id")
    return found


def application(session: Session, user: User, application_id: int,
                lock: bool = False) -> Application:
    """The application, if the user may see its posting (locked: a decision follows)."""
    found = session.get(Application, application_id, with_for_update=lock or None)
    if found is None or not can_see(session, user, found.posting):
        raise NotVisible("no such application", "application_id")
    return found


def villager(session: Session, user: User, villager_id: int) -> Villager:
    """The villager, if they live in the user's area (agencies never see villagers here)."""
    found = session.get(Villager, villager_id)
    if found is None or user.role == Role.AGENCY or not within(session, user,
                                                               found.township_id):
        raise NotVisible("no such villager", "villager_id")
    return found


def training(session: Session, user: User, training_id: int,
             lock: bool = False) -> TrainingSession:
    """The training session, if it is held in the user's area."""
    # A locked row is read alone (PostgreSQL locks no outer join); its township loads after.
    options = [] if lock else [joinedload(TrainingSession.township).joinedload(Area.parent)]
    found = session.get(TrainingSession, training_id, with_for_update=lock, options=options)
    if found is None or user.role == Role.AGENCY or not within(session, user,
                                                               found.township_id):
        raise NotVisible("no such training session", "training_id")
    return found


def departure(session: Session, user: User, departure_id: int) -> Departure:
    """The departure, if the user may see its posting."""
    found = session.get(Departure, departure_id, options=[joinedload(Departure.posting)])
    if found is None or not can_see(session, user, found.posting):
        raise NotVisible("no such departure", "departure_id")
    return found


def case(session: Session, user: User, case_id: int, lock: bool = False) -> Case:
    """The case, if the user may see it (`cases.can_see`)."""
    found = session.get(Case, case_id, with_for_update=lock or None)
    if found is None or not cases.can_see(session, user, found):
        raise NotVisible("no such case", "case_id")
    return found
