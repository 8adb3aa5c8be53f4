"""The rule registry: every rule code the product documents has its own function in
``RULES``, declared once, with the documented severity and subject; evaluators run exactly
the registered rules; every registered rule has boundary tests in this folder."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from shared.rules import RULES, Hit
from shared.rules.common import rule_family

from .support import Events, item, view

#: Every rule code the product documents (spec 02 §5–6 tables), in the order ``GET /rules``
#: and the wall list them: code → (severity, the subject it is evaluated for).
DOCUMENTED: dict[str, tuple[str, str]] = {
    "DEADLINE_NEAR": ("yellow", "case"),
    "OVERDUE": ("red", "case"),
    "NODE_OVERDUE": ("yellow", "case"),
    "ACCEPTANCE_LATE": ("yellow", "case"),
    "SKIPPED_NODE": ("red", "case"),
    "CHANGED_AFTER_CLOSE": ("red", "case"),
    "NO_REASON": ("red", "case"),
    "FEE_EXCESS": ("red", "case"),
    "DUPLICATE_CASE": ("yellow", "case"),
    "SUSPENSION_ABUSE": ("yellow", "case"),
    "SEGREGATION": ("red", "case"),
    "POOR_RATING": ("yellow", "case"),
    "BACKDATED": ("yellow", "case"),
    "OFFICE_SILENT": ("yellow", "office"),
    "PETITION_ACCEPT_DUE": ("yellow", "petition"),
    "PETITION_ACCEPT_OVERDUE": ("red", "petition"),
    "PETITION_HANDLE_DUE": ("yellow", "petition"),
    "PETITION_HANDLE_OVERDUE": ("red", "petition"),
    "PETITION_DUPLICATE": ("yellow", "petition"),
}
CLOCK_RULES = {"DEADLINE_NEAR", "OVERDUE", "NODE_OVERDUE", "ACCEPTANCE_LATE", "OFFICE_SILENT",
               "PETITION_ACCEPT_DUE", "PETITION_ACCEPT_OVERDUE", "PETITION_HANDLE_DUE", "PETITION_HANDLE_OVERDUE"}

#: Codes the spec documents for features still being built (issue 14): checked like the
#: others once registered, reported as expected failures until then.
PLANNED: dict[str, str] = {
    "NOTICE_REPLY_OVERDUE": "supervision notices (spec 06 §4, issue 14)",
    "RISK_LEVEL": "the risk index (spec 07 §1, issue 14)",
}

HERE = Path(__file__).parent
SPEC = Path(__file__).resolve().parents[4] / "shared" / "spec"
"""The product specification beside the repository (``../shared``), when it is there."""


@pytest.mark.parametrize("code", list(DOCUMENTED))
def test_every_documented_code_has_a_function(code: str) -> None:
    assert code in RULES, f"{code} is documented but has no rule function in RULES"
    info = RULES[code]
    assert (info.severity, info.subject) == DOCUMENTED[code]
    assert info.clock is (code in CLOCK_RULES)
    assert inspect.isfunction(info.check)
    assert info.check.__module__.startswith("shared.rules.")
    assert info.name_zh
    assert info.name_en


@pytest.mark.parametrize("code", list(PLANNED))
def test_planned_codes_once_built(code: str) -> None:
    if code not in RULES:
        pytest.xfail(f"{code} not built yet: {PLANNED[code]}")
    assert inspect.isfunction(RULES[code].check)


def test_registry_lists_the_documented_rules_in_their_order() -> None:
    assert [c for c in RULES if c in DOCUMENTED] == list(DOCUMENTED)


def test_every_registered_rule_has_a_function_and_boundary_tests() -> None:
    tests = "\n".join(p.read_text(encoding="utf-8") for p in HERE.glob("test_*.py") if p.name != Path(__file__).name)
    for code, info in RULES.items():
        assert info.code == code
        assert callable(info.check), code
        assert f'"{code}"' in tests, f"{code} has no boundary test in {HERE}"


def test_a_code_cannot_be_declared_twice() -> None:
    rule = rule_family("case")
    before = dict(RULES)

    def again(view: object) -> list[Hit]:
        return []

    with pytest.raises(ValueError, match="OVERDUE is declared twice"):
        rule("OVERDUE", "red", "超时办理", "overdue", clock=True)(again)
    assert before == RULES


def test_each_rule_builds_hits_of_its_own_code() -> None:
    # A case that breaks most rules at once: every hit a rule returns carries that rule's code.
    events = (Events().add("received", "03-02T08:00", backdated=True)
              .add("node_completed", "03-02T09:00", node="approve", actor="S")
              .add("accepted", "03-05T10:00", actor="S")
              .add("fee_charged", "03-05T11:00", amount_fen=9999)
              .add("suspended", "03-06T09:00", reason_code="leader_away")
              .add("resumed", "03-06T10:00")
              .add("decided", "03-20T09:00", result="refused", actor="S")
              .add("node_completed", "03-21T09:00", node="review"))
    v = view(events, "03-25T00:00", power=item(acceptance_days=1))
    fired = set()
    for code, info in RULES.items():
        if info.subject != "case":
            continue
        for h in info(v):
            assert h.rule == code
            fired.add(code)
    assert fired >= {"OVERDUE", "NODE_OVERDUE", "ACCEPTANCE_LATE", "SKIPPED_NODE", "CHANGED_AFTER_CLOSE",
                     "NO_REASON", "FEE_EXCESS", "SUSPENSION_ABUSE", "SEGREGATION", "BACKDATED"}


def test_rules_read_views_not_raw_events() -> None:
    # One hop from the code to the rule: its function's first parameter is its family's view.
    views = {"case": "CaseView", "petition": "PetitionView", "office": "OfficeView"}
    for code, info in RULES.items():
        if info.subject in views:
            (param,) = inspect.signature(info.check).parameters.values()
            assert param.annotation == views[info.subject], code


@pytest.mark.skipif(not SPEC.is_dir(), reason="the product specification (../shared/spec) is not beside the tree")
def test_the_specification_documents_no_code_missing_here() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SPEC.glob("*.md")))
    table = set(re.findall(r"^\| `([A-Z][A-Z_]+)` \| (?:yellow|red) \|", text, re.MULTILINE))
    named = set(re.findall(r"\b[Rr]ule `([A-Z][A-Z_]+)`", text))
    assert table, "the rule tables of spec 02 were not found"
    assert (table | named) - set(DOCUMENTED) - set(PLANNED) == set()
    assert set(DOCUMENTED) <= table
