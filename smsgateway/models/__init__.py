"""The records Jobline keeps, one module per capability; every model is importable from here."""

from .aftercare import PayAnswer, PayCheck, PayCheckTotal, PromiseCheck
from .areas import Area, AreaLevel
from .broadcasts import Broadcast, BroadcastStatus
from .cohorts import ArrivalNotice, Cohort, CohortLeader, CohortMember, LeaderRole, TeamReport
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
from .interviews import (
    Interview,
    InterviewSlot,
    InterviewStatus,
    RecruitmentDay,
    RecruitmentDayStatus,
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
from .records import RecordThreshold
from .templates import TemplateApproval
from .training import Enrolment, EnrolmentStatus, TrainingSession, TrainingStatus
from .users import ApiToken, Role, User
from .villagers import Contact, FamilyContact, Sex, Villager, VillagerSkill
from .wechat import WechatLink

__all__ = [
    "TemplateApproval",
    "ArrivalNotice",
    "Cohort",
    "CohortLeader",
    "CohortMember",
    "LeaderRole",
    "TeamReport",
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
    "Interview",
    "InterviewSlot",
    "InterviewStatus",
    "Message",
    "MessageStatus",
    "PayAnswer",
    "PayCheck",
    "PayCheckTotal",
    "Posting",
    "PostingStatus",
    "PromiseCheck",
    "RecordThreshold",
    "RecruitmentDay",
    "RecruitmentDayStatus",
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
