"""Server settings: typed, with defaults, values checked field by field."""

from __future__ import annotations

import pytest

from shared import settings


def test_defaults_are_the_specs() -> None:
    risk = settings.spec_for("risk-index").default()
    assert isinstance(risk, settings.RiskIndexSettings)
    assert (risk.red_alert, risk.yellow_alert, risk.green_from, risk.yellow_from) == (-10, -3, 85, 70)
    assert settings.spec_for("office-silent").default().model_dump() == {"hours": 24}
    assert settings.spec_for("calendar-warning").default().model_dump() == {"from_month": 11, "from_day": 1}


@pytest.mark.parametrize(("name", "value", "words"), [
    ("office-silent", {"hours": 0}, "greater than or equal to 1"),
    ("office-silent", {"hours": "24"}, "valid integer"),
    ("office-silent", {"hourz": 5}, "Extra inputs"),
    ("office-silent", [1], "send an object"),
    ("risk-index", {"yellow_from": 90}, "must not exceed green_from"),
    ("calendar-warning", {"from_month": 2, "from_day": 30}, "has no day 30"),
    ("nope", {}, "no setting 'nope'"),
])
def test_bad_values_say_which_field_and_why(name: str, value: object, words: str) -> None:
    with pytest.raises(settings.SettingError) as exc:
        settings.validate(name, value)
    assert any(words in p for p in exc.value.problems), exc.value.problems


def test_assignments_from_a_command_line() -> None:
    out = settings.parse_assignments("risk-index", {"red_alert": -10}, ["red_alert=-12", "green_from = 90"])
    assert out == {"red_alert": -12, "green_from": 90}
    with pytest.raises(settings.SettingError, match="not a field"):
        settings.parse_assignments("risk-index", {}, ["redalert=1"])
    with pytest.raises(settings.SettingError, match="FIELD=VALUE"):
        settings.parse_assignments("risk-index", {}, ["red_alert"])
    # A value that is not a number stays text, so the model names the field's type.
    with pytest.raises(settings.SettingError, match="valid integer"):
        settings.validate("office-silent", settings.parse_assignments("office-silent", {}, ["hours=lots"]))
