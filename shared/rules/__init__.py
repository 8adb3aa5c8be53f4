"""The supervision rules of spec 02 §4–6 as pure functions over records.

Each rule is one small function over a view of its subject (a case, a petition, an
office), declared beside its ``RuleInfo``; ``RULES`` maps each code to that ``RuleInfo``
(``RULES[code].check`` is the function) and each family's evaluator runs the registered
rules of its subject. Each evaluation returns the set of rule hits (with evidence a
person can read: which events, which instants, which limit) and the next instant at which
the result could change without new records, so the server's sweep can index it instead
of scanning every case.
"""

# Importing a family module declares its rules into RULES, in this order (the order the
# product lists them): a new rule family joins with one line, its module's name here.
from shared.rules import approval, notice, office, petition, risk  # noqa: F401
from shared.rules.approval import CaseEvent, CaseFacts, CaseResult, Rating, evaluate_case, find_duplicate
from shared.rules.common import RULES, Hit, RuleInfo, hit, run_rules
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
    "hit",
    "office_silent",
    "petition_duplicate",
    "run_rules",
]
