"""A villager's phone, as Africa's Talking relays it: USSD sessions with the whole history."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from menus.budget import fits_ussd

from .sign import ussd_form


class UssdPhone:
    """Dials, presses keys and reads screens; checks every screen against the budget."""

    def __init__(self, client, number: str) -> None:
        self.client, self.number = client, number
        self.sessions = 0
        self.history: list[str] = []
        self.screen, self.ended = "", False

    def dial(self) -> str:
        """Start a new session (AT gives each a new sessionId and an empty text)."""
        self.sessions += 1
        self.history = []
        return self._post("")

    def press(self, entry: str) -> str:
        """Type one entry; AT sends every entry so far joined by `*`."""
        self.history.append(entry)
        return self._post("*".join(self.history))

    def choose(self, label: str) -> str:
        """Press the number of the option named `label`, paging with 9 until it shows."""
        while (number := self._option(label)) is None:
            assert "9 " in self.screen, f"{label!r} not found in:\n{self.screen}"
            self.press("9")
        return self.press(number)

    def _option(self, label: str) -> str | None:
        """The key of the option `label` on this screen (`3 √餐饮`, `8 完成 9 更多 0 返回`)."""
        pattern = re.compile(rf"(?:^|\s)(\d+) [*√]?{re.escape(label)}(?=\s|$)", re.MULTILINE)
        found = pattern.search(self.screen)
        return found.group(1) if found else None

    def _post(self, text: str) -> str:
        form = ussd_form(f"{self.number}-{self.sessions}", self.number, text)
        response = self.client.post("/ussd", data=urlencode(form),
                                    content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200, response.data
        body = response.get_data(as_text=True)
        assert body[:4] in ("CON ", "END "), body
        self.ended, self.screen = body.startswith("END "), body[4:]
        assert fits_ussd(self.screen), self.screen
        return self.screen
