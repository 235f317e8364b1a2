"""SMS job keywords: JOBS/工作, JOB 12/详情 12, APPLY 12/申请 12, MY/我的, WITHDRAW 12/撤回 12,
VERIFY <code>/核实 <code>.

`answer` takes the villager's text (already `clean`ed: NFKC, stripped) and returns the
reply and its effects, or None when the text is not a job keyword. The keywords keep no
conversation state: APPLY and WITHDRAW act at once (Apply, Withdraw), after the catalog
said they may. Free texts (titles, places, names) are cut until the reply fits three
segments; a job's verification code and the no-fee line are never cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from menus.jobtext import detail_lines, shorten, status, wage, withdrawable
from menus.sms_reply import echo, first_fitting
from menus.texts import t
from menus.types import Apply, Catalog, Contact, Effect, Job, MyApplication, Withdraw

Answer = tuple[str, tuple[Effect, ...]]

_KEYWORD = re.compile(
    r"^(?P<word>JOBS|JOB|工作|详情|APPLY|申请|MY|我的|WITHDRAW|撤回|VERIFY|核实)"
    r"(?:[\s#:+.\-]*(?P<arg>.*))?$",
    re.DOTALL,
)
_NUMBER = re.compile(r"[0-9]+")
LIST_WORDS = frozenset({"JOBS", "JOB", "工作"})
DETAIL_WORDS = frozenset({"JOBS", "JOB", "工作", "详情"})
WORDS = {  # the word a usage line shows, by keyword and language
    "详情": ("详情", "JOB"), "JOB": ("详情", "JOB"),
    "申请": ("申请", "APPLY"), "APPLY": ("申请", "APPLY"),
    "撤回": ("撤回", "WITHDRAW"), "WITHDRAW": ("撤回", "WITHDRAW"),
}
WIDTHS = (None, 16, 12, 10, 8, 6, 4)  # how short free texts may be cut, in turn
READABLE = 16  # a list shows fewer lines rather than cut titles shorter than this
TOP = 3  # jobs listed by JOBS
MY_MAX = 5  # applications listed by MY
CODE_MAX = 32  # longest verification code looked up
NUMBER_MAX = 9  # digits of the longest job number looked up


def answer(text: str, lang: str, contact: Contact, catalog: Catalog) -> Answer | None:
    """The reply to a job keyword and its effects, or None when `text` is not one."""
    found = _KEYWORD.match(text.upper())
    if not found:
        return None
    word, arg = found.group("word"), " ".join((found.group("arg") or "").split())
    if word in ("VERIFY", "核实"):
        return _verify(arg, lang, catalog)
    if not arg:
        if word in LIST_WORDS:
            return _jobs(lang, contact, catalog), ()
        if word in ("MY", "我的"):
            return _mine(lang, contact, catalog), ()
        usage = WORDS[word][0 if lang == "zh" else 1]
        return t(lang, "sms_number_usage", word=usage), ()
    if not _NUMBER.fullmatch(arg) or word in ("MY", "我的"):
        return None  # "JOBSEEKER", "MY NAME…": not a keyword after all
    if len(arg) > NUMBER_MAX:
        return t(lang, "sms_not_a_job", id=echo(arg, 12)), ()
    job_id = int(arg)
    if word in DETAIL_WORDS:
        return _detail(job_id, lang, catalog), ()
    if word in ("APPLY", "申请"):
        return _apply(job_id, lang, contact, catalog)
    return _withdraw(job_id, lang, contact, catalog)


def _plans(most: int) -> Iterator[tuple[int, int | None]]:
    """(lines, width) to try for a list: all lines readable, then fewer, then cut harder."""
    for count in range(most, 0, -1):
        for width in WIDTHS:
            if count == 1 or width is None or width >= READABLE:
                yield count, width


def _cut(lang: str) -> Callable[[str, int | None], str]:
    """Cut a free text to a width, with this language's ellipsis."""
    ellipsis = t(lang, "ellipsis")
    return lambda text, width: shorten(text, width, ellipsis)


def _jobs(lang: str, contact: Contact, catalog: Catalog) -> str:
    """The top jobs open to the villager with their numbers, and how to see more or apply."""
    jobs = list(catalog.jobs())
    if not jobs:
        return t(lang, "sms_no_jobs" if contact.profile else "sms_no_jobs_register")
    cut = _cut(lang)

    def candidates() -> Iterator[str]:
        for count, width in _plans(min(TOP, len(jobs))):
            lines = [t(lang, "sms_jobs_title")]
            lines += [
                t(lang, "sms_job_line", id=job.id, title=cut(job.title.name(lang), width),
                  place=cut(job.place.name(lang), width), wage=wage(job))
                for job in jobs[:count]
            ]
            if count < len(jobs):
                lines.append(t(lang, "sms_jobs_more", count=len(jobs)))
            lines.append(t(lang, "sms_jobs_hint", id=jobs[0].id))
            yield "\n".join(lines)

    return first_fitting(candidates())


