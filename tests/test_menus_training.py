"""Training in the pure menus: USSD item 3 (list, detail, enrol with a confirm step) and the
SMS keywords TRAIN/培训 (list) and TRAIN 5/培训 5 (enrol), in both languages."""

from __future__ import annotations

from datetime import date

import pytest

from menus import sms, ussd
from menus.budget import fits_ussd, normalise, sms_segments
from menus.capped import within_cap
from menus.texts import t
from menus.trainingtext import notice, reminder
from menus.types import ENROL_REFUSALS, Contact, Enrol, Option, Profile, Step
from tests.menu_catalog import FULL, OTHER_COUNTY, TRAININGS, MenuCatalog, make_training, walk_ussd

CATALOG = MenuCatalog(date(2025, 6, 1))
PROFILE = Profile("李明", "m", 1990, "linxiang", "linxiang.boshang", ("catering",), True)
ZH = Contact(language="zh", profile=PROFILE)
EN = Contact(language="en", profile=Profile(**{**PROFILE.__dict__, "language": "en"}))
CONTACTS = {"zh": ZH, "en": EN}
LONG = make_training(
    77, ("agri_processing", "农产品加工与电子商务直播带货综合实训", "Agri-product processing "
         "and live-stream e-commerce, a combined practical course"), date(2026, 1, 10),
    date(2026, 2, 28), township=Option("x", "勐永镇勐永村委会培训中心", "Mengyong training centre"))


def walk(inputs: list[str], contact: Contact = ZH, catalog: MenuCatalog = CATALOG) -> Step:
    """The step after dialling in and typing `inputs`, checking each screen fits on the way."""
    return walk_ussd(inputs, contact, catalog)


def send(text: str, contact: Contact = ZH, catalog: MenuCatalog = CATALOG) -> Step:
    """The reply to one SMS, checked to be normalised and within 3 segments."""
    reply = sms.handle(None, text, contact, catalog)
    assert reply.screen == normalise(reply.screen)
    assert sms_segments(reply.screen) <= 3, reply.screen
    return reply


# USSD


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_item_3_lists_the_open_sessions_with_date_trade_and_place(lang: str) -> None:
    """Each session on a line: first day, trade, township; the one the caller is in marked."""
    screen = walk(["3"], CONTACTS[lang]).screen
    assert screen.startswith(t(lang, "trainings_title"))
    for number, training in enumerate(TRAININGS, 1):
        line = next(line for line in screen.split("\n") if line.startswith(f"{number} "))
        assert training.trade.name(lang) in line and training.township.name(lang) in line
    assert f"2 {t(lang, 'mark')}" in screen and f"1 {t(lang, 'mark')}" not in screen


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_sessions_says_so_with_back(lang: str) -> None:
    """An empty list says there is nothing now, that an SMS will come, and 0 goes back."""
    step = walk(["3"], CONTACTS[lang], CATALOG.with_trainings([]))
    assert step.screen == t(lang, "no_trainings")
    assert walk(["3", "0"], CONTACTS[lang], CATALOG.with_trainings([])).state["screen"] == "menu"


def test_many_long_sessions_page_and_fit() -> None:
    """Twenty sessions with long names page with 9 and every page fits."""
    trade = (LONG.trade.key, LONG.trade.zh, LONG.trade.en)
    crowded = CATALOG.with_trainings([make_training(100 + n, trade, LONG.start, LONG.end,
                                                    township=LONG.township)
                                      for n in range(20)])
    for lang in ("zh", "en"):
        step, pages = walk(["3"], CONTACTS[lang], crowded), 1
        while "9 " in step.screen.rsplit("\n", 1)[-1]:
            step = ussd.step(step.state, "9", crowded)
            assert fits_ussd(step.screen), step.screen
            pages += 1
        assert pages > 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_session_shows_trade_place_dates_and_places_left(lang: str) -> None:
    """The detail: trade, township with county, both dates, places left; "1 Enrol"."""
    screen = walk(["3", "1"], CONTACTS[lang]).screen
    first = TRAININGS[0]
    for part in (first.trade.name(lang), first.township.name(lang), first.county.name(lang),
                 t(lang, "training_places", count=8), t(lang, "training_footer")):
        assert part in screen
    assert ("6月10日-6月14日" if lang == "zh" else "10 Jun-14 Jun") in screen


