"""Message templates: what `jobline templates export` submits, variables within the limit,
and every kind of message Jobline sends covered by a template."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask.cli import ScriptInfo

from menus.budget import SMS_REPLY_MAX_SEGMENTS, is_gsm, sms_segments
from menus.texts import CATALOGUES, t
from menus.types import APPLY_REFUSALS
from smsgateway.cli import cli
from smsgateway.conversation.effects import apply_lost
from smsgateway.followup.cases import status_template
from smsgateway.messaging.outbox import KINDS, add_message
from smsgateway.models import CaseStatus, Contact
from smsgateway.templates import (
    COMPOSED_KEY,
    COMPOSED_PARTS,
    TEMPLATES,
    VARIABLE_LIMIT,
    composed,
    export,
    free_text,
    recognise,
    templated,
)

ROOT = Path(__file__).resolve().parent.parent

def test_export_lists_every_template_in_every_language_with_numbered_variables():
    """Each template, zh and en: its wording with {1}, {2}… and nothing named left over, the
    catalogue text when the variables are filled back; English stays GSM-7."""
    rows = export()
    assert {row["template"] for row in rows} == {
        f"{key}.{lang}" for key in TEMPLATES for lang in CATALOGUES}
    for row in rows:
        numbers = [int(n) for n in re.findall(r"\{(\d+)\}", row["wording"])]
        assert sorted(set(numbers)) == list(range(1, len(row["variables"]) + 1)), row
        assert not re.search(r"\{[a-z_]+\}", row["wording"]), row
        assert row["kind"] == TEMPLATES[row["template"].rsplit(".", 1)[0]].kind
        if row["language"] == "en":
            assert is_gsm(row["wording"]), row


def test_no_variable_can_exceed_the_providers_limit():
    """Every variable's longest value is within VARIABLE_LIMIT, and the text builder cuts a
    longer value to its limit (kept as sent in the message's template)."""
    for row in export():
        for variable in row["variables"]:
            assert variable["longest"] <= VARIABLE_LIMIT, row
    title = "Electronics assembly and packaging worker, night shifts"
    message = templated("en", "sms_checkin", title=title)
    assert message.values == (title[:VARIABLE_LIMIT],)
    assert f"({title[:VARIABLE_LIMIT]})" in message.text
    assert message.to_json() == {"key": "sms_checkin", "lang": "en",
                                 "values": [title[:VARIABLE_LIMIT]]}
    assert templated(None, "sms_case_opened", number=7).lang == "zh"  # as `t` does


def _kinds_in_the_code():
    """Every literal `kind="…"` (and f-string prefix) the code writes messages with, and the
    kinds it names by a constant or a catalogue key (a cross-check of `outbox.KINDS`)."""
    kinds = set()
    for path in [*(ROOT / "smsgateway").rglob("*.py"), *(ROOT / "workers").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        kinds |= set(re.findall(r'(?:kind=|write_once\(db, |"kind": )f?"([a-z_-]+?)(?::\{|")',
                                text))
        kinds |= set(re.findall(r'^(?:FAREWELL_)?KIND = "([a-z_-]+)"', text, re.MULTILINE))
        kinds |= {key.removeprefix("sms_") for key in re.findall(
            r'_tell_roster\(session, departure, "(sms_[a-z_]+)"', text)}
    return kinds - {"kind"}


def test_every_kind_the_outbox_can_write_has_a_template_in_the_export():
    """The outbox writes only the kinds it declares (any other is refused), every kind the
    code names is declared, and each has a template that `templates export` lists."""
    exported = {row["kind"] for row in export()}
    assert KINDS - exported == set()
    assert _kinds_in_the_code() - KINDS == set()
    assert {"paycheck", "erased", "apply-lost", "case", "reply", "broadcast"} <= KINDS
    with pytest.raises(ValueError, match="unknown kind"):
        add_message(None, Contact(phone="+8613800138000"), "x", "newsletter", "console")  # type: ignore[arg-type]


def test_free_texts_are_carried_in_a_template_and_cut_where_they_are_built():
    """An officer's note or SMS goes as one variable cut to the limit (and says it was cut);
    the "apply lost" correction has a template per reason, its title cut; a case move
    without a note is its own template."""
    note = ("请带上身份证和劳动合同原件到乡镇劳务站办理工资追讨手续，"
            "我们会派工作人员陪同你去用人单位")
    message, cut = status_template("zh", 12, CaseStatus.IN_PROGRESS, note)
    assert cut and message.key == "sms_case_in_progress_note"
    assert message.values == ("12", note[:VARIABLE_LIMIT]) and message.text.endswith(
        note[:VARIABLE_LIMIT])
    short, cut = status_template("en", 12, CaseStatus.RESOLVED, "  Paid   in full. ")
    assert not cut and short.values == ("12", "Paid in full.")
    assert status_template("en", 12, CaseStatus.CLOSED, None)[0].key == "sms_case_closed"
    title = "Electronics assembly and packaging worker, night shifts"
    for reason in APPLY_REFUSALS:
        lost = apply_lost("en", 77, title, reason)
        assert lost.key == f"sms_apply_lost_{reason}" and lost.values[0] == "77"
        assert len(lost.values[1]) <= VARIABLE_LIMIT and is_gsm(lost.text)
        assert recognise(lost.text) == lost
    sms, cut = free_text("en", "sms_broadcast_notice", "text", "Bring your ID card tomorrow.")
    assert not cut and sms.text == t("en", "sms_broadcast_notice",
                                     text="Bring your ID card tomorrow.")


@pytest.mark.parametrize(("lang", "letter"), [("zh", "问"), ("en", "a")])
def test_a_composed_reply_goes_whole_in_the_numbered_parts_of_its_carrier(lang, letter):
    """The longest reply the budget allows (SMS_REPLY_MAX_SEGMENTS) fits in the carrier's
    parts, none longer than the limit; joined they give the reply back; unused parts are
    empty; the carrier is never taken for a plain text's template."""
    longest = letter
    while sms_segments(longest + letter) <= SMS_REPLY_MAX_SEGMENTS:
        longest += letter
    for text in (longest, f"{t(lang, 'sms_reg_intro')}\n{t(lang, 'sms_ask_name')}"):
        message = composed(lang, text)
        assert len(message.values) == COMPOSED_PARTS
        assert all(len(part) <= VARIABLE_LIMIT for part in message.values)
        assert "".join(message.values) == text
        assert message.text == t(lang, COMPOSED_KEY, **{
            f"p{n}": part for n, part in enumerate(message.values, 1)})
        assert recognise(message.text) is None
    assert composed(lang, "x").values[1:] == ("",) * (COMPOSED_PARTS - 1)


def test_jobline_templates_export_prints_what_to_submit(app):
    """The command prints each template's kind, language, wording and variables; --json too."""
    runner = app.test_cli_runner()
    info = ScriptInfo(create_app=lambda: app)
    text = runner.invoke(cli, ["templates", "export"], obj=info)
    assert text.exit_code == 0, text.output
    assert "sms_registered.zh  kind=registration  language=zh" in text.output
    assert "注册成功！谢谢您，{1}。" in text.output and "{1} name ≤ 20 characters" in text.output
    as_json = runner.invoke(cli, ["templates", "export", "--json"], obj=info)
    assert json.loads(as_json.output) == export()


def test_a_plain_text_is_recognised_as_the_one_template_that_gives_it():
    """A keyword reply or a departure notice written as text gets its template and values
    back; a composed text, or one no template gives, gets none."""
    help_en = recognise(t("en", "sms_help"))
    assert (help_en.key, help_en.lang, help_en.values) == ("sms_help", "en", ())
    notice = t("zh", "sms_departure_cancelled", title="电子厂普工", when="12月3日 8:00")
    found = recognise(notice)
    assert (found.key, found.values) == ("sms_departure_cancelled", ("电子厂普工", "12月3日 8:00"))
    assert recognise(f"{t('zh', 'sms_reg_intro')}\n{t('zh', 'sms_ask_name')}") is None
    assert recognise("你好") is None


def test_every_template_is_recognised_as_itself_and_no_other():
    """Filled with sample values, each template's text in each language is recognised as
    that template: no two wordings can be taken for each other."""
    for key in (key for key, template in TEMPLATES.items() if template.recognised):
        for lang in CATALOGUES:
            names = re.findall(r"\{([a-z_]+)\}", CATALOGUES[lang][key])
            text = CATALOGUES[lang][key].format(**{name: "X1" for name in names})
            found = recognise(text)
            assert found is not None and (found.key, found.lang) == (key, lang), (key, lang)
