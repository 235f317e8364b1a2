"""Recruitment days as the villager meets them: the bare digits that book an interview.

The invitation SMS says "reply 1 to book a time"; `1` answers with the day's free times,
numbered 1-8 (a day has at most eight slots: every answer is one digit, and all eight fit
one Chinese USSD screen with a retry line on top); the slot's number
books it. A digit after booking is answered "already noted" with the booking. USSD offers
the same two steps when a villager with an open invitation dials in (`SCREENS`).

`answer` takes the villager's text (already `clean`ed) and returns the reply and its
effects, or None when the text is not a digit this invitation waits for.
"""

from __future__ import annotations

from datetime import date

from menus.budget import fits_ussd
from menus.capped import capped
from menus.flow import Reply, Screen, goto, language, reserve, return_to
from menus.jobtext import day
from menus.texts import t
from menus.types import (
    AskInterviewSlots,
    BookInterview,
    Catalog,
    Contact,
    Effect,
    OpenInterview,
    State,
)
from menus.validate import Invalid, choice

Answer = tuple[str, tuple[Effect, ...]]
DIGITS = frozenset("123456789")


def answer(text: str, lang: str, contact: Contact, catalog: Catalog) -> Answer | None:
    """The reply to a bare digit answering the caller's open invitation, or None."""
    if text not in DIGITS or contact.profile is None:
        return None
    invitation = catalog.open_interview()
    if invitation is None:
        return None
    today = catalog.today()
    if invitation.stage == "booked":
        return booked_text(invitation, invitation.booked, lang, today, "sms_interview_already"), ()
    if invitation.stage == "invited":
        if text != "1":
            return None
        return slots_text(invitation, lang, today), (AskInterviewSlots(invitation.id),)
    number = int(text)
    if not is_free(invitation, number):
        refused = t(lang, "sms_interview_not_free", number=number)
        return f"{refused}\n{slots_text(invitation, lang, today)}", ()
    return (booked_text(invitation, number, lang, today, "sms_interview_booked"),
            (BookInterview(invitation.id, number),))


def is_free(invitation: OpenInterview, number: int) -> bool:
    """True when slot `number` of the day has a place left."""
    return any(s.number == number and s.free > 0 for s in invitation.slots)


def slots_text(invitation: OpenInterview, lang: str, today: date) -> str:
    """The day's free times, numbered, and how to book one (or that none is left)."""
    when = day(invitation.day, today, lang)
    free = [s for s in invitation.slots if s.free > 0]
    if not free:
        return t(lang, "sms_interview_none_free", date=when)
    lines = " ".join(t(lang, "sms_interview_slot", number=s.number, time=s.starts) for s in free)
    return f"{t(lang, 'sms_interview_slots', date=when)} {lines}"


def booked_text(invitation: OpenInterview, number: int | None, lang: str, today: date,
                key: str) -> str:
    """What the villager is told of their booking (`key`: booked, or already noted)."""
    starts = next((s.starts for s in invitation.slots if s.number == number), "")
    return capped(lang, key, date=day(invitation.day, today, lang), time=starts,
                  place=invitation.place_in(lang))


# USSD: a villager with an open invitation sees it first when they dial in.


def waiting(catalog: Catalog) -> bool:
    """True when the caller has an invitation that waits for a booking."""
    invitation = catalog.open_interview()
    return invitation is not None and invitation.stage in ("invited", "choosing")


def render_invitation(state: State, catalog: Catalog) -> str:
    """The invitation: when, where, which job; 1 books, 0 goes to the menu."""
    lang, invitation = language(state), catalog.open_interview()
    if invitation is None or invitation.stage == "booked":
        return t(lang, "menu")
    when, title = day(invitation.day, catalog.today(), lang), invitation.title.name(lang)
    for width in range(len(title), 0, -1):  # a long title is cut to fit the screen
        shown = title if width == len(title) else f"{title[:width - 1]}…"
        screen = t(lang, "ussd_interview", date=when, place=invitation.place_in(lang), title=shown)
        if fits_ussd(f"{reserve(lang)}\n{screen}"):  # room for a retry line on top
            break
    return screen


def answer_invitation(state: State, entry: str, catalog: Catalog) -> Reply:
    """1 shows the free times; anything else is retried (0 is Back, to the menu)."""
    invitation = catalog.open_interview()
    if invitation is None or invitation.stage == "booked":
        return_to(state, "menu")
        return Reply()
    if choice(entry) != 1:
        raise Invalid("retry")
    goto(state, "interview_slots")
    return Reply((AskInterviewSlots(invitation.id),))


def render_slots(state: State, catalog: Catalog) -> str:
    """The free times, one a line, and 0 Back."""
    lang, invitation = language(state), catalog.open_interview()
    if invitation is None:
        return t(lang, "menu")
    today = catalog.today()
    free = [s for s in invitation.slots if s.free > 0]
    if not free:
        return f"{t(lang, 'sms_interview_none_free', date=day(invitation.day, today, lang))}"
    times = [t(lang, "sms_interview_slot", number=s.number, time=s.starts) for s in free]
    with_date = "\n".join([t(lang, "ussd_interview_slots", date=day(invitation.day, today, lang)),
                           *times, t(lang, "back")])
    if fits_ussd(f"{reserve(lang)}\n{with_date}"):
        return with_date
    return "\n".join([*times, t(lang, "back")])  # eight times fit without their heading


def answer_slots(state: State, entry: str, catalog: Catalog) -> Reply:
    """A free slot's number books it; any other number is retried."""
    invitation = catalog.open_interview()
    number = choice(entry)
    if invitation is None or number is None or not is_free(invitation, number):
        raise Invalid("retry")
    state["interview_slot"] = number
    goto(state, "interview_booked")
    return Reply((BookInterview(invitation.id, number),))


def render_booked(state: State, catalog: Catalog) -> str:
    """The booking, and the end of the session."""
    lang, invitation = language(state), catalog.open_interview()
    if invitation is None:
        return t(lang, "ussd_interview_slot_taken")
    starts = next((s.starts for s in invitation.slots
                   if s.number == state.get("interview_slot")), "")
    return t(lang, "ussd_interview_booked", date=day(invitation.day, catalog.today(), lang),
             time=starts, place=invitation.place_in(lang))


SCREENS: dict[str, Screen] = {
    "interview": Screen(render_invitation, answer_invitation),
    "interview_slots": Screen(render_slots, answer_slots),
    "interview_booked": Screen(render_booked, lambda s, e, c: Reply(), end=True),
}
