"""Office-level rule: ``OFFICE_SILENT`` (an office that stopped syncing)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.rules.common import Hit, hit, rule_family, run_rules
from shared.timeutil import HOUR, Instant, format_instant


@dataclass(frozen=True, slots=True)
class OfficeView:
    """What the office rules read: the server's time and how far the office has declared its records."""

    now: Instant
    watermark: Instant | None
    created_at: Instant
    silent_hours: int = 24

    @property
    def since(self) -> Instant:
        """The office's last word: its watermark, or its creation before its first batch."""
        return self.watermark if self.watermark is not None else self.created_at

    @property
    def silent_at(self) -> Instant:
        """The instant after which the office counts as silent if nothing more arrives."""
        return self.since + self.silent_hours * HOUR


rule = rule_family("office")


@rule("OFFICE_SILENT", "yellow", "单位未按时报送", "office silent", clock=True)
def office_silent_rule(v: OfficeView) -> list[Hit]:
    """Server now − watermark > ``silent_hours`` (24 h unless configured)."""
    if v.now - v.since <= v.silent_hours * HOUR:
        return []
    hours = (v.now - v.since) // HOUR
    return [hit("OFFICE_SILENT",
                (f"已 {hours} 小时未报送数据（规定 {v.silent_hours} 小时内）",
                 f"no data declared complete for {hours} h (limit {v.silent_hours} h)"),
                watermark=format_instant(v.watermark), counted_from=format_instant(v.since),
                silent_hours=v.silent_hours, now=format_instant(v.now))]


def office_silent(
    *, now: Instant, watermark: Instant | None, created_at: Instant, silent_hours: int = 24
) -> tuple[Hit | None, Instant]:
    """The hit (or None) of every registered office rule (only ``OFFICE_SILENT`` today) and
    the first instant at which that answer would read differently if nothing more arrives:
    the first instant of silence, or for a silent office the next whole hour of it (its
    message counts the hours). Checking an office sooner would find the same alert, and a
    province's sweeps would re-read every office whose instant sat on ``now`` (issue 17)."""
    view = OfficeView(now, watermark, created_at, silent_hours)
    hits = run_rules("office", view)
    hit_ = next(iter(hits.values()), None)
    if hit_ is None:
        return None, view.silent_at + 1  # silence is *more* than the hours: the limit itself is not
    return hit_, view.since + ((now - view.since) // HOUR + 1) * HOUR
