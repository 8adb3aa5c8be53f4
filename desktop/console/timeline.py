"""An approval case drawn against its catalogue item on the working-day calendar.

``build_timeline`` computes everything from the case's events with the same pure domain the
server uses (``shared.rules.evaluate_case``, ``shared.clock``, ``shared.calendar``), so an
investigator offline sees exactly the clocks the server would compute. ``TimelineWidget``
paints it: one column per local day (weekends and holidays shaded and marked 休, adjusted
working days marked 班), the case clock and each procedure node as rows whose filled parts
are the working time actually used, suspensions hatched across every row, the warning, due
and as-of instants as vertical lines, and the events as markers with their actor and opinion.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop.console import labels
from desktop.console.labels import fmt
from shared.calendar import WorkCalendar
from shared.catalogue import PowerItem
from shared.clock import Interval, counting_start
from shared.rules import CaseEvent, CaseFacts, CaseResult, Rating, evaluate_case
from shared.timeutil import (
    DAY,
    HOUR,
    Instant,
    day_start,
    day_to_date,
    local_day,
    parse_instant_or_none,
    to_datetime,
)

HOLIDAY = "holiday"
WEEKEND = "weekend"
WORKDAY = "workday"
ADJUSTED = "adjusted"  # 调休上班: a weekend date that is a working day


def case_events(detail: dict[str, Any]) -> list[CaseEvent]:
    out = []
    for e in detail.get("events") or []:
        at = parse_instant_or_none(e.get("at"))
        if at is None:
            continue
        out.append(CaseEvent(
            id=str(e.get("id")), type=str(e.get("type")), at=at, seq=int(e.get("seq") or 0), actor=e.get("actor"),
            node=e.get("node"), reason_code=e.get("reason_code"), amount_fen=int(e.get("amount_fen") or 0),
            result=e.get("result"), reason=e.get("reason"), legal_basis=e.get("legal_basis"),
            backdated=bool(e.get("backdated")),
        ))
    out.sort(key=lambda e: (e.at, e.seq))
    return out


@dataclass
class NodeRow:
    code: str
    name: str
    days: int | None
    started: Instant | None
    due: Instant | None
    completed: Instant | None
    risk_level: int | None
    late: bool


@dataclass
class Timeline:
    """Everything the widget draws, computed once per case."""

    office: str
    case_no: str
    item: PowerItem | None
    state: str
    as_of: Instant
    first_day: int
    last_day: int
    day_kinds: dict[int, str]
    received: Instant | None
    counting_from: Instant | None
    warn_at: Instant | None
    due: Instant | None
    close_at: Instant | None
    used_hours: float
    limit_days: int | None
    suspensions: list[Interval]
    nodes: list[NodeRow]
    events: list[dict[str, Any]]
    calendar_warnings: list[str] = field(default_factory=list)
    result: CaseResult | None = None

    def day_kind(self, value: date) -> str | None:
        from shared.timeutil import date_to_day

        return self.day_kinds.get(date_to_day(value))

    @property
    def used_days(self) -> float:
        return self.used_hours / 24.0


def classify_day(calendar: WorkCalendar, day: int) -> str:
    d = day_to_date(day)
    days, _ = calendar.year_days(d.year)
    if d in days.workdays:
        return ADJUSTED if d.weekday() >= 5 else WORKDAY
    if d in days.holidays:
        return HOLIDAY
    return WEEKEND if d.weekday() >= 5 else WORKDAY


def build_timeline(detail: dict[str, Any], calendar: WorkCalendar, as_of: Instant | None = None) -> Timeline:
    """The case's timeline from its cached detail (``GET /approval-cases/…``), computed locally."""
    as_of = as_of if as_of is not None else (parse_instant_or_none(detail.get("as_of")) or 0)
    events = case_events(detail)
    item: PowerItem | None = None
    if detail.get("item"):
        try:
            item = PowerItem.model_validate(detail["item"])
        except ValueError:
            item = None
    result: CaseResult | None = None
    if item is not None:
        ratings = [Rating(id=str(r.get("id")), rating=str(r.get("rating")), at=parse_instant_or_none(r.get("at")) or 0)
                   for r in detail.get("evaluations") or []]
        facts = CaseFacts(office=str(detail.get("office")), case_no=str(detail.get("case_no")), item=item,
                          events=events, ratings=ratings)
        result = evaluate_case(facts, calendar, as_of)
    closing = next((e for e in events if e.type in ("decided", "not_accepted", "withdrawn") and e.at <= as_of), None)
    received = next((e.at for e in events if e.type == "received"), None)
    clock = result.clock if result else None
    nodes: list[NodeRow] = []
    if result is not None:
        for n in result.nodes:
            end = n.completed_at if n.completed_at is not None else (closing.at if closing else as_of)
            late = n.due is not None and n.started_at is not None and end >= n.due
            nodes.append(NodeRow(n.code, n.name, n.days, n.started_at, n.due, n.completed_at, n.risk_level, late))
    instants = [i for i in (received, clock.due if clock else None, clock.counting_from if clock else None,
                            closing.at if closing else None, as_of, *(e.at for e in events),
                            *(n.due for n in nodes)) if i]
    first = local_day(min(instants)) - 1 if instants else local_day(as_of) - 3
    last = local_day(max(instants)) + 1 if instants else local_day(as_of) + 3
    # Keep the axis readable: at most ~120 days around the case.
    if last - first > 120:
        first = last - 120
    kinds = {d: classify_day(calendar, d) for d in range(first, last + 1)}
    warnings = sorted({w for y in {day_to_date(first).year, day_to_date(last).year}
                       if (w := calendar.warning(y))})
    return Timeline(
        office=str(detail.get("office")), case_no=str(detail.get("case_no")), item=item,
        state=result.state if result else str(detail.get("state") or ""), as_of=as_of, first_day=first,
        last_day=last, day_kinds=kinds, received=received,
        counting_from=clock.counting_from if clock else None, warn_at=clock.warn_at if clock else None,
        due=clock.due if clock else None, close_at=closing.at if closing else None,
        used_hours=(result.used / HOUR) if result else 0.0, limit_days=clock.limit_days if clock else None,
        suspensions=list(result.suspensions) if result else [], nodes=nodes,
        events=[dict(e) for e in detail.get("events") or []], calendar_warnings=warnings, result=result,
    )


