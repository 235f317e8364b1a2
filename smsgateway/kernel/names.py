"""English names of employers and agencies, for texts to English-reading villagers.

An English SMS that carries one Chinese character is sent as UCS-2: 70 characters a segment
instead of 160, so a one-segment job alert costs three. Employers and agencies therefore
have an English name (`name_en`) that must be GSM-7; when nobody gave one, their name is
written in Hanyu Pinyin, the official romanisation, by `pypinyin` (maintained, with a phrase
dictionary that reads polyphonic characters right: 重庆 Chongqing, 长沙 Changsha), rather
than by a table of our own. Pinyin has no word breaks: Chinese names are mostly built of
two-character words, so syllables are joined two by two ("Dongguan Huarong Dianzi Youxian
Gongsi"), which reads right far more often than one word per syllable.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin

from menus.budget import is_gsm, normalise

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _word(syllables: list[str]) -> str:
    """Syllables as one word, with an apostrophe before a/o/e inside it (Xi'an)."""
    word = syllables[0]
    for syllable in syllables[1:]:
        word += ("'" if syllable[:1] in ("a", "o", "e") else "") + syllable
    return word.capitalize()


def _romanise(run: str) -> str:
    syllables = lazy_pinyin(run, style=Style.NORMAL, v_to_u=False)
    return " ".join(_word(syllables[i:i + 2]) for i in range(0, len(syllables), 2))


@lru_cache(maxsize=4096)  # a job list names the same few employers and agencies every step
def pinyin_name(name: str) -> str:
    """`name` with its Chinese written in pinyin and anything else not GSM-7 left out."""
    text = normalise(unicodedata.normalize("NFKC", name))
    text = _HAN.sub(lambda found: f" {_romanise(found.group())} ", text)
    kept = "".join(c for c in text if is_gsm(c))
    return re.sub(r"\( | \)", lambda found: found.group().strip(), " ".join(kept.split()))


def english_name(record: Any) -> str:
    """How English texts name an employer or agency: its `name_en`, else its pinyin."""
    return str(record.name_en or pinyin_name(record.name))