def _detail(job_id: int, lang: str, catalog: Catalog) -> str:
    """A job's detail with its code and the no-fee line, and how to apply."""
    job = catalog.job(job_id)
    if job is None:
        return t(lang, "sms_not_a_job", id=job_id)
    return first_fitting(_detail_candidates(job, lang, catalog), details=True)


# Which detail lines go first when a reply is too long: the hint, then agency, employer,
# dates, board, terms (indexes into detail_lines); never the last, the code and no-fee.
_DROPS = ((), ("hint",), ("hint", 3), ("hint", 3, 2), ("hint", 3, 2, 6), ("hint", 3, 2, 6, 5, 4))


def _detail_candidates(job: Job, lang: str, catalog: Catalog) -> Iterator[str]:
    """Ever shorter details of a job: cut free texts, then leave out lines."""
    for dropped in _DROPS:
        for width in WIDTHS:
            lines = detail_lines(job, lang, catalog.today(), width)
            head = t(lang, "sms_job_head", id=job.id, title=lines[0])
            body = [line for index, line in enumerate(lines) if index and index not in dropped]
            hint = [] if "hint" in dropped else [t(lang, "sms_apply_hint", id=job.id)]
            yield "\n".join([head, *body, *hint])


def _apply(job_id: int, lang: str, contact: Contact, catalog: Catalog) -> Answer:
    """Register interest in a job, or say why the villager may not."""
    if contact.profile is None:
        return t(lang, "sms_register_first"), ()
    job = catalog.job(job_id)
    if job is None:
        return t(lang, "sms_not_a_job", id=job_id), ()
    refusal = catalog.can_apply(job_id)
    if refusal == "not_registered":
        return t(lang, "sms_register_first"), ()
    if refusal is not None:
        return t(lang, "sms_refused", id=job_id, reason=t(lang, f"refuse_{refusal}")), ()
    cut = _cut(lang)
    text = first_fitting(
        t(lang, "sms_applied", id=job_id, title=cut(job.title.name(lang), width))
        for width in WIDTHS
    )
    return text, (Apply(job_id),)


def _mine(lang: str, contact: Contact, catalog: Catalog) -> str:
    """The villager's applications with their statuses, newest first."""
    if contact.profile is None:
        return t(lang, "sms_register_first")
    applications = list(catalog.my_applications())
    if not applications:
        return t(lang, "sms_no_apps")
    cut = _cut(lang)

    def line(application: MyApplication, width: int | None) -> str:
        shown = t(lang, "sms_my_line", id=application.job_id,
                  title=cut(application.title.name(lang), width),
                  status=status(application, lang))
        if application.reason:
            shown += t(lang, "sms_my_reason", reason=cut(application.reason, width))
        return shown

    def candidates() -> Iterator[str]:
        for count, width in _plans(min(MY_MAX, len(applications))):
            shown = applications[:count]
            lines = [t(lang, "sms_my_title"), *(line(app, width) for app in shown)]
            if count < len(applications):
                lines.append(t(lang, "sms_my_more", count=len(applications) - count))
            if any(withdrawable(app) for app in shown):
                lines.append(t(lang, "sms_my_hint"))
            yield "\n".join(lines)

    return first_fitting(candidates())


def _withdraw(job_id: int, lang: str, contact: Contact, catalog: Catalog) -> Answer:
    """Withdraw the villager's application to a job, when there is one to withdraw."""
    if contact.profile is None:
        return t(lang, "sms_register_first"), ()
    found = [app for app in catalog.my_applications() if app.job_id == job_id]
    if not found or not withdrawable(found[0]):
        return t(lang, "sms_no_withdraw", id=job_id), ()
    cut = _cut(lang)
    text = first_fitting(
        t(lang, "sms_withdrawn", id=job_id, title=cut(found[0].title.name(lang), width))
        for width in WIDTHS
    )
    return text, (Withdraw(job_id),)


def _verify(arg: str, lang: str, catalog: Catalog) -> Answer:
    """Whether a code belongs to a vetted posting: genuine, closed, or a warning."""
    code = "".join(arg.split()).upper()
    if not code or len(code) > CODE_MAX:
        return t(lang, "sms_verify_usage"), ()
    verdict = catalog.verify(code)
    shown = echo(code, 16)
    job = verdict.job
    if verdict.status == "unknown" or (job is None and verdict.status != "closed"):
        return t(lang, "sms_verify_unknown", code=shown, phone=catalog.officer_phone()), ()
    if job is None:
        return t(lang, "sms_verify_closed_bare", code=shown), ()
    cut = _cut(lang)
    key = "sms_verify_published" if verdict.status == "published" else "sms_verify_closed"
    text = first_fitting((
        t(lang, key, code=shown, title=cut(job.title.name(lang), width),
          employer=cut(job.employer.name(lang), width),
          agency=cut(job.agency.name(lang), width), wage=wage(job))
        for width in WIDTHS
    ), details=True)  # a posting's details, as `JOB 12` gives them
    return text, ()
