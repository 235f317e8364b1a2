"""Every effect a menu step can return has exactly one handler that carries it out."""

from __future__ import annotations

import typing

from menus import types as m
from smsgateway.conversation.effects import HANDLERS


def test_every_effect_kind_has_a_handler() -> None:
    kinds = set(typing.get_args(m.Effect))
    assert kinds, "the Effect union names its kinds"
    assert kinds - set(HANDLERS) == set()
    assert set(HANDLERS) - kinds == set(), "a handler for something no step returns"
