"""Reading and changing server settings: typed, with defaults, every change audited.

``current(session, name)`` is what the rest of the server calls (the evaluator for
``office-silent``, the calendar status for ``calendar-warning``, the risk index for its
weights): the stored value checked against the setting's model, or the model's defaults.
A stored value that no longer fits the model (a field renamed in a later release) falls
back to the defaults for the fields that do not fit, and says so in the log.
"""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.audit import service as audit
from server.offices.models import Office
from server.settings.models import ServerSetting
from shared import settings as registry
from shared.admin import Setting
from shared.timeutil import format_instant

log = logging.getLogger(__name__)
S = TypeVar("S", bound=BaseModel)


def current(session: Session, model: type[S], name: str) -> S:
    """The setting ``name`` in force, as ``model``."""
    row = session.get(ServerSetting, name)
    if row is None:
        return model()
    try:
        return model.model_validate(row.value)
    except ValueError:
        fields = {k: v for k, v in row.value.items() if k in model.model_fields}
        log.warning("stored setting %s does not fit its model; using the defaults where it does not", name)
        try:
            return model.model_validate(fields)
        except ValueError:
            return model()


def _out(spec: registry.SettingSpec, row: ServerSetting | None, value: BaseModel) -> Setting:
    return Setting(
        name=spec.name, title=spec.title, value=value.model_dump(mode="json"),
        default=spec.default().model_dump(mode="json"), fields=spec.fields(),
        version=row.version if row else 0, updated_at=format_instant(row.updated_at) if row else None,
        updated_by=row.updated_by if row else None,
    )


def get_setting(session: Session, *, name: str) -> Setting:
    spec = registry.spec_for(name)
    return _out(spec, session.get(ServerSetting, name), current(session, spec.model, name))


def list_settings(session: Session) -> list[Setting]:
    return [get_setting(session, name=name) for name in registry.SETTINGS]


def put_setting(session: Session, *, name: str, value: dict[str, Any], actor: str, now: int) -> Setting:
    """Store ``value`` (checked by the setting's model; raises ``SettingError``), audited with the
    values before and after."""
    spec = registry.spec_for(name)
    checked = registry.validate(name, value)
    row = session.get(ServerSetting, name)
    before = current(session, spec.model, name).model_dump(mode="json")
    after = checked.model_dump(mode="json")
    if row is None:
        row = ServerSetting(name=name, value=after, version=1, updated_at=now, updated_by=actor)
        session.add(row)
    else:
        row.value, row.version, row.updated_at, row.updated_by = after, row.version + 1, now, actor
    session.flush()
    if name == "office-silent" and before != after:
        # Each office's next silence was computed with the old hours: the next sweep works it out again.
        session.execute(update(Office).values(next_silent_check=None))
    changed = {k: {"before": before.get(k), "after": v} for k, v in after.items() if before.get(k) != v}
    audit.append(session, at=now, actor=actor, action="settings.put", entity="setting", entity_id=name,
                 before=before, after=after, detail={"before": before, "after": after, "changed": changed})
    return _out(spec, row, checked)


def stored_names(session: Session) -> list[str]:
    return list(session.scalars(select(ServerSetting.name)))
