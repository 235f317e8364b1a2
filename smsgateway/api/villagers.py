"""Villagers registered by officers: one at a time, or a township's file (CSV) at once."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .. import access
from ..access import STAFF, NotVisible
from ..config import local_today
from ..conversation.inbound import forget_conversations
from ..db import utcnow
from ..messaging.outbox import call_after_commit
from ..models import Contact, User, Villager
from ..villagers.erasure import erase, is_erased
from ..villagers.labour_files import OUTSIDE, BadFile, Row, carry_out, plan, read_rows
from ..villagers.records import profile_of
from . import FIRST_PAGE, ApiError, Paging, page_of, route
from .schemas import ImportIn, ImportOut, ImportRowOut, VillagerIn, VillagerOut

IMPORT_MAX_BYTES = 8 * 1024 * 1024  # about 100,000 rows of a township file


def _plan(db: Session, rows: list[tuple[int, dict[str, str]]], user: User) -> list[Row]:
    settings = current_app.config
    return plan(db, rows, access.area_scope(db, user), local_today(settings),
                settings["DEFAULT_REGION"])


def villager_out(villager: Villager) -> VillagerOut:
    """A villager as the API shows them."""
    profile = profile_of(villager, villager.contact.language or "zh")
    return VillagerOut(
        id=villager.id, phone=villager.contact.phone, name=profile.name, sex=profile.sex,
        birth_year=profile.birth_year, township=profile.township, county=profile.county,
        skills=list(profile.skills), outside_province=profile.outside_province,
        language=profile.language, registered_via=villager.registered_via,
        registered_by_id=villager.registered_by_id,
        consent_recorded_at=villager.consent_recorded_at, opted_out=villager.contact.opted_out,
        opted_out_at=villager.contact.opted_out_at,
        opted_out_reason=villager.contact.opted_out_reason)


def _consent(given: bool) -> None:
    if not given:
        raise ApiError(422, "registering a villager needs their consent: set consent to true",
                       "consent")


@route("/villagers", "POST", "Register a villager on their behalf (assisted registration)",
       roles=STAFF, body=VillagerIn, response=VillagerOut, status=201)
def register_villager(db: Session, user: User, body: VillagerIn) -> VillagerOut:
    """The same checks as a file's row; the villager is told by SMS and may reply STOP."""
    _consent(body.consent)
    cells = {"phone": body.phone, "name": body.name, "sex": body.sex,
             "birth_year": str(body.birth_year), "township": body.township,
             "skills": ";".join(body.skills), "language": body.language,
             "outside_province": {True: "yes", False: "no", None: ""}[body.outside_province]}
    [row] = _plan(db, [(1, cells)], user)
    if any(r == OUTSIDE or r.startswith("unknown township") for r in row.reasons):
        raise NotVisible(f"no such township: {body.township!r}", "township")  # as elsewhere
    if row.action == "refuse":
        field = row.reasons[0].split(":")[0]
        raise ApiError(422, "; ".join(row.reasons), field if field in cells else None)
    if row.action != "create":
        raise ApiError(409, "this phone is registered already", "phone")
    [villager] = carry_out(db, [row], user, current_app.config["SMS_PROVIDER"])
    return villager_out(villager)


@route("/villagers/<int:villager_id>", "GET", "A villager's record", roles=STAFF,
       response=VillagerOut)
def get_villager(db: Session, user: User, villager_id: int) -> VillagerOut:
    """An officer sees the villagers of their area; anyone else's is 404."""
    return villager_out(access.villager(db, user, villager_id))


@route("/villagers/<int:villager_id>/erase", "POST", "Erase a villager's personal data on "
       "their request (name, phone, family contact, message bodies, case text); they are "
       "told by SMS once", roles=STAFF, response=VillagerOut)
def erase_villager(db: Session, user: User, villager_id: int) -> VillagerOut:
    """Out of the officer's area is 404; a second erasure is 409 and changes nothing."""
    villager = access.villager(db, user, villager_id)
    phone = villager.contact.phone
    erase(db, villager, user, utcnow(), current_app.config["SMS_PROVIDER"])
    call_after_commit(db, lambda svc: forget_conversations(svc, phone))
    return villager_out(villager)