def test_a_long_session_detail_fits_over_its_pages() -> None:
    """A long trade and township still fit, paged, with "1 Enrol" on the last page."""
    catalog = CATALOG.with_trainings([LONG])
    for lang in ("zh", "en"):
        step = walk(["3", "1"], CONTACTS[lang], catalog)
        while "9 " in step.screen.rsplit("\n", 1)[-1]:
            step = ussd.step(step.state, "9", catalog)
            assert fits_ussd(step.screen)
        assert t(lang, "training_footer") in step.screen
        assert ussd.step(step.state, "1", catalog).state["screen"] == "training_confirm"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_enrolling_confirms_then_enrols(lang: str) -> None:
    """1 on the detail asks to confirm; 1 again enrols (the Enrol effect) and says a reminder
    will come; 0 instead goes back without enrolling."""
    confirm = walk(["3", "1", "1"], CONTACTS[lang])
    assert confirm.state["screen"] == "training_confirm" and confirm.effects == ()
    assert TRAININGS[0].trade.name(lang) in confirm.screen
    done = ussd.step(confirm.state, "1", CATALOG)
    assert done.effects == (Enrol(5),)
    assert done.screen == t(lang, "training_enrolled")
    assert ussd.step(confirm.state, "0", CATALOG).effects == ()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_session_the_caller_is_in_says_already_enrolled(lang: str) -> None:
    """The detail of a session the caller holds a place in says so and offers no "1 Enrol";
    1 there enrols nobody."""
    step = walk(["3", "2"], CONTACTS[lang])
    assert t(lang, "training_already") in step.screen
    assert t(lang, "training_footer") not in step.screen
    again = ussd.step(step.state, "1", CATALOG)
    assert again.effects == () and again.state["screen"] == "training"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("refusal", ENROL_REFUSALS)
def test_each_refusal_says_why_with_a_way_forward(lang: str, refusal: str) -> None:
    """A session that filled (or closed…) since the list was shown: the confirm step says why,
    enrols nobody, and 0 goes back."""
    catalog = MenuCatalog(date(2025, 6, 1), refusals={5: refusal})
    step = walk(["3", "1", "1", "1"], CONTACTS[lang], catalog)
    assert step.effects == ()
    assert step.screen == t(lang, "refused", reason=t(lang, f"enrol_refuse_{refusal}"))
    assert fits_ussd(f"{t(lang, 'retry')}\n{step.screen}")


def test_full_refusal_points_to_another_session() -> None:
    """The full session's refusal tells the villager what to do instead."""
    assert "其他培训" in t("zh", "enrol_refuse_full")
    assert "choose another" in t("en", "enrol_refuse_full")


def test_a_stored_training_state_without_its_ids_restarts() -> None:
    """A training screen whose state lost its ids is not trusted: the session begins again."""
    state = walk(["3", "1"]).state
    del state["training"]
    assert ussd.step(state, "1", CATALOG).state["screen"] == "menu"


# SMS


@pytest.mark.parametrize("word", ["TRAIN", "train", "培训", "TRAINING"])
def test_train_lists_sessions_with_their_numbers(word: str) -> None:
    """TRAIN / 培训 lists the sessions with their numbers, dates and places left, and says
    how to enrol."""
    contact = ZH if word == "培训" else EN
    lang = contact.language or "zh"
    reply = send(word, contact)
    assert reply.effects == ()
    assert reply.screen.startswith(t(lang, "sms_trainings_title"))
    assert within_cap(reply.screen)  # one GSM-7 segment in English: fewer lines
    shown = TRAININGS if lang == "zh" else TRAININGS[:1]
    for training in shown:
        assert f"{training.id} {training.trade.name(lang)}" in reply.screen
    assert t(lang, "sms_trainings_hint", id=5) in reply.screen
    if lang == "zh":
        assert "已报名" in reply.screen
    else:
        assert t(lang, "sms_trainings_more", count=len(TRAININGS)) in reply.screen


