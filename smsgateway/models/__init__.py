"""The records Jobline keeps, one module per capability; every model is importable from here."""

from .areas import Area, AreaLevel
from .broadcasts import Broadcast, BroadcastStatus
from .figures import Target
from .followup import (
    Case,
    CaseCategory,
    CaseEvent,
    CaseStatus,
    CheckIn,
    Departure,
    DepartureAnswer,
    DepartureStatus,
)
from .messages import InboundMessage, Message, MessageStatus
from .postings import (
    Agency,
    Application,
    ApplicationStatus,
    Destination,
    Employer,
    Posting,
    PostingStatus,
)
from .training import Enrolment, EnrolmentStatus, TrainingSession, TrainingStatus
from .users import ApiToken, Role, User
from .villagers import Contact, FamilyContact, Sex, Villager, VillagerSkill
from .wechat import WechatLink

__all__ = [
    "Agency",
    "ApiToken",
    "Application",
    "ApplicationStatus",
    "Area",
    "AreaLevel",
    "Broadcast",
    "BroadcastStatus",
    "Case",
    "CaseCategory",
    "CaseEvent",
    "CaseStatus",
    "CheckIn",
    "Contact",
    "Departure",
    "DepartureAnswer",
    "DepartureStatus",
    "Destination",
    "Employer",
    "Enrolment",
    "EnrolmentStatus",
    "FamilyContact",
    "InboundMessage",
    "Message",
    "MessageStatus",
    "Posting",
    "PostingStatus",
    "Role",
    "Sex",
    "Target",
    "TrainingSession",
    "TrainingStatus",
    "User",
    "Villager",
    "VillagerSkill",
    "WechatLink",
]
