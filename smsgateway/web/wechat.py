"""WeChat Official Account: `GET /wechat` answers the server check, `POST /wechat` takes a
follower's messages and answers them as passive replies (within WeChat's 5 seconds).

Every request is signed with `WECHAT_TOKEN` (`signature` over token, timestamp and nonce),
checked with `wechatpy`; in encrypted mode (`encrypt_type=aes`, `WECHAT_AES_KEY` set) the
message is decrypted and its `msg_signature` checked too, and the reply is encrypted. A
request that fails is answered 403 and nothing is stored.

A follower is one of our villagers once linked: they send their mobile number, we text a
six-digit code to it, they send the code back (`wechat_links`). A linked follower's text goes
through the same conversation as an SMS from that phone (`inbound.receive`, gateway
`wechat`, de-duplicated on WeChat's MsgId); what it answers is the passive reply. Messages
the conversation sends through the outbox (a registration's confirmation) go by SMS.
`subscribe` greets; `unsubscribe` stops WeChat only (SMS goes on as before).
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any

import phonenumbers
from flask import Blueprint, Response, request
from phonenumbers import PhoneNumberType
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wechatpy import create_reply, parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

from menus.texts import t
from menus.types import LANGUAGES
from menus.validate import clean

from ..conversation.inbound import receive
from ..db import utcnow
from ..kernel.phones import BadPhone, to_e164
from ..kernel.text import clean as clean_text
from ..messaging.gateways import InboundSms
from ..messaging.outbox import add_message
from ..models import WechatLink
from ..services import Services, services
from ..templates import templated
from ..villagers.records import contact_for

log = logging.getLogger(__name__)
bp = Blueprint("wechat", __name__)

GATEWAY = "wechat"
CODE_TTL = 600  # seconds a linking code is good for
CODE_TRIES = 5  # wrong codes before the follower must ask for a new one
CODE_INTERVAL = 60  # seconds between two codes texted to one phone


def _signed(settings: dict[str, Any]) -> bool:
    """True when the query's `signature` signs its timestamp and nonce with our token."""
    token = settings["WECHAT_TOKEN"]
    if not token:
        return False
    args = request.args
    try:
        check_signature(str(token), args.get("signature", ""), args.get("timestamp", ""),
                        args.get("nonce", ""))
    except InvalidSignatureException:
        return False
    return True


def _forbidden() -> tuple[str, int]:
    return "forbidden\n", 403


@bp.get("/wechat")
def server_check() -> Response | tuple[str, int]:
    """WeChat's check of the server URL: echo `echostr` when the signature is ours."""
    if not _signed(services().settings):
        return _forbidden()
    return Response(request.args.get("echostr", ""), mimetype="text/plain")


@bp.post("/wechat")
def wechat_message() -> Response | tuple[str, int]:
    """A follower's message or event, answered with a passive reply (or `success`)."""
    svc = services()
    settings = svc.settings
    if not _signed(settings):
        return _forbidden()
    args = request.args
    crypto = None
    raw = request.get_data()
    if args.get("encrypt_type") == "aes":
        if not settings["WECHAT_AES_KEY"]:
            return _forbidden()
        crypto = WeChatCrypto(str(settings["WECHAT_TOKEN"]), str(settings["WECHAT_AES_KEY"]),
                              str(settings["WECHAT_APP_ID"] or ""))
        try:
            raw = crypto.decrypt_message(raw, args.get("msg_signature", ""),
                                         args.get("timestamp", ""), args.get("nonce", ""))
        except (InvalidSignatureException, InvalidAppIdException):
            return _forbidden()
        except Exception:
            return "not an encrypted WeChat message\n", 400
    try:
        message = parse_message(raw)
        openid = str(message.source)
    except Exception:
        return "not a WeChat message\n", 400
    if not openid:
        return "not a WeChat message\n", 400
    text = answer(svc, message)
    if not text:
        return Response("success", mimetype="text/plain")
    reply = create_reply(text, message).render()
    if crypto is not None:
        reply = crypto.encrypt_message(reply, args.get("nonce", ""), args.get("timestamp", ""))
    return Response(reply, mimetype="application/xml")


