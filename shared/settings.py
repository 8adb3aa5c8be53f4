"""Server settings an administrator may change: each a typed model with defaults.

A setting has a name (``risk-index``, ``office-silent``, ``calendar-warning``), a pydantic
model whose field defaults are the product's defaults, and a one-line title. The server
stores only what an administrator set (``PUT /api/v1/admin/settings/{name}``, audited with
the values before and after) and answers the model's defaults for the rest; the CLI and the
console read the same registry to show and check values before sending them.

Every field is a flat number or string, so ``yingyan admin settings set NAME FIELD=VALUE``
and the console's settings table can edit any setting without knowing it. A new setting
(the risk-index work adds its weights here) is one model and one ``register`` call.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, model_validator

Weight = Annotated[StrictInt, Field(ge=-100, le=100)]
Threshold = Annotated[StrictInt, Field(ge=0, le=100)]


class _Setting(BaseModel):
    # A misspelt field must not be stored and silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class RiskIndexSettings(_Setting):
    """Weights and level thresholds of the diligence-integrity risk index (spec 07 §1)."""

    red_alert: Weight = Field(-10, description="points for a red alert raised")
    yellow_alert: Weight = Field(-3, description="points for a yellow alert raised")
    red_card: Weight = Field(-15, description="points for a red card")
    yellow_card: Weight = Field(-5, description="points for a yellow card")
    notice_overdue: Weight = Field(-8, description="points for a supervision notice answered late or not at all")
    dissatisfied: Weight = Field(-2, description="points for a dissatisfied rating")
    very_poor: Weight = Field(-4, description="points for a very poor rating")
    substantiated_petition: Weight = Field(-10, description="points for a petition closed as substantiated")
    green_from: Threshold = Field(85, description="an index at or above this is green")
    yellow_from: Threshold = Field(70, description="an index at or above this (and below green) is yellow")

    @model_validator(mode="after")
    def _ordered(self) -> RiskIndexSettings:
        if self.yellow_from > self.green_from:
            raise ValueError(f"yellow_from ({self.yellow_from}) must not exceed green_from ({self.green_from})")
        return self


Share = Annotated[StrictInt, Field(ge=0, le=100)]


class EvaluationSettings(_Setting):
    """Weights of the monthly efficiency evaluation's components (spec 07 §2)."""

    efficiency: Share = Field(40, description="weight of efficiency (行政效能)")
    anomalies: Share = Field(25, description="weight of anomalies (异常)")
    supervision: Share = Field(15, description="weight of routine supervision (日常监督)")
    public: Share = Field(20, description="weight of public evaluation (公众评价)")

    @model_validator(mode="after")
    def _some_weight(self) -> EvaluationSettings:
        if self.efficiency + self.anomalies + self.supervision + self.public == 0:
            raise ValueError("at least one component needs a weight above 0")
        return self


class OfficeSilentSettings(_Setting):
    """``OFFICE_SILENT`` (spec 02 §5): hours without data before an office is flagged."""

    hours: Annotated[StrictInt, Field(ge=1, le=24 * 90)] = Field(
        24, description="hours without a batch before an office is flagged (offices without their own limit)")


class CalendarWarningSettings(_Setting):
    """From which day of the year the next year's missing holidays are warned about."""

    from_month: Annotated[StrictInt, Field(ge=1, le=12)] = Field(
        11, description="month from which next year's missing holidays are warned about")
    from_day: Annotated[StrictInt, Field(ge=1, le=31)] = Field(
        1, description="day of that month")

    @model_validator(mode="after")
    def _real_day(self) -> CalendarWarningSettings:
        # Every year has this day (no 29 February, which most years lack).
        last = _calendar.monthrange(2027, self.from_month)[1]
        if self.from_day > last:
            raise ValueError(f"month {self.from_month} has no day {self.from_day}")
        return self


@dataclass(frozen=True)
class SettingSpec:
    name: str
    model: type[_Setting]
    title: str

    def default(self) -> _Setting:
        return self.model()

    def fields(self) -> dict[str, str]:
        """Field name → its description, in the model's order."""
        return {name: info.description or name for name, info in self.model.model_fields.items()}


SETTINGS: dict[str, SettingSpec] = {}


def register(name: str, model: type[_Setting], title: str) -> SettingSpec:
    spec = SettingSpec(name, model, title)
    SETTINGS[name] = spec
    return spec


register("risk-index", RiskIndexSettings, "Risk index weights and levels")
register("evaluation", EvaluationSettings, "Monthly evaluation component weights")
register("office-silent", OfficeSilentSettings, "Hours without data before an office is silent")
register("calendar-warning", CalendarWarningSettings, "When next year's missing holidays are warned about")


class SettingError(ValueError):
    """A value an administrator gave does not fit the setting; ``problems`` says each why."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def spec_for(name: str) -> SettingSpec:
    spec = SETTINGS.get(name)
    if spec is None:
        raise SettingError([f"no setting {name[:64]!r}; the settings are: {', '.join(sorted(SETTINGS))}"])
    return spec


def validate(name: str, value: object) -> _Setting:
    """``value`` (a JSON object) as the setting's model; raises ``SettingError`` naming each field."""
    spec = spec_for(name)
    if not isinstance(value, dict):
        raise SettingError([f"{name}: send an object of fields ({', '.join(spec.fields())})"])
    try:
        return spec.model.model_validate(value)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            where = ".".join(str(p) for p in err["loc"])
            problems.append(f"{where}: {err['msg']}" if where else str(err["msg"]).removeprefix("Value error, "))
        raise SettingError(problems) from None


def parse_assignments(name: str, current: dict[str, Any], assignments: list[str]) -> dict[str, Any]:
    """``FIELD=VALUE`` pairs (from a command line) applied to ``current``; values typed by the model."""
    spec = spec_for(name)
    out = dict(current)
    problems = []
    for text in assignments:
        field, sep, raw = text.partition("=")
        field = field.strip()
        if not sep or not field:
            problems.append(f"{text!r}: write FIELD=VALUE")
            continue
        info = spec.model.model_fields.get(field)
        if info is None:
            problems.append(f"{field}: not a field of {name} ({', '.join(spec.fields())})")
            continue
        out[field] = coerce(info.annotation, raw.strip())
    if problems:
        raise SettingError(problems)
    return out


def coerce(annotation: Any, raw: str) -> Any:
    """A text value as the field's type when it reads as one (the model then checks it)."""
    base = getattr(annotation, "__origin__", annotation)
    if base is int or annotation is int:
        try:
            return int(raw)
        except ValueError:
            return raw
    if base is float:
        try:
            return float(raw)
        except ValueError:
            return raw
    if base is bool:
        return {"true": True, "false": False, "1": True, "0": False}.get(raw.lower(), raw)
    return raw
