"""WeChat's customer-service messages: a notification to a villager who wrote to the Official
Account in the last 48 hours goes by WeChat (free) instead of SMS.

WeChat lets an Official Account send a follower free-form "customer-service" messages
(`message/custom/send`) for 48 hours after the follower's last message or event. The send
step (`workers/sending.py`, the one place every outbox row is sent, after the quiet hours,
the opt-out and the loop guard) asks `openid_for`: a row to a contact with a subscribed
WeChat link seen within WINDOW goes by WeChat; else, or when WeChat does not take it (outside
its window after all, unsubscribed, a bad access token, no connection), by SMS as usual.
Once the request has left (a read timeout, a reset, an HTTP error answer) WeChat may have
it, so the row fails `interrupted` and is not sent again by SMS: at most once.

Not by WeChat: answers to what a villager texted (they answer on the channel asked), the
WeChat linking code (it proves the phone), the opt-out confirmation and the erasure's
farewell. On by `WECHAT_APP_ID` and `WECHAT_APP_SECRET`; `WECHAT_API_BASE` points wechatpy's
client elsewhere (a local server in tests). The access token is kept in Redis (wechatpy's
`RedisStorage`), shared by every worker, as WeChat allows 2000 fetches a day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import requests
from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.redisstorage import RedisStorage

from ..models import Message, WechatLink
from .gateways import InterruptedSendError, TransientSendError, network_error
from .outbox import kind_of

WINDOW = timedelta(hours=48)
BY_SMS_ONLY = frozenset({"wechat_code", "opt_out", "erased"})


class NotTaken(Exception):
    """WeChat did not take the message (nothing was sent): send it by SMS."""


def enabled(settings: Mapping[str, Any]) -> bool:
    """Whether customer-service messages are configured."""
    return bool(settings.get("WECHAT_APP_ID") and settings.get("WECHAT_APP_SECRET"))


def openid_for(db: Session, message_id: int, now: datetime) -> str | None:
    """The follower to send this row to by WeChat, or None (by SMS)."""
    row = db.execute(select(Message.kind, Message.answer, Message.contact_id)
                     .where(Message.id == message_id)).first()
    if row is None or row.answer or kind_of(row.kind) in BY_SMS_ONLY:
        return None
    return db.scalar(select(WechatLink.openid).where(
        WechatLink.contact_id == row.contact_id, WechatLink.subscribed.is_(True),
        WechatLink.last_seen_at >= now - WINDOW).order_by(WechatLink.last_seen_at.desc())
        .limit(1))


class _TimedSession(requests.Session):
    """Every request with a timeout (wechatpy's token fetch passes none)."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def request(self, method: str | bytes, url: str | bytes, *args: Any,
                **kwargs: Any) -> requests.Response:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().request(method, url, *args, **kwargs)


class Client(WeChatClient):  # type: ignore[misc]
    """wechatpy's client with its API base (the token's URL too) from WECHAT_API_BASE."""

    def __init__(self, settings: Mapping[str, Any], redis: Redis) -> None:
        timeout = float(settings["PROVIDER_TIMEOUT"])
        super().__init__(str(settings["WECHAT_APP_ID"]), str(settings["WECHAT_APP_SECRET"]),
                         session=RedisStorage(redis, prefix="jobline:wechatpy"),
                         timeout=timeout)
        self.API_BASE_URL = str(settings["WECHAT_API_BASE"]).rstrip("/") + "/"
        self._http = _TimedSession(timeout)

    def fetch_access_token(self) -> Any:
        return self._fetch_access_token(url=f"{self.API_BASE_URL}token", params={
            "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})


def send(settings: Mapping[str, Any], redis: Redis, openid: str, text: str) -> None:
    """Send `text` to the follower; NotTaken when WeChat did not take it (send by SMS),
    InterruptedSendError when it may have (send nothing more)."""
    client = Client(settings, redis)
    try:
        client.access_token  # noqa: B018  (fetched, or reused, before anything is sent)
    except (WeChatClientException, requests.RequestException, ValueError) as exc:
        raise NotTaken(f"no access token: {exc}") from exc
    try:
        client.message.send_text(openid, text)
    except WeChatClientException as exc:
        if exc.errcode is None:  # an HTTP error answer: WeChat may have taken it
            raise InterruptedSendError("interrupted", f"WeChat answered {exc}") from exc
        raise NotTaken(f"WeChat {exc.errcode}: {exc.errmsg}") from exc
    except requests.RequestException as exc:
        error = network_error(exc)
        if isinstance(error, TransientSendError):  # never connected: nothing left
            raise NotTaken(f"no connection: {exc}") from exc
        raise error from exc
