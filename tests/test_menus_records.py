"""The villager's pay line in a job's details (pure menus): shown when the catalog gives it,
within the SMS reply's segments and every USSD page, never displacing the code and no-fee."""

from __future__ import annotations

from dataclasses import replace

import pytest

from menus import sms
from menus.budget import SMS_REPLY_MAX_SEGMENTS, fits_ussd, sms_segments
from menus.jobs import job_pages
from menus.texts import t
from menus.types import Contact, Profile
from tests.menu_catalog import JOBS, MenuCatalog

PROFILE = Profile("李明", "m", 1990, "linxiang", "linxiang.boshang")
LINES = {"zh": "上月9人中8人足额领薪", "en": "8 of 9 paid in full last month"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("job", JOBS, ids=lambda job: str(job.id))
def test_the_pay_line_fits_the_sms_details_and_every_ussd_page(lang, job):
    """Every job of the fake catalogue, long ones too, with the line: the SMS detail holds it,
    the code and the no-fee warning within the reply's segments; USSD pages all fit."""
    shown = replace(job, paid_last_month=(8, 9))
    catalog = MenuCatalog(jobs=[shown])
    contact = Contact(language=lang, profile=PROFILE)
    reply = sms.handle(None, f"JOB {job.id}", contact, catalog).screen
    assert LINES[lang] in reply and job.code in reply and t(lang, "no_fee") in reply
    assert sms_segments(reply) <= SMS_REPLY_MAX_SEGMENTS
    pages = job_pages({"lang": lang}, shown, catalog)
    screens = [pages.render(n) for n in range(pages.count())]
    assert all(fits_ussd(screen) for screen in screens)
    assert any(LINES[lang] in screen for screen in screens)


def test_no_line_without_the_figure():
    """A job the catalog gives no figure for (fewer than 5 answers) has no pay line."""
    reply = sms.handle(None, f"JOB {JOBS[0].id}", Contact(language="en", profile=PROFILE),
                       MenuCatalog(jobs=[JOBS[0]])).screen
    assert "paid in full" not in reply
