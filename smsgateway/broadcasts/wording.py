"""What a broadcast says on a templated provider: one of a few broadcast templates, filled.

A provider that sends approved templates only (`TEMPLATED_PROVIDERS`: Tencent) cannot send
an officer's free text. There a broadcast picks a template (`BROADCAST_TEMPLATES`: a general
notice with one variable, a meeting with its date, time and place, a training with its trade,
date and place) and fills its variables in each language; `templated` cuts each value to the
provider's per-variable limit as the text is built, so the preview shows the text that goes.
Elsewhere broadcasts stay free text (a template may still be chosen).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..kernel.errors import Refused
from ..messaging.gateways.registry import TEMPLATED_PROVIDERS
from ..templates import Templated, fields, templated

# name (as the API and console give it) → catalogue key
BROADCAST_TEMPLATES = {
    "notice": "sms_broadcast_notice",
    "meeting": "sms_broadcast_meeting",
    "training": "sms_broadcast_training",
}
LANGUAGES = ("zh", "en")


def templated_provider(settings: Mapping[str, Any]) -> bool:
    """Whether the configured provider sends approved templates only."""
    return str(settings["SMS_PROVIDER"]) in TEMPLATED_PROVIDERS


def variables(name: str) -> list[str]:
    """The variables a broadcast template asks for, in order."""
    return fields(BROADCAST_TEMPLATES[name], "zh")


def checked(template: Mapping[str, Any]) -> dict[str, Any]:
    """The template choice as stored (`{"name", "zh": {…}, "en": {…}}`), refused (422) when
    the name is unknown, no language is filled, or a variable is missing or blank."""
    name = str(template.get("name"))
    if name not in BROADCAST_TEMPLATES:
        raise Refused(f"no broadcast template {name!r}: one of "
                      f"{', '.join(BROADCAST_TEMPLATES)}", field="template.name", status=422)
    kept: dict[str, Any] = {"name": name}
    for lang in LANGUAGES:
        given = template.get(lang)
        if not given:
            continue
        values = {field: str(given.get(field) or "").strip() for field in variables(name)}
        blank = [field for field, value in values.items() if not value]
        if blank:
            raise Refused(f"the {name} template needs {', '.join(blank)} ({lang})",
                          field=f"template.{lang}.{blank[0]}", status=422)
        kept[lang] = values
    if len(kept) == 1:
        raise Refused(f"fill the {name} template's variables ({', '.join(variables(name))}) "
                      "in Chinese, English or both", field="template.zh", status=422)
    return kept


def built(template: Mapping[str, Any]) -> dict[str, Templated]:
    """Each language's message from a checked template choice; a language left empty reads
    the other's values (as a broadcast's one text serves both)."""
    key = BROADCAST_TEMPLATES[template["name"]]
    zh = template.get("zh") or template.get("en") or {}
    en = template.get("en") or template.get("zh") or {}
    return {"zh": templated("zh", key, **zh), "en": templated("en", key, **en)}