@route("/villagers", "GET", "Search the villagers of the caller's area (`?q=` a phone or a "
       "name, or part of one; `?area=` an area code), newest first", roles=STAFF,
       response=VillagerOut, paginated=True, query=("q", "area"))
def list_villagers(db: Session, user: User, paging: Paging = FIRST_PAGE, q: str | None = None,
                   area: str | None = None) -> tuple[list[VillagerOut], int, int, int]:
    """An officer finds the villagers of their area only."""
    page, per_page = paging
    query = (select(Villager).join(Contact, Contact.id == Villager.contact_id)
             .where(access.villagers_seen(db, user)))
    words = (q or "").strip()
    if words:
        matches = func.lower(Villager.name).contains(words.lower(), autoescape=True)
        digits = "".join(c for c in words if c.isdigit())
        if digits:
            matches = or_(matches, Contact.phone.contains(digits, autoescape=True))
        query = query.where(matches)
    code = (area or "").strip()
    if code:
        query = query.where(access.villagers_in(db, user, code))
    rows, total = page_of(db, query.order_by(Villager.id.desc()), paging)
    return [villager_out(v) for v in rows], total, page, per_page


@route("/villagers/import", "POST", "Import a township's file of villagers (CSV)",
       roles=STAFF, body=ImportIn, response=ImportOut, max_bytes=IMPORT_MAX_BYTES)
def import_villagers(db: Session, user: User, body: ImportIn) -> ImportOut:
    """A dry run reports what each row would do; a real run writes every row, or none when
    any row is refused (`applied` false, with the reasons). Importing the same file again
    leaves every row unchanged."""
    _consent(body.consent)
    try:
        rows = _plan(db, read_rows(body.csv), user)
    except BadFile as bad:
        raise ApiError(422, str(bad), "csv") from bad
    counts = {a: 0 for a in ("create", "update", "unchanged", "refuse")}
    for row in rows:
        counts[row.action] += 1
    applied = not body.dry_run and not counts["refuse"]
    if applied:
        carry_out(db, rows, user, current_app.config["SMS_PROVIDER"])
    return ImportOut(dry_run=body.dry_run, applied=applied, counts=counts,
                     rows=[ImportRowOut(**r.report()) for r in rows])


# --- Editing a record (the console's profile form uses this view too) ---


@route("/villagers/<int:villager_id>/edit", "POST", "Edit a villager's record: the checks and the "
       "consent of a registration, the phone kept (an optional field left empty keeps what "
       "the record has, as a file's row does)", roles=STAFF, body=VillagerIn,
       response=VillagerOut)
def edit_villager(db: Session, user: User, body: VillagerIn, villager_id: int) -> VillagerOut:
    """A township file's row for one villager: planned, then written when it changes
    something. Out of the officer's area (the villager or the new township) is 404."""
    villager = access.villager(db, user, villager_id)
    _consent(body.consent)
    if is_erased(villager):
        raise ApiError(409, "this villager's record was erased", None)
    cells = {"phone": body.phone, "name": body.name, "sex": body.sex,
             "birth_year": str(body.birth_year), "township": body.township,
             "skills": ";".join(body.skills), "language": body.language,
             "outside_province": {True: "yes", False: "no", None: ""}[body.outside_province]}
    [row] = _plan(db, [(1, cells)], user)
    if row.phone is not None and row.phone != villager.contact.phone:
        raise ApiError(422, "phone: an edit keeps the villager's phone", "phone")
    if any(r == OUTSIDE or r.startswith("unknown township") for r in row.reasons):
        raise NotVisible(f"no such township: {body.township!r}", "township")
    if row.action == "refuse":
        field = row.reasons[0].split(":")[0]
        raise ApiError(422, "; ".join(row.reasons), field if field in cells else None)
    carry_out(db, [row], user, current_app.config["SMS_PROVIDER"])  # `unchanged`: nothing
    return villager_out(villager)
