"""The month's evaluation report: an XLSX workbook and a printable PDF, from the server's figures.

``Figures`` is what the leader's overview read for one month (statistics of the month and the
month before, the evaluation, the risk index, the twelve months' trend): the report is made of
exactly what the screen shows. The workbook has one sheet per view with numbers as numbers
(rates as percentages of 100, as the server sends them) and a frozen header; the PDF has a
summary page and then one page per unit with the counts behind each component.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.common.pdf import PAGE_BREAK, write_pdf
from desktop.console import labels

translate = QCoreApplication.translate


@dataclass
class Figures:
    """One month as the server computed it (``GET /statistics``, ``/evaluation``, ``/risk-index``)."""

    month: str
    statistics: dict[str, Any]
    before: dict[str, Any] | None
    evaluation: dict[str, Any]
    risk: dict[str, Any]
    #: (month, the statistics' ``total``) for the months of the trend charts, oldest first
    trend: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def _alerts(t: dict[str, Any]) -> int:
    return int(t.get("red_alerts") or 0) + int(t.get("yellow_alerts") or 0)


def cards_issued(t: dict[str, Any]) -> int:
    return int(t.get("red_cards") or 0) + int(t.get("yellow_cards") or 0)


def _petitions(t: dict[str, Any]) -> int:
    by = t.get("petitions_by_status")
    return sum(int(v) for v in by.values() if isinstance(v, int)) if isinstance(by, dict) else 0


#: the seeds' headline figures: (key, label, value of a statistics ``total``, is a percentage, unit)
HEADLINE: tuple[tuple[str, str, Any, str], ...] = (
    ("cases", "Cases supervised", lambda t: t.get("cases_received"), ""),
    ("early", "Early-completion rate", lambda t: t.get("early_completion_rate"), "%"),
    ("one_time", "One-time completion rate", lambda t: t.get("one_time_rate"), "%"),
    ("days", "Average working days", lambda t: t.get("average_working_days"), "d"),
    ("warnings", "Warnings", _alerts, ""),
    ("cards", "Cards", cards_issued, ""),
    ("petitions", "Petitions tracked", _petitions, ""),
    ("satisfaction", "Satisfaction rate", lambda t: t.get("satisfaction_rate"), "%"),
)
_HEADLINE_NAMES = (translate("Oversight", "Cases supervised"), translate("Oversight", "Early-completion rate"),
                   translate("Oversight", "One-time completion rate"), translate("Oversight", "Average working days"),
                   translate("Oversight", "Warnings"), translate("Oversight", "Cards"),
                   translate("Oversight", "Petitions tracked"), translate("Oversight", "Satisfaction rate"))
COMPONENTS = ("efficiency", "anomalies", "supervision", "public")


def month_has_figures(total: dict[str, Any]) -> bool:
    """Whether anything was recorded in a month: a month before the system ran (or a quiet
    one with nothing at all) is a gap in a trend, not a month of zeros."""
    return bool(total.get("cases_received") or total.get("cases_decided") or _alerts(total) or cards_issued(total)
                or _petitions(total) or total.get("ratings") or total.get("notices_issued"))


def component_name(key: str) -> str:
    return {"efficiency": translate("Oversight", "Efficiency"), "anomalies": translate("Oversight", "Anomalies"),
            "supervision": translate("Oversight", "Routine supervision"),
            "public": translate("Oversight", "Public evaluation")}.get(key, key)


def headline_value(value: Any, unit: str) -> str:
    """A figure as the overview shows it (— when there is nothing to compute it from)."""
    if value is None:
        return "—"
    if unit == "%":
        return f"{float(value):.1f}%"
    if unit == "d":
        return f"{float(value):.2f}"
    return f"{int(value):,}"


def headline(fig: Figures) -> list[tuple[str, str, Any, Any, str]]:
    """(key, label, this month, the month before, unit) for each headline figure."""
    total = fig.statistics.get("total") or {}
    before = (fig.before or {}).get("total") or {}
    return [(key, translate("Oversight", label), value(total), value(before) if fig.before else None, unit)
            for key, label, value, unit in HEADLINE]


def component_counts(key: str, counts: dict[str, Any]) -> list[tuple[str, Any]]:
    """The counts a component is computed from (spec 07 §2), as (label, number)."""
    c = counts
    if key == "efficiency":
        timed = int(c.get("timed") or 0)
        return [(translate("Oversight", "Cases decided"), c.get("decided")),
                (translate("Oversight", "Decided early"), c.get("early")),
                (translate("Oversight", "Mean fraction of the time limit used"),
                 round(float(c.get("used_fraction_sum") or 0) / timed, 3) if timed else None)]
    if key == "anomalies":
        return [(translate("Oversight", "Red approval alerts"), c.get("red_alerts")),
                (translate("Oversight", "Yellow approval alerts"), c.get("yellow_alerts")),
                (translate("Oversight", "Cases decided"), c.get("decided"))]
    if key == "supervision":
        return [(translate("Oversight", "Red cards"), c.get("red_cards")),
                (translate("Oversight", "Yellow cards"), c.get("yellow_cards")),
                (translate("Oversight", "Notices answered late"), c.get("notices_late")),
                (translate("Oversight", "Office-silent alerts"), c.get("silent_alerts"))]
    return [(translate("Oversight", "Ratings"), c.get("ratings")),
            (translate("Oversight", "Satisfied or basically satisfied"), c.get("satisfied"))]


def _ranking_headers() -> list[str]:
    return [translate("Oversight", "Rank"), translate("Oversight", "Unit"), translate("Oversight", "Total"),
            *[component_name(k) for k in COMPONENTS], translate("Oversight", "Rank last month"),
            translate("Oversight", "Total last month")]


def ranking_row(row: dict[str, Any]) -> list[Any]:
    comp = row.get("components") or {}
    before = row.get("before") or {}
    return [row.get("rank"), row.get("name"), row.get("total"), *[comp.get(k) for k in COMPONENTS],
            before.get("rank"), before.get("total")]


def export_xlsx(fig: Figures, path: Path) -> Path:
    """One sheet per view: headline, ranking (with the counts), risk index, risk points, trend."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    header_font = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F6FEB")
    used: list[str] = []

    def sheet(title: str, headers: list[str], rows: list[list[Any]], widths: dict[str, int] | None = None) -> Any:
        ws = wb.active if not used else wb.create_sheet()
        used.append(title)
        ws.title = title[:31]
        ws.append(headers)
        for cell in ws[1]:
            cell.font = header_font
            cell.fill = fill
        for r in rows:
            ws.append(r)
        ws.freeze_panes = "A2"
        for col, width in (widths or {}).items():
            ws.column_dimensions[col].width = width
        return ws

    month = translate("Oversight", "Month")
    heads = headline(fig)
    sheet(translate("Oversight", "Headline"), [translate("Oversight", "Figure"), fig.month, translate(
        "Oversight", "Month before")], [[label, value, before] for _k, label, value, before, _u in heads],
        {"A": 30, "B": 14, "C": 14})
    count_keys = ("decided", "early", "timed", "used_fraction_sum", "red_alerts", "yellow_alerts", "red_cards",
                  "yellow_cards", "notices_late", "silent_alerts", "ratings", "satisfied")
    sheet(translate("Oversight", "Ranking"), [*_ranking_headers(), *count_keys],
          [[*ranking_row(r), *[(r.get("counts") or {}).get(k) for k in count_keys]]
           for r in fig.evaluation.get("rows") or []], {"B": 28})
    risk_rows = fig.risk.get("rows") or []
    sheet(translate("Oversight", "Risk index"), [translate("Oversight", "Unit"), translate("Oversight", "Index"),
                                                  translate("Oversight", "Level"), translate("Oversight", "Points")],
          [[r.get("name"), r.get("index"), labels.risk_level(str(r.get("level"))), len(r.get("points") or [])]
           for r in risk_rows], {"A": 28})
    sheet(translate("Oversight", "Risk points"), [translate("Oversight", "Unit"), translate("Oversight", "Item"),
                                                   translate("Oversight", "Weight"), translate("Oversight", "Record"),
                                                   translate("Oversight", "Record id")],
          [[r.get("name"), labels.risk_item(str(p.get("item"))), p.get("weight"),
            labels.record_kind(str((p.get("ref") or {}).get("type"))), str((p.get("ref") or {}).get("id"))]
           for r in risk_rows for p in r.get("points") or []], {"A": 28, "B": 30, "E": 40})
    if fig.trend:
        sheet(translate("Oversight", "Trend"), [month, *[label for _k, label, *_ in heads]],
              [[m, *[value(total) if month_has_figures(total) else None for _k, _l, value, _u in HEADLINE]]
               for m, total in fig.trend], {"A": 10})
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}" if value != int(value) or abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def report_html(fig: Figures) -> str:
    """The printable report: a summary page (headline, ranking), then one page per unit."""
    title = translate("Oversight", "Monthly efficiency evaluation")
    heads = "".join(f"<tr><td><b>{escape(label)}</b></td><td align='right'>{escape(headline_value(v, u))}</td>"
                    f"<td align='right' style='color:#666'>{escape(headline_value(b, u))}</td></tr>"
                    for _k, label, v, b, u in headline(fig))
    cols = "".join(f"<th>{escape(h)}</th>" for h in _ranking_headers())
    rows = "".join("<tr>" + "".join(f"<td>{escape(_fmt(v))}</td>" for v in ranking_row(r)) + "</tr>"
                   for r in fig.evaluation.get("rows") or [])
    month_before, ranking = translate("Oversight", "Month before"), translate("Oversight", "Ranking")
    total, rank = translate("Oversight", "Total"), translate("Oversight", "Rank")
    component, weight = translate("Oversight", "Component"), translate("Oversight", "Weight")
    score, behind_it = translate("Oversight", "Score"), translate("Oversight", "Counts behind it")
    risk_index = translate("Oversight", "Risk index")
    parts = [f"<h1>{escape(title)} · {escape(fig.month)}</h1>",
             f"<table cellpadding='3'><tr><th></th><th>{escape(fig.month)}</th>"
             f"<th>{escape(month_before)}</th></tr>{heads}</table>",
             f"<h2>{escape(ranking)}</h2>",
             f"<table border='1' cellspacing='0' cellpadding='3' width='100%'><tr>{cols}</tr>{rows}</table>"]
    weights = fig.evaluation.get("weights") or {}
    risk = {str(r.get("key")): r for r in fig.risk.get("rows") or []}
    for r in fig.evaluation.get("rows") or []:
        comp = r.get("components") or {}
        counts = r.get("counts") or {}
        parts.append(PAGE_BREAK)
        parts.append(f"<h2>{escape(str(r.get('name')))}</h2>")
        parts.append(f"<p>{escape(total)}: <b>{escape(_fmt(r.get('total')))}</b> · "
                     f"{escape(rank)}: <b>{escape(_fmt(r.get('rank')))}</b></p>")
        body = []
        for key in COMPONENTS:
            value = comp.get(key)
            shown = _fmt(value) if value is not None else translate("Oversight", "does not apply")
            behind = "<br>".join(f"{escape(label)}: {escape(_fmt(n))}" for label, n in component_counts(key, counts))
            body.append(f"<tr><td><b>{escape(component_name(key))}</b></td><td align='right'>"
                        f"{escape(_fmt(weights.get(key)))}</td><td align='right'><b>{escape(shown)}</b></td>"
                        f"<td>{behind}</td></tr>")
        parts.append(f"<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr><th>{escape(component)}</th>"
                     f"<th>{escape(weight)}</th><th>{escape(score)}</th><th>{escape(behind_it)}</th></tr>"
                     f"{''.join(body)}</table>")
        rr = risk.get(str(r.get("key")))
        if rr is not None:
            parts.append(f"<p>{escape(risk_index)}: <b>{escape(_fmt(rr.get('index')))}</b> "
                         f"({escape(labels.risk_level(str(rr.get('level'))))})</p>")
            points = "".join(_point_row(p) for p in rr.get("points") or [])
            if points:
                parts.append(f"<table border='1' cellspacing='0' cellpadding='3'>{points}</table>")
    return "".join(parts)


def _point_row(p: dict[str, Any]) -> str:
    ref = p.get("ref") or {}
    return (f"<tr><td>{escape(labels.risk_item(str(p.get('item'))))}</td>"
            f"<td align='right'>{escape(_fmt(p.get('weight')))}</td>"
            f"<td>{escape(labels.record_kind(str(ref.get('type'))))} {escape(str(ref.get('id')))}</td></tr>")


def export_pdf(fig: Figures, path: Path) -> Path:
    title = translate("Oversight", "Monthly efficiency evaluation")
    return write_pdf(report_html(fig), path, title=f"{title} {fig.month}")
