"""The rule registry, the hit type and the helpers shared by every rule family."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, TypeVar

Severity = Literal["yellow", "red"]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule's name, severity and the function that is the rule.

    ``RULES[code]`` leads to the rule in one hop: ``RULES["SKIPPED_NODE"].check`` is the
    function, and calling the ``RuleInfo`` itself runs it.
    """

    code: str
    severity: Severity
    name_zh: str
    name_en: str
    clock: bool
    """Clock rules see only the records with ``at ≤ as_of``."""
    subject: str
    """The view the rule reads: ``case`` (``CaseView``), ``petition`` (``PetitionView``),
    ``office`` (``OfficeView``); each family's evaluator runs the rules of its subject."""
    check: Callable[[Any], list[Hit]]
    """The predicate with its evidence: the hits for one view (empty when it does not hold)."""

    def __call__(self, view: Any) -> list[Hit]:
        return self.check(view)


RULES: dict[str, RuleInfo] = {}
"""Every rule, code → ``RuleInfo``, in the order the product lists them (``GET /rules``, the
wall's rule filter) and evaluates them. Each rule joins it where it is declared
(:func:`rule_family`); ``shared/rules/__init__.py`` imports every family module, so a new
family joins with one line there."""


def rule_family(subject: str) -> Callable[..., Callable[[RuleFn], RuleFn]]:
    """The decorator that declares a rule of one family beside its function.

    ``@rule("OVERDUE", "red", "超时办理", "overdue", clock=True)`` above ``def overdue(view)``
    adds its ``RuleInfo`` to ``RULES`` (declaration order is evaluation order) and leaves
    the function as it is, so it can be called and tested directly.
    """

    def rule(code: str, severity: Severity, name_zh: str, name_en: str, *, clock: bool
             ) -> Callable[[RuleFn], RuleFn]:
        def declare(fn: RuleFn) -> RuleFn:
            if code in RULES:
                raise ValueError(f"rule {code} is declared twice")
            RULES[code] = RuleInfo(code, severity, name_zh, name_en, clock, subject, fn)
            return fn

        return declare

    return rule


def run_rules(subject: str, view: Any) -> dict[tuple[str, str | None], Hit]:
    """Every registered rule of ``subject`` over one view, in ``RULES`` order.

    A rule may find the same ``(rule, node)`` twice (two events skipping one node): the
    first hit stands, so the evidence names the earliest cause.
    """
    hits: dict[tuple[str, str | None], Hit] = {}
    for check in _checks(subject):
        for h in check(view):
            hits.setdefault(h.key, h)
    return hits


_CHECKS: dict[str, tuple[int, tuple[Callable[[Any], list[Hit]], ...]]] = {}


def _checks(subject: str) -> tuple[Callable[[Any], list[Hit]], ...]:
    # The sweep evaluates every case due, so the family's functions are looked up once;
    # RULES only grows (by declaration), so its size tells whether the list is current.
    cached = _CHECKS.get(subject)
    if cached is None or cached[0] != len(RULES):
        cached = (len(RULES), tuple(info.check for info in RULES.values() if info.subject == subject))
        _CHECKS[subject] = cached
    return cached[1]


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see shared.rules.approval.CaseEvent
class Hit:
    """One rule whose predicate is true for a subject (and node); build it with :func:`hit`.

    ``message`` is in Chinese (the product's language for its users); ``message_en`` is
    the same sentence in English for the English interface.
    """

    rule: str
    node: str | None
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    message_en: str = ""

    @property
    def severity(self) -> Severity:
        return RULES[self.rule].severity

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.rule, self.node)


Text = tuple[str, str]
"""A message as (Chinese, English)."""

RuleFn = TypeVar("RuleFn", bound=Callable[..., list[Hit]])


def hit(rule: str, text: Text, *, node: str | None = None, **evidence: Any) -> Hit:
    """The one way to build a hit: the rule, its message as (Chinese, English), the node it
    concerns (None for the whole subject) and the evidence a person can check."""
    return Hit(rule, node, text[0], evidence, text[1])

EVENT_NAMES_ZH = {
    "received": "收件", "accepted": "受理", "not_accepted": "不予受理", "node_completed": "环节办结",
    "suspended": "暂停计时", "resumed": "恢复计时", "fee_charged": "收费", "decided": "办结", "delivered": "送达",
    "withdrawn": "撤回",
}
#: English names for ``message_en`` (codes such as ``node_completed`` read as words).
EVENT_NAMES_EN = {code: code.replace("_", " ") for code in EVENT_NAMES_ZH}
RATING_NAMES_EN = {"satisfied": "satisfied", "basically_satisfied": "basically satisfied",
                   "dissatisfied": "dissatisfied", "very_poor": "very poor"}
RATING_NAMES_ZH = {
    "satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意", "very_poor": "很差",
}


def short(instant: int | None) -> str:
    """An instant as people read it: ``2026-03-07 00:00`` (local time)."""
    return "—" if instant is None else _short(instant)


@lru_cache(maxsize=65_536)
def _short(instant: int) -> str:
    # Messages name the same few instants (midnights, shared due times) for thousands of cases.
    from shared.timeutil import format_instant

    return format_instant(instant)[:16].replace("T", " ")


def earliest_after(candidates: list[int | None], as_of: int) -> int | None:
    """The smallest candidate instant strictly after ``as_of`` (None when there is none)."""
    later = [c for c in candidates if c is not None and c > as_of]
    return min(later) if later else None
