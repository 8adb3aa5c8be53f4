"""Office-level rule: ``OFFICE_SILENT`` (an office that stopped syncing)."""

from __future__ import annotations

from shared.rules.common import Hit
from shared.timeutil import HOUR, Instant, format_instant


def office_silent(
    *, now: Instant, watermark: Instant | None, created_at: Instant, silent_hours: int = 24
) -> tuple[Hit | None, Instant]:
    """The hit (or None) and the instant at which the office would next become silent."""
    since = watermark if watermark is not None else created_at
    limit = since + silent_hours * HOUR
    if now - since > silent_hours * HOUR:
        hours = (now - since) // HOUR
        return (
            Hit(
                "OFFICE_SILENT",
                None,
                f"已 {hours} 小时未报送数据（规定 {silent_hours} 小时内）",
                {
                    "watermark": format_instant(watermark),
                    "counted_from": format_instant(since),
                    "silent_hours": silent_hours,
                    "now": format_instant(now),
                },
                f"no data declared complete for {hours} h (limit {silent_hours} h)",
            ),
            limit,
        )
    return None, limit
