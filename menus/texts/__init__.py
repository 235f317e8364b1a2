"""Every word a villager reads, one catalogue per language; Chinese is the default."""

from __future__ import annotations

from menus.texts import en, zh

DEFAULT_LANGUAGE = "zh"
CATALOGUES: dict[str, dict[str, str]] = {"zh": zh.TEXTS, "en": en.TEXTS}


def catalogue(language: str | None) -> dict[str, str]:
    """The catalogue of a language, or the default one for an unknown language."""
    return CATALOGUES.get(language or DEFAULT_LANGUAGE, CATALOGUES[DEFAULT_LANGUAGE])


def t(language: str | None, key: str, **values: object) -> str:
    """The text `key` in `language`, with `values` filled in."""
    text = catalogue(language)[key]
    return text.format(**values) if values else text