def _split(a: Instant, b: Instant, cuts: list[Instant]) -> list[tuple[Instant, Instant]]:
    points = [a, *sorted(c for c in cuts if a < c < b), b]
    return list(itertools.pairwise(points))


def working_segments(start: Instant, end: Instant, kinds: dict[int, str], suspensions: list[Interval],
                     calendar_working: Any = None) -> list[tuple[Instant, Instant]]:
    """Parts of ``[start, end)`` that count as working time (working days, not suspended)."""
    out: list[tuple[Instant, Instant]] = []
    if end <= start:
        return out
    day = local_day(start)
    while day_start(day) < end:
        kind = kinds.get(day)
        working = kind in (WORKDAY, ADJUSTED) if kind is not None else bool(calendar_working and calendar_working(day))
        if working:
            seg_start = max(start, day_start(day))
            seg_end = min(end, day_start(day) + DAY)
            cuts = [(seg_start, seg_end)]
            for s, e in suspensions:
                nxt = []
                for a, b in cuts:
                    if e <= a or s >= b:
                        nxt.append((a, b))
                        continue
                    if s > a:
                        nxt.append((a, s))
                    if e < b:
                        nxt.append((e, b))
                cuts = nxt
            out.extend(c for c in cuts if c[1] > c[0])
        day += 1
    return out