def test_train_with_nothing_open_says_a_text_will_come() -> None:
    """No open session: the reply says so in both languages."""
    empty = CATALOG.with_trainings([])
    assert send("培训", ZH, empty).screen == t("zh", "sms_no_trainings")
    assert send("TRAIN", EN, empty).screen == t("en", "sms_no_trainings")


def test_many_sessions_list_the_first_three_and_point_to_ussd() -> None:
    """More sessions than fit: the soonest three and how to see the rest."""
    crowded = CATALOG.with_trainings([LONG] * 6)
    for contact in (ZH, EN):
        reply = send("TRAIN", contact, crowded)
        assert t(contact.language, "sms_trainings_more", count=6) in reply.screen


@pytest.mark.parametrize("text, contact", [("培训 5", ZH), ("培训5", ZH), ("TRAIN 5", EN),
                                           ("train#5", EN)])
def test_train_n_enrols(text: str, contact: Contact) -> None:
    """TRAIN 5 / 培训 5 enrols at once and says trade, place and dates, in 1 or 2 segments."""
    reply = send(text, contact)
    assert reply.effects == (Enrol(5),)
    lang = contact.language or "zh"
    assert TRAININGS[0].trade.name(lang) in reply.screen
    assert TRAININGS[0].township.name(lang) in reply.screen
    assert sms_segments(reply.screen) <= 2


@pytest.mark.parametrize("number, refusal", [(7, "already_enrolled"), (FULL.id, "full"),
                                             (OTHER_COUNTY.id, "not_eligible")])
def test_train_n_refused_politely(number: int, refusal: str) -> None:
    """Already enrolled, full, another county: the reason and a way forward; nothing done."""
    for contact in (ZH, EN):
        lang = contact.language or "zh"
        reply = send(f"TRAIN {number}", contact)
        assert reply.effects == ()
        assert reply.screen == t(lang, "sms_enrol_refused", id=number,
                                 reason=t(lang, f"enrol_refuse_{refusal}"))


def test_train_n_of_no_open_session_says_so() -> None:
    """An unknown number, or one too long to be a session: pointed to TRAIN."""
    assert send("培训 999").screen == t("zh", "sms_not_a_training", id=999)
    assert "TRAIN" in send("TRAIN 1234567890123", EN).screen


@pytest.mark.parametrize("text", ["TRAIN", "培训", "TRAIN 5", "培训 5"])
def test_unregistered_callers_are_told_to_register_first(text: str) -> None:
    """A phone that has not registered is told how to register; nothing is enrolled."""
    contact = Contact(language="en" if text.isascii() else "zh")
    reply = send(text, contact, MenuCatalog(date(2025, 6, 1), registered=False))
    assert reply.effects == ()
    assert reply.screen == t(contact.language, "sms_train_register_first")


def test_train_followed_by_words_is_not_a_keyword() -> None:
    """"TRAIN DRIVER" is not a training keyword: the usual "did not understand"."""
    assert send("TRAIN DRIVER", EN).screen == t("en", "sms_unknown")


# The notice and the reminder texts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_notice_says_trade_place_dates_and_how_to_enrol(lang: str) -> None:
    """The notice names trade, township and county, dates, TRAIN n / 培训n and USSD item 3;
    it fits 2 segments, the longest session 3."""
    text = normalise(notice(TRAININGS[0], lang, date(2025, 6, 1)))
    for part in (TRAININGS[0].trade.name(lang), TRAININGS[0].township.name(lang),
                 TRAININGS[0].county.name(lang), "培训5" if lang == "zh" else "TRAIN 5",
                 "3 培训" if lang == "zh" else "3 Training"):
        assert part in text
    assert sms_segments(text) <= 2
    assert sms_segments(normalise(notice(LONG, lang, date(2025, 6, 1)))) <= 3


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reminder_says_tomorrow_and_fits_two_segments(lang: str) -> None:
    """The reminder names the trade and place and says it starts tomorrow."""
    text = normalise(reminder(TRAININGS[0], lang, date(2025, 6, 9)))
    assert ("明天" if lang == "zh" else "tomorrow") in text
    assert TRAININGS[0].township.name(lang) in text
    assert sms_segments(text) <= 2
