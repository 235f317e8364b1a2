"""WeChat Official Account followers linked to a phone's contact (one person, one villager)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, utcnow

if TYPE_CHECKING:
    from .villagers import Contact


class WechatLink(Base):
    """A follower (`openid`) who proved, by a code sent by SMS, that a phone is theirs."""

    __tablename__ = "wechat_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    openid: Mapped[str] = mapped_column(String(64), unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    subscribed: Mapped[bool] = mapped_column(default=True)  # unsubscribe: no WeChat messages
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)  # its last message to us

    contact: Mapped[Contact] = relationship()
