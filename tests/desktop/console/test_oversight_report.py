"""The evaluation report from figures made by hand: a unit without ratings (its public component does
not apply), a hostile unit name, numbers as numbers in the workbook, one PDF page per unit."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from desktop.console.oversight.report import Figures, export_pdf, export_xlsx, month_has_figures, report_html

COUNTS = {"received": 10, "decided": 8, "early": 6, "one_time": 7, "used_fraction_sum": 4.0, "working_days_sum": 9.5,
          "timed": 8, "red_alerts": 1, "yellow_alerts": 2, "alerts_by_rule": {}, "red_cards": 0, "yellow_cards": 1,
          "notices_issued": 1, "notices_due": 1, "notices_on_time": 0, "notices_late": 1, "silent_alerts": 0,
          "reminders": 0, "ratings": 0, "satisfied": 0, "petitions_by_status": {}, "petitions_finished": 0,
          "petitions_on_time": 0}
HOSTILE = "<script>alert(1)</script>镇"
#: the server's statistics of a month before the centre ran: zeros and no rates
EMPTY_MONTH: dict[str, Any] = {
    "cases_received": 0, "cases_decided": 0, "early_completion_rate": None, "one_time_rate": None,
    "average_working_days": None, "red_alerts": 0, "yellow_alerts": 0, "red_cards": 0, "yellow_cards": 0,
    "petitions_by_status": {}, "satisfaction_rate": None, "ratings": 0, "notices_issued": 0}


def figures() -> Figures:
    rows = [
        {"key": "T01", "name": "城关镇便民服务中心", "total": 81.5, "rank": 1,
         "components": {"efficiency": 62.5, "anomalies": 50.0, "supervision": 87.0, "public": None},
         "counts": COUNTS, "before": {"total": 70.0, "rank": 2, "components": {}}},
        {"key": "T02", "name": HOSTILE, "total": 81.5, "rank": 1,
         "components": {"efficiency": 70.0, "anomalies": 90.0, "supervision": 100.0, "public": 60.0},
         "counts": COUNTS | {"ratings": 5, "satisfied": 3}, "before": None},
    ]
    total = {"cases_received": 20, "cases_decided": 16, "early_completion_rate": 75.0, "one_time_rate": 87.5,
             "average_working_days": 1.19, "red_alerts": 2, "yellow_alerts": 4, "red_cards": 0, "yellow_cards": 2,
             "petitions_by_status": {"registered": 1}, "satisfaction_rate": 60.0}
    return Figures(month="2026-03", statistics={"total": total}, before=None,
                   evaluation={"month": "2026-03", "by": "office", "rows": rows,
                               "weights": {"efficiency": 40, "anomalies": 25, "supervision": 15, "public": 20}},
                   risk={"month": "2026-03", "by": "office", "rows": [
                       {"key": "T01", "name": "城关镇便民服务中心", "index": 82, "level": "yellow", "points": [
                           {"item": "red_alert", "weight": -10, "ref": {"type": "alert", "id": 7}},
                           {"item": "notice_overdue", "weight": -8, "ref": {"type": "notice", "id": "n-1"}}]}]},
                   trend=[("2026-01", EMPTY_MONTH), ("2026-02", total | {"cases_received": 5}), ("2026-03", total)])


def test_the_workbook_keeps_numbers_as_numbers(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(export_xlsx(figures(), tmp_path / "e.xlsx"))
    assert len(book.sheetnames) == 5
    ranking = book.worksheets[1]
    assert ranking.freeze_panes == "A2"
    assert [ranking.cell(2, c).value for c in range(1, 8)] == [1, "城关镇便民服务中心", 81.5, 62.5, 50.0, 87.0, None]
    assert ranking.cell(3, 2).value == HOSTILE, "kept verbatim: a cell is not markup"
    points = book.worksheets[3]
    assert [points.cell(r, 3).value for r in (2, 3)] == [-10, -8]
    trend = book.worksheets[4]
    assert [trend.cell(r, 2).value for r in (2, 3, 4)] == [None, 5, 20], "a month with nothing is a gap, not 0"
    assert [trend.cell(2, c).value for c in range(2, 10)] == [None] * 8


def test_the_printed_report_escapes_names_and_says_what_does_not_apply(tmp_path: Path) -> None:
    html = report_html(figures())
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.count('page-break-before') == 2, "one page per unit after the summary"
    pdf = export_pdf(figures(), tmp_path / "e.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "p")], check=True, timeout=60)
    assert len(list(tmp_path.glob("p-*.png"))) == 3


@pytest.fixture(autouse=True)
def _gui(qapp: Any) -> None:
    """QTextDocument and QPdfWriter need a QGuiApplication."""


def test_a_month_counts_as_recorded_when_anything_happened_in_it() -> None:
    assert not month_has_figures(EMPTY_MONTH)
    assert not month_has_figures({})
    for key, value in (("cases_received", 1), ("cases_decided", 1), ("yellow_alerts", 1), ("red_cards", 1),
                       ("petitions_by_status", {"registered": 1}), ("ratings", 2), ("notices_issued", 1)):
        assert month_has_figures(EMPTY_MONTH | {key: value}), key
