"""No validation message ever shows a protected value (issue 11 #1).

The error builder (``shared.protocol.validation_problems``) knows from each model which fields
are ``PROTECTED``: a petition's query password and its petitioner block, every password and
credential in a request body, camera stream URLs. Whatever is wrong with such a field (too short,
too long, wrong type, bad pattern), and wherever else its value turns up in the same input (the
petitioner's name repeated in the content), the message names the field and never the value.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from shared import protocol as p

SECRET = "Sec12"  # the example: a query password one character too short


def petition(**kw: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "kind": "petition", "id": str(uuid.uuid4()), "channel": "letter", "received_at": "2026-03-02T09:30:00+08:00",
        "petitioner": {"name": "王秘密", "id_number": "350521197003154411", "phone": "13905951234"},
        "anonymous": False, "subject": {"name": "张某"}, "category": "land", "content": "反映问题",
        "receipt_code": "4821937561028374", "query_password": "long enough",
    }
    rec.update(kw)
    return rec


def rejection(raw: dict[str, Any]) -> p.Rejection:
    with pytest.raises(p.Rejection) as info:
        p.parse_record(raw)
    return info.value


def test_a_too_short_query_password_is_named_not_shown() -> None:
    r = rejection(petition(query_password=SECRET))
    assert (r.code, r.field) == ("INVALID_FIELD", "query_password")
    assert "at least 6 characters" in r.message
    assert SECRET not in r.message


@pytest.mark.parametrize("bad", [12345678, ["Sec12345"], "x" * 201, SECRET])
def test_query_password_of_any_wrong_shape_is_not_echoed(bad: object) -> None:
    r = rejection(petition(query_password=bad))
    assert r.field == "query_password"
    for shown in ("12345678", "Sec12345", "x" * 20, SECRET):
        assert shown not in r.message


@pytest.mark.parametrize(("field", "bad"), [
    ("id_number", 350521197003154411), ("phone", "1390595" * 40), ("name", ["王秘密"]), ("address", "址" * 501),
])
def test_petitioner_fields_are_not_echoed(field: str, bad: object) -> None:
    raw = petition()
    raw["petitioner"] = raw["petitioner"] | {field: bad}
    r = rejection(raw)
    assert r.field == f"petitioner.{field}"
    for value in ("350521197003154411", "1390595", "王秘密", "址址"):
        assert value not in r.message, r.message


def test_a_protected_value_repeated_in_another_field_is_redacted_there_too() -> None:
    # The content is too long and its error shows the start of it: the name inside is redacted,
    # and the cut cannot leave half of it behind.
    r = rejection(petition(content="王秘密 13905951234 " * 10_000))
    assert r.field == "content"
    assert "王秘密" not in r.message
    assert "王秘" not in r.message
    assert "13905951234" not in r.message
    assert p.REDACTED in r.message


def test_record_errors_are_built_scrubbed_whatever_the_caller_wrote() -> None:
    raw = petition(query_password="hunter22")
    error = p.record_error(3, raw, "INVALID_FIELD", "receipt code clashes for hunter22 (王秘密)", "receipt_code")
    assert error["index"] == 3
    assert "hunter22" not in error["message"]
    assert "王秘密" not in error["message"]


def bodies() -> list[tuple[type[BaseModel], dict[str, Any], str]]:
    """Every request body with a protected field, and where it is."""
    return [
        (p.LoginIn, {"username": "li"}, "password"),
        (p.UserIn, {"username": "li", "role": "operator"}, "password"),
        (p.StatusIn, {"receipt_code": "4821937561028374"}, "password"),
        (p.StatusIn, {"password": "long enough"}, "receipt_code"),
        (p.CameraIn, {"name": "大厅"}, "main_url"),
        (p.CameraIn, {"name": "大厅", "main_url": "rtsp://10.0.0.1/1"}, "sub_url"),
    ]


@settings(max_examples=150, deadline=None)
@given(which=st.integers(0, 5),
       value=st.one_of(st.text(min_size=2, max_size=2500), st.integers(), st.lists(st.text(min_size=2), max_size=3)))
def test_no_request_body_message_shows_a_protected_value(which: int, value: object) -> None:
    model, base, field = bodies()[which]
    raw = base | {field: value, "zz": str(value)}  # also echoed through an unknown field's error
    try:
        model.model_validate(raw)
    except ValidationError as exc:
        problems = p.validation_problems(model, exc, raw)
    else:
        return
    # (One ASCII character alone is not redacted: every number in a message would go with it.)
    secrets = {s for s in p.protected_values(model, raw) if len(s) > 1 or not s.isascii()}
    for _, _, message in problems:
        for secret in secrets:
            assert secret not in message, (field, secret, message)


def test_protected_fields_are_found_in_the_models_not_in_a_list() -> None:
    assert p.is_protected(p.Petition, ["query_password"])
    assert p.is_protected(p.Petition, ["petitioner", "id_number"])
    assert not p.is_protected(p.Petition, ["content"])
    assert p.is_protected(p.CameraIn, ["main_url"])
    assert not p.is_protected(p.CameraIn, ["name"])
    assert p.protected_values(p.Petition, petition()) >= {"王秘密", "350521197003154411", "long enough"}