class TimelineWidget(QWidget):
    """Paints a ``Timeline``. Hovering an event marker shows its actor and opinion."""

    LABEL_W = 150
    HEADER_H = 46
    ROW_H = 30
    EVENT_TOP = 22  # the "Events" heading and the markers above the first lane of labels
    LANE_H = 14
    LEGEND_LINE_H = 18

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline: Timeline | None = None
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._markers: list[tuple[QRectF, str]] = []
        #: where the last paint put each event's label and each legend entry (tests measure them)
        self.event_label_rects: list[QRectF] = []
        self.legend_rects: list[QRectF] = []
        self.line_label_rects: list[QRectF] = []
        self.dark = True

    def set_timeline(self, timeline: Timeline | None) -> None:
        self.timeline = timeline
        self._fit_height()
        self.updateGeometry()
        self.update()

    def _rows(self) -> int:
        return 1 + (len(self.timeline.nodes) if self.timeline else 0)

    def _small_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        return small

    def _needed_height(self, width: int) -> int:
        """The height at ``width`` that shows every event label and the whole legend."""
        if self.timeline is None:
            return 120
        lanes = max(1, 1 + max((lane for _, lane, _ in self._event_layout(width)), default=0))
        legend = self._legend_layout(width, 0.0)
        legend_lines = len({r.top() for _, _, r in legend}) or 1
        return int(self.HEADER_H + self._rows() * self.ROW_H + self.EVENT_TOP + lanes * self.LANE_H + 10
                   + legend_lines * self.LEGEND_LINE_H + 8)

    def _fit_height(self) -> None:
        # Events bunched in one day take more lanes and a narrow pane wraps the legend: the
        # widget asks for the height that shows them (its scroll area scrolls if need be).
        self.setMinimumHeight(self._needed_height(max(self.width(), self.minimumSizeHint().width())))

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_height()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(900, self._needed_height(900))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        days = (self.timeline.last_day - self.timeline.first_day + 1) if self.timeline else 10
        return QSize(self.LABEL_W + days * 18, 120)

    # ------------------------------------------------------------------ geometry
    def _x(self, t: Instant, width: int | None = None) -> float:
        tl = self.timeline
        assert tl is not None
        span = (tl.last_day - tl.first_day + 1) * DAY
        axis = (self.width() if width is None else width) - self.LABEL_W - 8
        return self.LABEL_W + (t - day_start(tl.first_day)) / span * axis

    def _event_text(self, ev: dict[str, Any]) -> str:
        assert self.timeline is not None
        node_names = {n.code: n.name for n in self.timeline.nodes}
        text = labels.event_type(str(ev.get("type")))
        if ev.get("node"):
            text += f"「{node_names.get(str(ev['node']), str(ev['node']))}」"
        return text

    def _event_layout(self, width: int) -> list[tuple[dict[str, Any], int, QRectF]]:
        """Each shown event with its label's lane and rectangle (x from the widget's left, y
        from the top of the lanes): a label takes the first lane where it meets no other, so
        events of one day stack instead of piling up, and a label that would run past the
        right edge is put to the left of its marker."""
        tl = self.timeline
        assert tl is not None
        fm = QFontMetrics(self._small_font())
        lanes: list[list[QRectF]] = []
        out: list[tuple[dict[str, Any], int, QRectF]] = []
        for ev in tl.events:
            at = parse_instant_or_none(ev.get("at"))
            if at is None or not tl.first_day <= local_day(at) <= tl.last_day:
                continue
            x = self._x(at, width)
            w = fm.horizontalAdvance(self._event_text(ev)) + 2
            left = x + 3 if x + 3 + w <= width - 2 else max(2.0, x - 3 - w)
            lane = 0
            while True:
                if lane == len(lanes):
                    lanes.append([])
                rect = QRectF(left, lane * self.LANE_H, w, self.LANE_H - 1)
                if not any(rect.adjusted(-3, 0, 3, 0).intersects(r) for r in lanes[lane]):
                    break
                lane += 1
            lanes[lane].append(rect)
            out.append((ev, lane, rect))
        return out

    def _day_w(self) -> float:
        tl = self.timeline
        assert tl is not None
        return (self.width() - self.LABEL_W - 8) / (tl.last_day - tl.first_day + 1)

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        bg = QColor("#0d1117") if self.dark else QColor("#ffffff")
        fg = QColor("#e6edf3") if self.dark else QColor("#1f2328")
        grid = QColor("#30363d") if self.dark else QColor("#d0d7de")
        p.fillRect(self.rect(), bg)
        tl = self.timeline
        if tl is None:
            p.setPen(fg)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Open a case to see its timeline"))
            return
        self._markers = []
        top = self.HEADER_H
        # Rows grow with the pane (a case has few rows; the time axis is what needs room).
        layout = self._event_layout(self.width())
        lanes = max(1, 1 + max((lane for _, lane, _ in layout), default=0))
        event_h = self.EVENT_TOP + lanes * self.LANE_H + 10
        legend_h = self._needed_height(self.width()) - (self.HEADER_H + self._rows() * self.ROW_H + event_h)
        row_h = max(float(self.ROW_H), min(64.0, (self.height() - top - event_h - legend_h)
                                           / max(1, self._rows())))
        rows_h = self._rows() * row_h
        bottom = top + rows_h + event_h
        dw = self._day_w()
        small = self._small_font()
        fm = QFontMetrics(small)
        # Day columns: shading for non-working days, badges for holidays and adjusted workdays.
        for day in range(tl.first_day, tl.last_day + 1):
            x = self._x(day_start(day))
            kind = tl.day_kinds.get(day, WORKDAY)
            col = QRectF(x, top, dw, bottom - top)
            if kind == HOLIDAY:
                p.fillRect(col, QColor(120, 30, 40, 110) if self.dark else QColor(255, 200, 200, 140))
            elif kind == WEEKEND:
                p.fillRect(col, QColor(80, 80, 90, 90) if self.dark else QColor(220, 220, 225, 160))
            elif kind == ADJUSTED:
                p.fillRect(col, QColor(40, 90, 160, 70) if self.dark else QColor(200, 225, 255, 160))
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(x, top - 4), QPointF(x, bottom))
            d = day_to_date(day)
            p.setFont(small)
            p.setPen(fg)
            label = f"{d.month}/{d.day}" if dw >= fm.horizontalAdvance("12/31") + 2 else f"{d.day}"
            p.drawText(QRectF(x, 2, dw, 18), Qt.AlignmentFlag.AlignCenter, label)
            badge = {HOLIDAY: self.tr("Hol"), ADJUSTED: self.tr("Work")}.get(kind)
            if badge is None and kind == WEEKEND:
                badge = self.tr("Off")
            if badge:
                colour = {HOLIDAY: QColor("#ff7b72"), ADJUSTED: QColor("#58a6ff")}.get(kind, QColor("#8b949e"))
                p.setPen(colour)
                p.drawText(QRectF(x, 20, dw, 18), Qt.AlignmentFlag.AlignCenter, badge)
        # Suspensions hatched across all rows.
        for s, e in tl.suspensions:
            rect = QRectF(self._x(s), top, max(2.0, self._x(e) - self._x(s)), rows_h)
            p.fillRect(rect, QBrush(QColor(88, 166, 255, 70)))
            p.fillRect(rect, QBrush(QColor(88, 166, 255, 120), Qt.BrushStyle.BDiagPattern))
        # Row labels and bars.
        p.setFont(self.font())
        rows: list[tuple[str, Instant | None, Instant | None, Instant | None, bool, int | None]] = []
        end_case = tl.close_at if tl.close_at is not None else tl.as_of
        rows.append((fmt(self.tr("Case clock (%1 d)"), tl.limit_days or "-"), tl.counting_from, tl.due, end_case,
                     tl.due is not None and end_case >= tl.due, None))
        for n in tl.nodes:
            end = n.completed if n.completed is not None else (tl.close_at if tl.close_at else tl.as_of)
            days = fmt(self.tr(" (%1 d)"), n.days) if n.days else ""
            risk = " ⚑" if n.risk_level else ""
            rows.append((f"{n.name}{days}{risk}", n.started, n.due, end if n.started else None, n.late,
                         n.risk_level))
        for i, (label, start, due, end_at, late, _risk) in enumerate(rows):
            y = top + i * row_h
            p.setPen(fg)
            p.drawText(QRectF(4, y, self.LABEL_W - 8, row_h), Qt.AlignmentFlag.AlignVCenter, label)
            if start is None:
                continue
            bar = QRectF(self._x(start), y + 7, max(2.0, self._x(due) - self._x(start)) if due else 2.0,
                         row_h - 14)
            if due is not None:
                p.setPen(QPen(QColor("#8b949e"), 1, Qt.PenStyle.DashLine))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(bar)
            if end_at is not None:
                # Counting starts the day after the clock starts (spec 02 §2); the filled
                # parts are the working time used, split where the warning and the due fall.
                cuts = [c for c in ((tl.warn_at if i == 0 else None), due) if c is not None]
                for a, b in working_segments(counting_start(start), end_at, tl.day_kinds, tl.suspensions):
                    for sa, sb in _split(a, b, cuts):
                        rect = QRectF(self._x(sa), y + 8, max(1.0, self._x(sb) - self._x(sa)), row_h - 16)
                        if due is not None and sa >= due:
                            colour = QColor("#f85149")
                        elif i == 0 and tl.warn_at is not None and sa >= tl.warn_at:
                            colour = QColor("#d29922")
                        else:
                            colour = QColor("#2ea043")
                        p.fillRect(rect, colour)
            if late:
                p.setPen(QColor("#ff7b72"))
                p.drawText(QRectF(self.LABEL_W - 22, y, 20, row_h), Qt.AlignmentFlag.AlignCenter, "!")
        # Warning, due and as-of lines.
        self.line_label_rects = []
        for instant, colour, text, style in (
            (tl.warn_at, QColor("#d29922"), self.tr("warning"), Qt.PenStyle.DashLine),
            (tl.due, QColor("#f85149"), self.tr("due"), Qt.PenStyle.SolidLine),
            (tl.as_of, QColor("#58a6ff"), self.tr("as of"), Qt.PenStyle.DotLine),
        ):
            if instant is None or not tl.first_day <= local_day(instant) <= tl.last_day:
                continue
            x = self._x(instant)
            p.setPen(QPen(colour, 2, style))
            p.drawLine(QPointF(x, top), QPointF(x, top + rows_h))
            p.setFont(small)
            # Lines close together (as of just before due) put their names one above the other.
            box = QRectF(x + 2, top + rows_h - 14, fm.horizontalAdvance(text) + 2, 14)
            while any(box.intersects(r) for r in self.line_label_rects) and box.top() > top:
                box.translate(0, -14)
            self.line_label_rects.append(box)
            p.drawText(box, Qt.AlignmentFlag.AlignLeft, text)
        # Events as markers, labels staggered so neighbours do not overlap.
        ey = top + rows_h + 8
        p.setPen(fg)
        p.setFont(self.font())
        p.drawText(QRectF(4, ey, self.LABEL_W - 8, 20), Qt.AlignmentFlag.AlignVCenter, self.tr("Events"))
        p.setFont(small)
        node_names = {n.code: n.name for n in tl.nodes}
        lanes_top = ey + self.EVENT_TOP
        self.event_label_rects = []
        for ev, _lane, box in layout:
            at = parse_instant_or_none(ev.get("at"))
            assert at is not None
            x = self._x(at)
            ev_colour = {"suspended": "#58a6ff", "resumed": "#58a6ff", "decided": "#a371f7",
                         "not_accepted": "#f85149", "fee_charged": "#d29922"}.get(str(ev.get("type")), "#e6edf3")
            path = QPainterPath()
            path.moveTo(x, ey + 2)
            path.lineTo(x + 5, ey + 8)
            path.lineTo(x, ey + 14)
            path.lineTo(x - 5, ey + 8)
            path.closeSubpath()
            p.fillPath(path, QColor(ev_colour))
            rect = box.translated(0, lanes_top)
            self.event_label_rects.append(rect)
            p.setPen(QColor(ev_colour))
            p.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self._event_text(ev))
            tip = [f"{labels.event_type(str(ev.get('type')))}  {to_datetime(at).strftime('%Y-%m-%d %H:%M')}"]
            if ev.get("actor"):
                tip.append(fmt(self.tr("Actor: %1"), ev["actor"]))
            for key in ("node", "opinion", "reason", "legal_basis", "reason_code", "note", "result"):
                if ev.get(key):
                    value = str(ev[key])
                    if key == "node":
                        value = node_names.get(value, value)
                    elif key == "reason_code":
                        value = labels.suspension_reason(value)
                    elif key == "result":
                        value = labels.case_state(f"decided_{value}")
                    tip.append(f"{labels.event_field(key)}: {value}")
            self._markers.append((QRectF(x - 6, ey, 12, 16), "\n".join(tip)))
        self._legend(p, bottom + 6, small, fg)
        p.end()

    def _legend_items(self) -> list[tuple[QColor, str]]:
        return [
            (QColor(120, 30, 40), self.tr("Hol = public holiday")),
            (QColor(40, 90, 160), self.tr("Work = adjusted working day")),
            (QColor(80, 80, 90), self.tr("Off = weekend")),
            (QColor(88, 166, 255, 160), self.tr("suspended (clock stopped)")),
            (QColor("#2ea043"), self.tr("working time used")),
            (QColor("#d29922"), self.tr("after the warning")),
            (QColor("#f85149"), self.tr("past the limit")),
        ]

    def _legend_layout(self, width: int, y: float) -> list[tuple[QColor, str, QRectF]]:
        """The legend's entries (swatch and text) in lines that fit ``width``."""
        fm = QFontMetrics(self._small_font())
        x, top = 4.0, y
        out = []
        for colour, text in self._legend_items():
            w = 18 + fm.horizontalAdvance(text) + 2
            if x > 4.0 and x + w > width - 4:
                x, top = 4.0, top + self.LEGEND_LINE_H
            out.append((colour, text, QRectF(x, top, w, self.LEGEND_LINE_H - 2)))
            x += w + 16
        return out

    def _legend(self, p: QPainter, y: float, font: QFont, fg: QColor) -> None:
        p.setFont(font)
        self.legend_rects = []
        for colour, text, rect in self._legend_layout(self.width(), y):
            p.fillRect(QRectF(rect.left(), rect.top() + 3, 14, 12), colour)
            p.setPen(fg)
            p.drawText(rect.adjusted(18, 0, 0, 0), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       text)
            self.legend_rects.append(rect)

    def event(self, e: Any) -> bool:
        if e.type() == e.Type.ToolTip:
            pos = e.position() if hasattr(e, "position") else e.pos()
            for rect, tip in self._markers:
                if rect.contains(QPointF(pos)):
                    QToolTip.showText(e.globalPos(), tip, self)
                    return True
            QToolTip.hideText()
            return True
        return super().event(e)
