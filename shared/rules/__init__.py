"""The supervision rules of spec 02 §4–6 as pure functions over records.

Each evaluation returns the set of rule hits (with evidence a person can read: which
events, which instants, which limit) and the next instant at which the result could change
without new records, so the server's sweep can index it instead of scanning every case.
"""

from shared.rules.approval import CaseEvent, CaseFacts, CaseResult, Rating, evaluate_case, find_duplicate
from shared.rules.common import RULES, Hit, RuleInfo
from shared.rules.office import office_silent
from shared.rules.petition import PetitionFacts, PetitionResult, evaluate_petition, petition_duplicate

__all__ = [
    "RULES",
    "CaseEvent",
    "CaseFacts",
    "CaseResult",
    "Hit",
    "PetitionFacts",
    "PetitionResult",
    "Rating",
    "RuleInfo",
    "evaluate_case",
    "evaluate_petition",
    "find_duplicate",
    "office_silent",
    "petition_duplicate",
]
