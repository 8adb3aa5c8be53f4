"""Imports every table so that ``Base.metadata`` is complete (Alembic, tests)."""

from server.alerts.models import Alert, AlertAction
from server.audit.models import AuditEntry
from server.auth.models import Failure, Token, User
from server.batches.models import Batch
from server.cameras.models import Camera
from server.cards.models import Card, CardEntry
from server.cases.models import ApprovalCase, ApprovalEvent, Evaluation
from server.catalogue.models import CalendarYear, Meta, PowerItemVersion, SweepRun
from server.changes.models import Change, ChangeAudience
from server.db import Base
from server.evidence.models import EvidenceUpload
from server.figures.models import MonthlyFigures
from server.investigations.models import (
    Investigation,
    InvestigationEntry,
    InvestigationEvidence,
    InvestigationLink,
    InvestigationOpinion,
    InvestigationPerson,
)
from server.mutations.models import Mutation
from server.notices.models import Notice, NoticeEntry, NoticeReply
from server.offices.models import Office
from server.petitions.models import Petition, PetitionEvent
from server.reminders.models import RiskReminder
from server.settings.models import ServerSetting

__all__ = [
    "Alert",
    "AlertAction",
    "ApprovalCase",
    "ApprovalEvent",
    "AuditEntry",
    "Base",
    "Batch",
    "CalendarYear",
    "Camera",
    "Card",
    "CardEntry",
    "Change",
    "ChangeAudience",
    "Evaluation",
    "EvidenceUpload",
    "Failure",
    "Investigation",
    "InvestigationEntry",
    "InvestigationEvidence",
    "InvestigationLink",
    "InvestigationOpinion",
    "InvestigationPerson",
    "Meta",
    "MonthlyFigures",
    "Mutation",
    "Notice",
    "NoticeEntry",
    "NoticeReply",
    "Office",
    "Petition",
    "PetitionEvent",
    "PowerItemVersion",
    "RiskReminder",
    "ServerSetting",
    "SweepRun",
    "Token",
    "User",
]
