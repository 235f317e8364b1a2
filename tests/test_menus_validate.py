"""Reading names, sex, years of birth and yes/no answers, as USSD and SMS both do."""

from __future__ import annotations

from datetime import date

import pytest

from menus.validate import Invalid, parse_birth_year, parse_name, parse_sex, parse_yes_no

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("李明", "李明"),
        ("  李*明 ", "李*明"),
        ("Ann  Lee", "Ann Lee"),
        ("ＡＮＮ", "ANN"),
        ("O\u2019Neil", "O'Neil"),
        ("阿卜杜拉·艾力", "阿卜杜拉·艾力"),
        ("Zoë-Anne", "Zoë-Anne"),
        ("李" * 20, "李" * 20),
    ],
)
def test_names_accepted(typed: str, name: str) -> None:
    """Letters, marks, spaces and `*-.'·` make a name, NFKC-normalised and trimmed."""
    assert parse_name(typed) == name


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "name_empty"),
        ("   ", "name_empty"),
        ("李" * 21, "name_long"),
        ("12345", "name_chars"),
        ("李明2", "name_chars"),
        ("***", "name_chars"),
        ("李\u202e明", "name_chars"),
        ("李\u0000明", "name_chars"),
        ("李\ue000明", "name_chars"),
        ("李\ud800明", "name_chars"),
        ("李明😀", "name_chars"),
        ("a\nb", "name_chars"),
    ],
)
def test_names_refused(typed: str, reason: str) -> None:
    """Empty, too long, digits, control, format, private-use, surrogate and emoji are refused."""
    with pytest.raises(Invalid) as refused:
        parse_name(typed)
    assert refused.value.reason == reason


@pytest.mark.parametrize(
    ("typed", "sex"),
    [("1", "m"), ("2", "f"), ("男", "m"), ("女", "f"), ("M", "m"), ("f", "f"),
     ("Male", "m"), ("FEMALE", "f"), (" １ ", "m")],
)
def test_sex(typed: str, sex: str) -> None:
    """1/2, 男/女, M/F and male/female in any case give m or f."""
    assert parse_sex(typed) == sex


@pytest.mark.parametrize("typed", ["3", "", "man?", "0"])
def test_sex_refused(typed: str) -> None:
    """Anything else is refused."""
    with pytest.raises(Invalid):
        parse_sex(typed)


@pytest.mark.parametrize(
    ("typed", "outcome"),
    [("1990", 1990), ("１９９０", 1990), ("1965", 1965), ("2009", 2009), ("1964", "year_range"),
     ("2010", "year_range"), ("90", "year_format"), ("199O", "year_format"),
     ("19900", "year_format"), ("", "year_format")],
)
def test_birth_year(typed: str, outcome: int | str) -> None:
    """Four digits making the villager 16 to 60 this year (today.year - year)."""
    if isinstance(outcome, int):
        assert parse_birth_year(typed, TODAY) == outcome
        return
    with pytest.raises(Invalid) as refused:
        parse_birth_year(typed, TODAY)
    assert refused.value.reason == outcome


@pytest.mark.parametrize(
    ("typed", "answer"),
    [("1", True), ("yes", True), ("Y", True), ("是", True), ("愿意", True), ("2", False),
     ("no", False), ("否", False), ("不愿意", False)],
)
def test_yes_no(typed: str, answer: bool) -> None:
    """1/yes/是 and 2/no/否 (and 愿意/不愿意) read as yes and no."""
    assert parse_yes_no(typed) is answer


def test_yes_no_refused() -> None:
    """Anything else is refused with its own reason."""
    with pytest.raises(Invalid) as refused:
        parse_yes_no("maybe")
    assert refused.value.reason == "yes_no_bad"
