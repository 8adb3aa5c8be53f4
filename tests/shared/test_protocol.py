"""Record validation gives the spec's codes for garbage, wrong types, hostile and oversize input."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from shared.catalogue import CatalogueError, parse_catalogue
from shared.protocol import Rejection, parse_record


def rec(**kw: Any) -> dict[str, Any]:
    base = {"kind": "approval_event", "id": str(uuid.uuid4()), "case_no": "C1", "power_code": "P",
            "type": "received", "at": "2026-03-02T09:00:00+08:00"}
    base.update(kw)
    return base


@pytest.mark.parametrize(
    ("raw", "code", "field"),
    [
        ("not a record", "INVALID_FIELD", None),
        ({"no": "kind"}, "MISSING_FIELD", "kind"),
        (rec(kind="lottery_ticket"), "UNKNOWN_KIND", "kind"),
        (rec(kind=["approval_event"]), "UNKNOWN_KIND", "kind"),
        (rec(type="approved"), "INVALID_FIELD", "type"),
        (rec(at=None), "INVALID_FIELD", "at"),
        (rec(at="2026-03-02T09:00:00"), "INVALID_FIELD", "at"),
        (rec(at="yesterday"), "INVALID_FIELD", "at"),
        (rec(id="not-a-uuid"), "INVALID_FIELD", "id"),
        (rec(seq="1"), "INVALID_FIELD", "seq"),
        (rec(seq=True), "INVALID_FIELD", "seq"),
        (rec(case_no="x" * 10_000), "INVALID_FIELD", "case_no"),
        (rec(case_no=""), "INVALID_FIELD", "case_no"),
        (rec(type="fee_charged", amount_fen=-5), "INVALID_FIELD", "amount_fen"),
        (rec(type="fee_charged", amount_fen=1.5), "INVALID_FIELD", "amount_fen"),
        (rec(type="fee_charged"), "MISSING_FIELD", "amount_fen"),
        (rec(type="node_completed"), "MISSING_FIELD", "node"),
        (rec(type="decided", result="maybe"), "INVALID_FIELD", "result"),
        (rec(note={"deep": [[[[1]]]]}), "INVALID_FIELD", "note"),
    ],
)
def test_bad_records_get_the_spec_code(raw: Any, code: str, field: str | None) -> None:
    with pytest.raises(Rejection) as info:
        parse_record(raw)
    assert info.value.code == code
    if field is not None:
        assert info.value.field == field


def test_hostile_text_is_kept_verbatim_and_unknown_fields_are_ignored() -> None:
    text = "'; DROP TABLE approval_events; -- <script>alert(1)</script> \u202e 👀"
    parsed = parse_record(rec(actor=text[:200], note=text, extra_column="ignored"))
    assert parsed.note == text  # type: ignore[attr-defined]
    assert not hasattr(parsed, "extra_column")


def test_petition_rules_on_identity_and_receipt() -> None:
    base = {"kind": "petition", "id": str(uuid.uuid4()), "channel": "letter",
            "received_at": "2026-06-01T09:00:00+08:00", "subject": {"name": "张某"}, "content": "…"}
    with pytest.raises(Rejection) as info:
        parse_record(base | {"anonymous": False})
    assert info.value.field == "petitioner"
    with pytest.raises(Rejection) as info:
        parse_record(base | {"anonymous": True, "petitioner": {"name": "李某"}})
    assert info.value.field == "petitioner"
    with pytest.raises(Rejection) as info:
        parse_record(base | {"anonymous": False, "petitioner": {"name": "李某"}, "receipt_code": "123",
                             "query_password": "secret1"})
    assert info.value.field == "receipt_code"
    ok: Any = parse_record(base | {"anonymous": True})
    assert ok.kind == "petition"


def test_catalogue_errors_name_item_and_field() -> None:
    good = {"code": "A-1", "name": "许可", "department": "D1", "legal_days": 10, "committed_days": 5,
            "nodes": [{"code": "review", "name": "审查", "days": 2}]}
    with pytest.raises(CatalogueError) as info:
        parse_catalogue([good, good | {"committed_days": 20}, good | {"code": "B", "legal_days": "ten"},
                         good | {"code": "C", "separate_duties": [["review", "nowhere"]]}])
    problems = "\n".join(info.value.problems)
    assert "items[1]" in problems
    assert "committed_days" in problems
    assert "items[2].legal_days" in problems
    assert "nowhere" in problems
    with pytest.raises(CatalogueError):
        parse_catalogue({"items": "not a list"})
