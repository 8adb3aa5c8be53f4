"""The monthly efficiency evaluation (效能评估, spec 07 §2) as pure functions over counts.

The server counts, per unit (office or department) and month, what each component is made
of (:class:`UnitCounts`); :func:`evaluation_rows` scores the four components 0–100, forms the
weighted mean of those that apply (no ratings: the public component drops out and the other
weights renormalise; a department has no routine-supervision component, cards and notices go
to offices) and ranks best first, ties sharing a rank. The counts travel with each row, so a
report can show what every score was made of.

Scores:

* efficiency = 50 × early-completion rate + 50 × (1 − mean fraction of the time limit used),
  over the cases decided in the month (none decided: the component drops out);
* anomalies = 100 − (10 × red + 3 × yellow approval alerts) per 100 cases decided (at least 0);
* routine supervision = 100 − the risk index's weights for each card and late notice reply
  and the yellow-alert weight for each ``OFFICE_SILENT`` alert (at least 0);
* public = satisfied and basically satisfied over all ratings, in percent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from shared.settings import EvaluationSettings, RiskIndexSettings

COMPONENTS = ("efficiency", "anomalies", "supervision", "public")


@dataclass
class UnitCounts:
    received: int = 0
    decided: int = 0
    early: int = 0
    one_time: int = 0
    used_fraction_sum: float = 0.0
    working_days_sum: float = 0.0
    timed: int = 0
    """Decided cases whose working time is known (the denominators of the two means)."""
    red_alerts: int = 0
    yellow_alerts: int = 0
    alerts_by_rule: dict[str, int] = field(default_factory=dict)
    red_cards: int = 0
    yellow_cards: int = 0
    notices_issued: int = 0
    notices_due: int = 0
    notices_on_time: int = 0
    notices_late: int = 0
    silent_alerts: int = 0
    reminders: int = 0
    ratings: int = 0
    satisfied: int = 0
    petitions_by_status: dict[str, int] = field(default_factory=dict)
    petitions_finished: int = 0
    petitions_on_time: int = 0
    office_level: bool = True
    """Cards, notices and silence belong to offices: a department has no supervision component."""

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("office_level")
        out["used_fraction_sum"] = round(self.used_fraction_sum, 4)
        out["working_days_sum"] = round(self.working_days_sum, 3)
        return out


def _rate(n: int, d: int) -> float | None:
    return None if d == 0 else round(100.0 * n / d, 1)


def statistics_of(c: UnitCounts) -> dict[str, Any]:
    """The headline figures (spec 07 §3) from the counts."""
    return {
        "cases_received": c.received, "cases_decided": c.decided,
        "early_completion_rate": _rate(c.early, c.decided), "one_time_rate": _rate(c.one_time, c.decided),
        "average_working_days": None if c.timed == 0 else round(c.working_days_sum / c.timed, 2),
        "red_alerts": c.red_alerts, "yellow_alerts": c.yellow_alerts, "alerts_by_rule": dict(c.alerts_by_rule),
        "reminders": c.reminders, "red_cards": c.red_cards, "yellow_cards": c.yellow_cards,
        "notices_issued": c.notices_issued, "notices_due": c.notices_due, "notices_on_time": c.notices_on_time,
        "ratings": c.ratings, "satisfaction_rate": _rate(c.satisfied, c.ratings),
        "petitions_by_status": dict(c.petitions_by_status),
        "petitions_on_time_rate": _rate(c.petitions_on_time, c.petitions_finished),
    }


def component_scores(c: UnitCounts, risk: RiskIndexSettings) -> dict[str, float | None]:
    out: dict[str, float | None] = dict.fromkeys(COMPONENTS)
    if c.decided:
        early = c.early / c.decided
        used = min(1.0, c.used_fraction_sum / c.timed) if c.timed else 1.0
        out["efficiency"] = round(50 * early + 50 * (1 - used), 1)
    per_100 = (10 * c.red_alerts + 3 * c.yellow_alerts) * 100 / max(c.decided, 1)
    out["anomalies"] = round(max(0.0, 100 - per_100), 1)
    if c.office_level:
        penalty = (abs(risk.red_card) * c.red_cards + abs(risk.yellow_card) * c.yellow_cards
                   + abs(risk.notice_overdue) * c.notices_late + abs(risk.yellow_alert) * c.silent_alerts)
        out["supervision"] = float(max(0, 100 - penalty))
    if c.ratings:
        out["public"] = round(100.0 * c.satisfied / c.ratings, 1)
    return out


def total_of(scores: Mapping[str, float | None], weights: EvaluationSettings) -> float:
    parts = [(getattr(weights, k), v) for k, v in scores.items() if v is not None and getattr(weights, k) > 0]
    weight = sum(w for w, _ in parts)
    return 0.0 if weight == 0 else round(sum(w * v for w, v in parts) / weight, 1)


def ranked(totals: Mapping[str, float]) -> dict[str, int]:
    """Competition ranking, best first: equal totals share a rank (1, 1, 3)."""
    order = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    ranks: dict[str, int] = {}
    for i, (key, total) in enumerate(order):
        ranks[key] = ranks[order[i - 1][0]] if i and order[i - 1][1] == total else i + 1
    return ranks


def evaluation_rows(counts: Mapping[str, UnitCounts], *, names: Mapping[str, str],
                    before: Mapping[str, UnitCounts], weights: EvaluationSettings,
                    risk: RiskIndexSettings) -> list[dict[str, Any]]:
    """Rows best first: total, rank, each component, the counts behind them, the month before."""
    scores = {k: component_scores(c, risk) for k, c in counts.items()}
    totals = {k: total_of(s, weights) for k, s in scores.items()}
    ranks = ranked(totals)
    prev_scores = {k: component_scores(c, risk) for k, c in before.items()}
    prev_totals = {k: total_of(s, weights) for k, s in prev_scores.items()}
    prev_ranks = ranked(prev_totals)
    rows = [{
        "key": k, "name": names.get(k, k), "total": totals[k], "rank": ranks[k], "components": scores[k],
        "counts": counts[k].as_json(),
        "before": None if k not in before else {"total": prev_totals[k], "rank": prev_ranks[k],
                                                "components": prev_scores[k]},
    } for k in counts]
    rows.sort(key=lambda r: (r["rank"], r["key"]))
    return rows
