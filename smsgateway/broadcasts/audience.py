"""Broadcasts: who an audience filter reaches, what each language's text costs, cancelling.

Quiet hours: `smsgateway.quiet`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select, update
from sqlalchemy.orm import Session

from menus.budget import normalise, sms_segments

from ..db import utcnow
from ..kernel.areas import area_ids_under
from ..kernel.errors import Refused
from ..kernel.quiet import morning_after
from ..messaging.throttle import provider_rates
from ..models import (
    Application,
    Area,
    Broadcast,
    BroadcastStatus,
    Contact,
    Message,
    MessageStatus,
    Villager,
    VillagerSkill,
)
from ..postings.core import alert_text
from ..templates import recognise
from . import wording


def audience_query(session: Session, audience: Mapping[str, Any], today: date,
                   default_language: str, reachable: bool = True) -> Select[int, str, str]:
    """(contact id, phone, language) of every opted-in registered villager the filter picks;
    with `reachable=False`, every villager it picks, those who may not be texted too.

    Each villager has one contact, so a villager appears once however many filters match.
    """
    language = func.coalesce(Contact.language, default_language)
    query = (select(Contact.id, Contact.phone, language.label("language"))
             .join(Villager, Villager.contact_id == Contact.id))
    if reachable:
        query = query.where(Contact.opted_out.is_(False), Villager.sms_consent.is_(True))
    if audience.get("areas"):
        ids: set[int] = set()
        for code in audience["areas"]:
            area_id = session.scalar(select(Area.id).where(Area.code == code))
            if area_id is None:
                raise Refused(f"no area with code {code!r}", field="audience.areas", status=422)
            ids |= area_ids_under(session, area_id)
        query = query.where(Villager.township_id.in_(ids))
    if audience.get("sex"):
        query = query.where(Villager.sex == audience["sex"])
    if audience.get("age_min") is not None:
        query = query.where(Villager.birth_year <= today.year - audience["age_min"])
    if audience.get("age_max") is not None:
        query = query.where(Villager.birth_year >= today.year - audience["age_max"])
    if audience.get("skills"):
        query = query.where(exists().where(VillagerSkill.villager_id == Villager.id,
                                           VillagerSkill.skill_code.in_(audience["skills"])))
    if audience.get("registered_from"):  # dates as the API stores them: ISO strings
        start = date.fromisoformat(str(audience["registered_from"]))
        query = query.where(Villager.created_at >= datetime.combine(start, time(), UTC))
    if audience.get("registered_to"):
        end = date.fromisoformat(str(audience["registered_to"])) + timedelta(days=1)
        query = query.where(Villager.created_at < datetime.combine(end, time(), UTC))
    if audience.get("application_status"):
        condition = and_(Application.villager_id == Villager.id,
                         Application.status == audience["application_status"])
        if audience.get("posting_id"):
            condition = and_(condition, Application.posting_id == audience["posting_id"])
        query = query.where(exists().where(condition))
    if audience.get("language"):
        query = query.where(language == audience["language"])
    return query.order_by(Contact.id)


def texts(broadcast: Broadcast) -> dict[str, str]:
    """The text each language receives (normalised); a posting renders its alert template,
    a broadcast template its filled wording."""
    if broadcast.template:
        return {lang: normalise(m.text) for lang, m in wording.built(broadcast.template).items()}
    if broadcast.posting is not None:
        return {lang: normalise(alert_text(broadcast.posting, lang)) for lang in ("zh", "en")}
    zh, en = broadcast.text_zh or broadcast.text_en, broadcast.text_en or broadcast.text_zh
    return {"zh": normalise(zh or ""), "en": normalise(en or "")}


def templates(broadcast: Broadcast, bodies: Mapping[str, str]) -> dict[str, Any]:
    """The template each language's message is sent as (the outbox's `template`), None for
    free text: the broadcast template chosen, or the one a posting's alert text is."""
    if broadcast.template:
        return {lang: m.to_json() for lang, m in wording.built(broadcast.template).items()}
    found = {lang: recognise(body) if broadcast.posting is not None else None
             for lang, body in bodies.items()}
    return {lang: m.to_json() if m else None for lang, m in found.items()}