def answer(svc: Services, message: Any) -> str | None:
    """The passive reply to a follower's message or event (None: none)."""
    openid = str(message.source)
    with svc.sessions.begin() as db:
        link = db.scalars(select(WechatLink).where(WechatLink.openid == openid)).first()
        phone = link.contact.phone if link else None
        lang = (link.contact.language if link else None) or svc.settings["DEFAULT_LANGUAGE"]
        if link is not None:
            if message.type == "event" and message.event == "unsubscribe":
                link.subscribed = False
                return None
            link.subscribed, link.last_seen_at = True, utcnow()
    if message.type == "event":
        if message.event != "subscribe":
            return None
        return t(lang, "sms_help") if phone else _both("wechat_welcome")
    content = clean_text(message.content) if message.type == "text" else ""
    if phone is None:
        return _linking(svc, openid, content)
    if message.type != "text":
        return t(lang, "sms_unknown")
    inbound = InboundSms(provider_message_id=f"wx-{message.id}", phone=phone, body=content)
    return receive(svc, GATEWAY, inbound, phone, reply_inline=True).reply


def _both(key: str, **values: object) -> str:
    """A text in every language, for a follower whose language we do not know yet."""
    return "\n".join(t(lang, key, **values) for lang in LANGUAGES)


def _mobile(text: str, region: str) -> str | None:
    """The mobile number typed, in E.164; None when it is not one (a code, a word)."""
    try:
        phone = to_e164(text, region) if text else None
    except BadPhone:
        return None
    if phone is None or phonenumbers.number_type(phonenumbers.parse(phone)) not in (
            PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return None
    return phone


def _linking(svc: Services, openid: str, text: str) -> str:
    """An unlinked follower: a phone number gets a code texted to it; the code links them."""
    key = f"wechat:code:{openid}"
    raw = svc.redis.get(key)
    pending = json.loads(raw) if raw else None
    entry = clean(text)
    if pending and secrets.compare_digest(entry.encode(), pending["code"].encode()):
        svc.redis.delete(key)
        with svc.sessions.begin() as db:
            contact = contact_for(db, pending["phone"])
            try:
                with db.begin_nested():
                    db.add(WechatLink(openid=openid, contact_id=contact.id))
            except IntegrityError:  # a repeat of the same message linked it already
                pass
            lang = contact.language or svc.settings["DEFAULT_LANGUAGE"]
        return t(lang, "wechat_linked", phone=pending["phone"])
    phone = None if pending and entry.isdigit() and len(entry) == len(pending["code"]) \
        else _mobile(entry, svc.settings["DEFAULT_REGION"])
    if phone is None:
        if pending:
            pending["tries"] += 1
            if pending["tries"] >= CODE_TRIES:
                svc.redis.delete(key)
            else:
                svc.redis.set(key, json.dumps(pending), keepttl=True)
            return _both("wechat_code_wrong")
        return _both("wechat_ask_phone")
    if pending and pending["phone"] == phone or not svc.redis.set(
            f"wechat:code-sent:{phone}", 1, nx=True, ex=CODE_INTERVAL):
        return _both("wechat_code_sent", phone=phone)  # one code a minute to a phone
    code = f"{secrets.randbelow(10**6):06d}"
    svc.redis.set(key, json.dumps({"phone": phone, "code": code, "tries": 0}), ex=CODE_TTL)
    with svc.sessions.begin() as db:
        contact = contact_for(db, phone)
        add_message(db, contact, templated(contact.language, "wechat_code_sms", code=code),
                    kind="wechat_code", channel=svc.settings["SMS_PROVIDER"], always=True)
    return _both("wechat_code_sent", phone=phone)
