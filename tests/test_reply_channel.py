"""Replies go back through the gateway the villager used, when we can send there."""

from __future__ import annotations

import pytest

from smsgateway.conversation.inbound import reply_channel

BOTH = {"SMS_PROVIDER": "twilio", "TWILIO_ACCOUNT_SID": "AC1", "AT_USERNAME": "lincang"}


@pytest.mark.parametrize("settings, gateway, channel", [
    (BOTH, "africastalking", "africastalking"),
    (BOTH, "twilio", "twilio"),
    ({**BOTH, "AT_USERNAME": None}, "africastalking", "twilio"),  # no AT account: the default
    ({**BOTH, "SMS_PROVIDER": "console"}, "africastalking", "console"),  # development
])
def test_reply_channel(settings, gateway, channel):
    """The gateway's own sender when configured, else SMS_PROVIDER."""
    assert reply_channel(settings, gateway) == channel