def preview(session: Session, broadcast: Broadcast, today: date,
            default_language: str, segment_price: float = 0.0) -> dict[str, Any]:
    """Recipients and segments, per language and in all, and what they would cost at
    `segment_price` (yuan a segment), before anything is sent."""
    query = audience_query(session, broadcast.audience, today, default_language).subquery()
    counts: dict[str, int] = {
        lang: n for lang, n in session.execute(select(query.c.language, func.count())
                                               .group_by(query.c.language))}
    bodies = texts(broadcast)
    per_language: dict[str, dict[str, Any]] = {
        lang: {"recipients": counts.get(lang, 0), "text": bodies[lang],
               "segments_per_message": sms_segments(bodies[lang])}
        for lang in ("zh", "en")}
    total = sum(v["recipients"] * v["segments_per_message"] for v in per_language.values())
    return {"recipients": sum(counts.values()), "languages": per_language,
            "total_segments": total, "estimated_cost": round(total * segment_price, 2),
            "excluded": excluded(session, broadcast.audience, today, default_language)}


def excluded(session: Session, audience: Mapping[str, Any], today: date,
             default_language: str) -> dict[str, int]:
    """How many villagers the filter picks but no broadcast may reach, by why: opted out by
    STOP (`keyword`), by their carrier (its code: `21610`, `UserInBlackList`), before reasons
    were kept (`unknown`), or registered without consent to SMS (`no_sms_consent`)."""
    picked = audience_query(session, audience, today, default_language,
                            reachable=False).subquery()
    why = case((Contact.opted_out.is_(True), func.coalesce(Contact.opted_out_reason, "unknown")),
               else_="no_sms_consent")
    rows = session.execute(
        select(why, func.count()).select_from(picked)
        .join(Contact, Contact.id == picked.c.id)
        .join(Villager, Villager.contact_id == Contact.id)
        .where(or_(Contact.opted_out.is_(True), Villager.sms_consent.is_(False)))
        .group_by(why)).all()
    return {str(reason): int(n) for reason, n in rows}


def cancel(session: Session, broadcast: Broadcast) -> int:
    """Stop a broadcast: rows not yet claimed by a worker fail as `cancelled`."""
    if broadcast.status == BroadcastStatus.CANCELLED:
        raise Refused("the broadcast is already cancelled")
    if broadcast.status == BroadcastStatus.DONE:
        raise Refused("the broadcast has finished: every message went out or failed")
    broadcast.status, broadcast.cancelled_at = BroadcastStatus.CANCELLED, utcnow()
    result: Any = session.execute(
        update(Message).where(Message.broadcast_id == broadcast.id,
                              Message.status == MessageStatus.QUEUED)
        .values(status=MessageStatus.FAILED, error_code="cancelled",
                error_reason="the broadcast was cancelled", updated_at=utcnow()))
    return int(result.rowcount)


def expected_finish(session: Session, broadcast: Broadcast, now: datetime,
                    settings: Mapping[str, Any]) -> datetime | None:
    """When its last queued message should have gone: from now (or the end of the quiet
    hours, or `send_at`) at the lower of SEND_RATE and the provider's PROVIDER_RATE; None when
    none is queued."""
    waiting, held_until = session.execute(
        select(func.count(), func.max(Message.not_before))
        .where(Message.broadcast_id == broadcast.id,
               Message.status == MessageStatus.QUEUED)).one()
    if not waiting:
        return None
    start = morning_after(max(t for t in (now, held_until, broadcast.send_at) if t is not None),
                          settings)
    limits = [int(settings["SEND_RATE"]),
              provider_rates(settings.get("PROVIDER_RATE")).get(settings["SMS_PROVIDER"], 0)]
    rate = min((r for r in limits if r > 0), default=0)
    return start + timedelta(seconds=waiting / rate) if rate else start


def progress(session: Session, broadcast: Broadcast) -> dict[str, int]:
    """How many of its messages are in each status."""
    rows = session.execute(select(Message.status, func.count())
                           .where(Message.broadcast_id == broadcast.id)
                           .group_by(Message.status)).all()
    counts = {status.value: 0 for status in MessageStatus}
    counts.update({status.value: n for status, n in rows})
    return counts

